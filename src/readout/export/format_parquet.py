"""``parquet`` export (pyarrow, the ``export`` extra): typed columns, lists as lists.

Columns are typed from :mod:`readout.export.rows`: ids, offsets and counts ``int64``,
flags ``bool``, sides/topics/issuers/participants ``list<string>``, the rest ``string``;
every column is nullable.  Rows are written in row groups of 10,000.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from readout.export import ExportError, ExportJob, exporter
from readout.export.rows import BOOL_FIELDS, INT_FIELDS, LIST_FIELDS

ROW_GROUP = 10_000


def _arrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("parquet needs pyarrow: pip install 'readout[export]'") from None
    return pa, pq


def schema(what: str, fields: tuple[str, ...]) -> Any:
    """The Arrow schema of rows of ``what`` with ``fields``."""
    pa, _ = _arrow()

    def kind(name: str) -> Any:
        if name in LIST_FIELDS:
            return pa.list_(pa.string())
        if name in INT_FIELDS.get(what, ()):
            return pa.int64()
        if name in BOOL_FIELDS:
            return pa.bool_()
        return pa.string()

    return pa.schema([pa.field(name, kind(name)) for name in fields])


@exporter("parquet", binary=True, help="Apache Parquet with typed columns (needs pyarrow).")
def write_parquet(rows: Iterator[dict[str, Any]], out: BinaryIO, job: ExportJob) -> int:
    """Apache Parquet with typed columns (needs pyarrow)."""
    pa, pq = _arrow()
    arrow_schema = schema(job.what, job.fields)
    count = 0
    with pq.ParquetWriter(out, arrow_schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=arrow_schema))
                count += len(batch)
                batch = []
        # An empty export is still a file with the columns.
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=arrow_schema))
            count += len(batch)
    return count
