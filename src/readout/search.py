"""Search stored statements, Japanese-aware, ranked, with filters and highlighted matches.

The store keeps each statement's text as space-separated character bigrams
(:mod:`readout.store.bigrams`), indexed by FTS5 in SQLite and by a GIN index in
PostgreSQL.  A query is cut into words the same way:

* a word of two or more characters is the phrase of its bigrams (中国 → ``中国``;
  尖閣諸島 → ``尖閣 閣諸 諸島``), so it matches anywhere inside a longer run of text;
* a word of one Japanese character is a prefix match on the bigrams (台 → ``台*``): it
  finds 台湾 and 台頭, a run that is that character alone, and the character right
  before a number (第 finds 第5条) — but not a run that ends with it (舞台), which the
  bigram index cannot see;
* ASCII words (G7, ASEAN, ISR) match whole words, case-insensitively, after NFKC;
* a number written next to Japanese is searched as written (第5条 → ``第5 5 5条``, 2025年,
  約3時間): the store bridges numbers to the characters they touch, and a one-character
  run at a word's end that a bridge holds is left to the bridge, so 第5条 is found inside
  条約第5条 (but not in 第15条: a number matches whole, as ASCII words do);
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

:func:`facets` counts what a search selects by speaker, act, topic, kind, counterpart
and year, each facet with every filter but its own (see :class:`Facets`): over every
match of a query with at most FACET_LIMIT of them, over the search's window otherwise,
and over every statement the filters select without a query.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    case,
    column,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from readout.model import ACTS, KINDS
from readout.store import Store, StoreError
from readout.store import models as m
from readout.store.bigrams import bridged, query_tokens

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

        A bridge of a character and the number 0 (約0 in 約0.5) is the same lexeme as
        that character's: harmless, see migration 0005.
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
    raw = query_tokens(text)
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
    """What a term looks like in normalized text: its runs, separated as in the query.

    Two Japanese runs, or two ASCII words, are apart; a Japanese run and an ASCII word
    may touch or not, except a number and the Japanese it touches in the query (第5条):
    the index bridges them only where they touch, so they touch in the text too (and a
    number apart from the Japanese in the query is apart in the text).
    """
    chunks = list(_CHUNK.finditer(term.text))
    parts: list[str] = []
    for i, found in enumerate(chunks):
        chunk = found.group()
        ascii_word = not _JA_CHAR.match(chunk)
        if i:
            previous = chunks[i - 1]
            before_ascii = not _JA_CHAR.match(previous.group())
            if before_ascii == ascii_word:
                parts.append(f"{_SEP}+")
            elif bridged(previous.group(), chunk):
                parts.append("" if previous.end() == found.start() else f"{_SEP}+")
            else:
                parts.append(f"{_SEP}*")
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


def year_values(given: str | int | Iterable[str | int] | None) -> list[str]:
    """The years of the ``year`` filter (``2023``, ``"2019,2023"`` or a list), checked."""
    if given is None:
        return []
    items = [given] if isinstance(given, str | int) else list(given)
    out: list[str] = []
    for item in items:
        for value in unicodedata.normalize("NFKC", str(item)).split(","):
            year = value.strip()
            if not year:
                continue
            if not re.fullmatch(r"[0-9]{4}", year):
                raise SearchError(f"year {year!r} is not a year (YYYY)")
            if year not in out:
                out.append(year)
    return out


def checked_filters(
    *,
    speaker: str | Iterable[str] | None = None,
    act: str | Iterable[str] | None = None,
    topic: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = None,
    counterpart: str | Iterable[str] | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    year: str | int | Iterable[str | int] | None = None,
) -> dict[str, Any]:
    """The filters of a search, checked (raises :class:`SearchError`), by name."""
    return {
        "speaker": filter_values("speaker", speaker),
        "act": filter_values("act", act),
        "topic": filter_values("topic", topic),
        "kind": filter_values("kind", kind),
        "counterpart": filter_values("counterpart", counterpart),
        "since": date_bound(since, end=False, name="since"),
        "until": date_bound(until, end=True, name="until"),
        "year": year_values(year),
    }


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
    year: str | int | Iterable[str | int] | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    latest_only: bool = True,
) -> SearchResults:
    """Statements matching ``query`` and the filters, best first (see the module's notes).

    Each filter takes one value, a comma-separated string or a list (any of them
    matches); ``counterpart`` matches any side of the meeting other than Japan;
    ``since``/``until`` bound the meeting date (inclusive; ``2023`` and ``2023-05`` work);
    ``year`` is the year of the meeting's date (``2023``, ``"2019,2023"``).
    ``latest_only`` skips statements of superseded document versions.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise SearchError("offset must not be negative")
    filters = checked_filters(
        speaker=speaker,
        act=act,
        topic=topic,
        kind=kind,
        counterpart=counterpart,
        since=since,
        until=until,
        year=year,
    )
    terms = parse_query(query)
    results = SearchResults(query, terms, [], limit, offset, False, filters)
    if query.strip() and not terms:
        return results  # nothing searchable in the query: nothing matches
    dialect = store.dialect
    with _failures(store, "search"), Session(store.engine) as session:
        _storage_order(session, dialect)
        if not terms:
            ranked = _listing(session, filters, latest_only, limit, offset)
        else:
            ranked, results.ranked, results.exhaustive = _ranked(
                session, dialect, terms, filters, latest_only, limit, offset
            )
        ids = [row.id for row in ranked[:limit]]
        full = {row.id: row for row in session.execute(_rows(ids))} if ids else {}
    results.more = len(ranked) > limit
    results.hits = [_hit(full[row.id], row.score, terms) for row in ranked[:limit]]
    return results


@contextmanager
def _failures(store: Store, what: str) -> Iterator[None]:
    """A database error as the store's one-line :class:`StoreError`."""
    try:
        yield
    except SQLAlchemyError as err:
        orig = getattr(err, "orig", None) or err
        lines = str(orig).strip().splitlines()
        reason = lines[0] if lines else type(err).__name__
        raise StoreError(f"{store.describe()}: {what} failed: {reason}") from None


def _storage_order(session: Session, dialect: str) -> None:
    """Make PostgreSQL's scans begin with the table's first block, in this transaction.

    A broad word is found by a sequential scan, and PostgreSQL starts a scan of a large
    table where the last one was (``synchronize_seqscans``): the first RANK_WINDOW
    matches, and so the ranked set, would change from one search to the next — and
    between the pages of one search, and between a search and its facets.
    """
    if dialect == "postgresql":
        session.execute(text("SET LOCAL synchronize_seqscans = off"))


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


#: The filters read from the statement, and from its meeting.
STATEMENT_FILTERS = ("speaker", "act", "topic")
MEETING_FILTERS = ("kind", "counterpart", "since", "until", "year")


def _conditions(filters: dict[str, Any], statement: Any = m.Statement) -> dict[str, Any]:
    """Each filter that is set, as one SQL condition, by name (see :func:`_filters`)."""
    mt = m.Meeting
    out: dict[str, Any] = {}
    if filters.get("speaker"):
        out["speaker"] = statement.speaker.in_(filters["speaker"])
    if filters.get("act"):
        out["act"] = statement.act.in_(filters["act"])
    if filters.get("topic"):
        out["topic"] = or_(*(_listed(statement.topics, t) for t in filters["topic"]))
    if filters.get("kind"):
        out["kind"] = mt.kind.in_(filters["kind"])
    if filters.get("counterpart"):
        out["counterpart"] = or_(*(_listed(mt.sides, c) for c in filters["counterpart"]))
    if filters.get("since"):
        out["since"] = mt.date >= filters["since"]
    if filters.get("until"):
        out["until"] = mt.date <= filters["until"]
    if filters.get("year"):
        # The meeting's date begins with the year: from YYYY to YYYY-12-31, as text.
        out["year"] = or_(*(mt.date.between(y, f"{y}-12-31") for y in filters["year"]))
    return out


def _filters(
    filters: dict[str, Any], latest_only: bool, statement: Any = m.Statement
) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]:
    """The filters as SQL conditions: on the statement, and on its meeting or document.

    ``statement`` is where the statement's speaker, act and topics are read from.
    """
    conditions = _conditions(filters, statement)
    on_statement = [c for name, c in conditions.items() if name in STATEMENT_FILTERS]
    on_meeting = [c for name, c in conditions.items() if name in MEETING_FILTERS]
    if latest_only:
        on_meeting.insert(0, m.Document.latest.is_(True))
    return on_statement, on_meeting


