"""``csv`` export: UTF-8, a header row, RFC 4180 quoting.

Fields with commas, quotes or line breaks are quoted (a statement's text keeps its line
breaks inside the quotes); lines end with CRLF as RFC 4180 and spreadsheet programs
expect.  Lists are joined with ``|`` (topics ``china|taiwan``); booleans are ``true`` /
``false``; a missing value is an empty field.  ``--bom`` writes a UTF-8 byte order mark
first, which Excel needs to read the Japanese text as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from readout.export import ExportJob, exporter

LIST_SEPARATOR = "|"


def cell(value: Any) -> str:
    """A row's value as the text of its CSV field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


@exporter("csv", help="CSV with a header row (UTF-8; --bom for spreadsheet programs).")
def write_csv(rows: Iterator[dict[str, Any]], out: BinaryIO, job: ExportJob) -> int:
    """CSV with a header row (UTF-8; --bom for spreadsheet programs)."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        if job.bom:
            text.write("\ufeff")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(job.fields)
        count = 0
        for row in rows:
            writer.writerow([cell(row[name]) for name in job.fields])
            count += 1
        text.flush()
    finally:
        text.detach()  # leave ``out`` open for the caller
    return count
