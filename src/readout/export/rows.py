"""What an export writes: statements, meetings, commitments or whole records, as rows.

Every row is a flat dict with the same keys in the same order (the ``*_FIELDS`` tuples),
so CSV and Parquet get fixed columns; lists (sides, topics, issuers, participants) stay
lists and each format writes them its own way.  Rows come in meeting order (date, then
document id) and text order within a meeting, streamed from the store.

The filters are the search's (:func:`readout.search.search`): ``query`` is matched with
the store's full-text index exactly as a search matches it, but every match is exported,
not a ranked page.  Statement filters (``query``, ``speaker``, ``act``, ``topic``) select
statements; a meeting or a record is exported when one of its statements passes them, a
commitment when the statement it comes from does.  Meeting filters (``kind``,
``counterpart``, ``since``, ``until``) apply to everything.  Superseded document versions
are left out unless ``all_versions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from readout.model import Record
from readout.search import date_bound, filter_values, fts5_query, parse_query, tsquery
from readout.store import Store, StoreError
from readout.store import models as m

What = Literal["statements", "meetings", "commitments", "records"]
WHATS: tuple[str, ...] = ("statements", "meetings", "commitments", "records")

_SOURCE_FIELDS = ("source", "path", "url", "sha256", "title", "version", "parser_version")

STATEMENT_FIELDS: tuple[str, ...] = (
    "statement_id",
    "document_id",
    "sid",
    "section",
    "item",
    "date",
    "kind",
    "sides",
    "counterpart",
    "speaker",
    "person",
    "act",
    "reaffirmed",
    "target",
    "topics",
    "text",
    "start",
    "end",
    *_SOURCE_FIELDS,
)

MEETING_FIELDS: tuple[str, ...] = (
    "document_id",
    "date",
    "kind",
    "sides",
    "counterpart",
    "location",
    "start",
    "start_local",
    "duration_minutes",
    "duration_approximate",
    "joint_statement",
    "participants",
    "published",
    "issuers",
    "statements",
    "commitments",
    *_SOURCE_FIELDS,
)

COMMITMENT_FIELDS: tuple[str, ...] = (
    "commitment_id",
    "document_id",
    "cid",
    "statement",
    "actor",
    "action",
    "deadline",
    "deadline_kind",
    "start",
    "end",
    "date",
    "kind",
    "sides",
    "counterpart",
    "speaker",
    "act",
    "statement_text",
    *_SOURCE_FIELDS,
)

FIELDS: dict[str, tuple[str, ...]] = {
    "statements": STATEMENT_FIELDS,
    "meetings": MEETING_FIELDS,
    "commitments": COMMITMENT_FIELDS,
}

#: Columns that hold lists of strings.
LIST_FIELDS = frozenset({"sides", "topics", "participants", "issuers"})
#: Columns that hold integers, by what is exported; booleans; everything else is text.
_IDS = frozenset({"statement_id", "document_id", "commitment_id", "version"})
INT_FIELDS: dict[str, frozenset[str]] = {
    "statements": _IDS | {"start", "end"},
    "commitments": _IDS | {"start", "end"},
    "meetings": _IDS | {"duration_minutes", "statements", "commitments"},
}
BOOL_FIELDS = frozenset({"reaffirmed", "duration_approximate", "joint_statement"})

_BATCH = 1000


@dataclass(frozen=True)
class Filters:
    """Which rows an export selects (see the module's notes); values are checked."""

    query: str = ""
    speaker: list[str] = field(default_factory=list)
    act: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    counterpart: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    all_versions: bool = False

    @classmethod
    def make(
        cls,
        query: str = "",
        *,
        speaker: str | Iterable[str] | None = None,
        act: str | Iterable[str] | None = None,
        topic: str | Iterable[str] | None = None,
        kind: str | Iterable[str] | None = None,
        counterpart: str | Iterable[str] | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        all_versions: bool = False,
    ) -> Filters:
        """Filters from the values a user gives (raises :class:`~readout.search.SearchError`)."""
        return cls(
            query=query,
            speaker=filter_values("speaker", speaker),
            act=filter_values("act", act),
            topic=filter_values("topic", topic),
            kind=filter_values("kind", kind),
            counterpart=filter_values("counterpart", counterpart),
            since=date_bound(since, end=False, name="since"),
            until=date_bound(until, end=True, name="until"),
            all_versions=all_versions,
        )

    @property
    def on_statements(self) -> bool:
        """Whether any filter selects statements (not only meetings)."""
        return bool(self.query.strip() or self.speaker or self.act or self.topic)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _listed(col: ColumnElement[str] | Any, value: str) -> ColumnElement[bool]:
    """``value`` is one of the comma-separated values of ``col``."""
    joined: ColumnElement[str] = literal(",") + col + literal(",")
    return joined.contains(f",{value},", autoescape=True)


def _statement_conditions(filters: Filters, dialect: str) -> list[ColumnElement[bool]]:
    """The statement filters as conditions on ``statements``."""
    st = m.Statement
    out: list[ColumnElement[bool]] = []
    if filters.query.strip():
        terms = parse_query(filters.query)
        if not terms:
            out.append(literal(False))  # nothing searchable: nothing matches
        elif dialect == "sqlite":
            matches = text(
                "SELECT rowid FROM statements_fts WHERE statements_fts MATCH :fts"
            ).bindparams(bindparam("fts", fts5_query(terms)))
            out.append(st.id.in_(matches.columns(column("rowid", Integer))))
        elif dialect == "postgresql":
            vector: ColumnElement[Any] = literal_column("statements.search_vector")
            ts_query = func.to_tsquery(literal_column("'simple'"), bindparam("tsq", tsquery(terms)))
            out.append(vector.bool_op("@@")(ts_query))
        else:
            raise StoreError(f"text queries are not supported on {dialect}")
    if filters.speaker:
        out.append(st.speaker.in_(filters.speaker))
    if filters.act:
        out.append(st.act.in_(filters.act))
    if filters.topic:
        out.append(or_(*(_listed(st.topics, t) for t in filters.topic)))
    return out


def _meeting_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The meeting filters as conditions on ``documents`` joined with ``meetings``."""
    doc, mt = m.Document, m.Meeting
    out: list[ColumnElement[bool]] = []
    if not filters.all_versions:
        out.append(doc.latest.is_(True))
    if filters.kind:
        out.append(mt.kind.in_(filters.kind))
    if filters.counterpart:
        out.append(or_(*(_listed(mt.sides, c) for c in filters.counterpart)))
    if filters.since:
        out.append(mt.date >= filters.since)
    if filters.until:
        out.append(mt.date <= filters.until)
    return out


def _any_statement(filters: Filters, dialect: str) -> list[ColumnElement[bool]]:
    """A condition on a document: one of its statements passes the statement filters."""
    if not filters.on_statements:
        return []
    st = m.Statement
    cond = _statement_conditions(filters, dialect)
    return [exists().where(st.document_id == m.Document.id, *cond)]


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _source(row: Any) -> dict[str, Any]:
    return {
        "source": row.source_key,
        "path": row.path,
        "url": row.url,
        "sha256": row.sha256,
        "title": row.title,
        "version": row.version,
        "parser_version": row.parser_version,
    }


_SOURCE_COLUMNS = (
    m.Document.source_key,
    m.Document.path,
    m.Document.url,
    m.Document.sha256,
    m.Document.title,
    m.Document.version,
    m.Document.parser_version,
)
_ORDER = (m.Meeting.date.is_(None), m.Meeting.date, m.Document.id)


def _stream(store: Store, query: Select[*tuple[Any, ...]]) -> Iterator[Any]:
    """The rows of ``query``, fetched in batches; database errors as StoreError."""
    try:
        with Session(store.engine) as session:
            result = session.execute(query.execution_options(yield_per=_BATCH))
            yield from result
    except SQLAlchemyError as err:
        raise store.failure(err) from None


def statement_rows(store: Store, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """The statements ``filters`` select, one row each (:data:`STATEMENT_FIELDS`)."""
    filters = filters or Filters()
    st, doc, mt = m.Statement, m.Document, m.Meeting
    query = (
        select(
            st.id,
            st.document_id,
            st.sid,
            st.section,
            st.item,
            mt.date,
            mt.kind,
            mt.sides,
            mt.counterpart,
            st.speaker,
            st.person,
            st.act,
            st.reaffirmed,
            st.target,
            st.topics,
            st.text,
            st.start,
            st.end,
            *_SOURCE_COLUMNS,
        )
        .join(doc, doc.id == st.document_id)
        .join(mt, mt.document_id == st.document_id)
        .where(
            *_statement_conditions(filters, store.dialect),
            *_meeting_conditions(filters),
        )
        .order_by(*_ORDER, st.start, st.id)
    )
    for row in _stream(store, query):
        yield {
            "statement_id": row.id,
            "document_id": row.document_id,
            "sid": row.sid,
            "section": row.section,
            "item": row.item,
            "date": row.date,
            "kind": row.kind,
            "sides": _split(row.sides),
            "counterpart": row.counterpart,
            "speaker": row.speaker,
            "person": row.person,
            "act": row.act,
            "reaffirmed": bool(row.reaffirmed),
            "target": row.target,
            "topics": _split(row.topics),
            "text": row.text,
            "start": row.start,
            "end": row.end,
            **_source(row),
        }


def meeting_rows(store: Store, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """The meetings ``filters`` select, one row each (:data:`MEETING_FIELDS`).

    ``participants`` is a list of ``SIDE:name:title`` strings (empty parts when unknown).
    """
    filters = filters or Filters()
    doc, mt, st, cm = m.Document, m.Meeting, m.Statement, m.Commitment
    n_statements = (
        select(func.count()).where(st.document_id == doc.id).correlate(doc).scalar_subquery()
    )
    n_commitments = (
        select(func.count()).where(cm.document_id == doc.id).correlate(doc).scalar_subquery()
    )
    query = (
        select(
            doc.id,
            mt.date,
            mt.kind,
            mt.sides,
            mt.counterpart,
            mt.location,
            mt.start,
            mt.start_local,
            mt.duration_minutes,
            mt.duration_approximate,
            mt.joint_statement,
            doc.published,
            doc.issuers,
            n_statements.label("n_statements"),
            n_commitments.label("n_commitments"),
            *_SOURCE_COLUMNS,
        )
        .join(mt, mt.document_id == doc.id)
        .where(*_meeting_conditions(filters), *_any_statement(filters, store.dialect))
        .order_by(*_ORDER)
    )
    batch: list[Any] = []
    for row in _stream(store, query):
        batch.append(row)
        if len(batch) >= _BATCH:
            yield from _meetings(store, batch)
            batch = []
    yield from _meetings(store, batch)


def _meetings(store: Store, rows: list[Any]) -> Iterator[dict[str, Any]]:
    if not rows:
        return
    pt = m.Participant
    people: dict[int, list[str]] = {}
    query = (
        select(pt.document_id, pt.side, pt.name, pt.title)
        .where(pt.document_id.in_([r.id for r in rows]))
        .order_by(pt.document_id, pt.ordinal)
    )
    for p in _stream(store, query):
        people.setdefault(p.document_id, []).append(f"{p.side or ''}:{p.name}:{p.title or ''}")
    for row in rows:
        yield {
            "document_id": row.id,
            "date": row.date,
            "kind": row.kind,
            "sides": _split(row.sides),
            "counterpart": row.counterpart,
            "location": row.location,
            "start": row.start,
            "start_local": row.start_local,
            "duration_minutes": row.duration_minutes,
            "duration_approximate": bool(row.duration_approximate),
            "joint_statement": bool(row.joint_statement),
            "participants": people.get(row.id, []),
            "published": row.published,
            "issuers": _split(row.issuers),
            "statements": int(row.n_statements),
            "commitments": int(row.n_commitments),
            **_source(row),
        }


def commitment_rows(store: Store, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """The commitments ``filters`` select, one row each (:data:`COMMITMENT_FIELDS`)."""
    filters = filters or Filters()
    cm, st, doc, mt = m.Commitment, m.Statement, m.Document, m.Meeting
    query = (
        select(
            cm.id,
            cm.document_id,
            cm.cid,
            cm.statement,
            cm.actor,
            cm.action,
            cm.deadline,
            cm.deadline_kind,
            cm.start,
            cm.end,
            mt.date,
            mt.kind,
            mt.sides,
            mt.counterpart,
            st.speaker,
            st.act,
            st.text.label("statement_text"),
            *_SOURCE_COLUMNS,
        )
        .join(doc, doc.id == cm.document_id)
        .join(mt, mt.document_id == cm.document_id)
        .outerjoin(st, and_(st.document_id == cm.document_id, st.sid == cm.statement))
        .where(
            *_statement_conditions(filters, store.dialect),
            *_meeting_conditions(filters),
        )
        .order_by(*_ORDER, cm.start, cm.id)
    )
    for row in _stream(store, query):
        yield {
            "commitment_id": row.id,
            "document_id": row.document_id,
            "cid": row.cid,
            "statement": row.statement,
            "actor": row.actor,
            "action": row.action,
            "deadline": row.deadline,
            "deadline_kind": row.deadline_kind,
            "start": row.start,
            "end": row.end,
            "date": row.date,
            "kind": row.kind,
            "sides": _split(row.sides),
            "counterpart": row.counterpart,
            "speaker": row.speaker,
            "act": row.act,
            "statement_text": row.statement_text,
            **_source(row),
        }


def records(store: Store, filters: Filters | None = None) -> Iterator[Record]:
    """The whole parsed records of the meetings ``filters`` select, in meeting order."""
    filters = filters or Filters()
    doc, mt = m.Document, m.Meeting
    query = (
        select(doc.record_json)
        .join(mt, mt.document_id == doc.id)
        .where(*_meeting_conditions(filters), *_any_statement(filters, store.dialect))
        .order_by(*_ORDER)
    )
    for row in _stream(store, query):
        yield Record.model_validate_json(row.record_json)


def rows(store: Store, what: str, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """The rows of ``what`` (statements, meetings, commitments; records as dicts)."""
    if what == "statements":
        return statement_rows(store, filters)
    if what == "meetings":
        return meeting_rows(store, filters)
    if what == "commitments":
        return commitment_rows(store, filters)
    if what == "records":
        return (r.to_dict() for r in records(store, filters))
    raise ValueError(f"unknown --what {what!r} (one of: {', '.join(WHATS)})")
