"""Search stored statements, Japanese-aware, ranked, with filters and highlighted matches.

The store keeps each statement's text as space-separated character bigrams
(:mod:`readout.store.bigrams`), indexed by FTS5 in SQLite and by a GIN index in
PostgreSQL.  A query is cut into words the same way:

* a word of two or more characters is the phrase of its bigrams (中国 → ``中国``;
  尖閣諸島 → ``尖閣 閣諸 諸島``), so it matches anywhere inside a longer run of text;
* a word of one Japanese character is a prefix match on the bigrams (台 → ``台*``): it
  finds 台湾 and 台頭, and a run that is that character alone — but not a run that ends
  with it (舞台), which the bigram index cannot see;
* ASCII words (G7, ASEAN, ISR) match whole words, case-insensitively, after NFKC;
* several words separated by spaces must all occur (AND); ``"…"`` makes one phrase of
  the words inside.

There are no operators: AND, OR, NOT, NEAR, ``*``, ``^``, parentheses and quotes inside
words are ordinary text.  The search expression handed to the database is built only
from the tokens produced here, each one quoted, and passed as a bound parameter, so no
query text can change the SQL or the full-text syntax.  A query with no searchable
characters (``%``, ``'; --``) finds nothing; an empty query lists the statements the
filters select, newest meeting first.

Results are ranked by FTS5's bm25 (SQLite) or ``ts_rank`` (PostgreSQL), ties broken by
meeting date, newest first.  Each hit carries the spans of the statement text that match
the query words, computed here on the stored text.

Ranking needs a score for every candidate, and a common word matches a good part of a
large store (中国 is in one statement of sixteen in the bench's million), so a search
ranks a window: the first RANK_WINDOW matches in storage order (roughly the order the
statements were added), then the filters.  When fewer than MIN_RANKED of those pass
the filters, it ranks the first MIN_RANKED × 4ᵏ matches found that pass them instead
(k as small as the page allows; storage order again when the full-text index leads).  A
query with fewer matches than the window is ranked in full; ``SearchResults.exhaustive``
says which happened and ``ranked`` how many statements were scored.  This keeps a search
under 50 ms on a million statements (``bench/search_speed.py``); add words or filters
to narrow a broad query.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from readout.model import ACTS, KINDS
from readout.store import Store, StoreError
from readout.store import models as m
from readout.store.bigrams import tokens

DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
#: How many matches (in storage order) a search ranks first; see the module's notes.
RANK_WINDOW = 2_000
#: The window grows until this many of its matches pass the filters (or it holds all).
MIN_RANKED = 100

# The characters readout.store.bigrams indexes: Japanese runs and ASCII words.
_JA = "\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
_JA_CHAR = re.compile(f"[{_JA}]")
_CHUNK = re.compile(f"[{_JA}]+|[0-9a-z]+")
_SEP = f"[^0-9a-z{_JA}]"
_QUOTES = '"\u201c\u201d'
_TERMS = re.compile(rf"[{_QUOTES}]([^{_QUOTES}]*)(?:[{_QUOTES}]|$)|[^\s{_QUOTES}]+")


class SearchError(ValueError):
    """A filter value that is not one of the allowed ones (an unknown act, kind, …)."""


# ---------------------------------------------------------------- the query


@dataclass(frozen=True)
class Term:
    """One query word or quoted phrase: the tokens it must match, in order."""

    text: str
    tokens: tuple[str, ...]
    prefix: bool = False

    def fts5(self) -> str:
        """The term as an FTS5 phrase: every token quoted, ``*`` for a prefix."""
        phrase = " + ".join(f'"{t}"' for t in self.tokens)
        return phrase + (" *" if self.prefix else "")

    def tsquery(self) -> str:
        """The term as a PostgreSQL tsquery: quoted lexemes joined by ``<->``.

        A one-character word is the lexeme the store keeps for the first character of
        every Japanese token (台 → ``台0``, migration 0002); inside a phrase it stays a
        prefix (``'台':*``).
        """
        if self.prefix and len(self.tokens) == 1:
            return f"'{self.tokens[0]}0'"
        lexemes = [f"'{t}'" for t in self.tokens]
        if self.prefix:
            lexemes[-1] += ":*"
        return "(" + " <-> ".join(lexemes) + ")"


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _token_char(ch: str) -> bool:
    """Whether both full-text tokenizers keep ``ch`` (Unicode letters, digits, private use)."""
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or cat == "Co"


def _clean(token: str) -> list[str]:
    """``token`` as the databases' tokenizers see it: split at punctuation (米・ → 米)."""
    out: list[str] = []
    current = ""
    for ch in token:
        if _token_char(ch):
            current += ch
        elif current:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def _term(text: str) -> Term | None:
    raw = tokens(text)
    cleaned = [c for t in raw for c in _clean(t)]
    if not cleaned:
        return None
    last = raw[-1]
    prefix = len(last) == 1 and bool(_JA_CHAR.fullmatch(last)) and cleaned[-1] == last
    return Term(_normalize(text).strip(), tuple(cleaned), prefix)


