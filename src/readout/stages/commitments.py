"""Stage: commitments (placeholder until written)."""

from __future__ import annotations

from readout.pipeline import Doc, stage


@stage("commitments", fills=())
def run(doc: Doc) -> None:
    """Placeholder."""