def _window(
    dialect: str, terms: Sequence[Term], size: int | None, *, scored: bool = True
) -> Select[*tuple[Any, ...]]:
    """The matches in storage order (the first ``size`` of them): id, score (higher is
    better; left out unless ``scored``), and for PostgreSQL the statement columns the
    order and the filters need.

    The full-text index alone answers this and stops at ``size``: FTS5 walks its doclists
    in rowid order, PostgreSQL's bitmap heap scan the table in its order.
    """
    if dialect == "sqlite":
        fts = table("statements_fts", column("rowid"))
        fts_table: ColumnElement[Any] = literal_column("statements_fts")
        match = fts_table.op("MATCH")(bindparam("fts", fts5_query(terms)))
        score = [(-func.bm25(fts_table)).label("score")] if scored else []
        stmt = select(fts.c.rowid.label("id"), *score).where(match).order_by(fts.c.rowid)
    elif dialect == "postgresql":
        st = m.Statement
        simple: ColumnElement[str] = literal_column("'simple'")
        vector: ColumnElement[Any] = literal_column("statements.search_vector")
        ts_query = func.to_tsquery(simple, bindparam("tsq", tsquery(terms)))
        score = [func.ts_rank(vector, ts_query, 1).label("score")] if scored else []
        stmt = select(
            st.id.label("id"),
            *score,
            st.document_id.label("document_id"),
            st.start.label("start"),
            st.speaker.label("speaker"),
            st.act.label("act"),
            st.topics.label("topics"),
        ).where(vector.op("@@")(ts_query))
    else:
        raise StoreError(f"search is not supported on {dialect}")
    return stmt if size is None else stmt.limit(size)


