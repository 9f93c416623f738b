"""``readout timeline``: statements on a topic per meeting, as a table, JSON, CSV or a chart."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from readout.commands.search import _checked, _date, open_store
from readout.search import SearchError
from readout.store import Store, StoreError
from readout.timeline import BYS, Timeline, plot, timeline


def register(main: click.Group) -> None:
    main.add_command(timeline_command)


@click.command("timeline", options_metavar="[OPTIONS]")
@click.argument("topic")
@click.option("--by", type=click.Choice(list(BYS)), default="act", show_default=True)
@click.option("--kind", multiple=True, metavar="KIND", callback=_checked("kind"))
@click.option("--counterpart", multiple=True, metavar="CODE", callback=_checked("counterpart"))
@click.option("--since", metavar="DATE", callback=_date(False), help="YYYY[-MM[-DD]].")
@click.option("--until", metavar="DATE", callback=_date(True), help="YYYY[-MM[-DD]].")
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw a stacked bar chart to FILE.png or FILE.svg.",
)
@click.option(
    "--per",
    type=click.Choice(["auto", "meeting", "year"]),
    default="auto",
    show_default=True,
    help="Bars of the chart: one per meeting, per year, or per year above 24 meetings.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option("--db", metavar="URL", default=None, help="Store (default: $READOUT_DB).")
def timeline_command(
    topic: str,
    by: str,
    kind: list[str],
    counterpart: list[str],
    since: str | None,
    until: str | None,
    plot_file: Path | None,
    per: str,
    fmt: str,
    db: str | None,
) -> None:
    """Count the statements on TOPIC per meeting over time, by act or by speaker.

    TOPIC is a topic id (senkaku, taiwan, north_korea, …; see lexicons/topics.toml) or
    words searched as `readout search` does (尖閣 第5条).
    """
    if plot_file is not None and plot_file.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("a plot is written as .png or .svg", param_hint="--plot")
    store: Store | None = None
    try:
        store = open_store(db)
        tl = timeline(
            store, topic, by=by, kind=kind, counterpart=counterpart, since=since, until=until
        )
    except (StoreError, SearchError, ValueError) as err:
        click.echo(f"readout: {' '.join(str(err).split())}", err=True)
        sys.exit(1)
    finally:
        if store is not None:
            store.close()
    if fmt == "json":
        click.echo(json.dumps(tl.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        rows = tl.rows()
        fields = ["document_id", "date", "kind", "counterpart", "title", *tl.keys, "total"]
        writer = csv.DictWriter(sys.stdout, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_table(tl)
    if plot_file is not None:
        plot(tl, plot_file, per=per)
        click.echo(f"chart written to {plot_file}", err=True)


def _print_table(tl: Timeline) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout)
    if not tl.meetings:
        console.print(f"no statements on {tl.label}", highlight=False)
        return
    table = Table(title=f"Statements on {tl.label} by {tl.by}", header_style="bold")
    table.add_column("date", no_wrap=True)
    table.add_column("meeting", no_wrap=True)
    for key in tl.keys:
        table.add_column(key, justify="right")
    table.add_column("total", justify="right", style="bold")
    for m in tl.meetings:
        cells = [str(m.counts.get(k, 0) or "") for k in tl.keys]
        table.add_row(m.date or "-", m.label.split(" ", 1)[1], *cells, str(m.total))
    totals = tl.totals()
    table.add_row("all", f"{len(tl.meetings)} meetings", *map(str, totals.values()), str(tl.total))
    console.print(table)
