"""``readout correct`` and ``readout corrections``: analyst corrections of statements.

A thin layer over :mod:`readout.corrections`.  Problems are one line on stderr
(``readout: …``) and exit 1; a SQLite file that does not exist is such a problem (it is
not created).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from readout.commands.store import DB_HELP, _fail, _store
from readout.corrections import (
    Correction,
    CorrectionError,
    StatementNotFound,
    clear_correction,
    correct_statement,
    export_gold,
    list_corrections,
)
from readout.store.read import DocumentNotFound


def register(main: click.Group) -> None:
    main.add_command(correct_command)
    main.add_command(corrections_command)


def _field(name: str, corrected: str | None, parsed: str) -> str:
    if corrected is None or corrected == parsed:
        return f"{name} {parsed}"
    return f"{name} {corrected} (parser: {parsed})"


def describe(c: Correction) -> str:
    """One line: ``document 12 st3: speaker US (parser: JOINT), act AFFIRM — note``."""
    head = f"document {c.document_id} {c.sid}"
    if c.speaker is None and c.act is None:
        body = f"speaker {c.parser_speaker}, act {c.parser_act} as parsed (no correction)"
    else:
        body = (
            f"{_field('speaker', c.speaker, c.parser_speaker)}, "
            f"{_field('act', c.act, c.parser_act)}"
        )
    detached = "" if c.attached else " [detached: no statement has this span now]"
    note = f" — {c.note}" if c.note else ""
    return f"{head}: {body}{detached}{note}"


@click.command("correct")
@click.argument("document_id", metavar="DOC_ID", type=int)
@click.argument("sid", metavar="SID")
@click.option("--speaker", default=None, help="JOINT or one of the meeting's sides (JP, US…).")
@click.option("--act", default=None, help="One of the acts (AFFIRM, AGREE, CONDEMN…).")
@click.option("--note", default=None, help="Why: what the text says, a source.")
@click.option("--clear", is_flag=True, help="Remove the correction: the parser's values return.")
@click.option("--db", default=None, help=DB_HELP)
def correct_command(
    document_id: int,
    sid: str,
    speaker: str | None,
    act: str | None,
    note: str | None,
    clear: bool,
    db: str | None,
) -> None:
    """Correct the speaker and/or act of statement SID (st1, st2 … as readout show lists
    them) of document DOC_ID; kept apart from parser output and across readout reparse."""
    if clear and (speaker is not None or act is not None or note is not None):
        raise click.UsageError("--clear goes without --speaker, --act and --note")
    if not clear and speaker is None and act is None:
        raise click.UsageError("give --speaker and/or --act, or --clear")
    with _store(db, create=False) as store:
        try:
            if clear:
                removed = clear_correction(store, document_id, sid)
                line = f"document {document_id} {sid}: " + (
                    "correction removed" if removed else "no correction"
                )
            else:
                line = describe(
                    correct_statement(store, document_id, sid, speaker=speaker, act=act, note=note)
                )
        except (CorrectionError, StatementNotFound, DocumentNotFound) as err:
            _fail(str(err))
            sys.exit(1)
    click.echo(line)


def corrections_table(rows: list[Correction]) -> str:
    if not rows:
        return "no corrections\n"
    head = ("DOC", "SID", "SPEAKER", "ACT", "SET", "NOTE")
    body = [
        (
            str(c.document_id),
            c.sid,
            f"{c.parser_speaker}→{c.speaker}" if c.speaker else c.parser_speaker,
            f"{c.parser_act}→{c.act}" if c.act else c.parser_act,
            c.set_at.strftime("%Y-%m-%d"),
            ("detached " if not c.attached else "") + (c.note or ""),
        )
        for c in rows
    ]
    widths = [max(len(r[i]) for r in (head, *body)) for i in range(len(head) - 1)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)) + "  " + r[-1]
        for r in (head, *body)
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


@click.command("corrections")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--export-gold",
    "gold_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the corrected documents as gold files (NAME.txt + NAME.gold.json) into DIR.",
)
@click.option(
    "--document",
    "document_ids",
    type=int,
    multiple=True,
    metavar="DOC_ID",
    help="With --export-gold: these documents (default: every corrected one).",
)
@click.option("--db", default=None, help=DB_HELP)
def corrections_command(
    fmt: str, gold_dir: Path | None, document_ids: tuple[int, ...], db: str | None
) -> None:
    """List the analysts' corrections (detached: no statement of the current parse has
    the span any more), or export them as gold files for readout eval."""
    if document_ids and gold_dir is None:
        raise click.UsageError("--document goes with --export-gold")
    with _store(db, create=False) as store:
        if gold_dir is None:
            rows = list_corrections(store)
        else:
            try:
                written = export_gold(store, gold_dir, document_ids or None)
            except DocumentNotFound as err:
                _fail(str(err))
                sys.exit(1)
            except OSError as err:
                _fail(f"{gold_dir}: cannot write: {err.strerror or err}")
                sys.exit(1)
    if gold_dir is not None:
        for path in written:
            click.echo(str(path))
        click.echo(f"{len(written)} gold file(s) in {gold_dir}", err=True)
        return
    if fmt == "json":
        click.echo(json.dumps([c.to_dict() for c in rows], ensure_ascii=False, indent=1))
    else:
        click.echo(corrections_table(rows), nl=False)
