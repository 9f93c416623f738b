"""``readout diff`` and ``readout trace``: compare meetings and follow a position."""

from __future__ import annotations

import json

import click

from readout.lineage import LineageError, MeetingDiff, MeetingInfo, Trace, diff_meetings, trace
from readout.store import StoreError, connect
from readout.store.read import DocumentNotFound

_FORMATS = click.Choice(["md", "json"])


def register(main: click.Group) -> None:
    main.add_command(diff_command)
    main.add_command(trace_command)


def _meeting(info: MeetingInfo | None) -> str:
    if info is None:
        return "(none)"
    return f"{info.date or '?'} {info.kind} {info.counterpart or ''} (document {info.document_id})"


def diff_md(diff: MeetingDiff) -> str:
    lines = [f"# Diff: {_meeting(diff.a)} → {_meeting(diff.b)}", ""]
    for change in ("new", "reaffirmed", "changed", "dropped"):
        entries = diff.of(change)
        lines.append(f"## {change} ({len(entries)})")
        lines.append("")
        for e in entries:
            st = e.new or e.old
            assert st is not None
            lines.append(f"- [{st.speaker} {st.act}] {e.wording or st.text} (statement {st.id})")
        lines.append("")
    return "\n".join(lines)


def trace_md(t: Trace) -> str:
    lines = [f"# Trace of statement {t.origin.id}: {t.origin.text}", ""]
    for i, a in enumerate(t.appearances):
        head = "first appearance" if i == 0 else "appears"
        st = a.statement
        lines.append(f"- {a.meeting.date} {head} — {st.speaker} {st.act} (statement {st.id})")
        lines.append(f"  {a.wording or st.text}")
    if t.gaps:
        lines += ["", "## gaps", ""]
        lines += [f"- {_meeting(g)}: not stated" for g in t.gaps]
    return "\n".join(lines) + "\n"


@click.command("diff")
@click.argument("ids", type=int, nargs=-1, required=True, metavar="[A] B")
@click.option("--format", "fmt", type=_FORMATS, default="md", show_default=True)
@click.option("--db", default=None, help="Database URL or SQLite file (default: READOUT_DB).")
def diff_command(ids: tuple[int, ...], fmt: str, db: str | None) -> None:
    """Positions of meeting B new, reaffirmed, changed or dropped since A (document ids;
    A defaults to the previous meeting of B's kind and counterpart)."""
    if len(ids) > 2:
        raise click.UsageError("give one or two document ids: [A] B")
    a, b = (None, ids[0]) if len(ids) == 1 else ids
    try:
        store = connect(db)
        try:
            result = diff_meetings(store, a, b)
        finally:
            store.close()
    except (StoreError, DocumentNotFound) as err:
        raise click.ClickException(str(err)) from None
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(diff_md(result))


@click.command("trace")
@click.argument("query")
@click.option("--format", "fmt", type=_FORMATS, default="md", show_default=True)
@click.option("--db", default=None, help="Database URL or SQLite file (default: READOUT_DB).")
def trace_command(query: str, fmt: str, db: str | None) -> None:
    """The lineage of a position: QUERY (search words) or a STATEMENT_ID."""
    try:
        store = connect(db)
        try:
            result = trace(store, int(query) if query.isdigit() else query)
        finally:
            store.close()
    except (StoreError, LineageError) as err:
        raise click.ClickException(str(err)) from None
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(trace_md(result))
