"""readout.ingest on SQLite and on the real PostgreSQL server: idempotence, versions,
folders and lists of sources, failures reported and never half-stored, parallel parsing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

import readout
from readout.ingest import IngestSummary, Outcome, expand_sources, ingest
from readout.store import Store, connect
from readout.store import models as m
from readout.store.read import get_document, list_meetings, table_counts
from tests import stores
from tests.generate import readouts, write_corpus
from tests.stores import assert_whole

store = stores.store
store_url = stores.store_url


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


class Recorder:
    """A Progress that keeps what it is told."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.outcomes: list[Outcome] = []

    def started(self, total: int) -> None:
        self.total = total

    def advanced(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)


def test_the_second_ingest_of_a_folder_adds_nothing(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write_corpus(folder, 12)
    first = ingest(store, [folder])
    assert (first.added, first.unchanged, first.failed) == (12, 0, [])
    counts = table_counts(store)
    assert counts["documents"] == counts["meetings"] == 12
    assert counts["statements"] > 12

    second = ingest(store, [folder])
    assert (second.added, second.unchanged, second.failed) == (0, 12, [])
    assert table_counts(store) == counts
    assert_whole(store)


def test_a_changed_file_is_a_new_version_and_the_old_one_is_kept(
    store: Store, tmp_path: Path
) -> None:
    (_, one), (_, two) = readouts(2)
    path = write(tmp_path / "readout.txt", one)
    assert ingest(store, [path]).added == 1
    write(path, two)
    summary = ingest(store, [path])
    assert (summary.added, summary.new_versions) == (1, 1)

    with Session(store.engine) as session:
        docs = session.scalars(select(m.Document).order_by(m.Document.version)).all()
        assert [(d.version, d.latest) for d in docs] == [(1, False), (2, True)]
        assert {d.source_key for d in docs} == {str(path.resolve())}
        assert [d.text for d in docs] == [one, two]
    assert len(list_meetings(store)) == 1
    assert len(list_meetings(store, all_versions=True)) == 2
    # Bytes stored before are known whatever version they were: nothing is added.
    write(path, one)
    assert ingest(store, [path]).unchanged == 1
    assert table_counts(store)["documents"] == 2
    assert_whole(store)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_same_bytes_at_another_path_are_unchanged(
    store: Store, tmp_path: Path, workers: int
) -> None:
    """With workers, both copies are parsed before either is stored: the database's
    unique sha256 refuses the second one whole."""
    (_, one), *_ = readouts(1)
    copies = [write(tmp_path / f"{i}" / "r.txt", one) for i in range(4)]
    summary = ingest(store, copies, workers=workers)
    assert (summary.added, summary.unchanged, summary.failed) == (1, 3, [])
    assert table_counts(store)["documents"] == 1
    assert_whole(store)


def test_stored_records_are_the_parsed_records(store: Store, tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "c", 3)
    ingest(store, paths)
    for row in list_meetings(store):
        stored = get_document(store, row.id)
        assert stored.source.path == row.source
        assert stored == readout.parse_file(row.source)


def test_folders_are_searched_recursively_for_readout_files(tmp_path: Path) -> None:
    write(tmp_path / "f" / "a.txt", "x")
    write(tmp_path / "f" / "deep" / "er" / "b.txt", "x")
    write(tmp_path / "f" / "notes.md", "x")
    (tmp_path / "empty").mkdir()
    specs, failures = expand_sources([tmp_path / "f", tmp_path / "empty"])
    assert specs == [str(tmp_path / "f" / "a.txt"), str(tmp_path / "f" / "deep" / "er" / "b.txt")]
    assert [f.source for f in failures] == [str(tmp_path / "empty")]
    assert "no files to ingest" in failures[0].reason


def test_lists_of_sources(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", "x")
    write(tmp_path / "docs" / "b.txt", "x")
    write(
        tmp_path / "lists" / "sources.txt",
        "# readouts of 2024\n\nhttps://example.org/a.html\n../docs/a.txt\n\n"
        "https://example.org/a.html\n",
    )
    write(tmp_path / "more.urls", "http://example.org/b.html\ndocs/b.txt\n")
    specs, failures = expand_sources(
        [f"@{tmp_path / 'lists' / 'sources.txt'}", tmp_path / "more.urls", tmp_path / "docs"]
    )
    assert specs == [
        "https://example.org/a.html",
        str(tmp_path / "docs" / "a.txt"),
        "http://example.org/b.html",
        str(tmp_path / "docs" / "b.txt"),
    ]
    assert failures == []
    _, failures = expand_sources([f"@{tmp_path / 'missing.txt'}"])
    assert "cannot read the list of sources" in failures[0].reason


def test_sources_that_fail_are_reported_and_skipped(store: Store, tmp_path: Path) -> None:
    good = write_corpus(tmp_path / "c", 3)
    (tmp_path / "c" / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "c" / "empty.txt").write_bytes(b"")
    recorder = Recorder()
    summary = ingest(store, [tmp_path / "c", tmp_path / "missing.txt"], progress=recorder)
    assert summary.added == len(good)
    reasons = {Path(f.source).name: f.reason for f in summary.failed}
    assert reasons == {
        "binary.txt": "binary file (not text)",
        "empty.txt": "empty file (0 bytes)",
        "missing.txt": "file not found",
    }
    assert recorder.total == 6 == len(recorder.outcomes)
    assert sorted(o.status for o in recorder.outcomes) == ["added"] * 3 + ["failed"] * 3
    assert table_counts(store)["documents"] == 3
    assert_whole(store)


_SQLITE_TRIGGER = """
CREATE TRIGGER refuse_test_mentions BEFORE INSERT ON mentions
WHEN EXISTS (SELECT 1 FROM documents d WHERE d.id = NEW.document_id AND d.text LIKE '%試験用の印%')
BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END
"""
_POSTGRES_TRIGGER = [
    """
CREATE FUNCTION refuse_test_mentions() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM documents d WHERE d.id = NEW.document_id AND d.text LIKE '%試験用の印%')
  THEN RAISE EXCEPTION 'refused by the test trigger';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
""",
    "CREATE TRIGGER refuse_test_mentions BEFORE INSERT ON mentions "
    "FOR EACH ROW EXECUTE FUNCTION refuse_test_mentions()",
]


def test_a_document_that_fails_while_being_written_leaves_no_rows(
    store: Store, tmp_path: Path
) -> None:
    """The database refuses the last rows of one document (its entity mentions): the
    document, its meeting, statements and entities, written before, are gone too."""
    with store.engine.begin() as conn:
        for sql in [_SQLITE_TRIGGER] if store.dialect == "sqlite" else _POSTGRES_TRIGGER:
            conn.execute(text(sql))
    (_, one), (_, two), (_, three) = readouts(3)
    paths = [
        write(tmp_path / "1.txt", one),
        write(tmp_path / "2.txt", two + "\n(試験用の印)\n"),
        write(tmp_path / "3.txt", three),
    ]
    summary = ingest(store, paths)
    assert summary.added == 2
    assert [f.source for f in summary.failed] == [str(paths[1])]
    assert "refused by the test trigger" in summary.failed[0].reason
    assert "\n" not in summary.failed[0].reason
    counts = table_counts(store)
    assert counts["documents"] == counts["meetings"] == 2
    with Session(store.engine) as session:
        ids = set(session.scalars(select(m.Document.id)))
        for table in (m.Statement, m.Entity, m.Mention, m.Section, m.Participant):
            assert set(session.scalars(select(table.document_id))) <= ids
    assert_whole(store)


def test_parsing_on_worker_processes_stores_the_same_rows(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    write_corpus(folder, 40)
    (folder / "bad.txt").write_bytes(b"\x00")
    recorder = Recorder()
    summary = ingest(store, [folder], workers=2, progress=recorder)
    assert (summary.added, len(summary.failed)) == (40, 1)
    assert len(recorder.outcomes) == 41

    alone = connect(str(tmp_path / "one-process.sqlite"))
    assert ingest(alone, [folder]).added == 40
    assert table_counts(store) == table_counts(alone)
    alone.close()
    assert_whole(store)
    again = ingest(store, [folder], workers=2)
    assert (again.added, again.unchanged) == (0, 40)


def test_summary_counts() -> None:
    summary = IngestSummary()
    for outcome in [
        Outcome("a", "added", version=1),
        Outcome("b", "added", version=3),
        Outcome("c", "unchanged"),
        Outcome("d", "failed", "broken"),
    ]:
        summary.count(outcome)
    assert (summary.added, summary.new_versions, summary.unchanged, summary.total) == (
        2,
        1,
        1,
        4,
    )
    assert not summary.ok
    assert str(summary.failed[0]) == "d: broken"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_relative_paths_are_stored_absolute(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (_, one), *_ = readouts(1)
    write(tmp_path / "sub" / "r.txt", one)
    monkeypatch.chdir(tmp_path)
    opened = connect(store_url)
    ingest(opened, ["sub/r.txt"])
    assert list_meetings(opened)[0].source == str(tmp_path / "sub" / "r.txt")
    opened.close()


def test_saved_pages_in_a_folder_are_ingested_as_html(store: Store, tmp_path: Path) -> None:
    pages = Path(__file__).resolve().parent / "fixtures" / "html"
    for name in ("mofa_2012_us_phone_sjis.html", "mod_2005_us_defmin_eucjp.html"):
        write(tmp_path / "saved" / name, "")
        (tmp_path / "saved" / name).write_bytes((pages / name).read_bytes())
    assert ingest(store, [tmp_path / "saved"]).added == 2
    with Session(store.engine) as session:
        rows = session.execute(select(m.Document.path, m.Document.format, m.Document.encoding))
        found = {Path(path).name: (fmt, encoding) for path, fmt, encoding in rows}
    assert found == {
        "mofa_2012_us_phone_sjis.html": ("html", "shift_jis"),
        "mod_2005_us_defmin_eucjp.html": ("html", "euc-jp"),
    }
    for row in list_meetings(store):
        assert get_document(store, row.id) == readout.parse_file(row.source)
