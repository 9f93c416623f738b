"""The parser's stages; importing this package registers them (see readout.pipeline)."""

from readout.stages import (  # noqa: F401
    commitments,
    entities,
    furniture,
    meeting,
    statements,
    structure,
    times,
)
