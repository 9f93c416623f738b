"""The parser against the project's composed readout corpus (``tests/fixtures/readouts``).

Every ``NN_name.txt`` there is a short readout written for this project, and
``NN_name.expect.toml`` beside it holds the expectations, written by hand from the record
contract (record.md), never produced by running the parser.  ``README.md`` there lists which
variation each readout covers.  A key left
out of an expectation file is not asserted; ``""`` stands for null.

Strings that carry no meaning in their width or spacing (titles, places, names) are compared
after NFKC, so ``（日豪「２＋２」）`` matches ``(日豪「2+2」)``; places also ignore spaces
(``ワシントンD. C.`` is ``ワシントンD.C.``).  Dates with a clock are compared as wall time plus
UTC offset, so ``T10:00+09:00`` and ``T10:00:00+09:00`` are equal but ``T01:00+00:00`` is not.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import readout
from readout.model import ACTS, Commitment, Record, Statement

CORPUS = Path(__file__).parent / "fixtures" / "readouts"
READOUTS = sorted(CORPUS.glob("*.txt"))
MIN_READOUTS = 28
MIN_USES_PER_ACT = 2
COUNTERPARTS = ("US", "AU", "GB", "IN", "KR", "CN", "PH")
STATEMENT_FIELDS = ("speaker", "act", "reaffirmed", "person", "target")
COMMITMENT_FIELDS = ("actor", "deadline", "deadline_kind")

Expect = dict[str, Any]


def expect_path(readout_path: Path) -> Path:
    return readout_path.with_suffix(".expect.toml")


def load_expect(readout_path: Path) -> Expect:
    return tomllib.loads(expect_path(readout_path).read_text(encoding="utf-8"))


def nfkc(value: object) -> str:
    """NFKC form of a string field; null becomes ``""`` (the expectation files' null)."""
    return "" if value is None else unicodedata.normalize("NFKC", str(value)).strip()


def nospace(value: object) -> str:
    return re.sub(r"\s+", "", nfkc(value))


def nullable(value: object) -> object:
    """Map the expectation files' ``""`` and the record's ``None`` to one null."""
    return None if value == "" else value


def wall_and_offset(value: str) -> tuple[datetime, timedelta | None]:
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=None), moment.utcoffset()


