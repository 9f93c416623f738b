"""What each page shows, as plain JSON-ready data: the page and its JSON twin share it.

Every function here calls the library (the store's readers, search, lineage, the
tracker, timelines, corrections) and returns a ``dict`` that :mod:`json` can write; the
HTML templates render the same dict.  Nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from readout import corrections, lineage, timeline, tracker
from readout.model import ACTS, Record
from readout.search import Facets, facets, search
from readout.store import Store
from readout.store import models as m
from readout.store.read import fingerprint, list_meetings
from readout.topics import topic_labels

MEETINGS_PAGE = 50
SEARCH_PAGE = 20
COMMITMENTS_PAGE = 100


class SearchFilters(TypedDict):
    """The filters a search page passes on to :func:`readout.search.search`."""

    speaker: str | None
    act: str | None
    topic: str | None
    kind: str | None
    counterpart: str | None
    year: str | None
    since: str | None
    until: str | None


class FacetCache:
    """Facets of listings (a search without words), kept until the store changes.

    A listing's facets count every statement the filters select — a scan of the table,
    ~100 ms at 100k statements — and the same few listings (the search page before
    anything is typed, a click on a facet) are asked for again and again.  Entries are
    keyed by the filters and :func:`~readout.store.read.fingerprint`, which changes with
    any ingest, reparse, correction or verdict, whoever makes it.  Searches with words
    are counted afresh (they are quick: only their matches are counted).
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[object, ...], Facets] = OrderedDict()
        self._lock = threading.Lock()

    def facets(self, store: Store, query: str, filters: SearchFilters) -> Facets:
        if query.strip() or self.size <= 0:
            return facets(store, query, **filters)
        key = (fingerprint(store), *sorted(filters.items()))
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        counted = facets(store, query, **filters)
        with self._lock:
            self._entries[key] = counted
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return counted


@dataclass(frozen=True)
class Page:
    """Where a page of a list starts and how long it is."""

    limit: int
    offset: int

    def as_dict(self, shown: int, more: bool) -> dict[str, Any]:
        return {"limit": self.limit, "offset": self.offset, "shown": shown, "more": more}


def meetings(
    store: Store,
    *,
    page: Page,
    kind: str | None = None,
    counterpart: str | None = None,
    since: str | None = None,
    until: str | None = None,
    all_versions: bool = False,
) -> dict[str, Any]:
    rows = list_meetings(
        store,
        kind=kind,
        counterpart=counterpart,
        since=since,
        until=until,
        all_versions=all_versions,
        limit=page.limit + 1,
        offset=page.offset,
    )
    return {
        "filters": {
            "kind": kind,
            "counterpart": counterpart,
            "since": since,
            "until": until,
            "all_versions": all_versions,
        },
        "page": page.as_dict(min(len(rows), page.limit), len(rows) > page.limit),
        "meetings": [r.as_dict() for r in rows[: page.limit]],
    }


def _statement_ids(session: Session, document_id: int) -> dict[str, int]:
    rows = session.execute(
        select(m.Statement.sid, m.Statement.id).where(m.Statement.document_id == document_id)
    )
    return {sid: row_id for sid, row_id in rows}


def _document_row(session: Session, document_id: int) -> dict[str, Any]:
    row = session.execute(
        select(
            m.Document.source_key,
            m.Document.version,
            m.Document.latest,
            m.Document.ingested_at,
            m.Document.parser_version,
        ).where(m.Document.id == document_id)
    ).one()
    return {
        "source": row.source_key,
        "version": row.version,
        "latest": row.latest,
        "ingested_at": row.ingested_at.isoformat() if row.ingested_at else None,
        "parser_version": row.parser_version,
    }


def meeting(store: Store, document_id: int) -> dict[str, Any]:
    """One meeting: its record (with the analyst's corrections applied), where each
    statement is in the store, its commitments with their status, the previous meeting
    of its series."""
    return meeting_and_record(store, document_id)[1]


