"""readout.timeline and ``readout timeline`` on SQLite and on the real PostgreSQL server:
counts equal an independent count from the parsed records; the chart is a real PNG/SVG."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from readout.cli import main
from readout.export.rows import meeting_rows
from readout.model import Record
from readout.store import Store
from readout.timeline import MAX_MEETING_BARS, plot, timeline
from tests import test_export

corpus = test_export.corpus
latest = test_export.latest
store = test_export.store

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def expected_counts(records: list[Record], keep: object, by: str) -> dict[str, Counter[str]]:
    """sha256 → Counter of acts/speakers of the statements ``keep`` accepts."""
    out: dict[str, Counter[str]] = {}
    for r in records:
        for s in r.statements:
            if keep(r, s):  # type: ignore[operator]
                out.setdefault(r.source.sha256 or "", Counter())[getattr(s, by)] += 1
    return out


def shas(store: Store) -> dict[int, str]:
    """Document id → sha256 of the stored meetings (from the export's meeting rows)."""
    return {row["document_id"]: row["sha256"] for row in meeting_rows(store)}


@pytest.mark.parametrize("by", ["act", "speaker"])
def test_topic_id_counts(store: Store, latest: list[Record], by: str) -> None:
    tl = timeline(store, "senkaku", by=by)
    expected = expected_counts(latest, lambda r, s: "senkaku" in s.topics, by)
    assert tl.topic_is_id and tl.label == "Senkaku Islands"
    sha = shas(store)
    assert {sha[m.document_id]: Counter(m.counts) for m in tl.meetings} == expected
    assert tl.total == sum(sum(c.values()) for c in expected.values())
    dates = [m.date for m in tl.meetings if m.date]
    assert dates == sorted(dates)
    assert set(tl.keys) == {k for c in expected.values() for k in c}


def test_free_text_counts(store: Store, latest: list[Record]) -> None:
    tl = timeline(store, "北朝鮮", kind="2+2")

    def keep(r: Record, s: Any) -> bool:
        return r.meeting.kind == "2+2" and "北朝鮮" in unicodedata.normalize("NFKC", s.text)

    expected = expected_counts(latest, keep, "act")
    assert not tl.topic_is_id
    assert len(tl.meetings) == len(expected)
    assert tl.totals() == dict(sum(expected.values(), Counter()))
    assert tl.filters["kind"] == ["2+2"]


def test_years_and_rows(store: Store) -> None:
    tl = timeline(store, "china", by="speaker", since="2015", until="2023")
    assert all("2015" <= (m.date or "") <= "2023-12-31" for m in tl.meetings)
    years = tl.by_year()
    assert sum(sum(c.values()) for _, c in years) == tl.total
    assert [y for y, _ in years] == sorted({(m.date or "")[:4] for m in tl.meetings})
    rows = tl.rows()
    assert [r["total"] for r in rows] == [m.total for m in tl.meetings]
    assert all(sum(r[k] for k in tl.keys) == r["total"] for r in rows)


def test_errors(store: Store) -> None:
    with pytest.raises(ValueError, match="no topic"):
        timeline(store, "  ")
    with pytest.raises(ValueError, match="by must be"):
        timeline(store, "china", by="person")


@pytest.mark.parametrize("per", ["meeting", "year"])
def test_png(store: Store, tmp_path: Path, per: str) -> None:
    tl = timeline(store, "north_korea")
    out = plot(tl, tmp_path / "nk.png", per=per)
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert width > 800 and height > 500


def test_svg(store: Store, tmp_path: Path) -> None:
    tl = timeline(store, "senkaku", by="speaker")
    out = plot(tl, tmp_path / "senkaku.svg")
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = out.read_text(encoding="utf-8")
    assert "Senkaku Islands" in text and "JOINT" in text


def test_many_meetings_are_drawn_per_year(store: Store, tmp_path: Path) -> None:
    tl = timeline(store, "日")  # a word in nearly every statement
    assert len(tl.meetings) > MAX_MEETING_BARS
    out = plot(tl, tmp_path / "all.svg")
    assert "per year" in out.read_text(encoding="utf-8")


def test_empty_timeline_still_plots(store: Store, tmp_path: Path) -> None:
    tl = timeline(store, "存在しない語句ですよ")
    assert tl.meetings == [] and tl.total == 0
    assert plot(tl, tmp_path / "empty.png").read_bytes().startswith(PNG_MAGIC)


def test_bad_plot_suffix(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        plot(timeline(store, "china"), tmp_path / "x.jpg")


# ---------------------------------------------------------------- the CLI


def test_cli_table_and_plot(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    result = CliRunner().invoke(
        main, ["timeline", "senkaku", "--by", "speaker", "--plot", str(out), "--db", store.url]
    )
    assert result.exit_code == 0, result.output
    assert "Senkaku Islands" in result.stdout and "total" in result.stdout
    assert out.read_bytes().startswith(PNG_MAGIC)


def test_cli_json_and_csv(store: Store) -> None:
    tl = timeline(store, "taiwan", counterpart="US")
    result = CliRunner().invoke(
        main, ["timeline", "taiwan", "--counterpart", "US", "--format", "json", "--db", store.url]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == tl.total and len(data["meetings"]) == len(tl.meetings)
    result = CliRunner().invoke(
        main, ["timeline", "taiwan", "--counterpart", "US", "--format", "csv", "--db", store.url]
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sum(int(r["total"]) for r in rows) == tl.total


def test_cli_errors(store: Store, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["timeline", "china", "--plot", str(tmp_path / "x.pdf"), "--db", store.url]
    )
    assert result.exit_code == 2 and ".png or .svg" in result.output
    result = CliRunner().invoke(main, ["timeline", " ", "--db", store.url])
    assert result.exit_code == 1 and "no topic" in result.output
