"""Gold annotations: hand-checked records that ``readout eval`` scores the parser against.

A gold file sits beside its readout (``NAME.txt`` → ``NAME.gold.json``) and has the
record's own JSON shape, holding only what a person checked:

* ``checked`` lists the parts that were annotated in full (``title``, ``published``,
  ``issuers``, ``meeting``, ``sections``, ``statements``, ``entities``, ``commitments``);
  a part not listed is not scored for that file.
* Inside ``meeting`` only the keys present are scored; inside a statement, ``person`` and
  ``target`` are scored only where present.
* Spans carry their ``text``; ``readout gold fix`` fills ``start``/``end`` from it, so a
  gold file can be written by hand without counting characters, or start as parser output
  (``readout gold init``) that a person corrects.

Loading validates everything and raises :class:`GoldError` naming the file and the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readout.model import ACTS, DEADLINE_KINDS, ENTITY_TYPES, KINDS, Meeting, Record

GOLD_SCHEMA = "readout-gold/1"
PARTS = (
    "title",
    "published",
    "issuers",
    "meeting",
    "sections",
    "statements",
    "entities",
    "commitments",
)
# The record's own labels and meeting fields: one source of truth, the model.
MEETING_KEYS: tuple[str, ...] = tuple(Meeting.model_fields)


class GoldError(Exception):
    """A gold file that cannot be used; the message names the file and the field."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        self.path, self.field, self.problem = str(path), field, problem
        super().__init__(f"{path}: {field}: {problem}" if field else f"{path}: {problem}")


@dataclass(frozen=True)
class GoldStatement:
    id: str
    start: int
    end: int
    speaker: str
    act: str
    reaffirmed: bool | None
    person: str | None
    target: str | None
    has_person: bool
    has_target: bool
    text: str


@dataclass(frozen=True)
class GoldEntity:
    type: str
    norm: str
    mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldCommitment:
    start: int
    end: int
    actor: str | None
    action: str
    deadline: str | None
    deadline_kind: str | None


@dataclass(frozen=True)
class GoldItem:
    id: str
    number: str | None
    start: int
    end: int


@dataclass(frozen=True)
class GoldSection:
    id: str
    number: str | None
    title: str | None
    start: int
    end: int
    items: tuple[GoldItem, ...]


@dataclass(frozen=True)
class Gold:
    """One validated gold file and the text it annotates."""

    path: Path
    text_path: Path
    text: str
    checked: frozenset[str]
    title: str | None
    published: str | None
    issuers: tuple[str, ...]
    meeting: dict[str, Any]
    sections: tuple[GoldSection, ...]
    statements: tuple[GoldStatement, ...]
    entities: tuple[GoldEntity, ...]
    commitments: tuple[GoldCommitment, ...]


def text_path_of(gold_path: Path) -> Path:
    return gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".txt")


def find_gold(folder: Path) -> list[Path]:
    """Every ``*.gold.json`` under ``folder``, sorted."""
    return sorted(folder.rglob("*.gold.json"))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldError(path, "", "file not found") from None
    except json.JSONDecodeError as err:
        raise GoldError(path, "", f"not valid JSON (line {err.lineno}: {err.msg})") from None
    if not isinstance(data, dict):
        raise GoldError(path, "", "a gold file is a JSON object")
    return data


