"""Writing a parsed record into the store: one document version and all its rows.

Callers run :func:`add_document` inside a transaction of their own, so a document is
stored whole or not at all.  :func:`rewrite_rows` (``readout reparse``) writes the
analyst's statement corrections of the document onto its new rows in the same
transaction (:func:`apply_corrections`).

The work is split in two so that parallel ingests can do the first half on their
workers: :func:`record_rows` turns a record into plain row values (no database, cheap to
send between processes), and :func:`add_rows` / :func:`rewrite_rows` insert them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from readout.model import Record
from readout.store import models as m
from readout.store.bigrams import search_text

# Tables holding rows made from a record, children before parents (the order to delete).
_RECORD_TABLES = (
    "mentions",
    "entities",
    "commitments",
    "statements",
    "items",
    "sections",
    "participants",
    "meetings",
)


@dataclass
class RecordRows:
    """A record as the values of its rows, ``document_id`` left out."""

    source_key: str
    sha256: str
    document: dict[str, Any]
    tables: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[list[tuple[int, int]]] = field(default_factory=list)


def source_key(record: Record) -> str:
    """What the versions of one source share: its URL, else its path."""
    return record.source.url or record.source.path or f"sha256:{record.source.sha256}"


def find_by_sha(session: Session, sha256: str) -> m.Document | None:
    return session.scalars(select(m.Document).where(m.Document.sha256 == sha256)).first()


def add_document(session: Session, record: Record, raw: bytes) -> m.Document:
    """Add ``record`` as the newest version of its source (the caller checked the hash)."""
    return add_rows(session, record_rows(record), raw)


def write_rows(session: Session, doc: m.Document, record: Record) -> None:
    """(Re)write every row that comes from ``record`` for ``doc``."""
    rewrite_rows(session, doc, record_rows(record))


def add_rows(session: Session, rows: RecordRows, raw: bytes) -> m.Document:
    """Add the document ``rows`` describe as the newest version of its source."""
    key = rows.source_key
    last = session.scalar(
        select(m.Document.version)
        .where(m.Document.source_key == key)
        .order_by(m.Document.version.desc())
        .limit(1)
    )
    if last is not None:
        session.execute(update(m.Document).where(m.Document.source_key == key).values(latest=False))
    doc = m.Document(
        source_key=key,
        version=(last or 0) + 1,
        latest=True,
        sha256=rows.sha256,
        raw=raw,
        ingested_at=datetime.now(UTC),
        **rows.document,
    )
    session.add(doc)
    session.flush()
    _insert(session, doc.id, rows)
    return doc


def rewrite_rows(session: Session, doc: m.Document, rows: RecordRows) -> None:
    """Replace every row of ``doc`` made from a record by ``rows``."""
    for name in _RECORD_TABLES:
        table = _table(name)
        session.execute(delete(table).where(table.c.document_id == doc.id))
    for name, value in rows.document.items():
        setattr(doc, name, value)
    session.flush()
    _insert(session, doc.id, rows)
    apply_corrections(session, doc)


def apply_corrections(session: Session, doc: m.Document) -> int:
    """Write the analyst's corrections of ``doc`` (``statement_corrections`` under its
    source and version) onto the statement rows with the same span; how many rows took one.
    A correction whose span no statement has any more is left as it is (detached)."""
    sc = m.StatementCorrection
    corrections = session.execute(
        select(sc.start, sc.end, sc.speaker, sc.act).where(
            sc.source_key == doc.source_key, sc.version == doc.version
        )
    ).all()
    statements = _table("statements")
    applied = 0
    for start, end, speaker, act in corrections:
        values = {k: v for k, v in (("speaker", speaker), ("act", act)) if v is not None}
        if not values:
            continue
        result = session.execute(  # a Core UPDATE: a CursorResult
            update(statements)
            .where(
                statements.c.document_id == doc.id,
                statements.c.start == start,
                statements.c.end == end,
            )
            .values(**values)
        )
        applied += cast("CursorResult[Any]", result).rowcount
    return applied


def record_rows(record: Record) -> RecordRows:
    """The values of every row ``record`` makes (no database needed)."""
    src = record.source
    mt = record.meeting
    rows = RecordRows(
        source_key=source_key(record),
        sha256=src.sha256 or "",
        document={
            "path": src.path,
            "url": src.url,
            "format": src.format,
            "encoding": src.encoding,
            "text": record.text,
            "title": record.title,
            "published": record.published,
            "issuers": ",".join(record.issuers) or None,
            "parser_version": record.parser_version,
            "record_json": record.model_dump_json(by_alias=True),
            "warnings": "\n".join(record.warnings) or None,
        },
    )
    rows.tables.append(
        (
            "meetings",
            [
                {
                    "kind": mt.kind,
                    "date": mt.date,
                    "start": mt.start,
                    "start_local": mt.start_local,
                    "duration_minutes": mt.duration_minutes,
                    "duration_approximate": mt.duration_approximate,
                    "location": mt.location,
                    "sides": ",".join(mt.sides),
                    "counterpart": next((s for s in mt.sides if s != "JP"), None),
                    "joint_statement": mt.joint_statement,
                }
            ],
        )
    )
    rows.tables.append(
        (
            "participants",
            [
                {
                    "ordinal": i,
                    "name": p.name,
                    "title": p.title,
                    "side": p.side,
                    "name_en": p.name_en,
                    "title_en": p.title_en,
                }
                for i, p in enumerate(mt.participants)
            ],
        )
    )
    rows.tables.append(
        (
            "sections",
            [
                {"sid": s.id, "number": s.number, "title": s.title, "start": s.start, "end": s.end}
                for s in record.sections
            ],
        )
    )
    rows.tables.append(
        (
            "items",
            [
                {
                    "section": s.id,
                    "iid": it.id,
                    "number": it.number,
                    "start": it.start,
                    "end": it.end,
                }
                for s in record.sections
                for it in s.items
            ],
        )
    )
    rows.tables.append(
        (
            "statements",
            [
                {
                    "sid": st.id,
                    "section": st.section,
                    "item": st.item,
                    "speaker": st.speaker,
                    "person": st.person,
                    "act": st.act,
                    "reaffirmed": st.reaffirmed,
                    "target": st.target,
                    "text": st.text,
                    "start": st.start,
                    "end": st.end,
                    "topics": ",".join(st.topics),
                    "search_text": search_text(st.text),
                }
                for st in record.statements
            ],
        )
    )
    rows.tables.append(
        (
            "commitments",
            [
                {
                    "cid": c.id,
                    "statement": c.statement,
                    "actor": c.actor,
                    "action": c.action,
                    "deadline": c.deadline,
                    "deadline_kind": c.deadline_kind,
                    "start": c.start,
                    "end": c.end,
                }
                for c in record.commitments
            ],
        )
    )
    rows.entities = [
        {"eid": e.id, "type": e.type, "norm": e.norm, "norm_en": e.norm_en, "text": e.text}
        for e in record.entities
    ]
    rows.mentions = [[(a, b) for a, b in e.mentions] for e in record.entities]
    return rows


def _insert(session: Session, document_id: int, rows: RecordRows) -> None:
    # Core inserts of many rows at once: the ORM's unit of work would flush object by
    # object, and writing is what an ingest spends most of its time on.
    for name, values in rows.tables:
        if values:
            session.execute(
                insert(_table(name)), [{**v, "document_id": document_id} for v in values]
            )
    if not rows.entities:
        return
    entities = _table("entities")
    entity_ids = session.scalars(
        insert(entities).returning(entities.c.id, sort_by_parameter_order=True),
        [{**e, "document_id": document_id} for e in rows.entities],
    ).all()
    mentions = [
        {"entity_id": entity_id, "document_id": document_id, "start": a, "end": b}
        for entity_id, spans in zip(entity_ids, rows.mentions, strict=True)
        for a, b in spans
    ]
    if mentions:
        session.execute(insert(_table("mentions")), mentions)


def _table(name: str) -> Table:
    return m.Base.metadata.tables[name]


def stored_record(doc: m.Document) -> Record:
    """The record a document row was written from."""
    return Record.model_validate(json.loads(doc.record_json))
