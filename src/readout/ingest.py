"""Ingest readouts into the store: files, folders and URL lists, one transaction each.

:func:`ingest` takes sources as the ``readout ingest`` command does:

* a file (``a.txt``), or a folder, searched recursively for the suffixes ``readout parse``
  reads;
* a URL (``https://…``);
* a list of sources, one a line (URLs or paths; blank lines and ``#`` comments skipped):
  ``@FILE`` for any file, or a file ending in ``.urls``.  Relative paths in a list are
  relative to the list's folder.

Each source is read (URLs fetched politely, one after another, by one
:class:`~readout.sources.fetch.Fetcher`) and decoded here, in this process, and its
sha256 looked up: bytes already stored are *unchanged* and not parsed again.  New bytes
are parsed — here, on a local pool of processes (``workers``) or on a Dask cluster
(``dask_address``) — and come back as the values of their rows, which this process
writes, each document in a transaction of its own (the document row and every row made
from its record, or nothing).  A source whose bytes are
new but whose path or URL is already stored becomes that source's next version; the old
versions stay.  A source that cannot be read, decoded, parsed or stored is a *failure*
with a one-line reason, and the run goes on.  A database that cannot be written at all
(locked, full, gone) stops the run with :class:`~readout.store.StoreError`; the documents
committed before it are whole, and running the same ingest again completes it.

At most a few documents per worker are in flight at any time, and nothing is kept per
document once it is written, so memory does not grow with the number of sources.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast, get_args

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from readout import __version__
from readout.api import parse
from readout.errors import ReadoutInputError
from readout.io import (
    FOLDER_SUFFIXES,
    Loaded,
    decode_document,
    find_documents,
    is_url,
    load_source,
)
from readout.model import Record, Source, SourceFormat
from readout.store import models as m
from readout.store.db import Store
from readout.store.write import RecordRows, add_rows, record_rows, rewrite_rows

if TYPE_CHECKING:
    from readout.sources.fetch import Fetcher

#: A file with this suffix, given as a source, is a list of sources.
LIST_SUFFIXES: tuple[str, ...] = (".urls",)
# Parse jobs waiting or running per worker: enough to keep every worker busy while the
# parent writes, few enough that memory stays flat.
_IN_FLIGHT_PER_WORKER = 4

Status = Literal["added", "unchanged", "reparsed", "failed"]


class IngestError(Exception):
    """A run that cannot go on (a Dask scheduler out of reach, a worker process lost)."""


@dataclass(frozen=True)
class Failure:
    """A source that was not stored, and why (one line)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class Outcome:
    """What happened to one source: added (as ``version`` of its source), unchanged,
    reparsed, or failed with ``reason``."""

    source: str
    status: Status
    reason: str | None = None
    document_id: int | None = None
    version: int | None = None


class Progress(Protocol):
    """Told the number of sources once, then every source's outcome as it is known."""

    def started(self, total: int) -> None: ...

    def advanced(self, outcome: Outcome) -> None: ...