class _Checker:
    """Field-by-field validation with the field's path in every error."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(self, field: str, problem: str) -> GoldError:
        return GoldError(self.path, field, problem)

    def need(self, obj: dict[str, Any], key: str, where: str) -> Any:
        if key not in obj:
            raise self.fail(f"{where}.{key}" if where else key, "missing")
        return obj[key]

    def string(self, value: Any, field: str, *, null: bool = False) -> str | None:
        if value is None and null:
            return None
        if not isinstance(value, str):
            raise self.fail(
                field, f"expected a string, got {json.dumps(value, ensure_ascii=False)}"
            )
        return value

    def label(
        self, value: Any, field: str, allowed: tuple[str, ...], *, null: bool = False
    ) -> str | None:
        got = self.string(value, field, null=null)
        if got is not None and got not in allowed:
            raise self.fail(field, f"unknown label {got!r} (expected one of {', '.join(allowed)})")
        return got

    def side(self, value: Any, field: str, *, null: bool = False) -> str | None:
        got = self.string(value, field, null=null)
        if got is not None and got != "JOINT" and not (len(got) == 2 and got.isupper()):
            raise self.fail(field, f"unknown speaker {got!r} (a two-letter side code or JOINT)")
        return got

    def span(
        self, obj: dict[str, Any], field: str, *, text_key: str | None = "text"
    ) -> tuple[int, int]:
        start, end = self.need(obj, "start", field), self.need(obj, "end", field)
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
            raise self.fail(f"{field}.start", "offsets are integers")
        if not 0 <= start <= end <= len(self.text):
            raise self.fail(
                field, f"offsets [{start}, {end}] are outside the text (0–{len(self.text)})"
            )
        if text_key and text_key in obj and self.text[start:end] != obj[text_key]:
            raise self.fail(
                f"{field}.{text_key}",
                f"does not match text[{start}:{end}] ({self.text[start:end][:30]!r}…); "
                "run `readout gold fix`",
            )
        return start, end


def load_gold(path: Path) -> Gold:
    """Load and validate one gold file (and its readout text)."""
    path = Path(path)
    data = _read_json(path)
    text_path = text_path_of(path)
    if not text_path.is_file():
        raise GoldError(path, "", f"its readout {text_path.name} is missing")
    text = text_path.read_text(encoding="utf-8")
    c = _Checker(path, text)
    if data.get("schema") != GOLD_SCHEMA:
        raise c.fail("schema", f"expected {GOLD_SCHEMA!r}")
    checked = c.need(data, "checked", "")
    if not isinstance(checked, list) or not checked:
        raise c.fail("checked", "a non-empty list of the parts annotated")
    for part in checked:
        if part not in PARTS:
            raise c.fail("checked", f"unknown part {part!r} (expected some of {', '.join(PARTS)})")
        c.need(data, part, "")
    parts = frozenset(checked)

    meeting: dict[str, Any] = {}
    if "meeting" in parts:
        raw = data["meeting"]
        if not isinstance(raw, dict):
            raise c.fail("meeting", "an object")
        for key, value in raw.items():
            if key not in MEETING_KEYS:
                raise c.fail(
                    f"meeting.{key}", f"unknown field (expected some of {', '.join(MEETING_KEYS)})"
                )
            if key == "kind":
                c.label(value, "meeting.kind", KINDS)
            if key == "participants":
                if not isinstance(value, list):
                    raise c.fail("meeting.participants", "a list")
                for i, p in enumerate(value):
                    for k in ("name", "title", "side"):
                        c.need(p, k, f"meeting.participants[{i}]")
            meeting[key] = value

    sections = tuple(_sections(c, data)) if "sections" in parts else ()
    statements = tuple(_statements(c, data)) if "statements" in parts else ()
    entities = tuple(_entities(c, data)) if "entities" in parts else ()
    commitments = tuple(_commitments(c, data)) if "commitments" in parts else ()
    return Gold(
        path=path,
        text_path=text_path,
        text=text,
        checked=parts,
        title=c.string(data.get("title"), "title", null=True),
        published=c.string(data.get("published"), "published", null=True),
        issuers=tuple(data.get("issuers") or ()),
        meeting=meeting,
        sections=sections,
        statements=statements,
        entities=entities,
        commitments=commitments,
    )


def _list(c: _Checker, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise c.fail(key, "a list of objects")
    return value


def _sections(c: _Checker, data: dict[str, Any]) -> list[GoldSection]:
    out = []
    for i, s in enumerate(_list(c, data, "sections")):
        where = f"sections[{i}]"
        start, end = c.span(s, where, text_key=None)
        items = []
        for j, it in enumerate(s.get("items", [])):
            iw = f"{where}.items[{j}]"
            istart, iend = c.span(it, iw, text_key=None)
            if not start <= istart <= iend <= end:
                raise c.fail(iw, "item is not inside its section")
            items.append(GoldItem(str(c.need(it, "id", iw)), it.get("number"), istart, iend))
        out.append(
            GoldSection(
                str(c.need(s, "id", where)),
                s.get("number"),
                s.get("title"),
                start,
                end,
                tuple(items),
            )
        )
    return out


def _statements(c: _Checker, data: dict[str, Any]) -> list[GoldStatement]:
    out = []
    for i, s in enumerate(_list(c, data, "statements")):
        where = f"statements[{i}]"
        start, end = c.span(s, where)
        speaker = c.side(c.need(s, "speaker", where), f"{where}.speaker")
        act = c.label(c.need(s, "act", where), f"{where}.act", ACTS)
        reaffirmed = s.get("reaffirmed")
        if reaffirmed is not None and not isinstance(reaffirmed, bool):
            raise c.fail(f"{where}.reaffirmed", "true or false")
        target = c.side(s.get("target"), f"{where}.target", null=True)
        person = c.string(s.get("person"), f"{where}.person", null=True)
        assert speaker is not None and act is not None
        out.append(
            GoldStatement(
                str(s.get("id", f"st{i + 1}")),
                start,
                end,
                speaker,
                act,
                reaffirmed,
                person,
                target,
                "person" in s,
                "target" in s,
                c.text[start:end],
            )
        )
    return out


def _entities(c: _Checker, data: dict[str, Any]) -> list[GoldEntity]:
    out = []
    for i, e in enumerate(_list(c, data, "entities")):
        where = f"entities[{i}]"
        etype = c.label(c.need(e, "type", where), f"{where}.type", ENTITY_TYPES)
        norm = c.string(c.need(e, "norm", where), f"{where}.norm")
        mentions = []
        for j, m in enumerate(c.need(e, "mentions", where)):
            if not (isinstance(m, list) and len(m) == 2):
                raise c.fail(f"{where}.mentions[{j}]", "a [start, end] pair")
            s, t = c.span({"start": m[0], "end": m[1]}, f"{where}.mentions[{j}]", text_key=None)
            mentions.append((s, t))
        assert etype is not None and norm is not None
        out.append(GoldEntity(etype, norm, tuple(mentions)))
    return out


def _commitments(c: _Checker, data: dict[str, Any]) -> list[GoldCommitment]:
    out = []
    for i, cm in enumerate(_list(c, data, "commitments")):
        where = f"commitments[{i}]"
        start, end = c.span(cm, where, text_key="action")
        actor = c.side(cm.get("actor"), f"{where}.actor", null=True)
        kind = c.label(cm.get("deadline_kind"), f"{where}.deadline_kind", DEADLINE_KINDS, null=True)
        deadline = c.string(cm.get("deadline"), f"{where}.deadline", null=True)
        out.append(GoldCommitment(start, end, actor, c.text[start:end], deadline, kind))
    return out


# --- authoring -----------------------------------------------------------------------


def from_record(record: Record, source_name: str) -> dict[str, Any]:
    """A gold file's contents taken from parser output, for a person to correct."""
    d: dict[str, Any] = record.model_dump(by_alias=True, mode="json")
    return {
        "schema": GOLD_SCHEMA,
        "source": source_name,
        "checked": list(PARTS),
        "title": d["title"],
        "published": d["published"],
        "issuers": d["issuers"],
        "meeting": {k: d["meeting"][k] for k in MEETING_KEYS},
        "sections": d["sections"],
        "statements": [
            {
                k: s[k]
                for k in (
                    "id",
                    "speaker",
                    "person",
                    "act",
                    "reaffirmed",
                    "target",
                    "text",
                    "start",
                    "end",
                )
            }
            for s in d["statements"]
        ],
        "entities": [
            {"type": e["type"], "norm": e["norm"], "text": e["text"], "mentions": e["mentions"]}
            for e in d["entities"]
        ],
        "commitments": [
            {
                k: c[k]
                for k in (
                    "statement",
                    "actor",
                    "action",
                    "deadline",
                    "deadline_kind",
                    "start",
                    "end",
                )
            }
            for c in d["commitments"]
        ],
    }


