"""readout.tracker and ``readout commitments`` / ``readout commitments-set`` on the composed
series of eight Japan–US 2+2 meetings (tests/fixtures/series), on SQLite and PostgreSQL.

The expectations come from the texts: the 2017 meeting decides to start moving Marines
from Okinawa to Guam in 2024 and the 2024 meeting confirms it started in December 2024;
the 2019 meeting decides a cyber consultation framework by 2020, never mentioned again;
the 2023 meeting decides to reorganise the 12th Marine Regiment by 2025 and the 2025
meeting confirms it was done; the 2024 meeting agrees to improve command and control by
2027 and the 2026 meeting agrees to speed that work up; the US commitment to Japan's
defence is restated at every meeting; space cooperation is agreed in 2019, 2021 and 2022.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from readout.cli import main
from readout.ingest import ingest, reparse
from readout.store import Store, connect
from readout.store.read import list_meetings
from readout.tracker import (
    CommitmentNotFound,
    TrackedCommitment,
    calendar,
    clear_status,
    commitments,
    period_end,
    set_status,
)
from tests import stores

store = stores.store
store_url = stores.store_url

SERIES = Path(__file__).parent / "fixtures" / "series"
AS_OF = date(2026, 11, 26)

GUAM = "在沖縄海兵隊のグアムへの移転を2024年に開始する"
CYBER = "2020年までにサイバー分野における協議の枠組みを新設する"
MLR = "第12海兵連隊を2025年までに第12海兵沿岸連隊に改編する"
C2 = "2027年までに双方の指揮・統制の枠組みを向上させる"
C2_SPEED = "双方の指揮・統制の枠組みを向上させるための作業を加速する"
DEFENCE = "核を含むあらゆる種類の能力を用いた日本の防衛"
SPACE = "宇宙分野における協力を深化させていく"
SPACE_MORE = "宇宙分野における協力を一層深化させていく"


def _load(store: Store) -> dict[str, int]:
    summary = ingest(store, sorted(SERIES.glob("*.txt")))
    assert summary.added == 8 and not summary.failed
    return {row.date or "": row.id for row in list_meetings(store)}


def _by(rows: list[TrackedCommitment], action: str, date_: str | None = None) -> TrackedCommitment:
    found = [c for c in rows if c.action == action and (date_ is None or c.date == date_)]
    assert len(found) == 1, (action, date_, [c.action for c in rows])
    return found[0]


def test_period_end() -> None:
    assert period_end("2024") == date(2024, 12, 31)
    assert period_end("2024-02") == date(2024, 2, 29)
    assert period_end("2025-06-15") == date(2025, 6, 15)
    with pytest.raises(ValueError):
        period_end("2024/06")


def test_statuses_from_the_texts(store: Store) -> None:
    ids = _load(store)
    rows = commitments(store, as_of=AS_OF)
    assert len(rows) == 16  # 8 × the US defence commitment, 3 × space, 5 with a deadline
    guam = _by(rows, GUAM)
    assert (guam.status, guam.deadline, guam.deadline_kind) == ("evidence", "2024", "start")
    assert [(e.document_id, e.date) for e in guam.evidence] == [(ids["2024-07-28"], "2024-07-28")]
    assert guam.evidence[0].text == (
        "両大臣は、在沖縄海兵隊のグアムへの移転が2024年12月に開始されたことを確認した。"
    )
    assert guam.evidence[0].act != "DECIDE"  # a progress report, not the same act
    cyber = _by(rows, CYBER)
    assert (cyber.status, cyber.due_date, cyber.evidence) == ("due", date(2020, 12, 31), ())
    mlr = _by(rows, MLR)
    assert mlr.status == "evidence"
    assert [e.date for e in mlr.evidence] == ["2025-09-12"]
    assert "改編が2025年に完了した" in mlr.evidence[0].text
    c2 = _by(rows, C2)
    assert c2.status == "evidence" and [e.date for e in c2.evidence] == ["2026-06-05"]
    assert "作業を加速する" in c2.evidence[0].text
    assert _by(rows, C2_SPEED).status == "open"  # the last meeting: nothing later
    space = _by(rows, SPACE)
    assert space.status == "evidence"
    assert [e.date for e in space.evidence] == ["2021-03-16", "2022-01-07"]
    assert _by(rows, SPACE_MORE, "2022-01-07").status == "open"  # not mentioned after 2022
    defence = [c for c in rows if c.action == DEFENCE]
    assert len(defence) == 8
    assert [c.status for c in defence] == ["evidence"] * 7 + ["open"]
    assert len(defence[0].evidence) == 7
    # The evidence link is the statement as stored: id, document and text agree.
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from readout.store import models as m

    with Session(store.engine) as session:
        st = session.get(m.Statement, guam.evidence[0].statement_id)
        assert st is not None and st.document_id == ids["2024-07-28"]
        assert st.text == guam.evidence[0].text
        assert session.scalar(select(m.Meeting.date).where(m.Meeting.document_id == st.document_id))


def test_as_of_and_filters(store: Store) -> None:
    _load(store)
    early = commitments(store, as_of=date(2020, 12, 31))
    assert _by(early, CYBER).status == "open"  # the deadline passes at the end of 2020
    assert _by(commitments(store, as_of=date(2021, 1, 1)), CYBER).status == "due"
    assert [c.action for c in commitments(store, as_of=AS_OF, status="due")] == [CYBER]
    assert {c.actor for c in commitments(store, as_of=AS_OF, actor="us")} == {"US"}
    before = commitments(store, as_of=AS_OF, due_before="2026")
    assert [c.action for c in before] == [GUAM, CYBER, MLR]
    assert [c.action for c in commitments(store, as_of=AS_OF, due_before="2024-12-31")] == [CYBER]
    with pytest.raises(ValueError):
        commitments(store, status="late")


def test_calendar_by_year(store: Store) -> None:
    _load(store)
    years = calendar(store, as_of=AS_OF)
    assert [(y, [c.action for c in cs]) for y, cs in years] == [
        (2020, [CYBER]),
        (2024, [GUAM]),
        (2025, [MLR]),
        (2027, [C2]),
    ]
    assert [y for y, _ in calendar(store, as_of=AS_OF, status="evidence")] == [2024, 2025, 2027]


def test_met_and_dropped_survive_reparse(store: Store) -> None:
    _load(store)
    rows = commitments(store, as_of=AS_OF)
    cyber, guam = _by(rows, CYBER), _by(rows, GUAM)
    set_status(store, cyber.id, "dropped", "never set up; not mentioned after 2019")
    set_status(store, guam.id, "met", "first")
    set_status(store, guam.id, "met", "relocation began December 2024")  # replaces
    rows = commitments(store, as_of=AS_OF)
    assert (_by(rows, CYBER).status, _by(rows, CYBER).note) == (
        "dropped",
        "never set up; not mentioned after 2019",
    )
    assert (_by(rows, GUAM).status, _by(rows, GUAM).note) == (
        "met",
        "relocation began December 2024",
    )
    assert _by(rows, GUAM).evidence  # the link is still there to read
    summary = reparse(store, all=True)
    assert summary.reparsed == 8 and not summary.failed
    after = commitments(store, as_of=AS_OF)
    assert _by(after, CYBER).id != cyber.id  # the rows were rewritten …
    assert _by(after, CYBER).status == "dropped"  # … and the verdicts kept
    assert (_by(after, GUAM).status, _by(after, GUAM).note) == (
        "met",
        "relocation began December 2024",
    )
    assert _by(after, MLR).status == "evidence"
    assert [c.action for c in commitments(store, as_of=AS_OF, status="met")] == [GUAM]


def test_clear_status_takes_the_verdict_back(store: Store) -> None:
    _load(store)
    cyber = _by(commitments(store, as_of=AS_OF), CYBER)
    set_status(store, cyber.id, "met", "wrong call")
    assert _by(commitments(store, as_of=AS_OF), CYBER).status == "met"
    assert clear_status(store, cyber.id) is True
    after = _by(commitments(store, as_of=AS_OF), CYBER)
    assert (after.status, after.note) == ("due", None)  # worked out again from the texts
    assert clear_status(store, cyber.id) is False  # nothing left to clear
    with pytest.raises(CommitmentNotFound):
        clear_status(store, 999999)


def test_commitments_of_one_document(store: Store) -> None:
    ids = _load(store)
    rows = commitments(store, as_of=AS_OF, document_id=ids["2019-04-19"])
    assert rows and {c.document_id for c in rows} == {ids["2019-04-19"]}
    assert CYBER in [c.action for c in rows]


def test_set_status_errors(store: Store) -> None:
    _load(store)
    with pytest.raises(CommitmentNotFound, match="no commitment with id 999999"):
        set_status(store, 999999, "met", None)
    with pytest.raises(ValueError):
        set_status(store, commitments(store)[0].id, "open", None)


def _cli(*args: str) -> tuple[int, str]:
    out = CliRunner().invoke(main, list(args))
    return out.exit_code, out.output


def test_cli_formats_set_and_reparse(store_url: str) -> None:
    s = connect(store_url)
    try:
        _load(s)
    finally:
        s.close()
    db = ("--db", store_url)
    code, out = _cli("commitments", "--as-of", "2026-11-26", *db)
    assert code == 0, out
    assert "by 2020     due" in out and "statement" in out and "グアムへの移転が2024年12月" in out
    code, out = _cli("commitments", "--as-of", "2026-11-26", "--format", "json", *db)
    assert code == 0, out
    data = json.loads(out)
    guam = next(c for c in data if c["action"] == GUAM)
    assert guam["status"] == "evidence" and guam["evidence"][0]["date"] == "2024-07-28"
    code, out = _cli(
        "commitments", "--as-of", "2026-11-26", "--status", "due", "--format", "csv", *db
    )
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["action"], r["due_date"], r["status"]) for r in rows] == [
        (CYBER, "2020-12-31", "due")
    ]
    code, out = _cli("commitments", "--calendar", "--as-of", "2026-11-26", *db)
    assert code == 0, out
    assert [line.split()[0] for line in out.splitlines() if not line.startswith(" ")] == [
        "2020",
        "2024",
        "2025",
        "2027",
    ]
    code, out = _cli("commitments", "--calendar", "--format", "json", "--due-before", "2025", *db)
    assert code == 0 and [y["year"] for y in json.loads(out)] == [2020, 2024]
    code, out = _cli("commitments", "--calendar", "--format", "csv", "--actor", "US", *db)
    assert code == 0 and len(out.splitlines()) == 1  # no US commitment has a deadline
    assert out.startswith("year,id,date,actor,action,deadline,")
    cyber = next(c for c in data if c["action"] == CYBER)
    code, out = _cli(
        "commitments-set", str(cyber["id"]), "--status", "dropped", "--note", "lapsed", *db
    )
    assert code == 0 and "dropped" in out
    code, out = _cli("reparse", "--all", *db)
    assert code == 0, out
    code, out = _cli("commitments", "--status", "dropped", "--format", "json", *db)
    assert code == 0
    assert [(c["action"], c["note"]) for c in json.loads(out)] == [(CYBER, "lapsed")]


def test_cli_errors(store_url: str) -> None:
    s = connect(store_url)
    try:
        _load(s)
    finally:
        s.close()
    db = ("--db", store_url)
    code, out = _cli("commitments-set", "999999", "--status", "met", *db)
    assert code == 1 and out.strip() == "Error: no commitment with id 999999"
    code, out = _cli("commitments-set", "1", "--status", "open", *db)
    assert code == 2 and "'open' is not one of" in out
    code, out = _cli("commitments-set", "x", "--status", "met", *db)
    assert code == 2 and "'x' is not a valid integer" in out
    code, out = _cli("commitments", "--status", "late", *db)
    assert code == 2 and "'late' is not one of" in out
    code, out = _cli("commitments", "--due-before", "2024/01", *db)
    assert code == 2 and "is not a date" in out
    code, out = _cli("commitments", "--as-of", "2024", *db)
    assert code == 2
    code, out = _cli("commitments-set", "1", *db)
    assert code == 2 and "give --status met|dropped, or --clear" in out
    code, out = _cli("commitments-set", "1", "--clear", "--status", "met", *db)
    assert code == 2 and "--clear goes without --status" in out
    code, out = _cli("commitments-set", "999999", "--clear", *db)
    assert code == 1 and out.strip() == "Error: no commitment with id 999999"


def test_cli_clear(store_url: str) -> None:
    s = connect(store_url)
    try:
        _load(s)
        cyber = _by(commitments(s, as_of=AS_OF), CYBER)
    finally:
        s.close()
    db = ("--db", store_url)
    code, out = _cli("commitments-set", str(cyber.id), "--status", "dropped", *db)
    assert code == 0, out
    code, out = _cli("commitments-set", str(cyber.id), "--clear", *db)
    assert (code, out.strip()) == (0, f"commitment {cyber.id}: verdict cleared")
    code, out = _cli("commitments-set", str(cyber.id), "--clear", *db)
    assert (code, out.strip()) == (0, f"commitment {cyber.id}: no verdict")
    code, out = _cli("commitments", "--status", "dropped", "--format", "json", *db)
    assert code == 0 and json.loads(out) == []