def _examined(
    dialect: str, terms: Sequence[Term], size: int, *, scored: bool = True
) -> Select[int]:
    """How many matches the window of ``size`` holds."""
    window = _window(dialect, terms, size, scored=scored).subquery()
    return select(func.count()).select_from(window)


class _Unindexed:
    """The statement's filter columns as SQLite cannot read them from an index
    (``speaker || ''``), so it walks the matches and checks each one.  Given the index,
    it may start from the statements of one speaker or act and probe the full-text index
    row by row: 0.4–1 s for a common word with a selective filter on 100k statements,
    5–15 ms this way (and no slower on 1M).  Not materializing the matches keeps the
    walk lazy, so it stops at the window's size."""

    speaker = m.Statement.speaker.concat("")
    act = m.Statement.act.concat("")
    topics = m.Statement.topics


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
        on_statement, on_meeting = _filters(filters, False, statement=_Unindexed)
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


# ---------------------------------------------------------------- facets

#: The facets, in the order they are reported.
FACETS = ("speaker", "act", "topic", "kind", "counterpart", "year")
#: A query with at most this many matches has its facets counted over every match;
#: one with more, over the window the search ranks (the first RANK_WINDOW matches).
FACET_LIMIT = 5_000


@dataclass
class Facets:
    """Counts of the statements a search selects, by facet value, most first.

    The count of a value is the number of statements the search would select with that
    value as the facet's filter, the other filters as given: a facet is not narrowed by
    its own filter (``speaker="US"`` still shows JP's count in the speaker facet), so a
    value can be added to or swapped for the filter.  ``counted`` is how many statements
    pass every filter; ``exhaustive`` is False when the query has more than FACET_LIMIT
    matches and the counts cover those among the first RANK_WINDOW, the window the
    search ranks.
    """

    speaker: list[tuple[str, int]] = field(default_factory=list)
    act: list[tuple[str, int]] = field(default_factory=list)
    topic: list[tuple[str, int]] = field(default_factory=list)
    kind: list[tuple[str, int]] = field(default_factory=list)
    counterpart: list[tuple[str, int]] = field(default_factory=list)
    year: list[tuple[str, int]] = field(default_factory=list)
    #: How many statements pass every filter (and match the query) among those counted.
    counted: int = 0
    #: False when the counts cover only the first RANK_WINDOW matches of the query.
    exhaustive: bool = True

    def to_dict(self) -> dict[str, Any]:
        """``{"speaker": [{"value": "US", "count": 12}, …], …, "counted", "exhaustive"}``."""
        data: dict[str, Any] = {
            name: [{"value": value, "count": count} for value, count in getattr(self, name)]
            for name in FACETS
        }
        data["counted"] = self.counted
        data["exhaustive"] = self.exhaustive
        return data


