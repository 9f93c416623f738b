"""readout: structured, source-linked records from diplomatic meeting readouts (概要)."""

__version__ = "0.1.0"

from readout.api import parse, parse_file
from readout.model import Record

__all__ = ["Record", "__version__", "parse", "parse_file"]
