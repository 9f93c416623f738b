"""Writing a parsed record into the store: one document version and all its rows.

Callers run :func:`add_document` inside a transaction of their own, so a document is
stored whole or not at all.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from readout.model import Record
from readout.store import models as m
from readout.store.bigrams import search_text


def source_key(record: Record) -> str:
    """What the versions of one source share: its URL, else its path."""
    return record.source.url or record.source.path or f"sha256:{record.source.sha256}"


def find_by_sha(session: Session, sha256: str) -> m.Document | None:
    return session.scalars(select(m.Document).where(m.Document.sha256 == sha256)).first()


def add_document(session: Session, record: Record, raw: bytes) -> m.Document:
    """Add ``record`` as the newest version of its source (the caller checked the hash)."""
    key = source_key(record)
    last = session.scalar(
        select(m.Document.version)
        .where(m.Document.source_key == key)
        .order_by(m.Document.version.desc())
        .limit(1)
    )
    session.execute(update(m.Document).where(m.Document.source_key == key).values(latest=False))
    doc = m.Document(
        source_key=key,
        version=(last or 0) + 1,
        latest=True,
        sha256=record.source.sha256 or "",
        path=record.source.path,
        url=record.source.url,
        format=record.source.format,
        encoding=record.source.encoding,
        raw=raw,
        text=record.text,
        parser_version=record.parser_version,
        record_json="{}",
        ingested_at=datetime.now(UTC),
    )
    session.add(doc)
    session.flush()
    write_rows(session, doc, record)
    return doc


def write_rows(session: Session, doc: m.Document, record: Record) -> None:
    """(Re)write every row that comes from ``record`` for ``doc``."""
    for table in (
        m.Mention,
        m.Entity,
        m.Commitment,
        m.Statement,
        m.Item,
        m.Section,
        m.Participant,
        m.Meeting,
    ):
        session.execute(delete(table).where(table.document_id == doc.id))
    doc.title = record.title
    doc.published = record.published
    doc.issuers = ",".join(record.issuers) or None
    doc.parser_version = record.parser_version
    doc.record_json = record.model_dump_json(by_alias=True)
    doc.warnings = "\n".join(record.warnings) or None
    mt = record.meeting
    session.add(
        m.Meeting(
            document_id=doc.id,
            kind=mt.kind,
            date=mt.date,
            start=mt.start,
            start_local=mt.start_local,
            duration_minutes=mt.duration_minutes,
            duration_approximate=mt.duration_approximate,
            location=mt.location,
            sides=",".join(mt.sides),
            counterpart=next((s for s in mt.sides if s != "JP"), None),
            joint_statement=mt.joint_statement,
        )
    )
    session.add_all(
        m.Participant(
            document_id=doc.id,
            ordinal=i,
            name=p.name,
            title=p.title,
            side=p.side,
            name_en=p.name_en,
            title_en=p.title_en,
        )
        for i, p in enumerate(mt.participants)
    )
    for s in record.sections:
        session.add(
            m.Section(
                document_id=doc.id,
                sid=s.id,
                number=s.number,
                title=s.title,
                start=s.start,
                end=s.end,
            )
        )
        session.add_all(
            m.Item(
                document_id=doc.id,
                section=s.id,
                iid=it.id,
                number=it.number,
                start=it.start,
                end=it.end,
            )
            for it in s.items
        )
    session.add_all(
        m.Statement(
            document_id=doc.id,
            sid=st.id,
            section=st.section,
            item=st.item,
            speaker=st.speaker,
            person=st.person,
            act=st.act,
            reaffirmed=st.reaffirmed,
            target=st.target,
            text=st.text,
            start=st.start,
            end=st.end,
            topics=",".join(st.topics),
            search_text=search_text(st.text),
        )
        for st in record.statements
    )
    for e in record.entities:
        ent = m.Entity(
            document_id=doc.id, eid=e.id, type=e.type, norm=e.norm, norm_en=e.norm_en, text=e.text
        )
        session.add(ent)
        session.flush()
        session.add_all(
            m.Mention(entity_id=ent.id, document_id=doc.id, start=a, end=b) for a, b in e.mentions
        )
    session.add_all(
        m.Commitment(
            document_id=doc.id,
            cid=c.id,
            statement=c.statement,
            actor=c.actor,
            action=c.action,
            deadline=c.deadline,
            deadline_kind=c.deadline_kind,
            start=c.start,
            end=c.end,
        )
        for c in record.commitments
    )
    session.flush()


def stored_record(doc: m.Document) -> Record:
    """The record a document row was written from."""
    return Record.model_validate(json.loads(doc.record_json))
