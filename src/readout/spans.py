"""Sets of text spans, and the spans of page furniture a stage should leave alone."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from readout.pipeline import Doc


class SpanSet:
    """Non-overlapping ``[start, end)`` spans, tested by bisection (no per-character array)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans = sorted(spans)
        self._starts = [s for s, _ in self._spans]

    def __bool__(self) -> bool:
        return bool(self._spans)

    def covers(self, pos: int) -> bool:
        """Whether ``pos`` lies inside one of the spans."""
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._spans[i][1]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` shares a character with one of the spans."""
        i = bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._spans[i][1] > start


def furniture(doc: Doc) -> SpanSet:
    """Normalised spans of the lines the furniture stage marked as page furniture."""
    return SpanSet((ln.start, ln.end) for ln in doc.lines if ln.furniture)