def parse_query(query: str) -> list[Term]:
    """The searchable terms of ``query`` (words and quoted phrases), duplicates dropped."""
    out: list[Term] = []
    for found in _TERMS.finditer(unicodedata.normalize("NFKC", query)):
        phrase = found.group(1)
        term = _term(phrase if phrase is not None else found.group())
        if term is not None and term not in out:
            out.append(term)
    return out


def fts5_query(terms: Sequence[Term]) -> str:
    """The FTS5 MATCH expression for ``terms`` (all of them)."""
    return " AND ".join(t.fts5() for t in terms)


def tsquery(terms: Sequence[Term]) -> str:
    """The PostgreSQL ``to_tsquery('simple', …)`` text for ``terms`` (all of them)."""
    return " & ".join(t.tsquery() for t in terms)


# ---------------------------------------------------------------- highlighting


def _pattern(term: Term) -> re.Pattern[str]:
    """What a term looks like in normalized text: its runs, separated as in the query."""
    chunks = _CHUNK.findall(term.text)
    parts: list[str] = []
    for i, chunk in enumerate(chunks):
        ascii_word = not _JA_CHAR.match(chunk)
        if i:
            before_ascii = not _JA_CHAR.match(chunks[i - 1])
            parts.append(f"{_SEP}+" if before_ascii == ascii_word else f"{_SEP}*")
        piece = re.escape(chunk)
        parts.append(f"(?<![0-9a-z]){piece}(?![0-9a-z])" if ascii_word else piece)
    return re.compile("".join(parts))