def facets(
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
    year: str | int | Iterable[str | int] | None = None,
    latest_only: bool = True,
) -> Facets:
    """Facet counts (speaker, act, topic, kind, counterpart, year) of a search.

    The query and the filters are :func:`search`'s, with the same matching: the count of
    a value is the number of statements ``search`` returns with that value as the
    facet's filter and the other filters as given (see :class:`Facets`).  A query with
    more than FACET_LIMIT matches is counted within the first RANK_WINDOW of them, the
    window the search ranks (``exhaustive`` False); a listing (no query) counts every
    statement the filters select.  Topics and counterparts are each statement's topics
    and each of its meeting's sides other than JP (a statement counts for each); the
    year is the first four characters of the meeting's date.
    """
    filters = checked_filters(
        speaker=speaker,
        act=act,
        topic=topic,
        kind=kind,
        counterpart=counterpart,
        since=since,
        until=until,
        year=year,
    )
    terms = parse_query(query)
    if query.strip() and not terms:
        return Facets()  # nothing searchable in the query: nothing matches
    dialect = store.dialect
    own = [name for name in FACETS if filters[name]]
    exhaustive = True
    with _failures(store, "facets"), Session(store.engine) as session:
        _storage_order(session, dialect)
        if terms:
            count = _examined(dialect, terms, FACET_LIMIT + 1, scored=False)
            exhaustive = session.execute(count).scalar_one() <= FACET_LIMIT
            counts = _gathered(dialect, terms, filters, own, latest_only, every=exhaustive)
        elif not any(filters.values()):
            # Every statement: speaker, act and the count per document from their indexes,
            # the topics in one scan.
            counts = [
                *_apart(dialect, "speaker", filters, own, latest_only),
                *_apart(dialect, "act", filters, own, latest_only),
                *_apart(dialect, "topic", filters, own, latest_only),
                _by_meeting(filters, own, latest_only, MEETING_FACETS),
            ]
        else:
            # What every filter selects, in one pass, for the facets without a filter of
            # their own; each of the others apart, with every filter but its own.
            counts = _gathered(dialect, [], filters, own, latest_only, flagged=(), apart=own)
            for name in own:
                if name in STATEMENT_FILTERS:
                    counts += _apart(dialect, name, filters, own, latest_only)
            mine = [name for name in own if name in MEETING_FACETS]
            if mine:
                counts.append(_by_meeting(filters, own, latest_only, mine))
        rows = session.execute(union_all(*counts)).all()
    found = _tally(rows, own)
    found.exhaustive = exhaustive
    return found


# The counting queries make rows (part, a, b, c, a flag per filtered facet, count).  The
# part names the facets a, b and c count for ("speaker|act||counted": a is a speaker, b
# an act, and the group's statements are among those counted); topics and sides are
# comma-separated.  A flag says whether the group passes that facet's filter (1) or not
# (0), the other filters applied; a group counts for a facet when it passes every
# filter but maybe the facet's own.

MEETING_FACETS = ("kind", "counterpart", "year")
_Query = Select[*tuple[Any, ...]]
_NONE = null().cast(String)
_ONE = literal_column("1", Integer)


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def _part(a: str = "", b: str = "", c: str = "", *, counted: bool = False) -> Any:
    label = f"{a}|{b}|{c}|{'counted' if counted else ''}"
    return literal_column(f"'{label}'", String).label("part")


def _superseded() -> Select[int]:
    return select(m.Document.id).where(m.Document.latest.is_(False))