class Check:
    """Collects every mismatch of one readout, so one run shows all of them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[str] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(f"{self.name}: {field}: {message}")

    def equal(self, field: str, expected: object, actual: object) -> None:
        if expected != actual:
            self.fail(field, f"expected {expected!r}, got {actual!r}")

    def moment(self, field: str, expected: str, actual: str | None) -> None:
        if expected == "" or actual is None:
            self.equal(field, nullable(expected), actual)
            return
        try:
            same = wall_and_offset(expected) == wall_and_offset(actual)
        except ValueError:
            self.fail(field, f"expected {expected!r}, got unparsable {actual!r}")
            return
        if not same:
            self.fail(field, f"expected {expected!r}, got {actual!r}")


def check_top(check: Check, expect: Expect, record: Record) -> None:
    if "title" in expect:
        check.equal("title", nfkc(expect["title"]), nfkc(record.title))
    if "published" in expect:
        check.equal("published", nullable(expect["published"]), record.published)
    if "issuers" in expect:
        check.equal("issuers", list(expect["issuers"]), record.issuers)
    if "min_statements" in expect and len(record.statements) < expect["min_statements"]:
        check.fail(
            "min_statements",
            f"expected at least {expect['min_statements']}, got {len(record.statements)}",
        )


def check_meeting(check: Check, expected: Expect, record: Record) -> None:
    meeting = record.meeting
    for key in ("kind", "date", "duration_minutes", "duration_approximate", "joint_statement"):
        if key in expected:
            check.equal(f"meeting.{key}", nullable(expected[key]), getattr(meeting, key))
    for key in ("start", "start_local"):
        if key in expected:
            check.moment(f"meeting.{key}", expected[key], getattr(meeting, key))
    if "location" in expected:
        check.equal("meeting.location", nospace(expected["location"]), nospace(meeting.location))
    if "sides" in expected:
        check.equal("meeting.sides", list(expected["sides"]), meeting.sides)
    if "participants" in expected:
        want = [(nfkc(p["name"]), nfkc(p["title"]), p["side"]) for p in expected["participants"]]
        got = [(nfkc(p.name), nfkc(p.title), p.side) for p in meeting.participants]
        check.equal("meeting.participants", want, got)


def check_structure(check: Check, expected: Expect, record: Record) -> None:
    if "sections" in expected:
        check.equal("structure.sections", expected["sections"], len(record.sections))
    if "section_titles" in expected:
        want = [nfkc(title) for title in expected["section_titles"]]
        check.equal("structure.section_titles", want, [nfkc(s.title) for s in record.sections])
    if "items" in expected:
        items = sum(len(section.items) for section in record.sections)
        check.equal("structure.items", expected["items"], items)


def field_mismatches(
    expected: Expect, found: Statement | Commitment, fields: Sequence[str]
) -> list[str]:
    mismatches = []
    for key in fields:
        if key not in expected:
            continue
        want = nullable(expected[key])
        got = getattr(found, key)
        if key == "person" and want is not None:
            want, got = nfkc(want), nfkc(got)
        if want != got:
            mismatches.append(f"{key} expected {want!r}, got {got!r}")
    return mismatches


def check_found(
    check: Check,
    kind: str,
    expected: Expect,
    candidates: Sequence[Statement | Commitment],
    fields: Sequence[str],
    shown: str,
) -> None:
    """Pass when any candidate containing the expected text has every expected field."""
    label = f"{kind} {expected['contains']!r}"
    if not candidates:
        check.fail(label, f"no {kind} whose {shown} contains it")
        return
    reports = [field_mismatches(expected, c, fields) for c in candidates]
    if any(not report for report in reports):
        return
    best, report = min(zip(candidates, reports, strict=True), key=lambda pair: len(pair[1]))
    text = getattr(best, shown)
    check.fail(label, f"{'; '.join(report)} (in {kind} {best.id}: {text!r})")


def check_statements(check: Check, expected: list[Expect], record: Record) -> None:
    for want in expected:
        needle = nfkc(want["contains"])
        found = [s for s in record.statements if needle in nfkc(s.text)]
        check_found(check, "statement", want, found, STATEMENT_FIELDS, "text")


def check_commitments(check: Check, expected: list[Expect], record: Record) -> None:
    for want in expected:
        needle = nfkc(want["contains"])
        found = [c for c in record.commitments if needle in nfkc(c.action)]
        check_found(check, "commitment", want, found, COMMITMENT_FIELDS, "action")


def check_entities(check: Check, expected: list[Expect], record: Record) -> None:
    present = {(nfkc(e.norm), e.type) for e in record.entities}
    for want in expected:
        if (nfkc(want["norm"]), want["type"]) not in present:
            same_norm = sorted(t for n, t in present if n == nfkc(want["norm"]))
            note = f" (found with type {same_norm})" if same_norm else ""
            check.fail(f"entity {want['norm']!r}", f"no {want['type']} entity{note}")


@pytest.mark.parametrize("path", READOUTS, ids=[p.name for p in READOUTS])
def test_readout_meets_expectations(path: Path) -> None:
    expect = load_expect(path)
    record = readout.parse_file(path)
    check = Check(path.name)
    check_top(check, expect, record)
    check_meeting(check, expect.get("meeting", {}), record)
    check_structure(check, expect.get("structure", {}), record)
    check_statements(check, expect.get("statements", []), record)
    check_commitments(check, expect.get("commitments", []), record)
    check_entities(check, expect.get("entities", []), record)
    assert not check.errors, "\n".join(check.errors)


# The corpus itself: these hold whatever state the parser is in.


def test_corpus_has_enough_readouts() -> None:
    assert len(READOUTS) >= MIN_READOUTS, f"{len(READOUTS)} readouts in {CORPUS}"


def test_every_readout_has_an_expectation_file_and_back() -> None:
    missing = [p.name for p in READOUTS if not expect_path(p).is_file()]
    orphans = [
        p.name
        for p in CORPUS.glob("*.expect.toml")
        if not p.with_name(p.name.removesuffix(".expect.toml") + ".txt").is_file()
    ]
    assert not missing, f"readouts without .expect.toml: {missing}"
    assert not orphans, f".expect.toml without a readout: {orphans}"


def test_every_act_label_is_expected_at_least_twice() -> None:
    used = Counter(
        s["act"] for p in READOUTS for s in load_expect(p).get("statements", []) if "act" in s
    )
    unknown = sorted(set(used) - set(ACTS))
    rare = {act: used[act] for act in ACTS if used[act] < MIN_USES_PER_ACT}
    assert not unknown, f"act labels not in readout.model.ACTS: {unknown}"
    assert not rare, f"act labels expected fewer than {MIN_USES_PER_ACT} times: {rare}"


def test_every_counterpart_appears_in_some_sides() -> None:
    sides = {side for p in READOUTS for side in load_expect(p).get("meeting", {}).get("sides", [])}
    missing = [code for code in COUNTERPARTS if code not in sides]
    assert not missing, f"counterparts in no readout's sides: {missing}"


@pytest.mark.parametrize("path", READOUTS, ids=[p.name for p in READOUTS])
def test_expected_texts_occur_in_the_readout(path: Path) -> None:
    """A statement's ``contains`` must pick one place in the text; a commitment's must exist."""
    text = path.read_text(encoding="utf-8")
    expect = load_expect(path)
    problems = [
        f"statement {s['contains']!r} occurs {text.count(s['contains'])} times"
        for s in expect.get("statements", [])
        if text.count(s["contains"]) != 1
    ]
    problems += [
        f"commitment {c['contains']!r} does not occur"
        for c in expect.get("commitments", [])
        if c["contains"] not in text
    ]
    assert not problems, f"{path.name}: " + "; ".join(problems)
