"""A database that is locked, full or unreachable: one clear line, a non-zero exit code,
never a traceback; and what was stored before the fault is whole."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import event
from sqlalchemy.pool import Pool

from readout.cli import main
from readout.ingest import ingest
from readout.store import StoreError, connect
from readout.store.read import table_counts
from tests.generate import write_corpus
from tests.stores import assert_whole


def run_cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readout", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_corpus(folder, 20)
    return folder


def test_a_locked_sqlite_database(tmp_path: Path, corpus: Path) -> None:
    """Another connection holds the write lock beyond the busy timeout (5 s)."""
    db = tmp_path / "locked.sqlite"
    connect(str(db)).close()  # the schema exists; the lock comes after
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli("ingest", corpus, "--db", db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr  # the sources count, then the error
    assert lines[-1].startswith(f"readout: sqlite:///{db}: database is locked")
    assert "Traceback" not in result.stderr + result.stdout
    # Once the lock is gone the same command stores everything.
    assert run_cli("ingest", corpus, "--db", db).returncode == 0
    store = connect(str(db))
    assert table_counts(store)["documents"] == 20
    store.close()


@pytest.fixture
def small_sqlite_files() -> Iterator[None]:
    """Every SQLite connection opened meanwhile may grow its file to 80 pages only."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute("PRAGMA max_page_count = 80")

    event.listen(Pool, "connect", limit)
    try:
        yield
    finally:
        event.remove(Pool, "connect", limit)


def test_a_full_sqlite_database(tmp_path: Path, corpus: Path, small_sqlite_files: None) -> None:
    db = tmp_path / "full.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"readout: sqlite:///{db}: database or disk is full (stopped after ")
    assert "run the same command again to finish" in last
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception)
    store = connect(str(db))
    stored = table_counts(store)["documents"]
    assert 0 < stored < 20
    assert_whole(store)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    store.close()


def test_a_full_database_through_the_library(
    tmp_path: Path, corpus: Path, small_sqlite_files: None
) -> None:
    store = connect(str(tmp_path / "full.sqlite"))
    with pytest.raises(StoreError, match="database or disk is full"):
        ingest(store, [corpus])
    assert_whole(store)
    store.close()


@pytest.mark.parametrize("command", [["ingest", "."], ["meetings"], ["show", "1"], ["reparse"]])
def test_an_unreachable_postgresql_server(command: list[str]) -> None:
    url = f"postgresql+psycopg://readout@127.0.0.1:{closed_port()}/readout"
    result = run_cli(*command, "--db", url)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"readout: {url}: ")
    assert "Connection refused" in result.stderr or "connection failed" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_dask_scheduler(tmp_path: Path, corpus: Path) -> None:
    address = f"tcp://127.0.0.1:{closed_port()}"
    result = run_cli("ingest", corpus, "--db", tmp_path / "r.sqlite", "--dask", address)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"readout: Dask scheduler {address}: cannot connect"
    )
    assert "Traceback" not in result.stderr
