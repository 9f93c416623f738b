"""The pipeline: stages run in order and fill only the record fields they declare."""

from __future__ import annotations

import copy
from typing import Any

import readout
from readout.model import Record
from readout.pipeline import ORDER, Doc, pipeline
from readout.textnorm import normalize
from tests.conftest import REFERENCE, corpus_files


def test_every_named_stage_is_registered_in_order() -> None:
    assert [s.name for s in pipeline()] == list(ORDER)
    assert all(s.qualified_name.startswith("readout.") for s in pipeline())


def _field_exists(path: str) -> bool:
    model: Any = Record
    for part in path.split("."):
        fields = getattr(model, "model_fields", None)
        if fields is None:
            return False
        name = "schema_" if part == "schema" else part
        if name not in fields:
            return False
        ann = fields[name].annotation
        inner = getattr(ann, "__args__", None)
        model = inner[0] if inner else ann
    return True


def test_declared_fields_exist_in_the_record_model() -> None:
    for st in pipeline():
        for f in st.fills:
            assert _field_exists(f), f"{st.name} declares unknown field {f}"


def _changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for key in after:
        if before.get(key) == after[key]:
            continue
        if key == "meeting":
            out |= {f"meeting.{k}" for k in after[key] if before[key].get(k) != after[key][k]}
        else:
            out.add(key)
    return out


def test_each_stage_fills_only_what_it_declares() -> None:
    for path in [REFERENCE, *corpus_files()[:10]]:
        text = path.read_text(encoding="utf-8")
        record = Record(parser_version=readout.__version__, text=text)
        doc = Doc(record=record, norm=normalize(text))
        for st in pipeline():
            before = copy.deepcopy(record.to_dict())
            st.func(doc)
            changed = _changed(before, record.to_dict()) - {"warnings"}
            declared = {f.split(".")[0] if not f.startswith("meeting.") else f for f in st.fills}
            assert changed <= declared, f"{path.name}: {st.name} also filled {changed - declared}"
