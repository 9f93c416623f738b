"""``readout export``: statements, meetings, commitments or records in another format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import click

from readout.commands.search import _checked, _date, open_store
from readout.export import ExportError, Filters, export, exporters
from readout.export.rows import WHATS
from readout.store import Store, StoreError


def register(main: click.Group) -> None:
    main.add_command(export_command)


def _formats_help() -> str:
    return "; ".join(f"{e.name}: {e.help}" for e in exporters().values())


@click.command("export", options_metavar="[OPTIONS]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(exporters())),
    required=True,
    help="Output format (see below).",
)
@click.option(
    "--what",
    type=click.Choice(list(WHATS)),
    default="statements",
    show_default=True,
    help="Rows to write; records (whole parsed records) only as json or jsonl.",
)
@click.option("--query", default="", metavar="TEXT", help="Statements matching these words.")
@click.option("--speaker", multiple=True, metavar="CODE", callback=_checked("speaker"))
@click.option("--act", multiple=True, metavar="ACT", callback=_checked("act"))
@click.option("--topic", multiple=True, metavar="TOPIC", callback=_checked("topic"))
@click.option("--kind", multiple=True, metavar="KIND", callback=_checked("kind"))
@click.option("--counterpart", multiple=True, metavar="CODE", callback=_checked("counterpart"))
@click.option("--since", metavar="DATE", callback=_date(False), help="YYYY[-MM[-DD]].")
@click.option("--until", metavar="DATE", callback=_date(True), help="YYYY[-MM[-DD]].")
@click.option("--all-versions", is_flag=True, help="Superseded document versions too.")
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 byte order mark (Excel).")
@click.option(
    "--all-acts", is_flag=True, help="PLOVER: statements without a PLOVER event type too."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@click.option("--db", metavar="URL", default=None, help="Store (default: $READOUT_DB).")
def export_command(
    fmt: str,
    what: str,
    query: str,
    speaker: list[str],
    act: list[str],
    topic: list[str],
    kind: list[str],
    counterpart: list[str],
    since: str | None,
    until: str | None,
    all_versions: bool,
    bom: bool,
    all_acts: bool,
    output: Path | None,
    db: str | None,
) -> None:
    """Write statements, meetings, commitments or records of the store in another format.

    The filters are the search's: --query words (all must occur), --speaker, --act,
    --topic select statements (and the meetings and commitments they belong to);
    --kind, --counterpart, --since, --until select meetings.  The count of rows written
    goes to standard error.
    """
    found = exporters()[fmt]
    if what not in found.whats:
        raise click.BadParameter(
            f"{fmt} writes {', '.join(found.whats)}, not {what}", param_hint="--what"
        )
    if output is None and found.binary and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is binary: give a file with -o")
    filters = Filters(
        query=query,
        speaker=speaker,
        act=act,
        topic=topic,
        kind=kind,
        counterpart=counterpart,
        since=since,
        until=until,
        all_versions=all_versions,
    )
    store: Store | None = None
    count = 0
    try:
        store = open_store(db)
        if output is None:
            stream: BinaryIO = sys.stdout.buffer
            count = export(
                store, fmt, stream, what=what, filters=filters, bom=bom, all_acts=all_acts
            )
            stream.flush()
        else:
            partial = output.with_name(output.name + ".partial")
            with partial.open("wb") as out:
                count = export(
                    store, fmt, out, what=what, filters=filters, bom=bom, all_acts=all_acts
                )
            partial.replace(output)
    except (StoreError, ExportError) as err:
        click.echo(f"readout: {' '.join(str(err).split())}", err=True)
        sys.exit(1)
    finally:
        if store is not None:
            store.close()
    where = f" to {output}" if output is not None else ""
    click.echo(f"{count} {what if count != 1 else what.rstrip('s')} written{where}", err=True)


export_command.help = (export_command.help or "") + "\n\nFormats: " + _formats_help()
