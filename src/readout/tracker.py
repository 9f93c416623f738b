"""Commitment tracker: what the meetings committed to, by when, and what became of it.

:func:`commitments` lists the stored commitments (latest version of each document) with a
status, the first that applies:

``met`` / ``dropped``
    set by an analyst with :func:`set_status` (``readout commitments-set``), with a note;
    :func:`clear_status` (``readout commitments-set ID --clear``) takes it back.
    Kept in ``commitment_status`` under the document's source and version and the
    commitment's span and action, so it survives ``readout reparse`` (which rewrites the
    commitment rows with new ids).
``evidence``
    a statement of a later meeting of the same kind and counterpart (latest versions)
    matches the commitment's action: :meth:`readout.matching.Matcher.content` at least
    the matcher's threshold.  Speaker and act are not compared: a progress report is
    usually a welcome or an affirmation of what was decided.  Every such meeting's best
    statement is kept as a link, oldest first.
``due``
    the deadline has passed on ``as_of``.  A deadline is a partial ISO date and passes at
    the end of its period (``2024`` at the end of 2024, ``2024-12`` at the end of
    December), whatever its kind (``by``, ``in``, ``start``).
``open``
    none of these.

:func:`calendar` groups the commitments with a deadline by the deadline's year.
"""

from __future__ import annotations

import calendar as _calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, cast, get_args

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from readout.lineage import StoredStatement, meeting_statements
from readout.matching import Matcher, Position
from readout.store import models as m
from readout.store.db import Store
from readout.store.read import check_partial_date

Status = Literal["open", "due", "evidence", "met", "dropped"]
STATUSES: tuple[str, ...] = get_args(Status)
#: What an analyst may set.
SET_STATUSES: tuple[str, ...] = ("met", "dropped")
#: ``date`` under another name, for classes with a field called ``date``.
Day = date


class CommitmentNotFound(LookupError):
    """No commitment row has this id."""

    def __init__(self, commitment_id: int) -> None:
        self.commitment_id = commitment_id
        super().__init__(f"no commitment with id {commitment_id}")


@dataclass(frozen=True)
class EvidenceLink:
    """A later statement that matches a commitment's action."""

    document_id: int
    date: str | None
    statement_id: int
    sid: str
    speaker: str
    act: str
    text: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "date": self.date,
            "statement_id": self.statement_id,
            "sid": self.sid,
            "speaker": self.speaker,
            "act": self.act,
            "text": self.text,
            "score": self.score,
        }


@dataclass(frozen=True)
class TrackedCommitment:
    """A commitment with its status; ``id`` is the commitment row's id."""

    id: int
    document_id: int
    date: str | None
    kind: str
    counterpart: str | None
    cid: str
    statement: str
    actor: str
    action: str
    deadline: str | None
    deadline_kind: str | None
    due_date: Day | None
    status: Status
    note: str | None = None
    evidence: tuple[EvidenceLink, ...] = field(default_factory=tuple)

    @property
    def latest_evidence(self) -> EvidenceLink | None:
        return self.evidence[-1] if self.evidence else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document_id": self.document_id,
            "date": self.date,
            "kind": self.kind,
            "counterpart": self.counterpart,
            "cid": self.cid,
            "statement": self.statement,
            "actor": self.actor,
            "action": self.action,
            "deadline": self.deadline,
            "deadline_kind": self.deadline_kind,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "status": self.status,
            "note": self.note,
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class StatusRow:
    """What :func:`set_status` stored."""

    commitment_id: int
    source_key: str
    version: int
    status: str
    note: str | None
    set_at: datetime


def period_end(value: str) -> date:
    """The last day of the partial ISO date ``value`` (YYYY, YYYY-MM or YYYY-MM-DD)."""
    check_partial_date(value)
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], _calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], parts[1], parts[2])


def period_start(value: str) -> date:
    """The first day of the partial ISO date ``value``."""
    check_partial_date(value)
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def _due_date(deadline: str | None) -> date | None:
    if not deadline:
        return None
    try:
        return period_end(deadline)
    except ValueError:  # a deadline the parser wrote that is no date: never due
        return None


_COMMITMENT_COLUMNS = (
    m.Commitment.id,
    m.Commitment.document_id,
    m.Commitment.cid,
    m.Commitment.statement,
    m.Commitment.actor,
    m.Commitment.action,
    m.Commitment.deadline,
    m.Commitment.deadline_kind,
    m.Commitment.start,
    m.Commitment.end,
    m.Meeting.date,
    m.Meeting.kind,
    m.Meeting.counterpart,
    m.Document.source_key,
    m.Document.version,
)


