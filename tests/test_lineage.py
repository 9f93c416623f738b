"""readout.lineage and ``readout diff`` / ``readout trace`` on the composed series of eight
Japan–US 2+2 meetings (tests/fixtures/series), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from readout.cli import main
from readout.ingest import ingest
from readout.lineage import Change, MeetingDiff, diff_meetings, trace
from readout.store import Store
from readout.store.read import list_meetings
from tests import stores

store = stores.store
store_url = stores.store_url

SERIES = Path(__file__).parent / "fixtures" / "series"


def _load(store: Store) -> dict[str, int]:
    summary = ingest(store, sorted(SERIES.glob("*.txt")))
    assert summary.added == 8 and not summary.failed
    return {row.date or "": row.id for row in list_meetings(store)}


CHANGES: tuple[Change, ...] = ("reaffirmed", "changed", "new", "dropped")


def _texts(diff: MeetingDiff, change: Change) -> list[str]:
    return [st.text for e in diff.of(change) if (st := e.new or e.old) is not None]


def test_diff_between_consecutive_meetings(store: Store) -> None:
    ids = _load(store)
    d = diff_meetings(store, None, ids["2021-03-16"])
    assert d.a is not None and d.a.date == "2019-04-19"  # the previous 2+2 with the US
    counts = {c: len(d.of(c)) for c in CHANGES}
    assert counts == {"reaffirmed": 3, "changed": 2, "new": 3, "dropped": 1}
    changed = {e.new.text: e.wording for e in d.of("changed") if e.new}
    space = "両大臣は、宇宙分野における協力を一層深化させていくことで一致した。"
    assert (
        changed[space] == "両大臣は、宇宙分野における協力を〔+一層〕深化させていくことで一致した。"
    )
    assert any("〔+又は威圧〕" in (w or "") for w in changed.values())
    assert any("台湾海峡" in t for t in _texts(d, "new"))
    assert _texts(d, "dropped") == [
        "両大臣は、2020年までにサイバー分野における協議の枠組みを新設することを決定した。"
    ]


def test_diff_drops_and_explicit_a(store: Store) -> None:
    ids = _load(store)
    d = diff_meetings(store, ids["2023-01-11"], ids["2024-07-28"])
    dropped = _texts(d, "dropped")
    assert any("普天間" in t for t in dropped)  # Futenma leaves the series in 2024
    assert any("台湾海峡" in t for t in dropped)
    assert any("グアム" in t for t in _texts(d, "new"))
    senkaku = [e for e in d.of("changed") if e.new and "尖閣" in e.new.text]
    assert senkaku and "〔−、尖閣諸島が日本の施政の下にあり〕" in (senkaku[0].wording or "")
    first = diff_meetings(store, None, ids["2017-08-17"])
    assert first.a is None and len(first.of("new")) == 7


def test_trace_senkaku_with_gap_and_wording(store: Store) -> None:
    ids = _load(store)
    t = trace(store, "尖閣 適用")
    dates = [a.meeting.date for a in t.appearances]
    assert dates == [
        "2017-08-17", "2019-04-19", "2021-03-16", "2023-01-11",
        "2024-07-28", "2025-09-12", "2026-06-05",
    ]  # fmt: skip
    assert [g.document_id for g in t.gaps] == [ids["2022-01-07"]]
    assert t.appearances[0].wording is None
    assert "〔+、尖閣諸島が日本の施政の下にあり〕" in (t.appearances[3].wording or "")
    assert all(a.statement.speaker == "JOINT" for a in t.appearances)


def test_trace_taiwan_and_north_korea(store: Store) -> None:
    _load(store)
    taiwan = trace(store, "台湾海峡")
    assert [a.meeting.date for a in taiwan.appearances] == [
        "2021-03-16", "2022-01-07", "2023-01-11", "2025-09-12", "2026-06-05",
    ]  # fmt: skip
    assert [g.date for g in taiwan.gaps] == ["2024-07-28"]
    korea = trace(store, "北朝鮮 弾道ミサイル")
    assert korea.appearances[0].meeting.date == "2017-08-17"
    assert "2019-04-19" in [g.date for g in korea.gaps]
    assert any("〔+る度重な〕" in (a.wording or "") for a in korea.appearances)
    by_id = trace(store, korea.origin.id)
    assert [a.statement.id for a in by_id.appearances] == [
        a.statement.id for a in korea.appearances
    ]


def test_cli_diff_and_trace(store_url: str) -> None:
    from readout.store import connect

    s = connect(store_url)
    try:
        ids = _load(s)
    finally:
        s.close()
    runner = CliRunner()
    out = runner.invoke(main, ["diff", str(ids["2021-03-16"]), "--db", store_url])
    assert out.exit_code == 0, out.output
    assert "## changed (2)" in out.output and "〔+一層〕" in out.output
    out = runner.invoke(
        main,
        [
            "diff",
            str(ids["2017-08-17"]),
            str(ids["2019-04-19"]),
            "--format",
            "json",
            "--db",
            store_url,
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["counts"]["dropped"] == 3 and data["a"]["date"] == "2017-08-17"
    out = runner.invoke(main, ["trace", "尖閣 適用", "--db", store_url])
    assert out.exit_code == 0, out.output
    assert "2017-08-17 first appearance" in out.output and "gaps" in out.output
    out = runner.invoke(main, ["trace", "存在しない語句", "--db", store_url])
    assert out.exit_code != 0 and "no statement matches" in out.output


@pytest.mark.parametrize("bad", ["999999"])
def test_cli_diff_unknown_document(store_url: str, bad: str) -> None:
    out = CliRunner().invoke(main, ["diff", bad, "--db", store_url])
    assert out.exit_code != 0 and "no document" in out.output
