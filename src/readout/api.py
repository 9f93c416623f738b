"""The library's entry points: ``parse`` and ``parse_file``."""

from __future__ import annotations

from pathlib import Path

from readout import __version__
from readout.model import Record, Source
from readout.pipeline import Doc, pipeline
from readout.textnorm import normalize


def parse(text: str, source: Source | dict[str, object] | None = None) -> Record:
    """Parse one readout's text into a :class:`Record`.

    ``text`` is kept unchanged as ``record.text``; every offset in the record indexes it.
    """
    if isinstance(source, dict):
        source = Source.model_validate(source)
    record = Record(parser_version=__version__, text=text, source=source or Source())
    doc = Doc(record=record, norm=normalize(text))
    for st in pipeline():
        st.func(doc)
    return record


def parse_file(path: str | Path, *, max_bytes: int | None = None) -> Record:
    """Read, decode and parse one file — text, HTML or PDF — or an http(s) URL given as a
    string (see :mod:`readout.io` for what is accepted)."""
    from readout.io import load_source

    loaded = load_source(path, max_bytes=max_bytes)
    record = parse(loaded.text, loaded.source)
    for w in loaded.warnings:
        record.warnings.insert(0, w)
    return record
