"""Render a :class:`~readout.model.Record` as Markdown for people to read.

Only what the record holds is shown: a record from an unfinished parser, with no meeting
details, sections or statements, still renders as a title, a source line and its warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from readout.model import Commitment, Meeting, Record, Statement

# Characters Markdown could read as markup inside running text or a table cell.
_MARKUP = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def render_markdown(record: Record) -> str:
    """The Markdown text of ``record``, ending in a newline."""
    blocks: list[str] = [_header(record)]
    meeting = _meeting(record.meeting)
    if meeting:
        blocks.append(meeting)
    blocks.extend(_sections(record))
    if record.commitments:
        blocks.append(_commitments(record.commitments))
    if record.warnings:
        blocks.append("## Warnings\n\n" + "\n".join(f"- {_inline(w)}" for w in record.warnings))
    return "\n\n".join(blocks) + "\n"


def _inline(text: str) -> str:
    """``text`` on one line with Markdown markup characters escaped."""
    return " ".join(text.split()).translate(_MARKUP)


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.extend("| " + " | ".join(_inline(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def _header(record: Record) -> str:
    title = _inline(record.title) if record.title else "(untitled readout)"
    lines = [f"# {title}", ""]
    facts = []
    if record.published:
        facts.append(f"Published {record.published}")
    if record.issuers:
        facts.append(_inline("、".join(record.issuers)))
    if facts:
        lines.append(" · ".join(facts) + "  ")
    src = record.source
    where = src.path or src.url
    details = [src.format] + ([src.encoding] if src.encoding else [])
    if src.sha256:
        details.append(f"sha256 {src.sha256[:12]}…")
    origin = f"`{where}`" if where else "(no source)"
    lines.append(f"Source: {origin} ({', '.join(details)}) · parser {record.parser_version}")
    return "\n".join(lines)


def _meeting(meeting: Meeting) -> str:
    rows: list[tuple[str, str]] = [("Kind", meeting.kind)]
    if meeting.date:
        rows.append(("Date", meeting.date))
    if meeting.start:
        rows.append(("Start", meeting.start))
    if meeting.start_local:
        rows.append(("Other clock", meeting.start_local))
    if meeting.duration_minutes is not None:
        rows.append(("Duration", _duration(meeting.duration_minutes, meeting.duration_approximate)))
    if meeting.location:
        rows.append(("Place", meeting.location))
    if meeting.sides:
        rows.append(("Sides", ", ".join(meeting.sides)))
    rows.append(("Joint statement", "yes" if meeting.joint_statement else "no"))
    if not meeting.participants and rows == [("Kind", "other"), ("Joint statement", "no")]:
        return ""  # nothing was found; an all-default table would only be noise
    parts = ["## Meeting", _table(("", ""), rows)]
    if meeting.participants:
        people = [
            (
                p.name,
                p.title or "",
                p.side or "",
                ", ".join(x for x in (p.name_en, p.title_en) if x),
            )
            for p in meeting.participants
        ]
        parts += ["### Participants", _table(("Name", "Title", "Side", "English"), people)]
    return "\n\n".join(parts)


def _duration(minutes: int, approximate: bool) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        text = f"{hours} h {rest} min"
    elif hours:
        text = f"{hours} h"
    else:
        text = f"{rest} min"
    return f"≈ {text}" if approximate else text


def _sections(record: Record) -> list[str]:
    by_section: dict[str | None, list[Statement]] = {}
    for st in record.statements:
        by_section.setdefault(st.section, []).append(st)
    blocks = []
    for section in record.sections:
        heading = " ".join(x for x in (section.number, section.title) if x) or section.id
        block = f"## {_inline(heading)}"
        statements = by_section.pop(section.id, [])
        if statements:
            block += "\n\n" + "\n".join(_statement(st) for st in statements)
        blocks.append(block)
    # Statements whose section is missing or unknown are still shown, in text order.
    rest = [st for sts in by_section.values() for st in sts]
    if rest:
        rest.sort(key=lambda st: st.start)
        heading = "## Other statements" if record.sections else "## Statements"
        blocks.append(heading + "\n\n" + "\n".join(_statement(st) for st in rest))
    return blocks


def _statement(st: Statement) -> str:
    label = f"**{st.speaker}** · {st.act}"
    if st.reaffirmed:
        label += " ↺"
    if st.person:
        label += f" · {_inline(st.person)}"
    if st.target:
        label += f" → {st.target}"
    return f"- {label}: {_inline(st.text)} `{st.id}`"


def _commitments(commitments: Sequence[Commitment]) -> str:
    rows = [
        (c.actor, c.action, c.deadline or "", c.deadline_kind or "", c.statement)
        for c in commitments
    ]
    head = ("Actor", "Action", "Deadline", "Kind", "Statement")
    return "## Commitments\n\n" + _table(head, rows)
