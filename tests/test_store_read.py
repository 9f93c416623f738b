"""readout.store.read: meetings with filters, a document's record, row counts; on SQLite
and PostgreSQL.  What each filter should keep is worked out from the parsed records."""

from __future__ import annotations

from pathlib import Path

import pytest

import readout
from readout.ingest import ingest
from readout.store import Store
from readout.store import models as m
from readout.store.read import (
    DocumentNotFound,
    check_partial_date,
    get_document,
    list_meetings,
    table_counts,
)
from tests import stores
from tests.generate import write_corpus

store = stores.store
store_url = stores.store_url

COUNT = 40


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> tuple[Store, dict[str, readout.Record]]:
    paths = write_corpus(tmp_path / "c", COUNT)
    assert ingest(store, paths).added == COUNT
    return store, {str(p): readout.parse_file(p) for p in paths}


def test_every_meeting_is_listed_by_date(filled: tuple[Store, dict[str, readout.Record]]) -> None:
    store, records = filled
    rows = list_meetings(store)
    assert len(rows) == COUNT
    assert {r.source for r in rows} == set(records)
    dated = [r.date for r in rows if r.date]
    assert dated == sorted(dated)
    for row in rows:
        record = records[row.source]
        assert row.date == record.meeting.date
        assert row.kind == record.meeting.kind
        assert row.sides == ",".join(record.meeting.sides)
        assert row.statements == len(record.statements)
        assert row.commitments == len(record.commitments)
        assert row.title == record.title
        assert (row.version, row.parser_version) == (1, readout.__version__)


def test_filters(filled: tuple[Store, dict[str, readout.Record]]) -> None:
    store, records = filled

    def sources(**filters: str) -> set[str]:
        return {r.source for r in list_meetings(store, **filters)}  # type: ignore[arg-type]

    def expected(keep: object) -> set[str]:
        return {path for path, rec in records.items() if keep(rec.meeting)}  # type: ignore[operator]

    phone = expected(lambda mt: mt.kind == "phone_call")
    assert 0 < len(phone) < COUNT and 0 < len(expected(lambda mt: "AU" in mt.sides)) < COUNT
    assert sources(kind="phone_call") == phone
    assert sources(counterpart="us") == expected(lambda mt: "US" in mt.sides)
    assert sources(counterpart="AU") == expected(lambda mt: "AU" in mt.sides)
    assert sources(since="2020") == expected(lambda mt: mt.date and mt.date >= "2020")
    assert sources(until="2019") == expected(lambda mt: mt.date and mt.date[:4] <= "2019")
    assert sources(since="2019-05", until="2021-06") == expected(
        lambda mt: mt.date and "2019-05" <= mt.date[:7] <= "2021-06"
    )
    assert sources(since="2023-01-01", until="2023-12-31") == expected(
        lambda mt: mt.date and mt.date[:4] == "2023"
    )
    assert sources(counterpart="US", kind="leaders") == expected(
        lambda mt: "US" in mt.sides and mt.kind == "leaders"
    )
    assert len(list_meetings(store, limit=5)) == 5
    assert list_meetings(store, counterpart="ZZ") == []


def test_a_document_and_counts(filled: tuple[Store, dict[str, readout.Record]]) -> None:
    store, records = filled
    row = list_meetings(store)[0]
    assert get_document(store, row.id) == records[row.source]
    with pytest.raises(DocumentNotFound, match="no document with id 999999"):
        get_document(store, 999_999)
    counts = table_counts(store)
    assert counts["documents"] == counts["meetings"] == COUNT
    assert counts["statements"] == sum(len(r.statements) for r in records.values())
    assert counts["commitments"] == sum(len(r.commitments) for r in records.values())
    assert counts["mentions"] == sum(len(e.mentions) for r in records.values() for e in r.entities)


def test_dates_are_checked() -> None:
    assert check_partial_date("2024") == "2024"
    assert check_partial_date("2024-01-05") == "2024-01-05"
    for bad in ("24", "2024-1", "2024/01/05", "令和6年"):
        with pytest.raises(ValueError, match="is not a date"):
            check_partial_date(bad)


def test_fingerprint_changes_with_every_kind_of_write(store: Store) -> None:
    from readout.corrections import clear_correction, correct_statement
    from readout.ingest import ingest, reparse
    from readout.store.read import fingerprint
    from readout.tracker import clear_status, commitments, set_status

    seen = [fingerprint(store)]

    def changed() -> None:
        now = fingerprint(store)
        assert now != seen[-1]
        seen.append(now)

    sample = Path(readout.__file__).parent / "samples" / "jp-us-2plus2.txt"
    assert ingest(store, [sample]).ok
    changed()
    assert fingerprint(store) == seen[-1]  # reading changes nothing
    correct_statement(store, 1, "st8", act="AGREE")
    changed()
    correct_statement(store, 1, "st8", act="CONDEMN")
    changed()
    clear_correction(store, 1, "st8")
    changed()
    first = commitments(store)[0].id
    set_status(store, first, "met", None)
    changed()
    clear_status(store, first)
    changed()
    with store.engine.begin() as conn:  # as if the documents came from an older parser
        conn.execute(m.Document.__table__.update().values(parser_version="0.0.1"))
    changed()
    reparse(store)
    changed()
