"""Analyst corrections of statements: speaker and act, kept apart from parser output.

A correction names a statement of a stored document by its record id (``st3``) and gives
the speaker and/or act the analyst reads there, with a note.  It is stored in
``statement_corrections`` under the document's source and version and the statement's
span — what survives ``readout reparse``, which rewrites the statement rows (new ids, and
possibly new sids) — while ``documents.record_json`` stays what the parser said.

The corrected values are also written onto the ``statements`` row (same transaction), so
search, facets, diff, trace, the tracker and the exports of statements see the analyst's
values.  ``readout reparse`` writes them again onto the new rows
(:func:`readout.store.write.apply_corrections`); a correction whose span no statement of
the new parse has is kept and listed as *detached* (``attached=False``), never dropped.
A correction belongs to one document version: a new version of the source starts without
corrections.

:func:`export_gold` writes the corrected documents as gold files for ``readout eval``:
the parser's statements as accepted by the analyst, with the analyst's speakers and acts.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from readout.gold import from_record
from readout.model import ACTS, Record, Statement
from readout.store import models as m
from readout.store.db import Store
from readout.store.read import DocumentNotFound
from readout.store.write import stored_record

__all__ = [
    "Correction",
    "CorrectionError",
    "StatementNotFound",
    "clear_correction",
    "correct_statement",
    "corrected_record",
    "corrections_for_document",
    "export_gold",
    "gold_name",
    "list_corrections",
]

JOINT = "JOINT"


class CorrectionError(ValueError):
    """A correction that cannot be made (unknown speaker or act, nothing to correct)."""


class StatementNotFound(LookupError):
    """The document has no statement with this record id."""

    def __init__(self, document_id: int, sid: str) -> None:
        self.document_id, self.sid = document_id, sid
        super().__init__(f"no statement {sid} in document {document_id}")


@dataclass(frozen=True)
class Correction:
    """One correction as it stands against the document's current parse.

    ``speaker`` / ``act`` are the corrected values (None: that field is not corrected);
    ``parser_speaker`` / ``parser_act`` what the parser says (``documents.record_json``).
    ``attached`` is False when no statement of the current parse has the span any more;
    ``sid``, ``parser_speaker`` and ``parser_act`` are then those recorded when the
    correction was set.
    """

    document_id: int
    sid: str
    source_key: str
    version: int
    start: int
    end: int
    speaker: str | None
    act: str | None
    parser_speaker: str
    parser_act: str
    note: str | None
    set_at: datetime
    attached: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "sid": self.sid,
            "source_key": self.source_key,
            "version": self.version,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "act": self.act,
            "parser_speaker": self.parser_speaker,
            "parser_act": self.parser_act,
            "note": self.note,
            "set_at": self.set_at.isoformat(),
            "attached": self.attached,
        }


# ---------------------------------------------------------------------------------------
# Reading


@contextmanager
def _session(store: Store, *, write: bool = False) -> Iterator[Session]:
    """A session (one transaction when ``write``); database errors as one-line StoreError."""
    try:
        with Session(store.engine) as session:
            if write:
                with session.begin():
                    yield session
            else:
                yield session
    except SQLAlchemyError as err:
        raise store.failure(err) from None


def _document(session: Session, document_id: int) -> m.Document:
    doc = session.get(m.Document, document_id)
    if doc is None:
        raise DocumentNotFound(document_id)
    return doc


def _rows(session: Session, doc: m.Document) -> list[m.StatementCorrection]:
    sc = m.StatementCorrection
    return list(
        session.scalars(
            select(sc)
            .where(sc.source_key == doc.source_key, sc.version == doc.version)
            .order_by(sc.start, sc.end)
        )
    )


def _aware(value: datetime) -> datetime:
    # SQLite gives back naive datetimes; they were written in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _correction(
    document_id: int, row: m.StatementCorrection, statement: Statement | None
) -> Correction:
    return Correction(
        document_id=document_id,
        sid=statement.id if statement else row.sid,
        source_key=row.source_key,
        version=row.version,
        start=row.start,
        end=row.end,
        speaker=row.speaker,
        act=row.act,
        parser_speaker=statement.speaker if statement else row.parser_speaker,
        parser_act=statement.act if statement else row.parser_act,
        note=row.note,
        set_at=_aware(row.set_at),
        attached=statement is not None,
    )


def _all_of(session: Session, doc: m.Document, record: Record) -> list[Correction]:
    """Every correction of ``doc``, attached or not, in text order."""
    by_span = {(st.start, st.end): st for st in record.statements}
    return [_correction(doc.id, r, by_span.get((r.start, r.end))) for r in _rows(session, doc)]


def _attached(corrections: list[Correction]) -> dict[str, Correction]:
    return {c.sid: c for c in corrections if c.attached}


def _apply(record: Record, fixes: dict[str, Correction]) -> Record:
    statements = [
        st.model_copy(
            update={
                "speaker": fixes[st.id].speaker or st.speaker,
                "act": fixes[st.id].act or st.act,
            }
        )
        if st.id in fixes
        else st
        for st in record.statements
    ]
    return record.model_copy(update={"statements": statements})


def corrections_for_document(store: Store, document_id: int) -> dict[str, Correction]:
    """The corrections attached to statements of document ``document_id``, by sid."""
    with _session(store) as session:
        doc = _document(session, document_id)
        return _attached(_all_of(session, doc, stored_record(doc)))


def list_corrections(store: Store) -> list[Correction]:
    """Every correction in the store, detached ones included, by document id and span.
    (A correction whose document version is no longer stored is not listed.)"""
    sc = m.StatementCorrection
    with _session(store) as session:
        docs = session.scalars(
            select(m.Document)
            .where(
                select(sc.id)
                .where(sc.source_key == m.Document.source_key, sc.version == m.Document.version)
                .exists()
            )
            .order_by(m.Document.id)
        )
        return [c for doc in docs for c in _all_of(session, doc, stored_record(doc))]


def corrected_record(store: Store, document_id: int) -> tuple[Record, dict[str, Correction]]:
    """Document ``document_id``'s stored record with the corrected speakers and acts in its
    statements, and the corrections applied, by sid."""
    with _session(store) as session:
        doc = _document(session, document_id)
        record = stored_record(doc)
        fixes = _attached(_all_of(session, doc, record))
    return _apply(record, fixes), fixes


# ---------------------------------------------------------------------------------------
# Writing


def _label(value: str | None) -> str | None:
    return None if value is None else value.strip().upper()


def _sides(session: Session, document_id: int) -> list[str]:
    sides = session.scalar(select(m.Meeting.sides).where(m.Meeting.document_id == document_id))
    return [s for s in (sides or "").split(",") if s]


def _write_statement(
    session: Session, doc: m.Document, st: Statement, speaker: str, act: str
) -> None:
    session.execute(
        update(m.Statement)
        .where(
            m.Statement.document_id == doc.id,
            m.Statement.start == st.start,
            m.Statement.end == st.end,
        )
        .values(speaker=speaker, act=act)
    )


def _statement(record: Record, document_id: int, sid: str) -> Statement:
    found = next((st for st in record.statements if st.id == sid), None)
    if found is None:
        raise StatementNotFound(document_id, sid)
    return found


def correct_statement(
    store: Store,
    document_id: int,
    sid: str,
    *,
    speaker: str | None = None,
    act: str | None = None,
    note: str | None = None,
) -> Correction:
    """Correct statement ``sid`` of document ``document_id``: its speaker (JOINT or one of
    the meeting's sides) and/or its act (one of :data:`readout.model.ACTS`), with a note.

    A field not given keeps an earlier correction of it, and so does the note.  A value
    equal to the parser's means that field is not corrected; when neither field is left
    corrected the correction is removed (the result then has ``speaker`` and ``act``
    None).  One transaction: the correction and the statement row, or nothing.
    """
    want_speaker, want_act = _label(speaker), _label(act)
    if want_speaker is None and want_act is None:
        raise CorrectionError("nothing to correct: give a speaker or an act")
    if want_act is not None and want_act not in ACTS:
        raise CorrectionError(f"unknown act {act!r} (one of: {', '.join(ACTS)})")
    now = datetime.now(UTC)
    with _session(store, write=True) as session:
        doc = _document(session, document_id)
        st = _statement(stored_record(doc), document_id, sid)
        if want_speaker is not None and want_speaker != st.speaker:
            allowed = [*_sides(session, doc.id), JOINT]
            if want_speaker not in allowed:
                raise CorrectionError(
                    f"unknown speaker {speaker!r} for document {document_id} "
                    f"(one of: {', '.join(allowed)})"
                )
        sc = m.StatementCorrection
        row = session.scalars(
            select(sc).where(
                sc.source_key == doc.source_key,
                sc.version == doc.version,
                sc.start == st.start,
                sc.end == st.end,
            )
        ).first()
        new_speaker = want_speaker if want_speaker is not None else (row.speaker if row else None)
        new_act = want_act if want_act is not None else (row.act if row else None)
        new_speaker = None if new_speaker == st.speaker else new_speaker
        new_act = None if new_act == st.act else new_act
        # An empty note clears the note.
        new_note = (note or None) if note is not None else (row.note if row else None)
        if new_speaker is None and new_act is None:
            new_note = None
            if row is not None:
                session.delete(row)
        else:
            if row is None:
                row = sc(source_key=doc.source_key, version=doc.version, start=st.start, end=st.end)
                session.add(row)
            row.sid, row.parser_speaker, row.parser_act = st.id, st.speaker, st.act
            row.speaker, row.act, row.note, row.set_at = new_speaker, new_act, new_note, now
        _write_statement(session, doc, st, new_speaker or st.speaker, new_act or st.act)
        return Correction(
            document_id=doc.id,
            sid=st.id,
            source_key=doc.source_key,
            version=doc.version,
            start=st.start,
            end=st.end,
            speaker=new_speaker,
            act=new_act,
            parser_speaker=st.speaker,
            parser_act=st.act,
            note=new_note,
            set_at=now,
            attached=True,
        )


def clear_correction(store: Store, document_id: int, sid: str) -> bool:
    """Remove the correction of statement ``sid`` of document ``document_id``; its row
    goes back to the parser's values.  True if there was one.

    ``sid`` names a statement of the current parse; when that statement has no correction
    (or there is no such statement), a detached correction recorded under ``sid`` is
    removed instead.  :class:`StatementNotFound` when neither exists.
    """
    with _session(store, write=True) as session:
        doc = _document(session, document_id)
        record = stored_record(doc)
        spans = {(st.start, st.end) for st in record.statements}
        st = next((s for s in record.statements if s.id == sid), None)
        rows = _rows(session, doc)
        if st is not None:
            own = [r for r in rows if (r.start, r.end) == (st.start, st.end)]
            if own:
                session.delete(own[0])
                _write_statement(session, doc, st, st.speaker, st.act)
                return True
        detached = [r for r in rows if r.sid == sid and (r.start, r.end) not in spans]
        for r in detached:
            session.execute(delete(m.StatementCorrection).where(m.StatementCorrection.id == r.id))
        if detached:
            return True
        if st is None:
            raise StatementNotFound(document_id, sid)
        return False


# ---------------------------------------------------------------------------------------
# Gold files


_SLUG_CUT = re.compile(r"[^A-Za-z0-9._-]+")


def gold_name(document_id: int, source_key: str, version: int) -> str:
    """A file-system-safe name for a document's gold files: ``doc12_v1_<slug>``, the slug
    made from the last part of the source's path or URL (ASCII letters, digits, ``._-``)."""
    last = re.split(r"[/\\]", source_key.split("?", 1)[0].split("#", 1)[0].rstrip("/\\"))[-1]
    stem = last.rsplit(".", 1)[0] if "." in last.strip(".") else last
    slug = _SLUG_CUT.sub("-", stem).strip("-._")[:40].strip("-._")
    return f"doc{document_id}_v{version}" + (f"_{slug}" if slug else "")


#: Statement keys of an exported gold file: what the analyst judged (boundaries as the
#: parser found them, speaker, act), not ``person``, ``target`` or ``reaffirmed``.
_GOLD_STATEMENT_KEYS = ("id", "speaker", "act", "text", "start", "end")


def _universal_newlines(text: str) -> tuple[str, list[int]]:
    """``text`` as :meth:`Path.read_text` gives it back (CRLF and CR as LF), and the
    offsets of the dropped CRs (to shift spans by)."""
    if "\r" not in text:
        return text, []
    dropped = [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"]
    return text.replace("\r\n", "\n").replace("\r", "\n"), dropped


def _shift_spans(gold: dict[str, Any], old: str, new: str, dropped: list[int]) -> None:
    def at(offset: int) -> int:
        return offset - bisect.bisect_left(dropped, offset)

    def span(obj: dict[str, Any], text_key: str | None) -> None:
        same = text_key is not None and obj.get(text_key) == old[obj["start"] : obj["end"]]
        obj["start"], obj["end"] = at(obj["start"]), at(obj["end"])
        if same and text_key is not None:
            obj[text_key] = new[obj["start"] : obj["end"]]

    for st in gold["statements"]:
        span(st, "text")
    for cm in gold["commitments"]:
        span(cm, "action")
    for sec in gold["sections"]:
        span(sec, None)
        for it in sec.get("items", []):
            span(it, None)
    for ent in gold["entities"]:
        ent["mentions"] = [[at(a), at(b)] for a, b in ent["mentions"]]


def _gold(doc: m.Document, record: Record, fixes: dict[str, Correction]) -> tuple[str, str]:
    """The text file's and the gold file's contents for one document."""
    data = from_record(record, f"{doc.source_key} (version {doc.version}, document {doc.id})")
    data["checked"] = ["statements"]
    data["statements"] = [{k: s[k] for k in _GOLD_STATEMENT_KEYS} for s in data["statements"]]
    data["corrections"] = [
        {k: v for k, v in c.to_dict().items() if k not in ("source_key", "version")}
        for c in fixes.values()
    ]
    text, dropped = _universal_newlines(record.text)
    if dropped or text != record.text:
        _shift_spans(data, record.text, text, dropped)
    return text, json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def export_gold(
    store: Store, out_dir: Path, document_ids: Iterable[int] | None = None
) -> list[Path]:
    """Write ``NAME.txt`` and ``NAME.gold.json`` (:func:`gold_name`) into ``out_dir`` for
    each document with a correction attached to one of its statements, or for each of
    ``document_ids``; returns the gold files' paths (each beside its text).

    The gold file is :func:`readout.gold.from_record` of the corrected record with only
    ``statements`` checked: the parser's statements (boundaries) as the analyst accepted
    them, with the analyst's speakers and acts where corrected and the parser's elsewhere;
    ``person``, ``target`` and ``reaffirmed`` are left out (not judged).  The other parts
    are in the file as the parser gave them, unchecked.  A ``corrections`` list says which
    statements were corrected.  The text is the document's text; where it has CR or CRLF
    line ends it is written with LF (as ``readout eval`` reads it back) and every offset
    shifted to match.
    """
    out_dir = Path(out_dir)
    if document_ids is None:
        ids = sorted({c.document_id for c in list_corrections(store) if c.attached})
    else:
        ids = list(dict.fromkeys(document_ids))
    with _session(store) as session:
        files: list[tuple[str, str, str]] = []
        for document_id in ids:
            doc = _document(session, document_id)
            record = stored_record(doc)
            fixes = _attached(_all_of(session, doc, record))
            text, gold = _gold(doc, _apply(record, fixes), fixes)
            files.append((gold_name(doc.id, doc.source_key, doc.version), text, gold))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text, gold in files:
        (out_dir / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
        path = out_dir / f"{name}.gold.json"
        path.write_text(gold, encoding="utf-8")
        written.append(path)
    return written