def _gathered(
    dialect: str,
    terms: Sequence[Term],
    filters: dict[str, Any],
    own: Sequence[str],
    latest_only: bool,
    *,
    every: bool = True,
    flagged: Sequence[str] | None = None,
    apart: Sequence[str] = (),
) -> list[_Query]:
    """Counts from one pass over the matches of ``terms`` (all of them when ``every``,
    else the first RANK_WINDOW: the search's window), or over every statement.

    The statements that pass the filters other than the ``flagged`` facets' (all filtered
    facets by default) and fail at most one of those are gathered once, with a flag per
    flagged facet, then grouped by speaker and act, by topics and, through a count per
    document, by the meeting's kind, sides and year.  The facets ``apart`` are left out
    (counted elsewhere).
    """
    st, mt = m.Statement, m.Meeting
    flagged = own if flagged is None else flagged
    source: Any
    statement: Any
    if not terms:
        source, statement = st, st
    else:
        if every:
            window = _window(dialect, terms, None, scored=False).subquery("window")
        else:  # the search's own window, to count the statements it ranks
            window = _window(dialect, terms, RANK_WINDOW).subquery("window")
        if dialect == "postgresql":  # the window carries the statement's columns
            source, statement = window, window.c
        else:
            source, statement = window.join(st, st.id == window.c.id), st
    document = statement.document_id
    conditions = _conditions(filters, statement)
    where = [c for name, c in conditions.items() if name not in flagged]
    if latest_only:
        # Superseded versions are few: leave their statements out by id, no join needed.
        where.append(document.not_in(_superseded()))
    flags = [_flag(conditions[name]) for name in flagged]
    if len(flags) > 1:
        failing = [1 - flag for flag in flags]
        where.append(sum(failing[1:], failing[0]) <= 1)
    found = (
        select(
            document.label("document_id"),
            statement.speaker.label("speaker"),
            statement.act.label("act"),
            statement.topics.label("topics"),
            *(flag.label(f"f_{name}") for name, flag in zip(flagged, flags, strict=True)),
        )
        .select_from(source)
        .where(*where)
    )
    if any(name in MEETING_FILTERS for name in conditions):
        # An inner join: a statement without a meeting fails every meeting filter, and
        # the counts it could then make are the meeting facets', which it has no value for.
        found = found.join(mt, mt.document_id == document)
    matched = found.cte("matched")
    groups = [matched.c[f"f_{name}"] for name in flagged]
    marks = [matched.c[f"f_{name}"] if name in flagged else _ONE for name in own]

    def fed(*names: str) -> list[str]:
        return [name if name not in apart else "" for name in names]

    speaker, act = fed("speaker", "act")
    by_statement = select(
        _part(speaker, act, counted=True),
        (matched.c.speaker if speaker else _NONE).label("a"),
        (matched.c.act if act else _NONE).label("b"),
        _NONE.label("c"),
        *marks,
        func.count().label("n"),
    ).select_from(matched)
    keys = [matched.c[name] for name in (speaker, act) if name]
    counts: list[_Query] = [by_statement.group_by(*keys, *groups)]
    if "topic" not in apart:
        topics = select(_part("topic"), matched.c.topics, _NONE, _NONE, *marks, func.count())
        counts.append(topics.select_from(matched).group_by(matched.c.topics, *groups))
    meeting = fed(*MEETING_FACETS)
    if any(meeting):
        per_document = (
            select(matched.c.document_id, *groups, func.count().label("n"))
            .group_by(matched.c.document_id, *groups)
            .subquery("per_document")
        )
        document_groups = [per_document.c[f"f_{name}"] for name in flagged]
        document_marks = [per_document.c[f"f_{name}"] if name in flagged else _ONE for name in own]
        year_of = func.substr(mt.date, 1, 4)
        counts.append(
            select(
                _part(*meeting),
                mt.kind,
                mt.sides,
                year_of,
                *document_marks,
                func.sum(per_document.c.n),
            )
            .select_from(per_document)
            .join(mt, mt.document_id == per_document.c.document_id)
            .group_by(mt.kind, mt.sides, year_of, *document_groups)
        )
    return counts


