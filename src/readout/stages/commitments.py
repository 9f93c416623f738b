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
from readout.stages.statements import _last_reported, _subjects


@cache
def _lex() -> dict[str, re.Pattern[str]]:
    raw = load("commitments")
    return {k: re.compile(v) for k, v in raw.items() if isinstance(v, str)}


# Every deadline is written with a year, fiscal year or month.
DATE_HINT = re.compile(r"[年月]")
CHUNK_SPLIT = re.compile(r"[、,]")


# A chunk that is only a noun (情報収集、) is part of an enumeration, not a clause.
BARE_NOUN = re.compile(r"[\u3005\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9()「」・]+")


PURPOSE = re.compile(r"(?:を目指し|に向け(?:て)?|のため(?:に)?|べく|を含め)$")
# Two actions bound by one predicate: …を開始すること及び…を強化していくことで一致.
PURPOSE_CHUNK = re.compile(r"[^、,]*(?:を目指し|に向け(?:て)?|のため(?:に)?|べく)[、,]")
# A date of something already done (本年6月に開設されたホットラインを…運用していく) is
# not the action's deadline; a coming event's date (…に開催される首脳会合に向けて) is.
EVENT_DATE = re.compile(r"[^、,。]{0,15}?(?:された|した)(?=[^、,。]*[をがのにへ])")
JOINED = re.compile(r"こと(?:及び|並びに|と|、|,)")


def _last_chunk(text: str, end: int) -> int:
    """Start of the clause chunk that ends at ``end``: back to a comma outside brackets,
    past commas that only separate enumerated nouns."""
    start = _comma_before(text, end)
    while start >= 2 and text[start - 1] in "、,":
        prev = _comma_before(text, start - 1)
        piece = text[prev : start - 1]
        # Enumerated nouns (情報収集、警戒監視…) and a purpose (…開業を目指し、 …に向け、)
        # belong to the action.
        if prev == start - 1 or not (BARE_NOUN.fullmatch(piece) or PURPOSE.search(piece)):
            break
        start = prev
    return start


def _comma_after(text: str, pos: int) -> int:
    m = re.compile(r"[、,。]").search(text, pos)
    return m.start() if m else len(text)


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
    for d in found:
        # "来年の…に向けて、…" aims at a time; only "…までの…を目指し" sets a deadline there.
        purpose = PURPOSE_CHUNK.match(doc.text, s + d.end, e)
        if purpose is not None and d.kind != "by":
            continue
        if d.kind == "in" and EVENT_DATE.match(doc.text, s + d.end, e):
            continue
        return d.value, d.kind, s + d.start
    return None, None, None


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


def _chunks(text: str, end: int) -> list[tuple[int, int]]:
    """The comma-delimited chunks of ``text[:end]`` (outside brackets), in order."""
    out: list[tuple[int, int]] = []
    pos = end
    while pos > 0:
        start = _comma_before(text, pos)
        out.append((start, pos))
        pos = start - 1
        if start == 0 or text[start - 1] in "。\n":
            break
    return out[::-1]


def _commit_objects(lex: dict[str, re.Pattern[str]], text: str) -> list[re.Match[str]]:
    # The pattern's lazy object is slow to try at every position; most clauses have no
    # コミット or 約束 at all.
    if "コミット" not in text and "約束" not in text:
        return []
    return list(lex["commit_object"].finditer(text))


def _from_statement(
    doc: Doc,
    st: Statement,
    clause: str,
    base: int,
    reported: bool,
    lex: dict[str, re.Pattern[str]],
    ref_year: int | None,
) -> list[tuple[int, int, str]]:
    body = clause.rstrip("。、, \n")
    found: list[tuple[int, int]] = []

    def add(start: int, end: int) -> None:
        start = _strip_subject(doc, body, start, end)
        if body.endswith("こと", start, end):
            end -= 2
        if end - start >= 4 and not any(a < end and start < b for a, b in found):
            found.append((start, end))

    def is_action(text: str) -> bool:
        # A wish (…したい) is not a promise, and an attitude or a state is not an action.
        return bool(lex["future"].search(text)) and not (
            lex["wish"].search(text) or lex["state"].search(text) or lex["attitude"].search(text)
        )

    if reported:
        rep = _last_reported(body)
        if rep is None:
            return []
        content_end = rep.start()
        content = body[:content_end]
        # Commitments named as such anywhere in what was said.
        for m in _commit_objects(lex, content):
            # …コミットメントを示していきたい: a wish, not a commitment.
            rest = content[m.end() : _comma_after(content, m.end())]
            if not lex["wish"].search(rest):
                add(min(m.start("obj"), _last_chunk(content, m.end("obj"))), m.end("obj"))
        # A pledge that ends the content, and dated actions anywhere in it.
        for cs, ce in _chunks(content, content_end):
            chunk = content[cs:ce]
            last = ce == content_end
            if last and (lex["unilateral"].search(chunk) or is_action(chunk)):
                add(_last_chunk(content, ce), ce)
            elif _has_deadline(chunk, ref_year) and (
                is_action(chunk) or lex["renyo"].search(chunk)
            ):
                add(cs, ce - 1 if chunk.endswith("し") else ce)
        return [(base + a, base + b, st.speaker) for a, b in found]
    # "<action> こと" bound by an agreement, decision or commitment, with the actions
    # coordinated before it (…を開催するとともに、…を運用開始することで一致).
    for m in lex["binding"].finditer(body) if ("こと" in body or "目標" in body) else ():
        end = m.start()
        start = _last_chunk(body, end)
        action = body[start:end]
        if len(action) < 4 or not is_action(action):
            continue
        if st.act == "AFFIRM" and not (
            lex["affirm_needs"].search(action) or _has_deadline(action, ref_year)
        ):
            continue
        piece_start = start
        for j in JOINED.finditer(body, start, end):
            if is_action(body[piece_start : j.start()]):
                add(piece_start, j.start())
            piece_start = j.end()
        add(piece_start, end)
        for cs, ce in reversed(_chunks(body, start - 1)):
            conj = lex["coordinated"].search(body, cs, ce)
            if conj is None or not is_action(body[cs : conj.start()]):
                break
            add(cs, conj.start())
    if not found:
        for m in _commit_objects(lex, body):
            add(min(m.start("obj"), _last_chunk(body, m.end("obj"))), m.end("obj"))
    # Deadline-anchored actions inside the clause that nothing above covered.
    for m in lex["started"].finditer(body) if "開始" in body else ():
        add(m.start("deadline"), m.end("np"))
    if DATE_HINT.search(body):
        from readout.timex import deadlines_in

        for d in deadlines_in(body, ref_year):
            if any(a <= d.start < b for a, b in found):
                continue
            # The action around the deadline: its chunk, up to the verb before こと / 、.
            chunk_start = _last_chunk(body, d.start + 1)
            tail = re.search(r"(?:こと|、|,|。|$)", body[d.end :])
            end = d.end + (tail.start() if tail else 0)
            if is_action(body[chunk_start:end]):
                add(chunk_start, end)
    found.sort()
    return [(base + a, base + b, st.speaker) for a, b in found]
