"""``readout search``: find statements in the store, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from readout.search import (
    DEFAULT_LIMIT,
    FACETS,
    MAX_LIMIT,
    Facets,
    Hit,
    SearchError,
    SearchResults,
    date_bound,
    facets,
    filter_values,
    search,
    year_values,
)
from readout.store import Store, StoreError, connect, database_url

CSV_FIELDS = (
    "statement_id",
    "document_id",
    "sid",
    "date",
    "kind",
    "sides",
    "counterpart",
    "speaker",
    "person",
    "act",
    "reaffirmed",
    "topics",
    "score",
    "text",
    "highlighted",
    "source",
    "title",
)


KIND_LABELS = {
    "2+2": "2+2",
    "foreign_ministers": "FM",
    "defense_ministers": "DM",
    "leaders": "leaders",
    "phone_call": "phone",
    "other": "other",
}


def register(main: click.Group) -> None:
    main.add_command(search_command)


def _checked(name: str) -> Any:
    """A click callback that checks the values of filter ``name`` (comma-separated too)."""

    def check(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str]:
        try:
            return filter_values(name, value)
        except SearchError as err:
            raise click.BadParameter(str(err).removeprefix(f"unknown {name} ")) from None

    return check


def _date(end: bool) -> Any:
    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        try:
            return date_bound(value, end=end)
        except SearchError:
            raise click.BadParameter(
                f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            ) from None

    return check


def _years(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str]:
    try:
        return year_values(value)
    except SearchError as err:
        raise click.BadParameter(str(err).removeprefix("year ")) from None


def open_store(db: str | None) -> Store:
    """The store at ``db`` (or ``READOUT_DB``); a SQLite file that is not there is an error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = database_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError:
        return connect(url)  # raises the store's one-line error
    database = parsed.database or ""
    local = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if local and not Path(database).expanduser().is_file():
        raise StoreError(f"{database}: no store here (add readouts with `readout ingest`)")
    return connect(url)


@click.command("search", options_metavar="[OPTIONS]")
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@click.option(
    "--speaker",
    multiple=True,
    metavar="CODE",
    callback=_checked("speaker"),
    help="Who speaks: JP, US, JOINT, … (repeat or comma-separate for any of several).",
)
@click.option(
    "--act",
    multiple=True,
    metavar="ACT",
    callback=_checked("act"),
    help="The statement's act: WELCOME, AFFIRM, AGREE, CONCERN, CONDEMN, REQUEST, …",
)
@click.option(
    "--topic",
    multiple=True,
    metavar="TOPIC",
    callback=_checked("topic"),
    help="A topic id from the topic lexicon: china, taiwan, senkaku, north_korea, …",
)
@click.option(
    "--kind",
    multiple=True,
    metavar="KIND",
    callback=_checked("kind"),
    help="Meeting kind: 2+2, foreign_ministers, defense_ministers, leaders, phone_call, other.",
)
@click.option(
    "--counterpart",
    multiple=True,
    metavar="CODE",
    callback=_checked("counterpart"),
    help="A side of the meeting other than Japan: US, AU, KR, …",
)
@click.option(
    "--since", metavar="DATE", callback=_date(False), help="Meetings on or after (YYYY[-MM[-DD]])."
)
@click.option(
    "--until", metavar="DATE", callback=_date(True), help="Meetings on or before (YYYY[-MM[-DD]])."
)
@click.option(
    "--year",
    multiple=True,
    metavar="YYYY",
    callback=_years,
    help="The year of the meeting (repeat or comma-separate for any of several).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Hits per page.",
)
@click.option(
    "--offset", type=click.IntRange(min=0), default=0, help="Skip this many hits (next pages)."
)
@click.option("--all-versions", is_flag=True, help="Search superseded versions of documents too.")
@click.option(
    "--facets",
    "with_facets",
    is_flag=True,
    help="Also count the statements by speaker, act, topic, kind, counterpart and year "
    "(table and json).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--db",
    metavar="URL",
    default=None,
    help="Store: a SQLite file or a database URL (default: $READOUT_DB, else readout.sqlite).",
)
def search_command(
    words: tuple[str, ...],
    speaker: list[str],
    act: list[str],
    topic: list[str],
    kind: list[str],
    counterpart: list[str],
    since: str | None,
    until: str | None,
    year: list[str],
    limit: int,
    offset: int,
    all_versions: bool,
    with_facets: bool,
    fmt: str,
    db: str | None,
) -> None:
    """Find statements in the store: Japanese words of any length, phrases, filters.

    QUERY is one or more words, all of which must occur: 中国, 台湾, 尖閣 (two
    characters or more match anywhere), 台 (one character: words that begin with it),
    "尖閣諸島に適用" (a phrase), G7 (ASCII words match whole).  Without QUERY the
    statements the filters select are listed, newest meeting first.  Hits are ranked, best
    first, and the matched words are highlighted.  --facets adds the counts of the
    statements found by speaker, act, topic, kind, counterpart and year.
    """
    if with_facets and fmt == "csv":
        raise click.UsageError("--facets goes with --format table or json, not csv")
    query = " ".join(words)
    filters: dict[str, Any] = {
        "speaker": speaker,
        "act": act,
        "topic": topic,
        "kind": kind,
        "counterpart": counterpart,
        "since": since,
        "until": until,
        "year": year,
        "latest_only": not all_versions,
    }
    store: Store | None = None
    counts: Facets | None = None
    try:
        store = open_store(db)
        results = search(store, query, limit=limit, offset=offset, **filters)
        if with_facets:
            counts = facets(store, query, **filters)
    except StoreError as err:
        click.echo(f"readout: {' '.join(str(err).split())}", err=True)
        sys.exit(1)
    finally:
        if store is not None:
            store.close()
    if fmt == "json":
        data = results.to_dict()
        if counts is not None:
            data["facets"] = counts.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        _write_csv(results.hits)
    else:
        _print_table(results)
        if counts is not None:
            _print_facets(counts, [name for name in FACETS if filters[name]])


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else value


