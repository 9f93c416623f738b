"""Stage: meeting (placeholder until written)."""

from __future__ import annotations

from readout.pipeline import Doc, stage


@stage("meeting", fills=())
def run(doc: Doc) -> None:
    """Placeholder."""