def _apart(
    dialect: str, facet: str, filters: dict[str, Any], own: Sequence[str], latest_only: bool
) -> list[_Query]:
    """The counts of one statement facet's values (speaker, act or topic) among every
    statement, with every filter but the facet's own.

    With no other filter the database counts from the column's index (speaker, act):
    no row is read.  Superseded versions are counted apart and taken off (``-count``),
    which keeps it so.  Without any filter, the speakers' groups are the ones counted.
    """
    st, mt = m.Statement, m.Meeting
    column = {"speaker": st.speaker, "act": st.act, "topic": st.topics}[facet]
    conditions = _conditions(filters)
    on_meeting = [c for n, c in conditions.items() if n in MEETING_FILTERS]
    where = [c for n, c in conditions.items() if n in STATEMENT_FILTERS and n != facet]
    value: Any = column
    if dialect == "sqlite" and (where or on_meeting):
        # SQLite would rather walk the column's index, grouping without a sort, and read
        # every row to test the filters; the column as an expression (act || '') leaves
        # it the filters' index to start from.
        value = column.op("||")(literal_column("''"))
    flags = [_flag(conditions[n]) if n == facet else _ONE for n in own]
    part = _part(facet, counted=facet == "speaker" and not conditions)
    counts: list[_Query] = []
    for sign in (1, -1) if latest_only else (1,):
        count = func.count() if sign > 0 else -func.count()
        query = select(part, value, _NONE, _NONE, *flags, count).select_from(st)
        if on_meeting:
            query = query.join(mt, mt.document_id == st.document_id).where(*on_meeting)
        query = query.where(*where)
        if sign < 0:
            query = query.where(st.document_id.in_(_superseded()))
        counts.append(query.group_by(value))
    return counts


def _by_meeting(
    filters: dict[str, Any], own: Sequence[str], latest_only: bool, fed: Sequence[str]
) -> _Query:
    """The counts of the meeting facets ``fed`` (kind, counterpart, year) among every
    statement: a count per document (from the document_id index when no statement
    filter is set) grouped by its meeting, the meeting filters as flags."""
    st, mt = m.Statement, m.Meeting
    conditions = _conditions(filters)
    on_statement = [c for n, c in conditions.items() if n in STATEMENT_FILTERS]
    document: Any = st.document_id
    if on_statement:
        document = document + 0  # start from the filters' index (see _apart)
    per_document = (
        select(document.label("document_id"), func.count().label("n"))
        .where(*on_statement)
        .group_by(document)
        .subquery("per_document")
    )
    flags = [_flag(conditions[n]) if n in MEETING_FILTERS else _ONE for n in own]
    year_of = func.substr(mt.date, 1, 4)
    part = _part(*(name if name in fed else "" for name in MEETING_FACETS))
    query = (
        select(part, mt.kind, mt.sides, year_of, *flags, func.sum(per_document.c.n))
        .select_from(per_document)
        .join(mt, mt.document_id == per_document.c.document_id)
        .where(*(conditions[n] for n in ("since", "until") if n in conditions))
        .group_by(mt.kind, mt.sides, year_of, *(f for f in flags if f is not _ONE))
    )
    if latest_only:
        query = query.where(per_document.c.document_id.not_in(_superseded()))
    return query


def _tally(rows: Iterable[Any], own: Sequence[str]) -> Facets:
    """The facets from the grouped counts of :func:`_gathered`, :func:`_apart` and
    :func:`_by_meeting` (a listing's topics make thousands of rows: kept tight)."""
    counts: dict[str, defaultdict[str, int]] = {name: defaultdict(int) for name in FACETS}
    counted = 0
    parts: dict[str, tuple[list[tuple[int, str]], bool]] = {}
    flagged = len(own)
    for row in rows:
        part = row[0]
        spec = parts.get(part)
        if spec is None:
            *names, total = part.split("|")
            spec = parts[part] = ([(i, f) for i, f in enumerate(names, 1) if f], total == "counted")
        n = int(row[-1])
        # The one facet whose filter the group fails (None: it passes them all); a group
        # counts for every facet when it passes all, and for that facet only otherwise.
        only = None
        if flagged:
            failing = [name for name, flag in zip(own, row[4:-1], strict=True) if not flag]
            if len(failing) > 1:
                continue
            only = failing[0] if failing else None
        if spec[1] and only is None:
            counted += n
        for i, facet in spec[0]:
            value = row[i]
            if not value or (only is not None and only != facet):
                continue
            found = counts[facet]
            if facet == "topic":
                for t in value.split(","):
                    found[t] += n
            elif facet == "counterpart":
                for side in value.split(","):
                    if side != "JP":
                        found[side] += n
            else:
                found[value] += n

    def ordered(found: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(((v, n) for v, n in found.items() if v and n), key=lambda vn: (-vn[1], vn[0]))

    return Facets(
        speaker=ordered(counts["speaker"]),
        act=ordered(counts["act"]),
        topic=ordered(counts["topic"]),
        kind=ordered(counts["kind"]),
        counterpart=ordered(counts["counterpart"]),
        year=ordered(counts["year"]),
        counted=counted,
    )