def _write_csv(hits: Iterable[Hit]) -> None:
    out = sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for hit in hits:
        data = hit.to_dict()
        writer.writerow([_cell(data[name]) for name in CSV_FIELDS])


def _print_table(results: SearchResults) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=sys.stdout)
    if not results.hits:
        if results.query.strip() and not results.terms:
            console.print("no searchable words in the query", highlight=False)
        else:
            console.print("no statements found", highlight=False)
        return
    colour = console.color_system is not None
    table = Table(header_style="bold", pad_edge=False, show_lines=True)
    table.add_column("meeting", no_wrap=True)
    table.add_column("speaker", no_wrap=True)
    table.add_column("statement", overflow="fold", ratio=1)
    for hit in results.hits:
        if colour:
            text = Text(hit.text)
            for start, end in hit.spans:
                text.stylize("bold black on yellow", start, end)
        else:
            text = Text(hit.highlighted)
        others = ",".join(s for s in hit.sides if s != "JP") or "-"
        meeting = f"{hit.date or '-'}\n{KIND_LABELS.get(hit.kind or '', hit.kind or '-')} {others}"
        act = hit.act + (" ↺" if hit.reaffirmed else "")
        table.add_row(meeting, f"{hit.speaker}\n{act}", text)
    console.print(table)
    last = results.offset + len(results.hits)
    note = f"hits {results.offset + 1}–{last} (↺ reaffirmed; FM/DM foreign/defence ministers)"
    if results.more:
        note += f"; more with --offset {last}"
    console.print(note, highlight=False)
    if not results.exhaustive:
        console.print(
            f"more statements match than were ranked: the best of {results.ranked:,} "
            "are shown (add words or filters to narrow the search)",
            highlight=False,
        )


#: Values a facet shows in the table before "…".
FACET_VALUES = 8


def _print_facets(counts: Facets, filtered: list[str]) -> None:
    """The facets as a few lines: each facet's values, most statements first.

    ``filtered``: the facets whose filter is set (counted without it, which is said)."""
    notes = []
    if not counts.exhaustive:
        notes.append("counted within the ranking window: more match")
    if filtered:
        whose = "its" if len(filtered) == 1 else "their"
        notes.append(f"{', '.join(filtered)} counted without {whose} own filter")
    note = f" ({'; '.join(notes)})" if notes else ""
    click.echo(f"\nfacets: {counts.counted:,} statements{note}")
    for name in FACETS:
        values = getattr(counts, name)
        shown = ", ".join(f"{value} {count:,}" for value, count in values[:FACET_VALUES])
        more = f", … ({len(values) - FACET_VALUES} more)" if len(values) > FACET_VALUES else ""
        click.echo(f"  {name + ':':12} {shown or '-'}{more}")