@dataclass
class IngestSummary:
    """Counts of a run; ``new_versions`` are the added documents that replaced an older
    version of the same source."""

    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    reparsed: int = 0
    failed: list[Failure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.unchanged + self.reparsed + len(self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed

    def count(self, outcome: Outcome) -> None:
        if outcome.status == "added":
            self.added += 1
            if (outcome.version or 1) > 1:
                self.new_versions += 1
        elif outcome.status == "unchanged":
            self.unchanged += 1
        elif outcome.status == "reparsed":
            self.reparsed += 1
        else:
            self.failed.append(Failure(outcome.source, outcome.reason or "failed"))


# ---------------------------------------------------------------------------------------
# Sources


def expand_sources(sources: Iterable[str | Path]) -> tuple[list[str], list[Failure]]:
    """The documents ``sources`` name (paths made absolute, URLs as given), each once,
    in order; and the sources that name nothing (an empty folder, a missing list)."""
    specs: list[str] = []
    seen: set[str] = set()
    failures: list[Failure] = []
    lists_read: set[Path] = set()

    def add(spec: str) -> None:
        if spec not in seen:
            seen.add(spec)
            specs.append(spec)

    def read_list(path: Path) -> None:
        key = path.resolve()
        if key in lists_read:
            return
        lists_read.add(key)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeError) as err:
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            failures.append(Failure(str(path), f"cannot read the list of sources: {reason}"))
            return
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                visit(line, path.parent)

    def visit(item: str | Path, base: Path | None) -> None:
        text = str(item).strip()
        if is_url(text):
            add(text)
            return
        if text.startswith("@"):
            read_list(_under(base, text[1:]))
            return
        path = _under(base, text)
        if path.is_dir():
            found = find_documents(path)
            if not found:
                kinds = ", ".join(f"*{s}" for s in FOLDER_SUFFIXES)
                failures.append(Failure(str(path), f"folder has no files to ingest ({kinds})"))
            for p in found:
                add(os.path.abspath(p))
        elif path.suffix.lower() in LIST_SUFFIXES:
            read_list(path)
        else:
            add(os.path.abspath(path))

    for source in sources:
        visit(source, None)
    return specs, failures


def _under(base: Path | None, text: str) -> Path:
    path = Path(text).expanduser()
    return base / path if base is not None and not path.is_absolute() else path


# ---------------------------------------------------------------------------------------
# Reading and parsing


@dataclass
class _Job:
    """One document on its way to the store: read and decoded, not yet parsed."""

    source: str
    raw: bytes
    text: str
    meta: Source
    warnings: list[str]
    document_id: int | None = None  # set when re-parsing a stored document


def load(spec: str, *, max_bytes: int | None = None, fetcher: Fetcher | None = None) -> Loaded:
    """Read a path or fetch a URL and decode it (:func:`readout.io.load_source`); URLs go
    through ``fetcher`` when one is given, to share its connection, pace and cache.

    Raises :class:`~readout.errors.ReadoutInputError` for a source that cannot be read.
    """
    if fetcher is not None and is_url(spec):
        from readout.sources.fetch import load_url

        return load_url(spec, fetcher=fetcher)
    return load_source(spec, max_bytes=max_bytes)


def redecode(
    raw: bytes, fmt: str, path: str | None, url: str | None, encoding: str | None
) -> Loaded:
    """Decode stored bytes again, as the loader decoded them the first time: by their
    format, and for a page from the web with the charset it was read in (its HTTP header
    is not stored).  The source keeps the stored path and URL."""
    label = url or path or "document"
    if fmt not in get_args(SourceFormat):
        raise ReadoutInputError(label, f"stored in an unknown format: {fmt!r}")
    known = cast(SourceFormat, fmt)
    charset = encoding if url else None
    text, found, warnings = decode_document(raw, known, label, charset=charset)
    source = Source(
        path=path, url=url, sha256=hashlib.sha256(raw).hexdigest(), format=known, encoding=found
    )
    return Loaded(text, source, warnings, raw)


def parse_loaded(text: str, source: Source, warnings: list[str]) -> Record:
    """Parse decoded text into its record, the loader's warnings first."""
    record = parse(text, source)
    record.warnings[:0] = warnings
    return record


def parse_rows(text: str, source: Source, warnings: list[str]) -> RecordRows:
    """:func:`parse_loaded`, as the values of the rows to store (what workers run: plain
    values travel back to the writing process faster than a record)."""
    return record_rows(parse_loaded(text, source, warnings))


def _worker_start(parent: int) -> None:
    """In a pool worker: leave Ctrl-C to the process that started it (which stops the
    pool), and exit when that process is gone (killed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="readout-parent-watch", daemon=True).start()


class _Parsers:
    """Where records are parsed: in this process, on a local process pool, or on Dask."""

    def __init__(self, workers: int = 1, dask_address: str | None = None) -> None:
        self.executor: Executor | None = None
        self._client: Any = None
        self.in_flight = 1
        if dask_address:
            self._connect_dask(dask_address)
        elif workers > 1:
            self.executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start,
                initargs=(os.getpid(),),
            )
            self.in_flight = workers * _IN_FLIGHT_PER_WORKER

    def _connect_dask(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise IngestError(
                "--dask needs dask.distributed: pip install 'readout[dask]'"
            ) from None
        try:
            self._client = Client(  # type: ignore[no-untyped-call]
                address, timeout="10s", set_as_default=False
            )
        except (OSError, TimeoutError, ValueError) as err:
            message = " ".join(str(err).split()) or type(err).__name__
            raise IngestError(f"Dask scheduler {address}: cannot connect ({message})") from None
        threads = sum(self._client.nthreads().values()) or 1
        self.executor = self._client.get_executor(pure=False)
        self.in_flight = threads * _IN_FLIGHT_PER_WORKER

    def __enter__(self) -> _Parsers:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()
        elif self.executor is not None:
            self.executor.shutdown(wait=exc is None, cancel_futures=True)

    def run(self, jobs: Iterator[_Job]) -> Iterator[tuple[_Job, RecordRows | BaseException]]:
        """Each job with its record (or the exception that parsing raised), as parsed."""
        if self.executor is None:
            for job in jobs:
                try:
                    yield job, parse_rows(job.text, job.meta, job.warnings)
                except Exception as err:
                    yield job, err
            return
        pending: dict[Future[RecordRows], _Job] = {}
        more = True
        while True:
            while more and len(pending) < self.in_flight:
                queued = next(jobs, None)
                if queued is None:
                    more = False
                    break
                future = self.executor.submit(parse_rows, queued.text, queued.meta, queued.warnings)
                pending[future] = queued
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in [f for f in pending if f in done]:  # in submission order
                job = pending.pop(future)
                problem = future.exception()
                if isinstance(problem, BrokenProcessPool):
                    raise IngestError(f"a parser process died ({problem})") from None
                yield job, (problem if problem is not None else future.result())


# ---------------------------------------------------------------------------------------
# Writing


def _known(store: Store, sha256: str) -> bool:
    try:
        with store.engine.connect() as conn:
            found = conn.execute(
                select(m.Document.id).where(m.Document.sha256 == sha256).limit(1)
            ).first()
    except SQLAlchemyError as err:
        raise store.failure(err) from None
    return found is not None


def _add(store: Store, job: _Job, rows: RecordRows) -> Outcome:
    """Store ``rows`` as a new document in one transaction, unless its bytes are stored."""
    try:
        with Session(store.engine) as session, session.begin():
            doc = add_rows(session, rows, job.raw)
            outcome = Outcome(job.source, "added", document_id=doc.id, version=doc.version)
        return outcome
    except OperationalError as err:
        raise store.failure(err) from None
    except IntegrityError as err:
        # The same bytes were stored since they were looked up (by another ingest, or
        # earlier in this one): the unique sha256 refuses them whole.
        if _known(store, job.meta.sha256 or ""):
            return Outcome(job.source, "unchanged")
        return Outcome(job.source, "failed", f"cannot store: {_one_line(err)}")
    except SQLAlchemyError as err:
        return Outcome(job.source, "failed", f"cannot store: {_one_line(err)}")


def _rewrite(store: Store, job: _Job, rows: RecordRows) -> Outcome:
    """Rewrite the rows of the stored document ``job.document_id`` from ``rows``."""
    try:
        with Session(store.engine) as session, session.begin():
            doc = session.get(m.Document, job.document_id)
            if doc is None or doc.sha256 != job.meta.sha256:
                return Outcome(job.source, "failed", "removed or replaced while re-parsing")
            rewrite_rows(session, doc, rows)
            return Outcome(job.source, "reparsed", document_id=doc.id, version=doc.version)
    except OperationalError as err:
        raise store.failure(err) from None
    except SQLAlchemyError as err:
        return Outcome(job.source, "failed", f"cannot store: {_one_line(err)}")


def _one_line(err: BaseException) -> str:
    orig = getattr(err, "orig", None)
    lines = str(orig if orig is not None else err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


def _parse_failure(job: _Job, err: BaseException) -> Outcome:
    reason = f"internal error: {type(err).__name__}: {_one_line(err)} (please report)"
    return Outcome(job.source, "failed", reason)


def _run(
    store: Store,
    jobs: Callable[[Callable[[Outcome], None]], Iterator[_Job]],
    write: Callable[[Store, _Job, RecordRows], Outcome],
    total: int,
    *,
    workers: int,
    dask_address: str | None,
    progress: Progress | None,
) -> IngestSummary:
    summary = IngestSummary()

    def report(outcome: Outcome) -> None:
        summary.count(outcome)
        if progress is not None:
            progress.advanced(outcome)

    if progress is not None:
        progress.started(total)
    with _Parsers(workers, dask_address) as parsers:
        for job, result in parsers.run(jobs(report)):
            if isinstance(result, BaseException):
                report(_parse_failure(job, result))
            else:
                report(write(store, job, result))
    return summary


# ---------------------------------------------------------------------------------------
# The entry points


def ingest(
    store: Store,
    sources: Iterable[str | Path],
    *,
    workers: int = 1,
    dask_address: str | None = None,
    progress: Progress | None = None,
    max_bytes: int | None = None,
    cache_dir: str | Path | None = None,
    rate: float | None = None,
) -> IngestSummary:
    """Store every document ``sources`` name (see the module docstring); what happened.

    URLs are fetched one after another by one :class:`~readout.sources.fetch.Fetcher`:
    ``rate`` seconds apart per host (its default when None), through the on-disk cache
    ``cache_dir`` when given.  Raises :class:`~readout.store.StoreError` when the
    database cannot be written and :class:`IngestError` when the parsers cannot be
    reached.
    """
    specs, missing = expand_sources(sources)
    fetcher: Fetcher | None = None
    if any(is_url(spec) for spec in specs):
        from readout.sources.fetch import DEFAULT_RATE, Fetcher

        fetcher = Fetcher(
            cache_dir=cache_dir, rate=DEFAULT_RATE if rate is None else rate, max_bytes=max_bytes
        )

    def jobs(report: Callable[[Outcome], None]) -> Iterator[_Job]:
        for failure in missing:
            report(Outcome(failure.source, "failed", failure.reason))
        for spec in specs:
            try:
                loaded = load(spec, max_bytes=max_bytes, fetcher=fetcher)
            except ReadoutInputError as err:
                report(Outcome(spec, "failed", err.problem))
                continue
            except (OSError, UnicodeError) as err:
                report(Outcome(spec, "failed", f"cannot read: {_one_line(err)}"))
                continue
            if _known(store, loaded.source.sha256 or ""):
                report(Outcome(spec, "unchanged"))
                continue
            yield _Job(spec, loaded.raw, loaded.text, loaded.source, loaded.warnings)

    try:
        return _run(
            store,
            jobs,
            _add,
            len(specs) + len(missing),
            workers=workers,
            dask_address=dask_address,
            progress=progress,
        )
    finally:
        if fetcher is not None:
            fetcher.close()


def reparse(
    store: Store,
    *,
    all: bool = False,
    workers: int = 1,
    dask_address: str | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Parse stored documents again from their raw bytes and rewrite their rows, one
    transaction per document: those whose ``parser_version`` is not this parser's, or
    every document with ``all``.  The summary counts them as ``reparsed`` or ``failed``.
    """
    query = select(m.Document.id).order_by(m.Document.id)
    if not all:
        query = query.where(m.Document.parser_version != __version__)
    try:
        with store.engine.connect() as conn:
            ids = list(conn.scalars(query))
    except SQLAlchemyError as err:
        raise store.failure(err) from None

    def jobs(report: Callable[[Outcome], None]) -> Iterator[_Job]:
        for document_id in ids:
            query = select(
                m.Document.source_key,
                m.Document.raw,
                m.Document.format,
                m.Document.path,
                m.Document.url,
                m.Document.encoding,
            ).where(m.Document.id == document_id)
            try:
                with store.engine.connect() as conn:
                    row = conn.execute(query).first()
            except SQLAlchemyError as err:
                raise store.failure(err) from None
            if row is None:
                continue  # removed since the list was made
            key, raw, fmt, path, url, encoding = row
            try:
                loaded = redecode(raw, fmt, path, url, encoding)
            except ReadoutInputError as err:
                report(Outcome(key, "failed", err.problem))
                continue
            yield _Job(key, b"", loaded.text, loaded.source, loaded.warnings, document_id)

    return _run(
        store,
        jobs,
        _rewrite,
        len(ids),
        workers=workers,
        dask_address=dask_address,
        progress=progress,
    )
