"""Stage: commitments — future actions a side or both sides undertook, with deadlines.

A commitment comes from one statement: an action in the future form bound by an
agreement, decision or commitment predicate (…推進していくことで一致した), the object of a
コミット / 約束, a unilateral "we will" in reported speech (…強化していく旨発言), or an
action tied to a deadline (…2025年までに…改編される, 2024年に開始される…移転).
"""

from __future__ import annotations

import re
from functools import cache

from readout.lexicon import load
from readout.model import Commitment, Statement
from readout.pipeline import Doc, stage
from readout.stages.statements import _subjects


@cache
def _lex() -> dict[str, re.Pattern[str]]:
    raw = load("commitments")
    return {k: re.compile(v) for k, v in raw.items() if isinstance(v, str)}


# Every deadline is written with a year, fiscal year or month.
DATE_HINT = re.compile(r"[年月]")
REPORTED_TAIL = re.compile(r"旨(?:の|を)?\s*(?:発言|述べ|説明|言及|表明|強調|伝え)")
CHUNK_SPLIT = re.compile(r"[、,]")


# A chunk that is only a noun (情報収集、) is part of an enumeration, not a clause.
BARE_NOUN = re.compile(r"[\u3005\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9()「」・]+")


def _last_chunk(text: str, end: int) -> int:
    """Start of the clause chunk that ends at ``end``: back to a comma outside brackets,
    past commas that only separate enumerated nouns."""
    start = _comma_before(text, end)
    while start >= 2 and text[start - 1] in "、,":
        prev = _comma_before(text, start - 1)
        if prev == start - 1 or not BARE_NOUN.fullmatch(text[prev : start - 1]):
            break
        start = prev
    return start


def _comma_before(text: str, end: int) -> int:
    depth = 0
    i = end - 1
    while i >= 0:
        ch = text[i]
        if ch in ")」』】":
            depth += 1
        elif ch in "(「『【":
            depth = max(0, depth - 1)
        elif (ch in "、," and depth == 0) or ch in "。\n":
            return i + 1
        i -= 1
    return 0


def _strip_subject(doc: Doc, text: str, start: int, end: int) -> int:
    """Skip a leading connective or subject (また、 / 日米双方は) in an action chunk."""
    m = re.match(r"(?:また|さらに|更に|その上で)[、,]", text[start:end])
    if m:
        start += m.end()
    for sb in _subjects(doc, text[start:end], 0):
        if sb.start == 0:
            return start + sb.end
    return start


def _has_deadline(text: str, ref_year: int | None) -> bool:
    from readout.timex import deadlines_in

    return bool(DATE_HINT.search(text)) and bool(deadlines_in(text, ref_year))


def _deadline(
    doc: Doc, s: int, e: int, ref_year: int | None
) -> tuple[str | None, str | None, int | None]:
    from readout.timex import deadlines_in

    if not DATE_HINT.search(doc.text, s, e):
        return None, None, None
    found = deadlines_in(doc.text[s:e], ref_year)
    if not found:
        return None, None, None
    d = found[0]
    return d.value, d.kind, s + d.start


@stage("commitments", fills=("commitments",))
def run(doc: Doc) -> None:
    """Find commitments and their deadlines in the statements."""
    lex = _lex()
    ref_year = (
        int(doc.record.meeting.date[:4])
        if doc.record.meeting.date
        else (doc.published.year if doc.published else None)
    )
    out: list[Commitment] = []
    for st in doc.record.statements:
        span = doc.clauses.get(st.id)
        if span is None:
            continue
        s, e, reported = span
        clause = doc.text[s:e]
        found = _from_statement(doc, st, clause, s, reported, lex, ref_year)
        for cs, ce, actor in found:
            value, kind, _ = _deadline(doc, cs, ce, ref_year)
            os_, oe = doc.span(cs, ce)
            out.append(
                Commitment(
                    id=f"c{len(out) + 1}",
                    statement=st.id,
                    actor=actor,
                    action=doc.record.text[os_:oe],
                    deadline=value,
                    deadline_kind=kind,
                    start=os_,
                    end=oe,
                )
            )
    doc.record.commitments = out


def _from_statement(
    doc: Doc,
    st: Statement,
    clause: str,
    base: int,
    reported: bool,
    lex: dict[str, re.Pattern[str]],
    ref_year: int | None,
) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    act = st.act
    body = clause.rstrip("。、, \n")
    if reported:
        rep = None
        for rep in REPORTED_TAIL.finditer(body):  # noqa: B007 - the last one is wanted
            pass
        if rep is not None:
            content_end = rep.start()
            cs = _last_chunk(body, content_end)
            action = body[cs:content_end]
            content = body[:content_end]
            obj = None
            for obj in lex["commit_object"].finditer(content):  # noqa: B007 - the last one
                pass
            if obj is not None and len(content) - obj.end() <= 6:
                # …安定供給に引き続きコミットする旨: the object is the action.
                start = max(obj.start("obj"), _last_chunk(content, obj.end("obj")))
                out.append((base + start, base + obj.end("obj"), st.speaker))
            elif len(action) >= 4 and (
                lex["unilateral"].search(action)
                or (_has_deadline(action, ref_year) and lex["future"].search(action))
            ):
                out.append((base + cs, base + content_end, st.speaker))
        return out
    # "<action> こと" bound by an agreement, decision or commitment.
    for m in lex["binding"].finditer(body):
        end = m.start()
        start = _strip_subject(doc, body, _last_chunk(body, end), end)
        action = body[start:end]
        if len(action) < 4 or lex["state"].search(action) or not lex["future"].search(action):
            continue
        if act == "AFFIRM" and not (
            lex["affirm_needs"].search(action) or _has_deadline(action, ref_year)
        ):
            continue
        out.append((base + start, base + end, st.speaker))
    if not out:
        for m in lex["commit_object"].finditer(body):
            start = max(m.start("obj"), _last_chunk(body, m.end("obj")))
            out.append((base + start, base + m.end("obj"), st.speaker))
    # Deadline-anchored actions inside the clause that nothing above covered.
    for m in lex["started"].finditer(body):
        s, e = m.start("deadline"), m.end("np")
        if not any(a <= base + s < b for a, b, _ in out):
            out.append((base + s, base + e, st.speaker))
    if not DATE_HINT.search(body):
        return out
    from readout.timex import deadlines_in

    for d in deadlines_in(body, ref_year):
        pos = base + d.start
        if any(a <= pos < b for a, b, _ in out):
            continue
        if d.kind != "by":
            continue
        # The action around a "by" deadline: its chunk, up to the verb before こと / 、.
        chunk_start = _last_chunk(body, d.start + 1)
        tail = re.search(r"(?:こと|、|,|。|$)", body[d.end :])
        end = d.end + (tail.start() if tail else 0)
        action = body[chunk_start:end]
        if lex["future"].search(action) and not lex["state"].search(action):
            out.append((base + chunk_start, base + end, st.speaker))
    return out
