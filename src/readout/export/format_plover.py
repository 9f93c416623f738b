"""``plover`` export: PLOVER-style event records, one JSON object per line.

One event per statement whose act maps to a PLOVER event type (the contract's act table,
``/spec/record.md``): WELCOME, SUPPORT, THANK → SUPPORT; AGREE, DECIDE, COMMIT → AGREE;
CONCERN, OPPOSE, CONDEMN → DISAPPROVE; REQUEST → DEMAND; DISCUSS → CONSULT.  STATE,
AFFIRM and EMPHASIZE have no PLOVER event: those statements are skipped, or, with
``--all-acts``, written with ``event_type`` null.  The readout act is kept as
``readout_act``.  Every event validates against ``schema/plover-event.schema.json``.

Actors and recipients are always lists of side codes (ISO 3166-1 alpha-2):

* ``actor``: the speaker's side; for a ``JOINT`` statement every side of the meeting
  (``["JP", "US"]``), with ``actor_joint`` true.  Only when a joint statement's meeting
  has no known sides is the actor ``["JOINT"]``.
* ``recipient``: the statement's ``target`` when the text names one; else, for a
  one-side speaker in a bilateral meeting, the other side; else empty (a joint statement
  without a target addresses no one in particular, nor does one side at a multilateral
  meeting).

``event_id`` is ``readout:`` + the first 16 hex digits of the source's sha256 + ``:`` +
the statement id, so it is the same in every store that holds that document version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from readout.export import ExportJob, exporter

#: Readout act → PLOVER event type (None: no event), as the contract's act table says.
PLOVER_EVENT: dict[str, str | None] = {
    "STATE": None,
    "WELCOME": "SUPPORT",
    "SUPPORT": "SUPPORT",
    "THANK": "SUPPORT",
    "AFFIRM": None,
    "AGREE": "AGREE",
    "DECIDE": "AGREE",
    "COMMIT": "AGREE",
    "EMPHASIZE": None,
    "CONCERN": "DISAPPROVE",
    "OPPOSE": "DISAPPROVE",
    "CONDEMN": "DISAPPROVE",
    "REQUEST": "DEMAND",
    "DISCUSS": "CONSULT",
}

JOINT = "JOINT"


def actors(speaker: str, sides: list[str]) -> list[str]:
    """Who acts: the speaker's side, or every side for a joint statement."""
    if speaker == JOINT:
        return list(sides) if sides else [JOINT]
    return [speaker]


def recipients(speaker: str, target: str | None, sides: list[str]) -> list[str]:
    """Who the act is addressed to (see the module's notes)."""
    if target:
        return [target]
    if speaker == JOINT or len(sides) != 2 or speaker not in sides:
        return []
    return [s for s in sides if s != speaker]


def event_id(sha256: str | None, document_id: int, sid: str) -> str:
    key = sha256[:16] if sha256 else f"doc{document_id}"
    return f"readout:{key}:{sid}"


def event(row: dict[str, Any]) -> dict[str, Any]:
    """The PLOVER event of one statement row (``readout.export.rows.STATEMENT_FIELDS``)."""
    speaker: str = row["speaker"]
    sides: list[str] = row["sides"]
    return {
        "event_id": event_id(row["sha256"], row["document_id"], row["sid"]),
        "event_type": PLOVER_EVENT.get(row["act"]),
        "readout_act": row["act"],
        "actor": actors(speaker, sides),
        "actor_joint": speaker == JOINT,
        "recipient": recipients(speaker, row["target"], sides),
        "event_date": row["date"],
        "speaker": speaker,
        "person": row["person"],
        "target": row["target"],
        "meeting": {"kind": row["kind"], "sides": sides, "counterpart": row["counterpart"]},
        "source": {
            "document_id": row["document_id"],
            "path": row["path"],
            "url": row["url"],
            "sha256": row["sha256"],
            "title": row["title"],
            "version": row["version"],
        },
        "statement_id": row["sid"],
        "source_text": row["text"],
        "offsets": {"start": row["start"], "end": row["end"]},
        "topics": row["topics"],
        "reaffirmed": row["reaffirmed"],
        "parser_version": row["parser_version"],
    }


@exporter(
    "plover",
    whats=("statements",),
    suffix=".jsonl",
    help="PLOVER-style event records, one JSON object per line (statements only).",
)
def write_plover(rows: Iterator[dict[str, Any]], out: BinaryIO, job: ExportJob) -> int:
    """PLOVER-style event records, one JSON object per line (statements only)."""
    count = 0
    for row in rows:
        if PLOVER_EVENT.get(row["act"]) is None and not job.all_acts:
            continue
        out.write(json.dumps(event(row), ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count