def _evidence(session: Session, rows: list[Any]) -> dict[int, tuple[EvidenceLink, ...]]:
    """Commitment id → links to the later statements that match its action."""
    series: dict[tuple[str, str | None], list[tuple[int, str]]] = defaultdict(list)
    keys = {(r.kind, r.counterpart) for r in rows}
    for kind, counterpart in keys:
        query = (
            select(m.Meeting.document_id, m.Meeting.date)
            .join(m.Document, m.Document.id == m.Meeting.document_id)
            .where(
                m.Document.latest.is_(True),
                m.Meeting.kind == kind,
                m.Meeting.date.is_not(None),
                m.Meeting.counterpart.is_(None)
                if counterpart is None
                else m.Meeting.counterpart == counterpart,
            )
        )
        series[(kind, counterpart)] = [(d, dt) for d, dt in session.execute(query) if dt]
    doc_ids = {d for meetings in series.values() for d, _ in meetings}
    statements: dict[int, list[StoredStatement]] = defaultdict(list)
    for st in meeting_statements(session, doc_ids):
        statements[st.document_id].append(st)
    mentions: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for doc_id, start, end, norm in session.execute(
        select(m.Mention.document_id, m.Mention.start, m.Mention.end, m.Entity.norm)
        .join(m.Entity, m.Entity.id == m.Mention.entity_id)
        .where(m.Mention.document_id.in_({r.document_id for r in rows}))
    ):
        mentions[doc_id].append((start, end, norm))
    matcher = Matcher(
        [st.text for sts in statements.values() for st in sts] + [r.action for r in rows]
    )
    out: dict[int, tuple[EvidenceLink, ...]] = {}
    for r in rows:
        if r.date is None:
            continue
        own = next((s for s in statements[r.document_id] if s.sid == r.statement), None)
        position = Position(
            r.action,
            r.actor,
            own.act if own else "COMMIT",
            frozenset(n for s, e, n in mentions[r.document_id] if s >= r.start and e <= r.end),
            own.topics if own else frozenset(),
        )
        links = []
        for doc_id, when in sorted(series[(r.kind, r.counterpart)], key=lambda t: (t[1], t[0])):
            if when <= r.date:
                continue
            scored = [(matcher.content(position, st.position), st) for st in statements[doc_id]]
            scored = [(s, st) for s, st in scored if s >= matcher.threshold]
            if not scored:
                continue
            score, st = max(scored, key=lambda t: (t[0], -t[1].id))
            links.append(
                EvidenceLink(
                    doc_id, when, st.id, st.sid, st.speaker, st.act, st.text, round(score, 6)
                )
            )
        out[r.id] = tuple(links)
    return out


def commitments(
    store: Store,
    *,
    as_of: date | None = None,
    due_before: str | date | None = None,
    status: str | None = None,
    actor: str | None = None,
    document_id: int | None = None,
    commitment_id: int | None = None,
    evidence: bool = True,
) -> list[TrackedCommitment]:
    """The commitments of the latest document versions with their status on ``as_of``
    (default today), by meeting date, then id.

    ``document_id`` keeps the commitments of that one document, whichever version it is;
    ``commitment_id`` keeps that one commitment.  ``evidence=False`` skips the search for
    later statements that match (the costly part: it reads every statement of each
    commitment's series): a status is then the verdict, else ``due`` or ``open`` by the
    deadline, and ``evidence`` is empty.

    ``due_before`` (a partial date or a date) keeps those whose deadline ends before it
    begins: ``"2026"`` keeps deadlines up to the end of 2025.  ``status`` keeps one status
    (see the module notes); ``actor`` one side code (``JP``, ``US``, ``JOINT``).
    """
    today = as_of or date.today()
    if status is not None and status not in STATUSES:
        raise ValueError(f"{status!r} is not a status ({', '.join(STATUSES)})")
    before: date | None = None
    if isinstance(due_before, str):
        before = period_start(due_before)
    elif due_before is not None:
        before = due_before
    query = (
        select(*_COMMITMENT_COLUMNS)
        .join(m.Document, m.Document.id == m.Commitment.document_id)
        .join(m.Meeting, m.Meeting.document_id == m.Commitment.document_id)
        .order_by(m.Meeting.date.is_(None), m.Meeting.date, m.Commitment.id)
    )
    if document_id is None and commitment_id is None:
        query = query.where(m.Document.latest.is_(True))
    if document_id is not None:
        query = query.where(m.Commitment.document_id == document_id)
    if commitment_id is not None:
        query = query.where(m.Commitment.id == commitment_id)
    if actor:
        query = query.where(m.Commitment.actor == actor.upper())
    try:
        with Session(store.engine) as session:
            rows = list(session.execute(query))
            if before is not None:
                rows = [r for r in rows if (d := _due_date(r.deadline)) and d < before]
            verdicts = {
                (v.source_key, v.version, v.start, v.end, v.action): v
                for v in session.scalars(
                    select(m.CommitmentStatus).where(
                        m.CommitmentStatus.source_key.in_({r.source_key for r in rows})
                    )
                )
            }
            found = _evidence(session, rows) if rows and evidence else {}
    except SQLAlchemyError as err:
        raise store.failure(err) from None
    out = []
    for r in rows:
        due = _due_date(r.deadline)
        verdict = verdicts.get((r.source_key, r.version, r.start, r.end, r.action))
        links = found.get(r.id, ())
        state: Status
        if verdict is not None:
            state = "met" if verdict.status == "met" else "dropped"
        elif links:
            state = "evidence"
        elif due is not None and due < today:
            state = "due"
        else:
            state = "open"
        if status is not None and state != status:
            continue
        out.append(
            TrackedCommitment(
                r.id,
                r.document_id,
                r.date,
                r.kind,
                r.counterpart,
                r.cid,
                r.statement,
                r.actor,
                r.action,
                r.deadline,
                r.deadline_kind,
                due,
                state,
                verdict.note if verdict else None,
                links,
            )
        )
    return out


