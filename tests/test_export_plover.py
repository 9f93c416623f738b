"""``readout export --format plover``: PLOVER-style events that validate against
``schema/plover-event.schema.json`` and map acts as the contract's act table says."""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import jsonschema
import pytest

from readout.export import Filters, export
from readout.export.format_plover import actors, recipients
from readout.model import ACTS, Record
from readout.store import Store
from tests import test_export
from tests.conftest import ROOT

corpus = test_export.corpus
latest = test_export.latest
store = test_export.store

SCHEMA = json.loads((ROOT / "schema" / "plover-event.schema.json").read_text(encoding="utf-8"))

# The contract's act table (spec/record.md, column "PLOVER export"), written out here.
CONTRACT = {
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


def events(store: Store, **kwargs: Any) -> list[dict[str, Any]]:
    out = io.BytesIO()
    count = export(store, "plover", out, **kwargs)
    lines = out.getvalue().decode("utf-8").splitlines()
    assert count == len(lines)
    return [json.loads(line) for line in lines]


def test_the_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_contract_covers_every_act() -> None:
    assert set(CONTRACT) == set(ACTS)


def test_events_validate_and_map_acts(store: Store, latest: list[Record]) -> None:
    found = events(store)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for event in found:
        errors = [e.message for e in validator.iter_errors(event)]
        assert not errors, (event["event_id"], errors)
        assert event["event_type"] == CONTRACT[event["readout_act"]]
        assert event["event_type"] is not None
    expected = Counter(
        (r.source.sha256, s.id, CONTRACT[s.act])
        for r in latest
        for s in r.statements
        if CONTRACT[s.act] is not None
    )
    assert Counter((e["source"]["sha256"], e["statement_id"], e["event_type"]) for e in found) == (
        expected
    )
    assert {e["event_type"] for e in found} == {
        "SUPPORT",
        "AGREE",
        "DISAPPROVE",
        "DEMAND",
        "CONSULT",
    }
    assert len({e["event_id"] for e in found}) == len(found)


def test_events_point_at_their_source_text(store: Store, latest: list[Record]) -> None:
    by_sha = {r.source.sha256: r for r in latest}
    for event in events(store):
        record = by_sha[event["source"]["sha256"]]
        start, end = event["offsets"]["start"], event["offsets"]["end"]
        assert record.text[start:end] == event["source_text"]
        assert event["event_date"] == record.meeting.date
        assert event["source"]["path"] == record.source.path
        assert event["parser_version"] == record.parser_version


def test_actors_and_recipients(store: Store, latest: list[Record]) -> None:
    by_key = {(r.source.sha256, s.id): (r, s) for r in latest for s in r.statements}
    joint = 0
    for event in events(store):
        record, statement = by_key[(event["source"]["sha256"], event["statement_id"])]
        sides = record.meeting.sides
        if statement.speaker == "JOINT":
            joint += 1
            assert event["actor"] == sides and event["actor_joint"]
        else:
            assert event["actor"] == [statement.speaker] and not event["actor_joint"]
        if statement.target:
            assert event["recipient"] == [statement.target]
        elif statement.speaker != "JOINT" and len(sides) == 2 and statement.speaker in sides:
            assert event["recipient"] == [s for s in sides if s != statement.speaker]
        else:
            assert event["recipient"] == []
    assert joint


def test_actor_and_recipient_rules() -> None:
    assert actors("JOINT", ["JP", "US"]) == ["JP", "US"]
    assert actors("JOINT", []) == ["JOINT"]
    assert actors("US", ["JP", "US"]) == ["US"]
    assert recipients("JP", None, ["JP", "US"]) == ["US"]
    assert recipients("JP", "CN", ["JP", "US"]) == ["CN"]
    assert recipients("JOINT", None, ["JP", "US"]) == []
    assert recipients("JP", None, ["JP", "US", "AU"]) == []


def test_all_acts_writes_every_statement(store: Store, latest: list[Record]) -> None:
    found = events(store, all_acts=True)
    assert len(found) == sum(len(r.statements) for r in latest)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for event in found:
        validator.validate(event)
    unmapped = [e for e in found if e["event_type"] is None]
    assert unmapped and {e["readout_act"] for e in unmapped} <= {"STATE", "AFFIRM", "EMPHASIZE"}


@pytest.mark.parametrize("act", ["STATE", "WELCOME", "CONCERN"])
def test_filters_apply(store: Store, latest: list[Record], act: str) -> None:
    found = events(store, filters=Filters.make(act=act, speaker="JP"))
    expected = sum(
        1
        for r in latest
        for s in r.statements
        if s.act == act and s.speaker == "JP" and CONTRACT[act] is not None
    )
    assert len(found) == expected
    assert all(e["readout_act"] == act and e["speaker"] == "JP" for e in found)


def test_a_wrong_event_fails_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = {
        "event_id": "readout:0123456789abcdef:st1",
        "event_type": "SUPPORT",
        "readout_act": "WELCOME",
        "actor": ["JP"],
        "actor_joint": False,
        "recipient": ["US"],
        "event_date": "2024-01-12",
        "speaker": "JP",
        "person": None,
        "target": None,
        "meeting": {"kind": "2+2", "sides": ["JP", "US"], "counterpart": "US"},
        "source": {
            "document_id": 1,
            "path": "a.txt",
            "url": None,
            "sha256": "0" * 64,
            "title": None,
            "version": 1,
        },
        "statement_id": "st1",
        "source_text": "歓迎した。",
        "offsets": {"start": 0, "end": 5},
        "topics": ["china"],
        "reaffirmed": False,
        "parser_version": "0.1.0",
    }
    validator.validate(good)
    assert not validator.is_valid({**good, "event_type": "AGREE"})  # WELCOME is SUPPORT
    assert not validator.is_valid({**good, "actor": []})
    assert not validator.is_valid({**good, "extra": 1})
