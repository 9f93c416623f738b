"""readout: structured, source-linked records from diplomatic meeting readouts (概要)."""

__version__ = "0.1.0"

from readout.api import parse, parse_file  # noqa: E402
from readout.model import Record  # noqa: E402

__all__ = ["Record", "__version__", "parse", "parse_file"]
