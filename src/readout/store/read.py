"""Reading the store back: meetings to list, a document's record, row counts.

Every function takes an open :class:`~readout.store.Store` and returns plain values, so
the CLI, the web app and a notebook print or tabulate them as they like.  Database
failures become :class:`~readout.store.StoreError` (one line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from readout.model import Record
from readout.store import models as m
from readout.store.db import Store
from readout.store.write import stored_record

#: Tables whose rows come from records, in the order a reader meets them.
TABLES: tuple[type[m.Base], ...] = (
    m.Document,
    m.Meeting,
    m.Participant,
    m.Section,
    m.Item,
    m.Statement,
    m.Entity,
    m.Mention,
    m.Commitment,
)

_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class DocumentNotFound(LookupError):
    """No document has this id."""

    def __init__(self, document_id: int) -> None:
        self.document_id = document_id
        super().__init__(f"no document with id {document_id}")


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as ``readout meetings`` lists it; ``id`` is its document's id."""

    id: int
    date: str | None
    kind: str
    counterpart: str | None
    sides: str
    location: str | None
    title: str | None
    statements: int
    commitments: int
    source: str
    version: int
    parser_version: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@contextmanager
def _session(store: Store) -> Iterator[Session]:
    try:
        with Session(store.engine) as session:
            yield session
    except SQLAlchemyError as err:
        raise store.failure(err) from None


def check_partial_date(value: str) -> str:
    """``value`` if it is YYYY, YYYY-MM or YYYY-MM-DD, else ValueError."""
    if not _PARTIAL_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def list_meetings(
    store: Store,
    *,
    kind: str | None = None,
    counterpart: str | None = None,
    since: str | None = None,
    until: str | None = None,
    all_versions: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[MeetingRow]:
    """Meetings by date, then id; the newest version of each source unless ``all_versions``.

    ``since`` and ``until`` are inclusive partial dates: ``until="2020"`` keeps every
    meeting of 2020.  Meetings without a date are left out when either is given.
    ``counterpart`` is a side code (``US``) and matches any side of the meeting.
    ``limit`` and ``offset`` page through the list.
    """
    statements = (
        select(func.count())
        .where(m.Statement.document_id == m.Document.id)
        .correlate(m.Document)
        .scalar_subquery()
    )
    commitments = (
        select(func.count())
        .where(m.Commitment.document_id == m.Document.id)
        .correlate(m.Document)
        .scalar_subquery()
    )
    query: Select[Any] = select(
        m.Document.id,
        m.Meeting.date,
        m.Meeting.kind,
        m.Meeting.counterpart,
        m.Meeting.sides,
        m.Meeting.location,
        m.Document.title,
        statements.label("statements"),
        commitments.label("commitments"),
        m.Document.source_key,
        m.Document.version,
        m.Document.parser_version,
    ).join(m.Meeting, m.Meeting.document_id == m.Document.id)
    if not all_versions:
        query = query.where(m.Document.latest.is_(True))
    if kind:
        query = query.where(m.Meeting.kind == kind)
    if counterpart:
        code = counterpart.upper()
        query = query.where((literal(",") + m.Meeting.sides + ",").contains(f",{code},"))
    if since:
        query = query.where(m.Meeting.date >= check_partial_date(since))
    if until:
        # "~" sorts after digits and "-": every date that starts with ``until`` is kept.
        query = query.where(m.Meeting.date <= check_partial_date(until) + "~")
    query = query.order_by(m.Meeting.date.is_(None), m.Meeting.date, m.Document.id)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    with _session(store) as session:
        return [MeetingRow(*row) for row in session.execute(query)]


def get_document(store: Store, document_id: int) -> Record:
    """The record stored as document ``document_id`` (:class:`DocumentNotFound` if none)."""
    with _session(store) as session:
        doc = session.get(m.Document, document_id)
        if doc is None:
            raise DocumentNotFound(document_id)
        return stored_record(doc)


def table_counts(store: Store) -> dict[str, int]:
    """Rows in each table of :data:`TABLES`, by table name."""
    with _session(store) as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
            for t in TABLES
        }


def fingerprint(store: Store) -> tuple[object, ...]:
    """A value that changes whenever what a reader sees may have changed: a document added,
    re-parsed by another parser version, a correction or verdict set, changed or cleared.
    (A re-parse by the same parser version writes the same rows.)  Each part is an index
    lookup or a scan of a small table, so callers can afford it on every request to key a
    cache."""
    query = select(
        select(func.max(m.Document.id)).scalar_subquery(),
        select(func.count(m.Document.id)).scalar_subquery(),
        select(func.max(m.Statement.id)).scalar_subquery(),
        select(func.max(m.Document.parser_version)).scalar_subquery(),
        select(func.min(m.Document.parser_version)).scalar_subquery(),
        select(func.count(m.StatementCorrection.id)).scalar_subquery(),
        select(func.max(m.StatementCorrection.set_at)).scalar_subquery(),
        select(func.count(m.CommitmentStatus.id)).scalar_subquery(),
        select(func.max(m.CommitmentStatus.set_at)).scalar_subquery(),
    )
    with _session(store) as session:
        return tuple(session.execute(query).one())
