"""Stage: times — every date, clock time and deadline in the text, resolved to ISO values.

The work is in :func:`readout.timex.find_times`; this stage maps its normalised spans to
the original text and leaves page furniture (navigation, captions) out.
"""

from __future__ import annotations

from readout.model import TimeExpression
from readout.pipeline import Doc, stage
from readout.spans import furniture
from readout.timex import find_times


@stage("times", fills=("times",))
def run(doc: Doc) -> None:
    """Find dates, times and deadlines; resolve them against the page date."""
    skip = furniture(doc)
    original = doc.record.text
    out: list[TimeExpression] = []
    for t in find_times(doc.text, doc.published):
        if skip.covers(t.start):
            continue
        s, e = doc.span(t.start, t.end)
        out.append(TimeExpression(text=original[s:e], start=s, end=e, value=t.value, kind=t.kind))
    doc.record.times = out
