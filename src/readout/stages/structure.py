"""Stage: title, page date, issuers, lead paragraph, sections and items.

Numbering levels are not fixed per style: the first style that numbers heading lines is
the section level, the next style to appear is the item level, deeper styles fold into
their item.  Numbered sentence paragraphs with no headings are items of one untitled
section; unmarked paragraphs likewise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from readout.era import full_date_regex, parse_full_date
from readout.lexicon import load
from readout.model import Item, Section
from readout.pipeline import Doc, ItemSpan, Line, stage
from readout.stages.furniture import header_words


@cache
def _lex() -> dict[str, object]:
    return load("structure")


@cache
def _markers() -> list[tuple[str, re.Pattern[str]]]:
    return [(m["style"], re.compile(m["pattern"])) for m in _lex()["marker"]]  # type: ignore[attr-defined]


@cache
def _title_words_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in _lex()["title_words"]))  # type: ignore[attr-defined]


@cache
def _lead_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _lex()["lead_formulas"]))  # type: ignore[attr-defined]


@cache
def _issuers() -> frozenset[str]:
    return frozenset(load("furniture")["issuers"])


@cache
def _meta_re() -> re.Pattern[str]:
    words = "|".join(_lex()["meta_headings"])  # type: ignore[arg-type]
    return re.compile(rf"(?:{words})\s*[::]?")


# Lines that list participants below the lead belong to the meeting, not to a section.
PARTICIPANT_LINE = re.compile(
    r"^[・○\-\s]*(?:[【\[(]\s*)?(?:[^\s::]{1,8}側)?(?:参加者|出席者|同席者)(?:\s*[】\])])?\s*(?:[::]|$)"
    r"|^[(]?(?:[^\s::,、]{1,6}側)\s*[::]"
)
DATE_LINE = re.compile(
    r"^(?:[((]?[^\s]{0,6}[))]?\s*)?"  # an optional label
    r"(?:[0-9〇一二三四五六七八九十元]|令和|平成|昭和)[^。]{0,30}?日\s*(?:[((][^()()]{1,4}[))])?\s*$"
)
JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"[。.]\s*[)」』]*\s*$")


@dataclass
class _Block:
    """A marked line and the unmarked lines that follow it."""

    line: Line
    style: str | None
    number: str | None
    content_start: int
    heading: bool
    lines: list[Line] = field(default_factory=list)


def marker_of(line: Line) -> tuple[str, str, int] | None:
    """(style, number, content offset) of a numbered or bulleted line."""
    for style, rx in _markers():
        m = rx.match(line.text)
        if m and m.end() < len(line.text):
            return style, m["n"], line.start + m.end()
    return None


def is_heading(text: str) -> bool:
    """A short line that does not end like a sentence."""
    body = text.strip()
    if not body or len(body) > 30:
        return False
    if SENTENCE_END.search(body):
        return False
    return "、" not in body or len(body) <= 15


def _published(doc: Doc, lines: list[Line]) -> tuple[date | None, Line | None]:
    for line in lines[:12]:
        if line.furniture or not line.text:
            continue
        if DATE_LINE.match(line.text) or (
            len(line.text) <= 24 and full_date_regex().search(line.text)
        ):
            d = parse_full_date(line.text)
            if d:
                return d, line
    return None, None


def _first_content(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if ln.text and not ln.furniture]


def _find_title(content: list[Line], date_line: Line | None) -> Line | None:
    """The title: the last plausible title line before the date or lead, else the first."""
    limit = date_line.start if date_line else None
    candidates = []
    for line in content[:8]:
        if limit is not None and line.start >= limit:
            break
        if line.text in header_words():
            continue
        if SENTENCE_END.search(line.text) and len(line.text) > 40:
            break
        candidates.append(line)
    titled = [ln for ln in candidates if _title_words_re().search(ln.text)]
    if titled:
        return titled[0]
    plain = [ln for ln in candidates if not SENTENCE_END.search(ln.text)]
    if plain:
        return plain[0]
    for line in content[:3]:
        if _title_words_re().search(line.text) and len(line.text) <= 60:
            return line
    return None


def _is_issuers(text: str) -> list[str] | None:
    parts = [p for p in re.split(r"[・、,/\s]+", text) if p]
    if parts and all(p in _issuers() for p in parts):
        return parts
    return None


def _find_lead(doc: Doc, content: list[Line], after: int) -> Line | None:
    for line in content:
        if line.start < after:
            continue
        mk = marker_of(line)
        if mk and is_heading(line.text[mk[2] - line.start :]):
            # The body (or a meta-section such as 1.日時) has begun: there is no lead.
            return None
        if len(line.text) < 20:
            continue
        if _lead_re().search(line.text):
            return line
        # The first sentence paragraph is the lead only if it reads like one.
        if SENTENCE_END.search(line.text):
            return None
    return None


@stage("structure", fills=("title", "published", "issuers", "sections"))
def run(doc: Doc) -> None:
    """Find title, page date, issuers, lead, sections and items."""
    content = _first_content(doc.lines)
    if not content:
        doc.warn("no text: the document is empty after removing page furniture")
        return
    if not JAPANESE.search(doc.text):
        doc.warn("no Japanese text: this is not a Japanese readout")
    published, date_line = _published(doc, content)
    doc.published = published
    if published:
        doc.record.published = published.isoformat()
        assert date_line is not None
        doc.date_span = (date_line.start, date_line.end)
    else:
        doc.warn("no page date found")
    title = _find_title(content, date_line)
    header_end = 0
    if title:
        s, e = doc.span(title.start, title.end)
        doc.record.title = doc.record.text[s:e]
        doc.title_span = (title.start, title.end)
        header_end = title.end
    else:
        doc.warn("no title found")
    if date_line:
        header_end = max(header_end, date_line.end)
    for line in content:
        if line.start <= header_end:
            continue
        found = _is_issuers(line.text)
        if found:
            doc.record.issuers = found
            header_end = line.end
        break
    lead = _find_lead(doc, content, header_end)
    if lead:
        doc.lead_span = (lead.start, lead.end)
        header_end = lead.end
    body = [ln for ln in content if ln.start > header_end]
    if lead:
        # Participant blocks between the lead and the first section are meeting data.
        while body and PARTICIPANT_LINE.match(body[0].text):
            body.pop(0)
            while body and not marker_of(body[0]) and not _ends_sentence_block(body[0]):
                body.pop(0)
    _build_sections(doc, body)


def _ends_sentence_block(line: Line) -> bool:
    return bool(SENTENCE_END.search(line.text)) and len(line.text) > 25


def _blocks(lines: list[Line]) -> tuple[list[_Block], list[Line]]:
    """Group lines into marked blocks; returns the blocks and unmarked lines before them."""
    blocks: list[_Block] = []
    preamble: list[Line] = []
    for line in lines:
        mk = marker_of(line)
        if mk:
            style, number, content_start = mk
            key = f"{style}@{min(line.indent, 1)}"
            rest = line.text[content_start - line.start :]
            blocks.append(_Block(line, key, number, content_start, is_heading(rest), [line]))
        elif blocks:
            blocks[-1].lines.append(line)
        else:
            preamble.append(line)
    return blocks, preamble


def _build_sections(doc: Doc, lines: list[Line]) -> None:
    lines = [ln for ln in lines if ln.text]
    if not lines:
        return
    blocks, preamble = _blocks(lines)
    styles: list[str] = []
    for b in blocks:
        if b.style and b.style not in styles:
            styles.append(b.style)
    # The section level: the first style most of whose lines are headings (a heading with
    # its body on the following lines).
    section_style: str | None = None
    for st in styles[:2]:
        mine = [b for b in blocks if b.style == st]
        heads = sum(1 for b in mine if b.heading)
        if heads * 2 >= len(mine) and heads > 0:
            section_style = st
            break
    sections: list[Section] = []
    items: list[ItemSpan] = []

    def add_section(
        number: str | None,
        title: str | None,
        start: int,
        sec_lines: list[Line],
        content_start: int | None,
    ) -> None:
        sid = f"s{len(sections) + 1}"
        end = sec_lines[-1].end if sec_lines else start
        sec_items = _items_of(doc, sid, sec_lines, content_start, exclude_style=section_style)
        s, e = doc.span(start, end)
        title_o = None
        if title:
            ts, te = doc.span(content_start or start, (content_start or start) + len(title))
            title_o = doc.record.text[ts:te]
        section = Section(id=sid, number=number, title=title_o, start=s, end=e, items=[])
        for it_id, it_num, it_s, it_e in sec_items:
            os_, oe = doc.span(it_s, it_e)
            section.items.append(Item(id=it_id, number=it_num, start=os_, end=oe))
            items.append(ItemSpan(sid, it_id, it_s, it_e))
        sections.append(section)

    if section_style is None:
        # One untitled section holding every block (or every paragraph) as an item.
        add_section(None, None, lines[0].start, lines, None)
    else:
        if preamble:
            add_section(None, None, preamble[0].start, preamble, None)
        current: _Block | None = None
        group: list[Line] = []
        for b in blocks:
            if b.style == section_style:
                if current is not None:
                    add_section(*_heading_args(current), group, current.content_start)
                current, group = b, list(b.lines)
            else:
                group.extend(b.lines)
        if current is not None:
            add_section(*_heading_args(current), group, current.content_start)
    doc.record.sections = sections
    doc.items = items


def _heading_args(head: _Block) -> tuple[str | None, str | None, int]:
    """(number, title, start) of a section opened by ``head``; a sentence has no title."""
    title = head.line.text[head.content_start - head.line.start :] if head.heading else None
    if head.number == "【":
        # 【総論】 (a bracket sometimes left open): a titled section without a number.
        return None, (title or "").rstrip("】 ") or None, head.line.start
    return head.number, title, head.line.start


INLINE_MARKER = re.compile(
    r"(?:(?<=。)|(?<=。\)))\s*(?P<m>[((](?P<n>[0-9]{1,2}|[アイウエオカキクケコ]|[イロハニホヘトチリヌ])[))]|(?P<c>[①-⑳]))\s*"
)


def _inline_items(
    text: str, lead: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[str | None, int, int]]]:
    """Split points marked after a full stop out of the lead paragraphs."""
    marks = [m for s, e in lead for m in INLINE_MARKER.finditer(text, s, e)]
    if len(marks) < 2:
        return lead, []
    first = marks[0].start()
    new_lead = [(s, min(e, first)) for s, e in lead if s < first]
    new_lead = [(s, _rstrip(text, s, e)) for s, e in new_lead if _rstrip(text, s, e) > s]
    end_all = lead[-1][1]
    points = []
    for i, m in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else end_all
        points.append((m["n"] or m["c"], m.end(), _rstrip(text, m.end(), stop)))
    return new_lead, points


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return end


def _items_of(
    doc: Doc, sid: str, sec_lines: list[Line], content_start: int | None, exclude_style: str | None
) -> list[tuple[str, str | None, int, int]]:
    """Items of one section: (id, number, start, end) in normalised offsets."""
    if not sec_lines:
        return []
    first = sec_lines[0]
    heading_line = content_start is not None and exclude_style is not None
    is_head = heading_line and is_heading(first.text[content_start - first.start :])  # type: ignore[operator]
    body = sec_lines[1:] if is_head else sec_lines
    out: list[tuple[str, str | None, int, int]] = []
    lead: list[tuple[int, int]] = []
    if not is_head and content_start is not None:
        # A numbered sentence paragraph at section level: its text is the section's lead.
        lead.append((content_start, first.end))
        body = sec_lines[1:]
    item_style: str | None = None
    cur: list[int] | None = None
    cur_num: str | None = None
    numbered: list[tuple[str | None, int, int]] = []
    for line in body:
        mk = marker_of(line)
        style = f"{mk[0]}@{min(line.indent, 1)}" if mk else None
        if mk and style != exclude_style and (item_style is None or style == item_style):
            item_style = style
            if cur is not None:
                numbered.append((cur_num, cur[0], cur[1]))
            cur = [mk[2], line.end]
            cur_num = mk[1]
        elif cur is not None:
            cur[1] = line.end
        else:
            lead.append((line.start, line.end))
    if cur is not None:
        numbered.append((cur_num, cur[0], cur[1]))
    if not numbered and lead:
        # Points marked inside a paragraph after a full stop (…一致した。(イ)北朝鮮について、
        # …) are the section's items; a marker inside a sentence (…(ア)物資の供与、(イ)…)
        # only enumerates, and stays in its item.
        lead, numbered = _inline_items(doc.text, lead)
    if exclude_style is None and content_start is None and not numbered:
        # Unmarked paragraphs: each is an item of its own.
        for i, (s, e) in enumerate(lead, 1):
            out.append((f"{sid}.{i}", None, s, e))
        return out
    if lead:
        out.append((f"{sid}.0", None, lead[0][0], lead[-1][1]))
    for i, (num, s, e) in enumerate(numbered, 1):
        out.append((f"{sid}.{i}", num, s, e))
    return out