def fix_offsets(path: Path) -> int:
    """Fill or correct the offsets of a gold file from the text it writes down.

    * statements (``text``) and commitments (``action``): looked for at or after the
      previous span of the same list, so repeated phrases resolve in reading order;
    * sections with a ``heading`` (the heading line as written, e.g. ``"2 地域情勢"``) and
      items with a ``head`` (the first characters of the item's text after its marker):
      the start is where that text stands, the end is the last non-space character before
      the next item or section;
    * entities with ``forms`` (written forms): every occurrence, longest form first,
      becomes a mention.

    Returns how many spans changed; raises :class:`GoldError` naming the field whose text
    is not in the readout.
    """
    data = _read_json(path)
    text = text_path_of(path).read_text(encoding="utf-8")
    changed = 0
    for key, text_key in (("statements", "text"), ("commitments", "action")):
        pos = 0
        for i, obj in enumerate(data.get(key, [])):
            want = obj.get(text_key)
            if not isinstance(want, str) or not want:
                raise GoldError(path, f"{key}[{i}].{text_key}", "missing")
            if text[obj.get("start", -1) : obj.get("end", -1)] == want and obj["start"] >= pos:
                pos = obj["start"]
                continue
            found = text.find(want, pos)
            if found < 0:
                found = text.find(want)
            if found < 0:
                raise GoldError(
                    path, f"{key}[{i}].{text_key}", f"{want[:30]!r}… is not in the readout"
                )
            obj["start"], obj["end"] = found, found + len(want)
            pos = found
            changed += 1
    changed += _fix_sections(path, data, text)
    changed += _fix_entities(path, data, text)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return changed


