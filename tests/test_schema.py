"""The committed JSON Schema is generated from the model and must not be stale."""

from __future__ import annotations

import json

import jsonschema

import readout
from readout.schema import SCHEMA_PATH, main, render


def test_committed_schema_is_current() -> None:
    assert SCHEMA_PATH.exists(), "run `python -m readout.schema`"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render(), (
        "schema/record.schema.json is stale; run `python -m readout.schema`"
    )
    assert main(["--check"]) == 0


def test_parsed_records_validate_against_the_schema(reference: readout.Record) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(reference.to_dict(), schema)


def test_schema_rejects_an_unknown_act() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    bad = json.loads(readout.parse("テスト").to_json())
    bad["statements"] = [
        {"id": "st1", "speaker": "JP", "act": "PRAISE", "text": "x", "start": 0, "end": 1}
    ]
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("an unknown act label passed the schema")
