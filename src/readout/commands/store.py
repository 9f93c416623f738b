"""``readout ingest``, ``reparse``, ``meetings`` and ``show``: the store from the shell.

A thin layer over :mod:`readout.ingest` and :mod:`readout.store.read`.  Every problem is
one line on stderr (``readout: …``), never a traceback; the exit code is 1 when a source
failed or the database could not be used.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, get_args

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text
from sqlalchemy.engine import make_url

from readout.ingest import IngestError, IngestSummary, Outcome, ingest, reparse
from readout.model import MeetingKind
from readout.render_md import render_markdown
from readout.store import Store, StoreError, connect, database_url
from readout.store.read import (
    DocumentNotFound,
    MeetingRow,
    check_partial_date,
    get_document,
    list_meetings,
)

DB_HELP = (
    "Database: a SQLAlchemy URL (postgresql+psycopg://user@host/db) or a SQLite file path. "
    "Default: $READOUT_DB, else readout.sqlite in the current folder."
)
MEETING_FIELDS = tuple(MeetingRow.__dataclass_fields__)


def register(main: click.Group) -> None:
    for command in (ingest_command, reparse_command, meetings_command, show_command):
        main.add_command(command)


def _fail(message: str) -> None:
    click.echo(f"readout: {' '.join(message.split())}", err=True)


def _open(db: str | None, *, create: bool) -> Store:
    """The open store, or a one-line error and exit 1.  Only commands that write create a
    missing SQLite file; the others say it is missing."""
    url = database_url(db)
    try:
        parsed = make_url(url)
        if not create and parsed.get_backend_name() == "sqlite":
            path = parsed.database or ""
            if path and path != ":memory:" and not Path(path).expanduser().exists():
                raise StoreError(f"{path}: no such database (create it with readout ingest)")
        return connect(url)
    except StoreError as err:
        _fail(str(err))
    except Exception as err:  # a malformed URL, say: still one line
        _fail(f"{url}: cannot open: {type(err).__name__}: {err}")
    sys.exit(1)


@contextmanager
def _store(db: str | None, *, create: bool) -> Iterator[Store]:
    """:func:`_open`, closed at the end; a store error in the body is one line, exit 1."""
    store = _open(db, create=create)
    try:
        yield store
    except StoreError as err:
        _fail(str(err))
        sys.exit(1)
    finally:
        store.close()


# ---------------------------------------------------------------------------------------
# Progress on stderr: a live bar on a terminal, plain lines otherwise


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} docs/s" if speed else "– docs/s", style="cyan")


class _Display:
    """Shows a run's progress and failures on stderr; keeps the counts for the end."""

    PLAIN_EVERY_S = 5.0

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.console = Console(stderr=True, highlight=False)
        self.live = self.console.is_terminal
        self.summary = IngestSummary()
        self.total = 0
        self.started_at = time.perf_counter()
        self._last_line = self.started_at
        self._bar: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> _Display:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    # The Progress protocol of readout.ingest

    def started(self, total: int) -> None:
        self.total = total
        self.started_at = self._last_line = time.perf_counter()
        if self.live:
            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"),
                _RateColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self._task = self._bar.add_task(self.verb, total=total, counts=self.counts())
            self._bar.start()
        else:
            self._line(f"{total:,} sources")

    def advanced(self, outcome: Outcome) -> None:
        self.summary.count(outcome)
        if outcome.status == "failed":
            message = f"readout: {outcome.source}: {' '.join((outcome.reason or '').split())}"
            self._emit(message)
        if self._bar is not None:
            self._bar.update(self._task, advance=1, counts=self.counts())
            return
        now = time.perf_counter()
        if now - self._last_line >= self.PLAIN_EVERY_S:
            self._last_line = now
            self._line(f"{self.summary.total:,}/{self.total:,} · {self.counts()} · {self.rate()}")

    # Text

    def counts(self) -> str:
        s = self.summary
        done = f"reparsed {s.reparsed:,}" if self.verb == "reparse" else f"added {s.added:,}"
        unchanged = "" if self.verb == "reparse" else f" · unchanged {s.unchanged:,}"
        return f"{done}{unchanged} · failed {len(s.failed):,}"

    def elapsed(self) -> float:
        return max(time.perf_counter() - self.started_at, 1e-9)

    def rate(self) -> str:
        return f"{self.summary.total / self.elapsed():,.1f} docs/s"

    def _line(self, text: str) -> None:
        self._emit(f"readout: {self.verb}: {text}")

    def _emit(self, line: str) -> None:
        """A whole line on stderr: above the live bar, or as it is (never wrapped)."""
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=True)


def _summary_text(display: _Display, summary: IngestSummary, where: str) -> str:
    if display.verb == "reparse":
        head = f"{summary.total:,} documents re-parsed in {where}: {summary.reparsed:,} rewritten"
    else:
        versions = f" ({summary.new_versions:,} new versions)" if summary.new_versions else ""
        head = (
            f"{summary.total:,} sources into {where}: {summary.added:,} added{versions}, "
            f"{summary.unchanged:,} unchanged"
        )
    lines = [
        f"{head}, {len(summary.failed):,} failed ({display.elapsed():.1f} s, {display.rate()})"
    ]
    if summary.failed:
        lines.append("failed:")
        lines.extend(f"  {f.source}: {f.reason}" for f in summary.failed)
    return "\n".join(lines)