def meeting_and_record(store: Store, document_id: int) -> tuple[Record, dict[str, Any]]:
    """:func:`meeting`, and the corrected record it shows (the page renders its text)."""
    record, fixes = corrections.corrected_record(store, document_id)
    try:
        with Session(store.engine) as session:
            ids = _statement_ids(session, document_id)
            document = _document_row(session, document_id)
            info = lineage.meeting_info(session, document_id)
            previous = lineage.previous_meeting(session, info)
    except SQLAlchemyError as err:
        raise store.failure(err) from None
    # Evidence is searched on each commitment's own page: here it would read every
    # statement of the series on every view of the meeting.
    tracked = tracker.commitments(store, document_id=document_id, evidence=False)
    return record, {
        "id": document_id,
        "document": document,
        "record": record.to_dict(),
        "statement_ids": ids,
        "corrections": {sid: c.to_dict() for sid, c in fixes.items()},
        "commitments": [c.as_dict() for c in tracked],
        "previous": previous.as_dict() if previous else None,
    }


def search_page(
    store: Store,
    query: str,
    page: Page,
    filters: dict[str, str | None],
    cache: FacetCache | None = None,
) -> dict[str, Any]:
    """A page of hits and the facets of the whole result."""
    f = filters
    chosen = SearchFilters(
        speaker=f.get("speaker"),
        act=f.get("act"),
        topic=f.get("topic"),
        kind=f.get("kind"),
        counterpart=f.get("counterpart"),
        year=f.get("year"),
        since=f.get("since"),
        until=f.get("until"),
    )
    results = search(store, query, limit=page.limit, offset=page.offset, **chosen)
    counted = (cache or FacetCache(0)).facets(store, query, chosen)
    data = results.to_dict()
    data["page"] = page.as_dict(len(results.hits), results.more)
    data["facets"] = counted.to_dict()
    data["filters"] = {k: v for k, v in filters.items() if v}
    return data


def diff(store: Store, a: int | None, b: int) -> dict[str, Any]:
    return lineage.diff_meetings(store, a, b).as_dict()


def trace(store: Store, what: int | str) -> dict[str, Any]:
    """The lineage of a statement; for words, of the best hit, with the other hits as
    ``candidates`` to trace instead."""
    data = lineage.trace(store, what).as_dict()
    if isinstance(what, str):
        hits = search(store, what, limit=10).hits
        origin = data["origin"]["statement_id"]
        data["candidates"] = [h.to_dict() for h in hits if h.statement_id != origin]
    return data


def commitments(
    store: Store,
    *,
    page: Page,
    status: str | None = None,
    actor: str | None = None,
    due_before: str | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    rows = tracker.commitments(
        store, status=status, actor=actor, due_before=due_before, as_of=as_of
    )
    counts: dict[str, int] = {s: 0 for s in tracker.STATUSES}
    for r in rows:
        counts[r.status] += 1
    shown = rows[page.offset : page.offset + page.limit]
    return {
        "filters": {
            "status": status,
            "actor": actor,
            "due_before": due_before,
            "as_of": (as_of or dt.date.today()).isoformat(),
        },
        "total": len(rows),
        "counts": counts,
        "page": page.as_dict(len(shown), page.offset + page.limit < len(rows)),
        "commitments": [c.as_dict() for c in shown],
    }


def commitment(store: Store, commitment_id: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """One commitment with its status and the later statements that match it."""
    found = tracker.commitments(store, commitment_id=commitment_id, as_of=as_of)
    if not found:
        raise tracker.CommitmentNotFound(commitment_id)
    data = found[0].as_dict()
    data["as_of"] = (as_of or dt.date.today()).isoformat()
    return data


def timeline_data(
    store: Store,
    topic: str,
    *,
    by: str = "act",
    kind: str | None = None,
    counterpart: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> timeline.Timeline:
    return timeline.timeline(
        store, topic, by=by, kind=kind, counterpart=counterpart, since=since, until=until
    )


def timeline_dict(tl: timeline.Timeline) -> dict[str, Any]:
    data = tl.to_dict()
    data["by_year"] = [{"year": y, "counts": c} for y, c in tl.by_year()]
    return data


def latest_document(store: Store, source: str) -> int | None:
    """The id of the newest stored version of ``source`` (a path or URL), if any."""
    from readout.io import is_url

    key = source if is_url(source) else str(Path(source).resolve())
    query = (
        select(m.Document.id)
        .where(m.Document.source_key.in_([key, source]))
        .order_by(m.Document.version.desc())
        .limit(1)
    )
    try:
        with Session(store.engine) as session:
            return session.scalar(query)
    except SQLAlchemyError as err:
        raise store.failure(err) from None


def topics() -> list[tuple[str, str]]:
    """Topic ids and their labels, for the pickers."""
    return sorted(topic_labels().items())


def acts() -> tuple[str, ...]:
    return ACTS