def calendar(
    store: Store,
    *,
    as_of: date | None = None,
    due_before: str | date | None = None,
    status: str | None = None,
    actor: str | None = None,
) -> list[tuple[int, list[TrackedCommitment]]]:
    """The commitments with a deadline, grouped by the deadline's year (years in order,
    each by deadline then id); the filters are :func:`commitments`'s."""
    years: dict[int, list[TrackedCommitment]] = defaultdict(list)
    found = commitments(store, as_of=as_of, due_before=due_before, status=status, actor=actor)
    for c in found:
        if c.due_date is not None:
            years[c.due_date.year].append(c)
    return [
        (year, sorted(years[year], key=lambda c: (c.due_date or date.max, c.id)))
        for year in sorted(years)
    ]


def set_status(store: Store, commitment_id: int, status: str, note: str | None) -> StatusRow:
    """Mark commitment row ``commitment_id`` ``met`` or ``dropped`` with ``note`` (replacing
    an earlier verdict on it)."""
    if status not in SET_STATUSES:
        raise ValueError(f"{status!r} cannot be set: use met or dropped")
    now = datetime.now(UTC)
    try:
        with Session(store.engine) as session, session.begin():
            row = session.execute(
                select(m.Commitment, m.Document.source_key, m.Document.version)
                .join(m.Document, m.Document.id == m.Commitment.document_id)
                .where(m.Commitment.id == commitment_id)
            ).first()
            if row is None:
                raise CommitmentNotFound(commitment_id)
            c, key, version = row
            verdict = session.scalars(
                select(m.CommitmentStatus).where(
                    m.CommitmentStatus.source_key == key,
                    m.CommitmentStatus.version == version,
                    m.CommitmentStatus.start == c.start,
                    m.CommitmentStatus.end == c.end,
                    m.CommitmentStatus.action == c.action,
                )
            ).first()
            if verdict is None:
                verdict = m.CommitmentStatus(
                    source_key=key, version=version, action=c.action, start=c.start, end=c.end
                )
                session.add(verdict)
            verdict.status = status
            verdict.note = note
            verdict.set_at = now
    except SQLAlchemyError as err:
        raise store.failure(err) from None
    return StatusRow(commitment_id, key, version, status, note, now)


def clear_status(store: Store, commitment_id: int) -> bool:
    """Remove the analyst's verdict on commitment row ``commitment_id``; True if there was
    one.  The commitment's status is then worked out again (evidence, due or open)."""
    try:
        with Session(store.engine) as session, session.begin():
            row = session.execute(
                select(m.Commitment, m.Document.source_key, m.Document.version)
                .join(m.Document, m.Document.id == m.Commitment.document_id)
                .where(m.Commitment.id == commitment_id)
            ).first()
            if row is None:
                raise CommitmentNotFound(commitment_id)
            c, key, version = row
            removed = cast(
                CursorResult[Any],
                session.execute(
                    delete(m.CommitmentStatus).where(
                        m.CommitmentStatus.source_key == key,
                        m.CommitmentStatus.version == version,
                        m.CommitmentStatus.start == c.start,
                        m.CommitmentStatus.end == c.end,
                        m.CommitmentStatus.action == c.action,
                    )
                ),
            )
            return bool(removed.rowcount)
    except SQLAlchemyError as err:
        raise store.failure(err) from None