def _stopped(display: _Display, problem: str) -> None:
    """One line: what stopped the run and how far it got."""
    done = display.summary
    if done.total:
        problem += (
            f" (stopped after {done.total:,} of {display.total:,}: {display.counts()}; "
            "what was stored is whole, run the same command again to finish)"
        )
    _fail(problem)


def _run_and_report(display: _Display, store: Store, run: Callable[[], IngestSummary]) -> None:
    """Run an ingest or reparse with ``display`` as its progress; print its summary."""
    try:
        with display:
            summary = run()
    except (StoreError, IngestError) as err:
        _stopped(display, str(err))
        sys.exit(1)
    except KeyboardInterrupt:
        _stopped(display, "interrupted")
        sys.exit(130)
    click.echo(_summary_text(display, summary, store.describe()))
    if summary.failed:
        sys.exit(1)


# ---------------------------------------------------------------------------------------
# Commands


@click.command("ingest")
@click.argument("sources", nargs=-1, metavar="PATH|URL|@LIST...")
@click.option("--db", metavar="URL|PATH", help=DB_HELP)
@click.option(
    "--urls",
    "lists",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file of sources, one URL (or path) a line; may be repeated. Same as @FILE.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parse on this many local processes (writing stays in this one).",
)
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Parse on this Dask scheduler.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse sources larger than this many bytes (default 20 MiB).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep fetched pages here and revalidate them next time (as readout fetch).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds between two requests to the same host (default 1).",
)
def ingest_command(
    sources: tuple[str, ...],
    db: str | None,
    lists: tuple[Path, ...],
    workers: int,
    dask_address: str | None,
    max_bytes: int | None,
    cache_dir: Path | None,
    rate: float | None,
) -> None:
    """Parse readouts and store them: files, folders (recursively), URLs and lists of URLs.

    The same bytes twice add nothing; changed bytes at a stored path or URL become its
    next version.  Every document is stored whole or not at all; a source that fails is
    reported and skipped (exit code 1).  An interrupted ingest finishes when run again.
    """
    if not sources and not lists:
        raise click.UsageError("give at least one PATH, URL, @LIST or --urls FILE")
    everything = [*sources, *(f"@{path}" for path in lists)]
    with _store(db, create=True) as store:
        display = _Display("ingest")
        _run_and_report(
            display,
            store,
            lambda: ingest(
                store,
                everything,
                workers=workers,
                dask_address=dask_address,
                progress=display,
                max_bytes=max_bytes,
                cache_dir=cache_dir,
                rate=rate,
            ),
        )


@click.command("reparse")
@click.option("--db", metavar="URL|PATH", help=DB_HELP)
@click.option("--all", "everything", is_flag=True, help="Re-parse every document.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parse on this many local processes.",
)
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Parse on this Dask scheduler.")
def reparse_command(
    db: str | None, everything: bool, workers: int, dask_address: str | None
) -> None:
    """Re-parse stored documents made by another parser version (or all, with --all)
    from their stored bytes, and rewrite their rows."""
    with _store(db, create=False) as store:
        display = _Display("reparse")
        _run_and_report(
            display,
            store,
            lambda: reparse(
                store,
                all=everything,
                workers=workers,
                dask_address=dask_address,
                progress=display,
            ),
        )


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_partial_date(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


@click.command("meetings")
@click.option("--db", metavar="URL|PATH", help=DB_HELP)
@click.option("--kind", type=click.Choice(get_args(MeetingKind)), help="Only this kind.")
@click.option("--counterpart", metavar="CODE", help="Only meetings with this side (US, AU…).")
@click.option("--since", metavar="DATE", callback=_date_option, help="From this date on.")
@click.option("--until", metavar="DATE", callback=_date_option, help="Up to this date.")
@click.option("--all-versions", is_flag=True, help="Older versions of a source too.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
def meetings_command(
    db: str | None,
    kind: str | None,
    counterpart: str | None,
    since: str | None,
    until: str | None,
    all_versions: bool,
    limit: int | None,
    fmt: str,
) -> None:
    """List stored meetings by date (ID is the document id `readout show` takes).

    --since and --until take YYYY, YYYY-MM or YYYY-MM-DD and include the whole period.
    """
    with _store(db, create=False) as store:
        rows = list_meetings(
            store,
            kind=kind,
            counterpart=counterpart,
            since=since,
            until=until,
            all_versions=all_versions,
            limit=limit,
        )
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=MEETING_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.as_dict() for r in rows)
    else:
        click.echo(_table(rows), nl=False)


def _table(rows: list[MeetingRow]) -> str:
    head = ("ID", "DATE", "KIND", "SIDES", "STMTS", "COMMITS", "TITLE")
    body = [
        (
            str(r.id),
            r.date or "-",
            r.kind,
            r.sides,
            str(r.statements),
            str(r.commitments),
            r.title or "",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head) - 1)]
    lines = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in [head, *body]
    ]
    lines.append(f"{len(rows):,} meeting(s)")
    return "\n".join(line.rstrip() for line in lines) + "\n"


@click.command("show")
@click.argument("document_id", metavar="ID", type=int)
@click.option("--db", metavar="URL|PATH", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
def show_command(document_id: int, db: str | None, fmt: str) -> None:
    """Show one stored document's record (ID from `readout meetings`)."""
    with _store(db, create=False) as store:
        try:
            record = get_document(store, document_id)
        except DocumentNotFound as err:
            _fail(f"{store.describe()}: {err}")
            sys.exit(1)
    if fmt == "json":
        click.echo(record.to_json(indent=2))
    else:
        click.echo(render_markdown(record), nl=False)
