"""Parsing on a Dask cluster (``ingest(..., dask_address=…)`` and ``readout ingest --dask``):
a LocalCluster started here, the same rows as parsing in one process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from readout.cli import main
from readout.ingest import ingest, reparse
from readout.store import Store, connect
from readout.store.read import table_counts
from tests import stores
from tests.generate import write_corpus

distributed = pytest.importorskip("distributed")

store = stores.store
store_url = stores.store_url


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as running:
        yield running


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("dask") / "corpus"
    write_corpus(folder, 30)
    (folder / "binary.txt").write_bytes(b"\x00\x00")
    alone = connect(str(folder.parent / "one-process.sqlite"))
    ingest(alone, [folder])
    counts = table_counts(alone)
    alone.close()
    return folder, counts


def test_ingest_on_a_dask_cluster(
    store: Store, cluster: Any, corpus: tuple[Path, dict[str, int]]
) -> None:
    folder, counts = corpus
    summary = ingest(store, [folder], dask_address=cluster.scheduler_address)
    assert (summary.added, len(summary.failed)) == (30, 1)
    assert table_counts(store) == counts
    again = ingest(store, [folder], dask_address=cluster.scheduler_address)
    assert (again.added, again.unchanged) == (0, 30)
    assert reparse(store, all=True, dask_address=cluster.scheduler_address).reparsed == 30
    assert table_counts(store) == counts


def test_the_cli_takes_a_dask_address(
    store_url: str, cluster: Any, corpus: tuple[Path, dict[str, int]]
) -> None:
    folder, counts = corpus
    result = CliRunner().invoke(
        main, ["ingest", str(folder), "--db", store_url, "--dask", cluster.scheduler_address]
    )
    assert result.exit_code == 1  # the binary file
    assert "30 added" in result.stdout
    opened = connect(store_url)
    assert table_counts(opened) == counts
    opened.close()