INLINE_MARKER = re.compile(r"[((][^()()]{1,3}[))]\s*$|[①-⑳]\s*$")


def _find_after(path: Path, field: str, text: str, want: object, pos: int) -> int:
    if not isinstance(want, str) or not want:
        raise GoldError(path, field, "missing")
    found = text.find(want, pos)
    if found < 0:
        raise GoldError(path, field, f"{want[:30]!r}… is not in the readout after offset {pos}")
    return found


def _end_before(text: str, limit: int) -> int:
    end = limit
    while end > 0 and text[end - 1] in " \t\r\n\u3000":
        end -= 1
    return end


def _fix_sections(path: Path, data: dict[str, Any], text: str) -> int:
    sections = data.get("sections")
    if not isinstance(sections, list) or not any(
        "heading" in s or any("head" in it for it in s.get("items", [])) for s in sections
    ):
        return 0
    # First pass: starts.
    pos = 0
    starts: list[int] = []
    for i, s in enumerate(sections):
        if "heading" in s:
            pos = _find_after(path, f"sections[{i}].heading", text, s["heading"], pos)
        elif "start" in s:
            pos = s["start"]
        else:
            first = (s.get("items") or [{}])[0]
            pos = _find_after(path, f"sections[{i}].items[0].head", text, first.get("head"), pos)
        starts.append(pos)
        for j, it in enumerate(s.get("items", [])):
            if "head" in it:
                it["start"] = _find_after(
                    path, f"sections[{i}].items[{j}].head", text, it["head"], pos
                )
                pos = it["start"]
    # Second pass: ends, from what follows.
    doc_end = data.get("body_end")
    limit_doc = text.find(doc_end) if isinstance(doc_end, str) and doc_end in text else len(text)
    for i, s in enumerate(sections):
        limit = starts[i + 1] if i + 1 < len(sections) else limit_doc
        s["start"], s["end"] = starts[i], _end_before(text, limit)
        items = s.get("items", [])
        for j, it in enumerate(items):
            nxt = items[j + 1]["start"] if j + 1 < len(items) else limit
            # The next item's marker stands before its start: stop at its line, or before
            # an inline marker such as (イ).
            cut = text.rfind("\n", it["start"], nxt)
            if cut >= 0:
                nxt = cut
            else:
                marker = INLINE_MARKER.search(text, it["start"], nxt)
                nxt = marker.start() if marker else nxt
            it["end"] = _end_before(text, nxt)
    return len(sections)


def _fix_entities(path: Path, data: dict[str, Any], text: str) -> int:
    changed = 0
    entities = data.get("entities")
    if not isinstance(entities, list):
        return 0
    taken: list[tuple[int, int]] = []
    with_forms = [e for e in entities if isinstance(e, dict) and "forms" in e]
    # Longest forms claim their text first (日米安全保障条約第5条 before 日米安全保障条約).
    order = sorted(
        ((len(f), i, f) for i, e in enumerate(with_forms) for f in e["forms"]), reverse=True
    )
    found: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(with_forms))}
    for _, i, form in order:
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if not any(a < end and start < b for a, b in taken):
                taken.append((start, end))
                found[i].append((start, end))
            start = text.find(form, start + 1)
    for i, e in enumerate(with_forms):
        mentions = sorted(found[i])
        if not mentions:
            raise GoldError(
                path, f"entities[{entities.index(e)}].forms", "no form occurs in the readout"
            )
        e["mentions"] = [list(m) for m in mentions]
        changed += 1
    return changed
