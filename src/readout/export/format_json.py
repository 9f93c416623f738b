"""``json`` (one array) and ``jsonl`` (one object per line) exports.

Rows are written as they are: lists stay lists, missing values are ``null``.  With
``--what records`` each object is a whole parsed record (``Record.to_dict()``), so a
line of the JSONL re-read with ``Record.model_validate_json`` is the stored record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from readout.export import ExportJob, exporter

_ALL = ("statements", "meetings", "commitments", "records")


def _dumps(row: dict[str, Any], indent: int | None = None) -> str:
    return json.dumps(row, ensure_ascii=False, indent=indent)


@exporter("json", whats=_ALL, help="One JSON array of objects.")
def write_json(rows: Iterator[dict[str, Any]], out: BinaryIO, job: ExportJob) -> int:
    """One JSON array of objects."""
    count = 0
    out.write(b"[")
    for row in rows:
        out.write(b",\n" if count else b"\n")
        out.write(_dumps(row).encode("utf-8"))
        count += 1
    out.write(b"\n]\n" if count else b"]\n")
    return count


@exporter("jsonl", whats=_ALL, help="One JSON object per line (JSON Lines).")
def write_jsonl(rows: Iterator[dict[str, Any]], out: BinaryIO, job: ExportJob) -> int:
    """One JSON object per line (JSON Lines)."""
    count = 0
    for row in rows:
        out.write(_dumps(row).encode("utf-8") + b"\n")
        count += 1
    return count
