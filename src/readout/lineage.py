"""Positions across meetings: what changed between two meetings, and where a position came from.

:func:`diff_meetings` compares two stored meetings (``readout diff``); :func:`trace` follows
one statement through every other meeting (``readout trace``).  Both read statements with
the entities mentioned inside them and decide "same position" with
:mod:`readout.matching`.  Both look only at candidates that can match: a diff reads the
statements of its two meetings; a trace reads the statements of the same speaker class and
act family that share the statement's rarest bigrams in the search index.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, column, func, literal_column, or_, select, table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from readout.matching import (
    Matcher,
    Position,
    act_families,
    act_family,
    pair_assignment,
    render_diff,
    same_wording,
    speaker_class,
    subject_length,
    wording_diff,
)
from readout.store import models as m
from readout.store.bigrams import tokens
from readout.store.db import Store
from readout.store.read import DocumentNotFound

Change = Literal["new", "reaffirmed", "changed", "dropped"]


@dataclass(frozen=True)
class MeetingInfo:
    document_id: int
    date: str | None
    kind: str
    counterpart: str | None
    title: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "date": self.date,
            "kind": self.kind,
            "counterpart": self.counterpart,
            "title": self.title,
        }


@dataclass(frozen=True)
class StoredStatement:
    """A statement row with what matching needs and where it stands."""

    id: int
    document_id: int
    sid: str
    speaker: str
    person: str | None
    act: str
    reaffirmed: bool
    text: str
    topics: frozenset[str]
    entities: frozenset[str]

    @property
    def position(self) -> Position:
        return Position(self.text, self.speaker, self.act, self.entities, self.topics)

    def as_dict(self) -> dict[str, Any]:
        return {
            "statement_id": self.id,
            "document_id": self.document_id,
            "sid": self.sid,
            "speaker": self.speaker,
            "person": self.person,
            "act": self.act,
            "reaffirmed": self.reaffirmed,
            "text": self.text,
        }


@dataclass(frozen=True)
class Entry:
    """One position in a diff: the statement in B (None when dropped), in A (None when new)."""

    change: Change
    new: StoredStatement | None
    old: StoredStatement | None
    score: float | None = None

    @property
    def wording(self) -> str | None:
        """The wording diff A → B for a changed position, 〔−…〕〔+…〕 marked."""
        if self.change != "changed" or self.new is None or self.old is None:
            return None
        return render_diff(wording_diff(self.old.text, self.new.text))

    def as_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "b": self.new.as_dict() if self.new else None,
            "a": self.old.as_dict() if self.old else None,
            "score": self.score,
            "wording_diff": self.wording,
        }


@dataclass
class MeetingDiff:
    a: MeetingInfo | None
    b: MeetingInfo
    entries: list[Entry] = field(default_factory=list)

    def of(self, change: Change) -> list[Entry]:
        return [e for e in self.entries if e.change == change]

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.as_dict() if self.a else None,
            "b": self.b.as_dict(),
            "counts": {c: len(self.of(c)) for c in ("new", "reaffirmed", "changed", "dropped")},
            "entries": [e.as_dict() for e in self.entries],
        }


class LineageError(LookupError):
    """A statement or query that names nothing in the store."""


def _session(store: Store) -> Session:
    return Session(store.engine)


def meeting_info(session: Session, document_id: int) -> MeetingInfo:
    row = session.execute(
        select(m.Meeting.date, m.Meeting.kind, m.Meeting.counterpart, m.Document.title)
        .join(m.Document, m.Document.id == m.Meeting.document_id)
        .where(m.Meeting.document_id == document_id)
    ).first()
    if row is None:
        raise DocumentNotFound(document_id)
    return MeetingInfo(document_id, row.date, row.kind, row.counterpart, row.title)


def meeting_infos(session: Session, document_ids: Iterable[int]) -> dict[int, MeetingInfo]:
    """:func:`meeting_info` of many meetings in one query."""
    ids = list(document_ids)
    rows = session.execute(
        select(
            m.Meeting.document_id,
            m.Meeting.date,
            m.Meeting.kind,
            m.Meeting.counterpart,
            m.Document.title,
        )
        .join(m.Document, m.Document.id == m.Meeting.document_id)
        .where(m.Meeting.document_id.in_(ids))
    )
    found = {
        r.document_id: MeetingInfo(r.document_id, r.date, r.kind, r.counterpart, r.title)
        for r in rows
    }
    for d in ids:
        if d not in found:
            raise DocumentNotFound(d)
    return {d: found[d] for d in ids}


def previous_meeting(session: Session, b: MeetingInfo) -> MeetingInfo | None:
    """The latest meeting of the same kind and counterpart before ``b`` (by date, then id)."""
    if b.date is None:
        return None
    query = (
        select(m.Meeting.document_id)
        .join(m.Document, m.Document.id == m.Meeting.document_id)
        .where(
            m.Document.latest.is_(True),
            m.Meeting.kind == b.kind,
            m.Meeting.counterpart.is_(None)
            if b.counterpart is None
            else m.Meeting.counterpart == b.counterpart,
            or_(
                m.Meeting.date < b.date,
                and_(m.Meeting.date == b.date, m.Meeting.document_id < b.document_id),
            ),
        )
        .order_by(m.Meeting.date.desc(), m.Meeting.document_id.desc())
        .limit(1)
    )
    found = session.scalar(query)
    return None if found is None else meeting_info(session, found)


def _statements(session: Session, query: Select[*tuple[Any, ...]]) -> list[StoredStatement]:
    rows = session.execute(query).all()
    if not rows:
        return []
    docs = {r.document_id for r in rows}
    mentions: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for doc_id, start, end, norm in session.execute(
        select(m.Mention.document_id, m.Mention.start, m.Mention.end, m.Entity.norm)
        .join(m.Entity, m.Entity.id == m.Mention.entity_id)
        .where(m.Mention.document_id.in_(docs))
    ):
        mentions[doc_id].append((start, end, norm))
    out = []
    for r in rows:
        first = r.start + subject_length(r.text)
        ents = frozenset(n for s, e, n in mentions[r.document_id] if s >= first and e <= r.end)
        out.append(
            StoredStatement(
                r.id,
                r.document_id,
                r.sid,
                r.speaker,
                r.person,
                r.act,
                bool(r.reaffirmed),
                r.text,
                frozenset(t for t in (r.topics or "").split(",") if t),
                ents,
            )
        )
    return out


_COLUMNS = (
    m.Statement.id,
    m.Statement.document_id,
    m.Statement.sid,
    m.Statement.speaker,
    m.Statement.person,
    m.Statement.act,
    m.Statement.reaffirmed,
    m.Statement.text,
    m.Statement.topics,
    m.Statement.start,
    m.Statement.end,
)


def meeting_statements(session: Session, document_ids: Iterable[int]) -> list[StoredStatement]:
    query = (
        select(*_COLUMNS)
        .where(m.Statement.document_id.in_(list(document_ids)))
        .order_by(m.Statement.document_id, m.Statement.id)
    )
    return _statements(session, query)


def compare(
    olds: Sequence[StoredStatement], news: Sequence[StoredStatement], matcher: Matcher | None = None
) -> list[Entry]:
    """Entries for ``news`` (in their order: new, reaffirmed or changed), then the dropped."""
    matcher = matcher or Matcher([s.text for s in (*olds, *news)])
    pairs = pair_assignment(matcher, [s.position for s in news], [s.position for s in olds])
    entries: list[Entry] = []
    for i, st in enumerate(news):
        if i not in pairs:
            entries.append(Entry("new", st, None))
            continue
        j, score = pairs[i]
        change: Change = "reaffirmed" if same_wording(olds[j].text, st.text) else "changed"
        entries.append(Entry(change, st, olds[j], score))
    matched = {j for j, _ in pairs.values()}
    entries += [Entry("dropped", None, st) for j, st in enumerate(olds) if j not in matched]
    return entries


def diff_meetings(store: Store, a_id: int | None, b_id: int) -> MeetingDiff:
    """What B says compared with A; ``a_id`` None: the previous meeting of B's kind and
    counterpart (every position of B is new when there is none)."""
    try:
        with _session(store) as session:
            b = meeting_info(session, b_id)
            a = meeting_info(session, a_id) if a_id is not None else previous_meeting(session, b)
            ids = [b.document_id] + ([a.document_id] if a else [])
            statements = meeting_statements(session, ids)
    except SQLAlchemyError as err:
        raise store.failure(err) from None
    news = [s for s in statements if s.document_id == b.document_id]
    olds = [s for s in statements if a and s.document_id == a.document_id]
    return MeetingDiff(a, b, compare(olds, news))


# ---------------------------------------------------------------- trace

#: How many of the statement's rarest bigrams pick a trace's candidates.
RARE_BIGRAMS = 4


@dataclass(frozen=True)
class Appearance:
    meeting: MeetingInfo
    statement: StoredStatement
    score: float
    wording: str | None  # diff to the previous appearance; None for the first or unchanged

    def as_dict(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting.as_dict(),
            "statement": self.statement.as_dict(),
            "score": self.score,
            "wording_diff": self.wording,
        }


@dataclass
class Trace:
    origin: StoredStatement
    appearances: list[Appearance]
    gaps: list[MeetingInfo]

    def as_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin.as_dict(),
            "first": self.appearances[0].as_dict() if self.appearances else None,
            "appearances": [a.as_dict() for a in self.appearances],
            "gaps": [g.as_dict() for g in self.gaps],
        }


def _token_char(ch: str) -> bool:
    """Whether both full-text tokenizers keep ``ch`` (as :mod:`readout.search` has it)."""
    return unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co"


def _indexed(gram: str) -> bool:
    """Whether the full-text index finds exactly the statements whose ``search_text``
    contains ``gram``: a Japanese bigram (always a whole token of its own there) of two
    letters or digits, which both back ends' tokenizers keep as one token.  Others (ASCII
    words, which a LIKE also finds inside longer words; bigrams with ・) are matched by LIKE.
    """
    return not gram.isascii() and all(_token_char(c) for c in gram)


def _fts_ids(session: Session, grams: Sequence[str]) -> Select[int]:
    """The ids of the statements whose search text has any of ``grams`` (all indexed)."""
    if session.get_bind().dialect.name == "sqlite":
        fts = table("statements_fts", column("rowid"))
        match = literal_column("statements_fts").op("MATCH")(" OR ".join(f'"{g}"' for g in grams))
        return select(fts.c.rowid).where(match)
    vector: ColumnElement[Any] = literal_column("statements.search_vector")
    query = func.to_tsquery(literal_column("'simple'"), " | ".join(f"'{g}'" for g in grams))
    return select(m.Statement.id).where(vector.op("@@")(query))


def _contains_any(session: Session, grams: Sequence[str]) -> ColumnElement[bool]:
    """Statements whose search text contains any of ``grams`` (as a LIKE would find)."""
    indexed = [g for g in grams if _indexed(g)]
    clauses = [m.Statement.search_text.contains(g) for g in grams if not _indexed(g)]
    if indexed:
        clauses.append(m.Statement.id.in_(_fts_ids(session, indexed)))
    return or_(*clauses)


def _rare_bigrams(session: Session, text: str) -> list[str]:
    # Not the bridges between numbers and Japanese (第5, 7日): a date or a count is rare
    # but tells little about a position, which other meetings restate with other numbers;
    # and in PostgreSQL a bridge to 0 (約0) is also the lexeme of every token beginning
    # with 約 (migration 0002).  The other tokens are in the index as before them.
    grams = sorted({t for t in tokens(text, bridges=False) if len(t) == 2})
    if not grams:
        return []
    counts = []
    for g in grams:
        # How many statements contain the bigram, bounded so a common one costs little:
        # from the full-text index for a Japanese bigram, else a LIKE on search_text.
        ids = (
            _fts_ids(session, [g])
            if _indexed(g)
            else select(m.Statement.id).where(m.Statement.search_text.contains(g))
        )
        n = session.scalar(select(func.count()).select_from(ids.limit(5000).subquery()))
        counts.append((n or 0, g))
    counts.sort()
    return [g for _, g in counts[:RARE_BIGRAMS]]


def _candidates(session: Session, origin: StoredStatement) -> list[StoredStatement]:
    family = act_family(origin.act)
    acts = [a for a, f in act_families().items() if f == family] or [origin.act]
    cls = speaker_class(origin.speaker)
    speaker = (
        m.Statement.speaker == cls
        if cls in ("JP", "JOINT")
        else m.Statement.speaker.not_in(("JP", "JOINT"))
    )
    rare = _rare_bigrams(session, origin.text)
    # Latest versions by a subquery rather than a join, so that SQLite starts from the
    # statements the bigrams pick (not from every document, probing each for them).
    latest = select(m.Document.id).where(m.Document.latest.is_(True))
    query = (
        select(*_COLUMNS)
        .where(m.Statement.document_id.in_(latest), m.Statement.act.in_(acts), speaker)
        .order_by(m.Statement.document_id, m.Statement.id)
    )
    if rare:
        query = query.where(_contains_any(session, rare))
    return _statements(session, query)


def statement_by_id(session: Session, statement_id: int) -> StoredStatement:
    found = _statements(session, select(*_COLUMNS).where(m.Statement.id == statement_id))
    if not found:
        raise LineageError(f"no statement with id {statement_id}")
    return found[0]


def trace(store: Store, statement: int | str) -> Trace:
    """The lineage of a statement (an id, or the best search hit for a query)."""
    if isinstance(statement, str):
        from readout.search import search

        hits = search(store, statement, limit=1).hits
        if not hits:
            raise LineageError(f"no statement matches {statement!r}")
        statement = hits[0].statement_id
    try:
        with _session(store) as session:
            origin = statement_by_id(session, statement)
            candidates = _candidates(session, origin)
            matcher = Matcher([c.text for c in candidates] + [origin.text])
            best: dict[int, tuple[float, StoredStatement]] = {}
            for c in candidates:
                score = 1.0 if c.id == origin.id else matcher.score(origin.position, c.position)
                if score >= matcher.threshold:
                    kept = best.get(c.document_id)
                    if kept is None or score > kept[0]:
                        best[c.document_id] = (score, c)
            best.setdefault(origin.document_id, (1.0, origin))
            meetings = meeting_infos(session, best)
            home = meetings[origin.document_id]
            series = _series(session, home)
    except SQLAlchemyError as err:
        raise store.failure(err) from None
    order = sorted(best, key=lambda d: (meetings[d].date or "", d))
    appearances: list[Appearance] = []
    previous: StoredStatement | None = None
    for d in order:
        score, st = best[d]
        wording = None
        if previous is not None and not same_wording(previous.text, st.text):
            wording = render_diff(wording_diff(previous.text, st.text))
        appearances.append(Appearance(meetings[d], st, score, wording))
        previous = st
    first = meetings[order[0]].date or ""
    last = meetings[order[-1]].date or ""
    gaps = [s for s in series if s.document_id not in best and first <= (s.date or "") <= last]
    return Trace(origin, appearances, gaps)


def _series(session: Session, home: MeetingInfo) -> list[MeetingInfo]:
    """Meetings of ``home``'s kind and counterpart, by date (latest versions)."""
    rows = session.execute(
        select(m.Meeting.document_id, m.Meeting.date, m.Meeting.kind, m.Meeting.counterpart)
        .join(m.Document, m.Document.id == m.Meeting.document_id)
        .where(
            m.Document.latest.is_(True),
            m.Meeting.kind == home.kind,
            m.Meeting.counterpart == home.counterpart,
        )
        .order_by(m.Meeting.date, m.Meeting.document_id)
    )
    return [MeetingInfo(r.document_id, r.date, r.kind, r.counterpart, None) for r in rows]
