"""Generate the record's JSON Schema from the model classes.

``python -m readout.schema`` rewrites ``schema/record.schema.json``;
``python -m readout.schema --check`` exits 1 when the committed file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from readout.model import Record

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "record.schema.json"


def record_schema() -> dict[str, object]:
    schema = Record.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/readout/readout/schema/record.schema.json"
    return schema


def render() -> str:
    return json.dumps(record_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = SCHEMA_PATH
    if "--check" in args:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != render():
            print(f"{path}: stale; run `python -m readout.schema`", file=sys.stderr)
            return 1
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
