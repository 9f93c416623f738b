"""readout.ingest.reparse: documents stored by another parser version are parsed again
from their stored bytes and their rows rewritten; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

import readout
from readout.ingest import ingest, reparse
from readout.store import Store
from readout.store import models as m
from readout.store.read import get_document, table_counts
from tests import stores
from tests.generate import write_corpus

store = stores.store
store_url = stores.store_url


def age(store: Store, document_id: int) -> None:
    """Make ``document_id`` look like the work of an old parser that found no statements."""
    with Session(store.engine) as session, session.begin():
        session.execute(
            update(m.Document).where(m.Document.id == document_id).values(parser_version="0.0.1")
        )
        session.execute(delete(m.Statement).where(m.Statement.document_id == document_id))


def versions(store: Store) -> dict[int, str]:
    with Session(store.engine) as session:
        rows = session.execute(select(m.Document.id, m.Document.parser_version))
        return {document_id: version for document_id, version in rows}


def test_only_documents_of_another_parser_version_are_reparsed(
    store: Store, tmp_path: Path
) -> None:
    paths = write_corpus(tmp_path / "c", 4)
    ingest(store, paths)
    clean = table_counts(store)
    first, second, *_ = sorted(versions(store))
    age(store, first)
    age(store, second)
    assert table_counts(store)["statements"] < clean["statements"]

    summary = reparse(store)
    assert (summary.reparsed, summary.failed) == (2, [])
    assert table_counts(store) == clean
    assert set(versions(store).values()) == {readout.__version__}
    for document_id in (first, second):
        record = get_document(store, document_id)
        assert record == readout.parse_file(record.source.path or "")

    assert reparse(store).reparsed == 0


def test_all_reparses_every_document_and_keeps_ids_and_versions(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "r.txt"
    (first, second) = write_corpus(tmp_path / "c", 2)
    path.write_bytes(first.read_bytes())
    ingest(store, [path])
    path.write_bytes(second.read_bytes())
    ingest(store, [path])
    with Session(store.engine) as session:
        before = session.execute(
            select(m.Document.id, m.Document.version, m.Document.latest, m.Document.sha256)
        ).all()
    clean = table_counts(store)

    summary = reparse(store, all=True)
    assert summary.reparsed == 2
    with Session(store.engine) as session:
        after = session.execute(
            select(m.Document.id, m.Document.version, m.Document.latest, m.Document.sha256)
        ).all()
    assert sorted(after) == sorted(before)
    assert table_counts(store) == clean


def test_reparse_on_worker_processes(store: Store, tmp_path: Path) -> None:
    ingest(store, write_corpus(tmp_path / "c", 6))
    clean = table_counts(store)
    for document_id in versions(store):
        age(store, document_id)
    summary = reparse(store, workers=2)
    assert summary.reparsed == 6
    assert table_counts(store) == clean
