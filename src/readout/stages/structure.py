"""Stage: structure (placeholder until written)."""

from __future__ import annotations

from readout.pipeline import Doc, stage


@stage("structure", fills=())
def run(doc: Doc) -> None:
    """Placeholder."""
