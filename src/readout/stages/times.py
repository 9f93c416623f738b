"""Stage: times — every date, clock time and deadline in the text, resolved to ISO values.

The work is in :func:`readout.timex.find_times`; this stage maps its normalised spans to
the original text and leaves page furniture (navigation, captions) out.
"""

from __future__ import annotations

from readout.model import TimeExpression
from readout.pipeline import Doc, stage
from readout.timex import find_times


def furniture_spans(doc: Doc) -> list[tuple[int, int]]:
    """Normalised spans of the lines the furniture stage marked as page furniture."""
    return [(ln.start, ln.end) for ln in doc.lines if ln.furniture]


def in_spans(spans: list[tuple[int, int]], start: int) -> bool:
    """Whether ``start`` falls inside one of ``spans`` (sorted, non-overlapping)."""
    lo, hi = 0, len(spans)
    while lo < hi:  # bisect on starts without building a separate key list
        mid = (lo + hi) // 2
        if spans[mid][0] <= start:
            lo = mid + 1
        else:
            hi = mid
    return lo > 0 and start < spans[lo - 1][1]


@stage("times", fills=("times",))
def run(doc: Doc) -> None:
    """Find dates, times and deadlines; resolve them against the page date."""
    skip = furniture_spans(doc)
    original = doc.record.text
    out: list[TimeExpression] = []
    for t in find_times(doc.text, doc.published):
        if in_spans(skip, t.start):
            continue
        s, e = doc.span(t.start, t.end)
        out.append(TimeExpression(text=original[s:e], start=s, end=e, value=t.value, kind=t.kind))
    doc.record.times = out
