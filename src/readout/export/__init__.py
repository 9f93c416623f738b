"""Exports of the store: statements, meetings, commitments or records in other formats.

An exporter is a function registered by name with :func:`exporter`; every module of
this package whose name starts with ``format_`` is imported when the registry is first
read, so adding a format is adding one module::

    @exporter("tsv", whats=("statements",), suffix=".tsv")
    def write_tsv(rows: Iterator[dict[str, Any]], out: BinaryIO, job: ExportJob) -> int:
        ...  # write the rows, return how many

The exporter gets the rows :mod:`readout.export.rows` selects, a binary stream and the
job (what is exported, its columns, the options), and returns the number of rows written.
:func:`export` runs one from the store.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, BinaryIO

from readout.export.rows import FIELDS, WHATS, Filters, rows
from readout.store import Store

__all__ = [
    "ExportError",
    "ExportJob",
    "Exporter",
    "Filters",
    "export",
    "exporter",
    "exporters",
]

Write = Callable[[Iterator[dict[str, Any]], BinaryIO, "ExportJob"], int]


class ExportError(ValueError):
    """An export that cannot be made as asked (unknown format, --what it does not write)."""


@dataclass(frozen=True)
class ExportJob:
    """What an exporter is asked to write."""

    what: str
    #: The row's keys, in order (empty for whole records).
    fields: tuple[str, ...]
    filters: Filters = field(default_factory=Filters)
    #: Write a UTF-8 byte order mark first (CSV, for spreadsheet programs).
    bom: bool = False
    #: PLOVER: write statements whose act has no PLOVER event too (event_type null).
    all_acts: bool = False


@dataclass(frozen=True)
class Exporter:
    """A registered format."""

    name: str
    write: Write
    whats: tuple[str, ...]
    suffix: str
    binary: bool
    help: str


_REGISTRY: dict[str, Exporter] = {}


def exporter(
    name: str,
    *,
    whats: tuple[str, ...] = ("statements", "meetings", "commitments"),
    suffix: str = "",
    binary: bool = False,
    help: str = "",
) -> Callable[[Write], Write]:
    """Register the decorated function as the exporter of format ``name``.

    ``whats`` are the kinds of rows it writes, ``suffix`` the usual file name ending,
    ``binary`` whether its output is not text (never written to a terminal).
    """

    def register(write: Write) -> Write:
        if name in _REGISTRY and _REGISTRY[name].write is not write:
            raise ValueError(f"exporter {name!r} is registered twice")
        doc = help or (write.__doc__ or "").strip().splitlines()[0]
        _REGISTRY[name] = Exporter(name, write, whats, suffix or f".{name}", binary, doc)
        return write

    return register


@cache
def _load_formats() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("format_"):
            importlib.import_module(f"{__name__}.{info.name}")


def exporters() -> dict[str, Exporter]:
    """Every registered format by name, in name order."""
    _load_formats()
    return dict(sorted(_REGISTRY.items()))


def get_exporter(name: str) -> Exporter:
    found = exporters().get(name)
    if found is None:
        raise ExportError(f"unknown format {name!r} (one of: {', '.join(exporters())})")
    return found


def export(
    store: Store,
    format: str,
    out: BinaryIO,
    *,
    what: str = "statements",
    filters: Filters | None = None,
    bom: bool = False,
    all_acts: bool = False,
) -> int:
    """Write what ``filters`` select from ``store`` to ``out`` as ``format``; rows written."""
    found = get_exporter(format)
    if what not in WHATS:
        raise ExportError(f"unknown --what {what!r} (one of: {', '.join(WHATS)})")
    if what not in found.whats:
        raise ExportError(f"format {format} writes {', '.join(found.whats)}, not {what}")
    filters = filters or Filters()
    job = ExportJob(what, FIELDS.get(what, ()), filters, bom=bom, all_acts=all_acts)
    return found.write(rows(store, what, filters), out, job)
