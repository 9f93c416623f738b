"""``readout diff`` and ``readout trace``: compare meetings and follow a position;
``readout commitments`` and ``readout commitments-set``: the commitment tracker."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime

import click

from readout.lineage import LineageError, MeetingDiff, MeetingInfo, Trace, diff_meetings, trace
from readout.store import StoreError, connect
from readout.store.read import DocumentNotFound, check_partial_date
from readout.tracker import (
    SET_STATUSES,
    STATUSES,
    CommitmentNotFound,
    TrackedCommitment,
    calendar,
    clear_status,
    commitments,
    set_status,
)

_FORMATS = click.Choice(["md", "json"])


def register(main: click.Group) -> None:
    main.add_command(diff_command)
    main.add_command(trace_command)
    main.add_command(commitments_command)
    main.add_command(commitments_set_command)


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


# ---------------------------------------------------------------- commitments

_DB_HELP = "Database URL or SQLite file (default: READOUT_DB)."
#: Columns of ``readout commitments --format csv`` (the latest evidence link only).
COMMITMENT_FIELDS = (
    "id",
    "date",
    "actor",
    "action",
    "deadline",
    "deadline_kind",
    "due_date",
    "status",
    "note",
    "evidence_document_id",
    "evidence_date",
    "evidence_statement_id",
    "evidence_text",
)


def _partial_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_partial_date(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def _csv_row(c: TrackedCommitment) -> dict[str, object]:
    link = c.latest_evidence
    return {
        "id": c.id,
        "date": c.date,
        "actor": c.actor,
        "action": c.action,
        "deadline": c.deadline,
        "deadline_kind": c.deadline_kind,
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "status": c.status,
        "note": c.note,
        "evidence_document_id": link.document_id if link else None,
        "evidence_date": link.date if link else None,
        "evidence_statement_id": link.statement_id if link else None,
        "evidence_text": link.text if link else None,
    }


def _deadline(c: TrackedCommitment) -> str:
    return f"{c.deadline_kind or 'by'} {c.deadline}" if c.deadline else "-"


def _detail(c: TrackedCommitment) -> str:
    """The status's reason: the analyst's note, or the latest evidence link."""
    link = c.latest_evidence
    if c.status in ("met", "dropped"):
        return c.note or ""
    if c.status == "evidence" and link is not None:
        more = f" (+{len(c.evidence) - 1} earlier)" if len(c.evidence) > 1 else ""
        return (
            f"{link.date} document {link.document_id} statement {link.statement_id}: "
            f"{link.text}{more}"
        )
    return ""


def commitments_table(rows: list[TrackedCommitment]) -> str:
    if not rows:
        return "no commitments\n"
    head = ("ID", "DATE", "ACTOR", "DEADLINE", "STATUS", "ACTION")
    body = [(str(c.id), c.date or "?", c.actor, _deadline(c), c.status, c.action) for c in rows]
    widths = [max(len(r[i]) for r in (head, *body)) for i in range(len(head) - 1)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)) + "  " + row[-1]

    lines = [line(head)]
    for c, row in zip(rows, body, strict=True):
        lines.append(line(row))
        detail = _detail(c)
        if detail:
            lines.append(f"{' ' * (widths[0] + 2)}→ {detail}")
    return "\n".join(lines) + "\n"


def calendar_table(years: list[tuple[int, list[TrackedCommitment]]]) -> str:
    if not years:
        return "no commitments with a deadline\n"
    lines = []
    for year, rows in years:
        lines.append(f"{year} ({len(rows)})")
        for c in rows:
            due = c.due_date.isoformat() if c.due_date else "?"
            lines.append(f"  {due}  {c.status:8}  [{c.id} {c.actor}] {c.action} ({c.date})")
    return "\n".join(lines) + "\n"


@click.command("commitments")
@click.option(
    "--due-before",
    metavar="DATE",
    callback=_partial_date,
    help="Only deadlines that end before DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
)
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@click.option("--actor", metavar="SIDE", help="Only this actor (JP, US, JOINT…).")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The day deadlines are judged on (default: today).",
)
@click.option("--calendar", "by_year", is_flag=True, help="What falls due, by year.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option("--db", default=None, help=_DB_HELP)
def commitments_command(
    due_before: str | None,
    status: str | None,
    actor: str | None,
    as_of: datetime | None,
    by_year: bool,
    fmt: str,
    db: str | None,
) -> None:
    """Commitments with deadline and status: open, due (deadline passed), evidence (a later
    meeting's statement matches it; the link is shown), met or dropped (set with
    readout commitments-set)."""
    day: date | None = as_of.date() if as_of else None
    try:
        store = connect(db)
        try:
            years = (
                calendar(store, as_of=day, due_before=due_before, status=status, actor=actor)
                if by_year
                else []
            )
            rows = (
                []
                if by_year
                else commitments(
                    store, as_of=day, due_before=due_before, status=status, actor=actor
                )
            )
        finally:
            store.close()
    except StoreError as err:
        raise click.ClickException(str(err)) from None
    if by_year:
        if fmt == "json":
            data = [{"year": y, "commitments": [c.as_dict() for c in cs]} for y, cs in years]
            click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        elif fmt == "csv":
            _write_csv([(y, c) for y, cs in years for c in cs], with_year=True)
        else:
            click.echo(calendar_table(years), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps([c.as_dict() for c in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        _write_csv([(None, c) for c in rows], with_year=False)
    else:
        click.echo(commitments_table(rows), nl=False)


def _write_csv(rows: list[tuple[int | None, TrackedCommitment]], *, with_year: bool) -> None:
    fields = (("year",) if with_year else ()) + COMMITMENT_FIELDS
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for year, c in rows:
        writer.writerow(({"year": year} if with_year else {}) | _csv_row(c))


@click.command("commitments-set")
@click.argument("commitment_id", metavar="ID", type=int)
@click.option("--status", type=click.Choice(SET_STATUSES), default=None, help="The verdict.")
@click.option("--note", default=None, help="Why: a source, a date, a reason.")
@click.option("--clear", is_flag=True, help="Remove the verdict set earlier.")
@click.option("--db", default=None, help=_DB_HELP)
def commitments_set_command(
    commitment_id: int, status: str | None, note: str | None, clear: bool, db: str | None
) -> None:
    """Mark commitment ID (the ID readout commitments lists) met or dropped, with a note;
    kept across readout reparse.  --clear removes the verdict."""
    if clear and (status is not None or note is not None):
        raise click.UsageError("--clear goes without --status and --note")
    if not clear and status is None:
        raise click.UsageError("give --status met|dropped, or --clear")
    try:
        store = connect(db)
        try:
            if clear:
                removed = clear_status(store, commitment_id)
            else:
                assert status is not None
                set_status(store, commitment_id, status, note)
        finally:
            store.close()
    except (StoreError, CommitmentNotFound) as err:
        raise click.ClickException(str(err)) from None
    if clear:
        click.echo(
            f"commitment {commitment_id}: " + ("verdict cleared" if removed else "no verdict")
        )
    else:
        click.echo(f"commitment {commitment_id}: {status}")
