"""SpanSet and the furniture spans stages skip."""

from __future__ import annotations

from readout.model import Record
from readout.pipeline import Doc, Line
from readout.spans import SpanSet, furniture
from readout.textnorm import normalize


def test_covers_and_overlaps() -> None:
    spans = SpanSet([(10, 20), (0, 5)])
    assert [p for p in range(25) if spans.covers(p)] == [*range(5), *range(10, 20)]
    assert spans.overlaps(4, 6) and spans.overlaps(19, 30) and spans.overlaps(12, 13)
    assert not spans.overlaps(5, 10) and not spans.overlaps(20, 25)
    assert not SpanSet() and not SpanSet().covers(0) and not SpanSet().overlaps(0, 9)


def test_furniture_lines() -> None:
    text = "日米首脳会談\nアメリカ合衆国へ戻る\n"
    doc = Doc(record=Record(parser_version="t", text=text), norm=normalize(text))
    doc.lines = [Line(0, 6, "日米首脳会談"), Line(7, 17, "アメリカ合衆国へ戻る", furniture=True)]
    skip = furniture(doc)
    assert not skip.covers(3) and skip.covers(7) and skip.covers(16) and not skip.covers(17)
