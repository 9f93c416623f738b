"""Tables of the store (SQLAlchemy 2 declarative models).

Every row that comes from a record carries the offsets of its span in its document's
``text``; ``documents.parser_version`` says which parser made the rows.  A changed page
at the same source is a new document version; old versions are kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Document(Base):
    """One version of one source (a file path or a URL) and its parsed text."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("sha256", name="uq_documents_sha256"),
        Index("ix_documents_source_version", "source_key", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_key: Mapped[str] = mapped_column(Text, doc="path or URL the versions share")
    version: Mapped[int] = mapped_column(Integer, default=1)
    latest: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str | None] = mapped_column(String(32))
    raw: Mapped[bytes] = mapped_column(LargeBinary, doc="the source's bytes, for re-parsing")
    text: Mapped[str] = mapped_column(Text, doc="the text every offset indexes")
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10), index=True)
    issuers: Mapped[str | None] = mapped_column(Text, doc="comma-separated")
    parser_version: Mapped[str] = mapped_column(String(32), index=True)
    record_json: Mapped[str] = mapped_column(Text, doc="the whole record, as parsed")
    warnings: Mapped[str | None] = mapped_column(Text, doc="one per line")
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(24), index=True)
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    start: Mapped[str | None] = mapped_column(String(32))
    start_local: Mapped[str | None] = mapped_column(String(32))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    duration_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    location: Mapped[str | None] = mapped_column(Text)
    sides: Mapped[str] = mapped_column(String(64), doc="comma-separated ISO codes, JP first")
    counterpart: Mapped[str | None] = mapped_column(String(2), index=True)
    joint_statement: Mapped[bool] = mapped_column(Boolean, default=False)


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    side: Mapped[str | None] = mapped_column(String(8))
    name_en: Mapped[str | None] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    sid: Mapped[str] = mapped_column(String(16))
    number: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[str] = mapped_column(String(16))
    iid: Mapped[str] = mapped_column(String(16))
    number: Mapped[str | None] = mapped_column(String(16))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Statement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    sid: Mapped[str] = mapped_column(String(16), doc="the record's id: st1, st2, …")
    section: Mapped[str | None] = mapped_column(String(16))
    item: Mapped[str | None] = mapped_column(String(16))
    speaker: Mapped[str] = mapped_column(String(8), index=True)
    person: Mapped[str | None] = mapped_column(Text)
    act: Mapped[str] = mapped_column(String(16), index=True)
    reaffirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    target: Mapped[str | None] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    topics: Mapped[str] = mapped_column(Text, default="", doc="comma-separated topic ids")
    search_text: Mapped[str] = mapped_column(
        Text, default="", doc="the text as space-separated bigrams, for Japanese search"
    )


class Entity(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    eid: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(16), index=True)
    norm: Mapped[str] = mapped_column(Text, index=True)
    norm_en: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class Mention(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Commitment(Base):
    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    cid: Mapped[str] = mapped_column(String(16))
    statement: Mapped[str] = mapped_column(String(16), doc="the statement's record id")
    actor: Mapped[str] = mapped_column(String(8), index=True)
    action: Mapped[str] = mapped_column(Text)
    deadline: Mapped[str | None] = mapped_column(String(10), index=True)
    deadline_kind: Mapped[str | None] = mapped_column(String(8))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class CommitmentStatus(Base):
    """An analyst's verdict on a commitment: ``met`` or ``dropped``, with a note.

    Keyed by the document's source and version and the commitment's span and action, not
    by the commitment row (``readout reparse`` rewrites those rows with new ids)."""

    __tablename__ = "commitment_status"
    __table_args__ = (
        UniqueConstraint(
            "source_key", "version", "start", "end", "action", name="uq_commitment_status_key"
        ),
        CheckConstraint("status IN ('met', 'dropped')", name="ck_commitment_status_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_key: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StatementCorrection(Base):
    """An analyst's correction of a statement's speaker and/or act, with a note.

    Kept apart from parser output (``documents.record_json`` stays what the parser said)
    and keyed by what survives ``readout reparse``: the document's source and version and
    the statement's span.  The corrected values are also written onto the matching
    ``statements`` row, again after every reparse.  ``speaker`` / ``act`` are null where
    that field is not corrected; ``sid``, ``parser_speaker`` and ``parser_act`` record the
    statement as it was when the correction was set (shown when no statement of a later
    parse has the span any more)."""

    __tablename__ = "statement_corrections"
    __table_args__ = (
        UniqueConstraint(
            "source_key", "version", "start", "end", name="uq_statement_corrections_key"
        ),
        CheckConstraint(
            "speaker IS NOT NULL OR act IS NOT NULL", name="ck_statement_corrections_some"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_key: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sid: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str | None] = mapped_column(String(8))
    act: Mapped[str | None] = mapped_column(String(16))
    parser_speaker: Mapped[str] = mapped_column(String(8))
    parser_act: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