def highlight_spans(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Spans of ``text`` where a term occurs (every occurrence), sorted and merged."""
    if not terms:
        return []
    norm: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        n = _normalize(ch)
        norm.append(n)
        origin.extend([i] * len(n))
    flat = "".join(norm)
    spans: list[tuple[int, int]] = []
    for term in terms:
        for found in _pattern(term).finditer(flat):
            if found.end() > found.start():
                spans.append((origin[found.start()], origin[found.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: Iterable[tuple[int, int]], open: str = "【", close: str = "】") -> str:
    """``text`` with each span wrapped in ``open`` … ``close``."""
    out: list[str] = []
    last = 0
    for start, end in spans:
        out += [text[last:start], open, text[start:end], close]
        last = end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------- results


@dataclass
class Hit:
    """One statement found, with its meeting and the matched spans of its text."""

    statement_id: int
    sid: str
    section: str | None
    item: str | None
    document_id: int
    source: str
    version: int
    title: str | None
    kind: str | None
    date: str | None
    sides: list[str]
    counterpart: str | None
    speaker: str
    person: str | None
    act: str
    reaffirmed: bool
    target: str | None
    topics: list[str]
    text: str
    start: int
    end: int
    score: float | None
    spans: list[tuple[int, int]]

    @property
    def highlighted(self) -> str:
        """The text with every match in 【…】."""
        return mark(self.text, self.spans)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["spans"] = [list(s) for s in self.spans]
        data["highlighted"] = self.highlighted
        return data


@dataclass
class SearchResults:
    """One page of hits; ``more`` says whether another page follows."""

    query: str
    terms: list[Term]
    hits: list[Hit]
    limit: int
    offset: int
    more: bool
    filters: dict[str, Any] = field(default_factory=dict)
    #: How many matching statements were ranked (None for a listing without a query).
    ranked: int | None = None
    #: False when more statements match than RANK_WINDOW: the ranking covered that many.
    exhaustive: bool = True

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "terms": [t.text for t in self.terms],
            "filters": self.filters,
            "limit": self.limit,
            "offset": self.offset,
            "more": self.more,
            "ranked": self.ranked,
            "exhaustive": self.exhaustive,
            "hits": [h.to_dict() for h in self.hits],
        }


# ---------------------------------------------------------------- filters


@cache
def side_codes() -> frozenset[str]:
    """Codes a speaker or counterpart can have: the countries' ISO codes and JOINT."""
    from readout.lexicon import countries

    return frozenset({"JOINT", *(c.code for c in countries())})


@cache
def topic_ids() -> frozenset[str]:
    from readout.topics import topic_labels

    return frozenset(topic_labels())


def _values(name: str, given: str | Iterable[str] | None, allowed: Iterable[str]) -> list[str]:
    """``given`` (one value, comma-separated values or a list) checked against ``allowed``."""
    if given is None:
        return []
    items = [given] if isinstance(given, str) else list(given)
    values = [v.strip() for item in items for v in item.split(",") if v.strip()]
    by_fold = {a.casefold(): a for a in allowed}
    out: list[str] = []
    for v in values:
        found = by_fold.get(v.casefold())
        if found is None:
            choices = ", ".join(sorted(by_fold.values()))
            raise SearchError(f"unknown {name} {v!r} (one of: {choices})")
        if found not in out:
            out.append(found)
    return out


def filter_values(name: str, given: str | Iterable[str] | None) -> list[str]:
    """The checked values of filter ``name`` (speaker, act, topic, kind or counterpart)."""
    allowed: dict[str, Iterable[str]] = {
        "speaker": side_codes(),
        "act": ACTS,
        "topic": topic_ids(),
        "kind": KINDS,
        "counterpart": side_codes() - {"JOINT", "JP"},
    }
    return _values(name, given, allowed[name])


def date_bound(value: str | dt.date | None, *, end: bool, name: str = "date") -> str | None:
    """An ISO date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the first day, or the last."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return f"{text}-12-31" if end else f"{text}-01-01"
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = (int(p) for p in text.split("-"))
            first = dt.date(year, month, 1)
            if not end:
                return first.isoformat()
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return (following - dt.timedelta(days=1)).isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise SearchError(f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")


def _listed(
    col: ColumnElement[str] | InstrumentedAttribute[str], value: str
) -> ColumnElement[bool]:
    """``value`` is one of the comma-separated values of ``col`` (LIKE, escaped)."""
    return (literal(",") + col + literal(",")).contains(f",{value},", autoescape=True)


# ---------------------------------------------------------------- the search


def search(
    store: Store,
    query: str = "",
    *,
    speaker: str | Iterable[str] | None = None,
    act: str | Iterable[str] | None = None,
    topic: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = None,
    counterpart: str | Iterable[str] | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    latest_only: bool = True,
) -> SearchResults:
    """Statements matching ``query`` and the filters, best first (see the module's notes).

    Each filter takes one value, a comma-separated string or a list (any of them
    matches); ``counterpart`` matches any side of the meeting other than Japan;
    ``since``/``until`` bound the meeting date (inclusive; ``2023`` and ``2023-05`` work).
    ``latest_only`` skips statements of superseded document versions.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise SearchError("offset must not be negative")
    filters: dict[str, Any] = {
        "speaker": filter_values("speaker", speaker),
        "act": filter_values("act", act),
        "topic": filter_values("topic", topic),
        "kind": filter_values("kind", kind),
        "counterpart": filter_values("counterpart", counterpart),
        "since": date_bound(since, end=False, name="since"),
        "until": date_bound(until, end=True, name="until"),
    }
    terms = parse_query(query)
    results = SearchResults(query, terms, [], limit, offset, False, filters)
    if query.strip() and not terms:
        return results  # nothing searchable in the query: nothing matches
    dialect = store.dialect
    try:
        with Session(store.engine) as session:
            if not terms:
                ranked = _listing(session, filters, latest_only, limit, offset)
            else:
                ranked, results.ranked, results.exhaustive = _ranked(
                    session, dialect, terms, filters, latest_only, limit, offset
                )
            ids = [row.id for row in ranked[:limit]]
            full = {row.id: row for row in session.execute(_rows(ids))} if ids else {}
    except SQLAlchemyError as err:
        orig = getattr(err, "orig", None) or err
        lines = str(orig).strip().splitlines()
        reason = lines[0] if lines else type(err).__name__
        raise StoreError(f"{store.describe()}: search failed: {reason}") from None
    results.more = len(ranked) > limit
    results.hits = [_hit(full[row.id], row.score, terms) for row in ranked[:limit]]
    return results


def _ranked(
    session: Session,
    dialect: str,
    terms: Sequence[Term],
    filters: dict[str, Any],
    latest_only: bool,
    limit: int,
    offset: int,
) -> tuple[list[Any], int, bool]:
    """The page of ranked ids and scores, how many statements were ranked, and whether
    those were every match (see the module's notes).

    First the window: the first RANK_WINDOW matches in storage order, then the filters;
    its candidates are the ranked set, and pages end with them.  When fewer than
    MIN_RANKED of them pass, the first MIN_RANKED × 4ᵏ matches found that pass the filters
    are ranked instead, k as small as the page allows.  Either way every page within the
    first MIN_RANKED hits ranks the same set.
    """
    wanted = offset + limit + 1
    page = _page(dialect, terms, filters, latest_only, RANK_WINDOW, filtered=False)
    rows = list(session.execute(page.limit(limit + 1).offset(offset)).all())
    counted = rows or (list(session.execute(page.limit(1)).all()) if offset else [])
    if counted:
        candidates, examined = int(counted[0].candidates), int(counted[0].examined)
    else:
        candidates = 0
        examined = int(session.execute(_examined(dialect, terms, RANK_WINDOW)).scalar_one())
    if examined < RANK_WINDOW:
        return rows, candidates, True  # every match was ranked
    if candidates >= MIN_RANKED:
        return rows, candidates, False  # the window's candidates are the ranked set
    size = MIN_RANKED
    while size < wanted:
        size *= 4
    page = _page(dialect, terms, filters, latest_only, size, filtered=True)
    rows = list(session.execute(page.limit(limit + 1).offset(offset)).all())
    candidates = int(rows[0].candidates) if rows else 0
    return rows, candidates, candidates < size


_COLUMNS = (
    m.Statement.id,
    m.Statement.sid,
    m.Statement.section,
    m.Statement.item,
    m.Statement.document_id,
    m.Document.source_key,
    m.Document.version,
    m.Document.title,
    m.Meeting.kind,
    m.Meeting.date,
    m.Meeting.sides,
    m.Meeting.counterpart,
    m.Statement.speaker,
    m.Statement.person,
    m.Statement.act,
    m.Statement.reaffirmed,
    m.Statement.target,
    m.Statement.topics,
    m.Statement.text,
    m.Statement.start,
    m.Statement.end,
)


def _filters(
    filters: dict[str, Any], latest_only: bool, statement: Any = m.Statement
) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]:
    """The filters as SQL conditions: on the statement, and on its meeting or document.

    ``statement`` is where the statement's speaker, act and topics are read from.
    """
    doc, mt = m.Document, m.Meeting
    on_statement: list[ColumnElement[bool]] = []
    on_meeting: list[ColumnElement[bool]] = []
    if latest_only:
        on_meeting.append(doc.latest.is_(True))
    if filters["speaker"]:
        on_statement.append(statement.speaker.in_(filters["speaker"]))
    if filters["act"]:
        on_statement.append(statement.act.in_(filters["act"]))
    if filters["topic"]:
        on_statement.append(or_(*(_listed(statement.topics, t) for t in filters["topic"])))
    if filters["kind"]:
        on_meeting.append(mt.kind.in_(filters["kind"]))
    if filters["counterpart"]:
        on_meeting.append(or_(*(_listed(mt.sides, c) for c in filters["counterpart"])))
    if filters["since"]:
        on_meeting.append(mt.date >= filters["since"])
    if filters["until"]:
        on_meeting.append(mt.date <= filters["until"])
    return on_statement, on_meeting


def _window(dialect: str, terms: Sequence[Term], size: int | None) -> Select[*tuple[Any, ...]]:
    """The matches in storage order (the first ``size`` of them): id, score (higher is
    better), and for PostgreSQL the statement columns the order and the filters need.

    The full-text index alone answers this and stops at ``size``: FTS5 walks its doclists
    in rowid order, PostgreSQL's bitmap heap scan the table in its order.
    """
    if dialect == "sqlite":
        fts = table("statements_fts", column("rowid"))
        fts_table: ColumnElement[Any] = literal_column("statements_fts")
        match = fts_table.op("MATCH")(bindparam("fts", fts5_query(terms)))
        stmt = (
            select(fts.c.rowid.label("id"), (-func.bm25(fts_table)).label("score"))
            .where(match)
            .order_by(fts.c.rowid)
        )
    elif dialect == "postgresql":
        st = m.Statement
        simple: ColumnElement[str] = literal_column("'simple'")
        vector: ColumnElement[Any] = literal_column("statements.search_vector")
        ts_query = func.to_tsquery(simple, bindparam("tsq", tsquery(terms)))
        stmt = select(
            st.id.label("id"),
            func.ts_rank(vector, ts_query, 1).label("score"),
            st.document_id.label("document_id"),
            st.start.label("start"),
            st.speaker.label("speaker"),
            st.act.label("act"),
            st.topics.label("topics"),
        ).where(vector.op("@@")(ts_query))
    else:
        raise StoreError(f"search is not supported on {dialect}")
    return stmt if size is None else stmt.limit(size)


def _examined(dialect: str, terms: Sequence[Term], size: int) -> Select[int]:
    """How many matches the window of ``size`` holds."""
    return select(func.count()).select_from(_window(dialect, terms, size).subquery())


def _page(
    dialect: str,
    terms: Sequence[Term],
    filters: dict[str, Any],
    latest_only: bool,
    size: int,
    *,
    filtered: bool,
) -> Select[*tuple[Any, ...]]:
    """Ids and scores of the candidates, best first (ties: newest meeting first), with how
    many there are and how many matches the window held.

    The candidates are the matches among the first ``size`` that pass the filters, or,
    ``filtered``, the first ``size`` matches that pass them.
    """
    st, doc, mt = m.Statement, m.Document, m.Meeting
    window = _window(dialect, terms, None if filtered else size).cte("window")
    if dialect == "postgresql":
        # The window carries the statement's columns: its rows are not fetched again.
        on_statement, on_meeting = _filters(filters, False, statement=window.c)
        document: Any = window.c.document_id
        start: Any = window.c.start
        found = select(window.c.id, window.c.score, mt.date, document, start).select_from(window)
    else:
        on_statement, on_meeting = _filters(filters, False)
        document, start = st.document_id, st.start
        found = select(window.c.id, window.c.score, mt.date, document, start)
        found = found.select_from(window).join(st, st.id == window.c.id)
    found = found.outerjoin(mt, mt.document_id == document)
    if latest_only:
        # Superseded versions are few: leave their statements out by id, no join needed.
        superseded = select(doc.id).where(doc.latest.is_(False))
        on_meeting.append(document.not_in(superseded))
    found = found.where(*on_statement, *on_meeting)
    if filtered:
        found = found.limit(size)
    hits = found.subquery("found")
    examined = (
        literal(None) if filtered else select(func.count()).select_from(window).scalar_subquery()
    )
    return select(
        hits.c.id,
        hits.c.score,
        func.count().over().label("candidates"),
        examined.label("examined"),
    ).order_by(
        hits.c.score.desc(),
        hits.c.date.desc().nulls_last(),
        hits.c.document_id.desc(),
        hits.c.start,
    )


def _listing(
    session: Session, filters: dict[str, Any], latest_only: bool, limit: int, offset: int
) -> list[Any]:
    """Ids of the statements the filters select, newest meeting first, in text order.

    Meetings are walked by date in growing chunks and the statements of each chunk's
    documents fetched, until the page is full: a page costs a few indexed queries however
    the planner would have estimated the filters.
    """
    st, doc, mt = m.Statement, m.Document, m.Meeting
    meetings = (
        select(mt.document_id)
        .join(doc, doc.id == mt.document_id)
        .order_by(mt.date.desc().nulls_last(), mt.document_id.desc())
    )
    statements = select(st.id, literal(None).label("score")).join(
        mt, mt.document_id == st.document_id
    )
    on_statement, on_meeting = _filters(filters, latest_only)
    meetings = meetings.where(*on_meeting)
    statements = statements.where(*on_statement).order_by(
        mt.date.desc().nulls_last(), mt.document_id.desc(), st.start
    )
    wanted = offset + limit + 1
    found: list[Any] = []
    start, size = 0, 64
    while len(found) < wanted:
        documents = list(session.scalars(meetings.offset(start).limit(size)))
        if documents:
            found += session.execute(statements.where(st.document_id.in_(documents))).all()
        if len(documents) < size:
            break
        start += size
        size = min(size * 4, 4096)
    return found[offset:wanted]


def _rows(ids: list[int]) -> Select[*tuple[Any, ...]]:
    """Everything a hit shows, for the statements ``ids``."""
    st, doc, mt = m.Statement, m.Document, m.Meeting
    return (
        select(*_COLUMNS)
        .select_from(st)
        .join(doc, doc.id == st.document_id)
        .outerjoin(mt, mt.document_id == st.document_id)
        .where(st.id.in_(ids))
    )


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _hit(row: Any, score: float | None, terms: Sequence[Term]) -> Hit:
    """A result row as a hit."""
    return Hit(
        statement_id=row.id,
        sid=row.sid,
        section=row.section,
        item=row.item,
        document_id=row.document_id,
        source=row.source_key,
        version=row.version,
        title=row.title,
        kind=row.kind,
        date=row.date,
        sides=_split(row.sides),
        counterpart=row.counterpart,
        speaker=row.speaker,
        person=row.person,
        act=row.act,
        reaffirmed=bool(row.reaffirmed),
        target=row.target,
        topics=_split(row.topics),
        text=row.text,
        start=row.start,
        end=row.end,
        score=None if score is None else float(score),
        spans=highlight_spans(row.text, terms),
    )
