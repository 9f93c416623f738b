"""HTML fragments the templates cannot build safely on their own.

Everything taken from a readout or a user is escaped here (``markupsafe.escape``) before
it is joined with markup; what comes back is :class:`~markupsafe.Markup`, which Jinja2
inserts as it is.  Nothing else in the web app marks text as safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup, escape

from readout.model import Record, Statement

#: Colours of the timeline chart's series, in order (a palette readable on white, and
#: distinguishable for the common kinds of colour blindness).
PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
)


def speaker_class(speaker: str) -> str:
    """CSS class of a speaker: Japan, both sides, or the other side."""
    if speaker == "JP":
        return "sp-jp"
    if speaker == "JOINT":
        return "sp-joint"
    return "sp-other"


def search_url(query: str) -> str:
    return "/search?" + urlencode({"q": query})


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    type: str
    norm: str


def _mentions(record: Record) -> list[_Mention]:
    found = [
        _Mention(start, end, e.type, e.norm)
        for e in record.entities
        for start, end in e.mentions
        if 0 <= start < end <= len(record.text)
    ]
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[_Mention] = []
    for m in found:  # nested or overlapping mentions: the first, longest one wins
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _linked(text: str, start: int, end: int, mentions: Sequence[_Mention]) -> str:
    """``text[start:end]`` escaped, with the mentions that lie wholly inside it linked."""
    out: list[str] = []
    pos = start
    for m in mentions:
        if m.start < start or m.end > end or m.start < pos:
            continue
        out.append(str(escape(text[pos : m.start])))
        out.append(
            f'<a class="ent ent-{escape(m.type.lower())}" href="{escape(search_url(m.norm))}"'
            f' title="{escape(m.type)}: {escape(m.norm)}">{escape(text[m.start : m.end])}</a>'
        )
        pos = m.end
    out.append(str(escape(text[pos:end])))
    return "".join(out)


def readout_html(
    record: Record,
    corrected: Mapping[str, object] | None = None,
    *,
    statement_ids: Mapping[str, int] | None = None,
) -> Markup:
    """The readout's text with each statement highlighted by speaker and labelled by act.

    A statement is ``<span class="st sp-…" id="st3">`` opening with a badge (speaker ·
    act, and "corrected" when an analyst changed it); entity mentions are links to a
    search for the entity.  Line breaks stay in the text (the page shows it pre-wrapped).
    """
    corrected = corrected or {}
    text = record.text
    mentions = _mentions(record)
    statements = sorted(
        (s for s in record.statements if 0 <= s.start < s.end <= len(text)),
        key=lambda s: s.start,
    )
    out: list[str] = []
    pos = 0
    for st in statements:
        if st.start < pos:
            continue  # overlapping spans never come from the parser; skip rather than nest
        out.append(_linked(text, pos, st.start, mentions))
        out.append(_statement_open(st, st.id in corrected, statement_ids))
        out.append(_linked(text, st.start, st.end, mentions))
        out.append("</span>")
        pos = st.end
    out.append(_linked(text, pos, len(text), mentions))
    return Markup("".join(out))


def _statement_open(
    st: Statement, is_corrected: bool, statement_ids: Mapping[str, int] | None
) -> str:
    classes = ["st", speaker_class(st.speaker), f"act-{st.act.lower()}"]
    if is_corrected:
        classes.append("corrected")
    label = f"{st.speaker} · {st.act}"
    if st.reaffirmed:
        label += " · reaffirmed"
    fix = '<span class="fix"> · corrected</span>' if is_corrected else ""
    badge = (
        f'<a class="badge" href="#{escape(st.id)}" title="statement {escape(st.id)}">'
        f"{escape(label)}{fix}</a>"
    )
    row = ""
    if statement_ids and st.id in statement_ids:
        row = f' data-statement-id="{statement_ids[st.id]}"'
    return (
        f'<span class="{" ".join(classes)}" id="{escape(st.id)}" data-speaker="'
        f'{escape(st.speaker)}" data-act="{escape(st.act)}"{row}>{badge}'
    )


# ---------------------------------------------------------------- the timeline chart


def _nice_max(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def bar_chart_svg(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    keys: Iterable[str],
    *,
    title: str,
    width: int = 860,
    height: int = 320,
) -> Markup:
    """A stacked bar chart as inline SVG: one bar per row label, one colour per key."""
    keys = list(keys)
    colours = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    left, right, top, bottom = 44, 12, 28, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((sum(c.values()) for _, c in rows), default=0))
    n = max(len(rows), 1)
    slot = plot_w / n
    bar = max(min(slot * 0.7, 48.0), 2.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
        f'{height + 22 * ((len(keys) + 5) // 6)}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):  # gridlines and the value axis
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value:g}</text>'
        )
    for i, (label, counts) in enumerate(rows):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for key in keys:
            count = counts.get(key, 0)
            if not count:
                continue
            h = plot_h * count / top_value
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colours[key]}"><title>{escape(label)} {escape(key)}: {count}'
                "</title></rect>"
            )
        every = max(1, round(n / 16))
        if i % every == 0:
            cx = left + slot * i + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'class="tick">{escape(label)}</text>'
            )
    for i, key in enumerate(keys):  # the legend, six to a row
        lx = left + (i % 6) * 130
        ly = height - 18 + 22 * (i // 6)
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colours[key]}"/>'
            f'<text x="{lx + 17}" y="{ly}" class="legend">{escape(key)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def marked(text: str, spans: Iterable[Sequence[int]]) -> Markup:
    """``text`` escaped, with each ``(start, end)`` span in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end in sorted((int(s[0]), int(s[1])) for s in spans):
        if start < pos or not 0 <= start < end <= len(text):
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def wording(old: str, new: str) -> Markup:
    """What changed from ``old`` to ``new``, removed text in ``<del>``, added in ``<ins>``."""
    from readout.matching import wording_diff

    out: list[str] = []
    for op, text in wording_diff(old, new):
        piece = escape(text)
        out.append(str(piece) if op == "=" else f"<{_TAGS[op]}>{piece}</{_TAGS[op]}>")
    return Markup("".join(out))


_TAGS = {"-": "del", "+": "ins"}
