"""Timelines: how many statements on a topic each meeting made, by act or by speaker.

A topic is a topic id of ``lexicons/topics.toml`` (``senkaku``, ``taiwan``; matched
against the statements' tagged topics) or, when it is not one, free text searched the
way ``readout search`` searches (``尖閣 第5条``).  Statements are selected by
:mod:`readout.export.rows`, so the meeting filters and ``all_versions`` mean the same as
in an export.  Only meetings with at least one statement on the topic appear.

:func:`plot` draws the timeline as stacked bars, one per meeting (per year when there
are more than :data:`MAX_MEETING_BARS` meetings), with matplotlib's Agg backend, to a
PNG or SVG file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from readout.export.rows import Filters, statement_rows
from readout.model import ACTS
from readout.search import topic_ids
from readout.store import Store
from readout.topics import topic_labels

By = Literal["act", "speaker"]
BYS: tuple[str, ...] = ("act", "speaker")
#: More meetings than this are drawn as one bar per year.
MAX_MEETING_BARS = 24
_CJK_FONTS = ("IPAGothic", "IPAPGothic", "Noto Sans CJK JP", "Noto Sans JP", "TakaoGothic")


@dataclass
class MeetingCounts:
    """One meeting's statements on the topic, counted by act or speaker."""

    document_id: int
    date: str | None
    kind: str | None
    counterpart: str | None
    sides: list[str]
    title: str | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def label(self) -> str:
        """``2024-01-12 2+2 US``: what the meeting is called on a chart."""
        others = ",".join(s for s in self.sides if s != "JP") or "-"
        return f"{self.date or 'undated'} {self.kind or '-'} {others}"


@dataclass
class Timeline:
    """Counts per meeting, in date order; ``keys`` are the columns (acts or speakers)."""

    topic: str
    label: str
    topic_is_id: bool
    by: str
    keys: list[str]
    meetings: list[MeetingCounts]
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(m.total for m in self.meetings)

    def totals(self) -> dict[str, int]:
        """Statements per key over every meeting."""
        out: Counter[str] = Counter()
        for meeting in self.meetings:
            out.update(meeting.counts)
        return {k: out[k] for k in self.keys}

    def by_year(self) -> list[tuple[str, dict[str, int]]]:
        """Counts per year (``undated`` last), every key present."""
        years: dict[str, Counter[str]] = {}
        for meeting in self.meetings:
            year = meeting.date[:4] if meeting.date else "undated"
            years.setdefault(year, Counter()).update(meeting.counts)
        order = sorted(years, key=lambda y: (y == "undated", y))
        return [(y, {k: years[y][k] for k in self.keys}) for y in order]

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per meeting: its columns, a count per key, the total."""
        return [
            {
                "document_id": m.document_id,
                "date": m.date,
                "kind": m.kind,
                "counterpart": m.counterpart,
                "title": m.title,
                **{k: m.counts.get(k, 0) for k in self.keys},
                "total": m.total,
            }
            for m in self.meetings
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "label": self.label,
            "topic_is_id": self.topic_is_id,
            "by": self.by,
            "keys": self.keys,
            "filters": self.filters,
            "total": self.total,
            "totals": self.totals(),
            "meetings": [
                {
                    "document_id": m.document_id,
                    "date": m.date,
                    "kind": m.kind,
                    "counterpart": m.counterpart,
                    "sides": m.sides,
                    "title": m.title,
                    "counts": {k: m.counts.get(k, 0) for k in self.keys},
                    "total": m.total,
                }
                for m in self.meetings
            ],
        }


def _order(by: str, found: Iterable[str]) -> list[str]:
    """Acts in the contract's order; speakers JP, JOINT, then the others by code."""
    keys = set(found)
    if by == "act":
        return [a for a in ACTS if a in keys] + sorted(keys - set(ACTS))
    first = [k for k in ("JP", "JOINT") if k in keys]
    return first + sorted(keys - set(first))


def timeline(
    store: Store,
    topic: str,
    *,
    by: str = "act",
    kind: str | Iterable[str] | None = None,
    counterpart: str | Iterable[str] | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    all_versions: bool = False,
) -> Timeline:
    """Statements on ``topic`` per meeting, counted by ``by`` (``act`` or ``speaker``).

    Raises ValueError for an empty topic or an unknown ``by``, and
    :class:`~readout.search.SearchError` for a filter value that is not allowed.
    """
    if by not in BYS:
        raise ValueError(f"by must be one of {', '.join(BYS)}, not {by!r}")
    topic = topic.strip()
    if not topic:
        raise ValueError("no topic given")
    is_id = topic in topic_ids()
    filters = Filters.make(
        "" if is_id else topic,
        topic=topic if is_id else None,
        kind=kind,
        counterpart=counterpart,
        since=since,
        until=until,
        all_versions=all_versions,
    )
    meetings: dict[int, MeetingCounts] = {}
    for row in statement_rows(store, filters):
        meeting = meetings.get(row["document_id"])
        if meeting is None:
            meeting = MeetingCounts(
                row["document_id"],
                row["date"],
                row["kind"],
                row["counterpart"],
                row["sides"],
                row["title"],
            )
            meetings[row["document_id"]] = meeting
        key = row[by]
        meeting.counts[key] = meeting.counts.get(key, 0) + 1
    keys = _order(by, (k for m in meetings.values() for k in m.counts))
    label = topic_labels().get(topic, topic) if is_id else topic
    chosen = {k: v for k, v in filters.as_dict().items() if v and k != "query"}
    return Timeline(topic, label, is_id, by, keys, list(meetings.values()), chosen)


def _cjk_font() -> str | None:
    """The name of an installed font with Japanese glyphs, if there is one."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in _CJK_FONTS if n in names), None)


def plot(tl: Timeline, path: str | Path, *, per: str = "auto") -> Path:
    """Draw ``tl`` as stacked bars to ``path`` (``.png`` or ``.svg``); the path written.

    ``per`` is ``meeting``, ``year`` or ``auto`` (per year above MAX_MEETING_BARS meetings).
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{out}: a plot is written as .png or .svg")
    if per not in ("auto", "meeting", "year"):
        raise ValueError(f"per must be auto, meeting or year, not {per!r}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    yearly = per == "year" or (per == "auto" and len(tl.meetings) > MAX_MEETING_BARS)
    if yearly:
        groups = tl.by_year()
        labels = [y for y, _ in groups]
        counts = [c for _, c in groups]
    else:
        labels = [m.label.replace(" ", "\n", 1) for m in tl.meetings]
        counts = [{k: m.counts.get(k, 0) for k in tl.keys} for m in tl.meetings]

    families = ["DejaVu Sans"]
    font = _cjk_font()
    if font:
        families.append(font)
    with plt.rc_context({"font.family": families, "svg.fonttype": "none"}):
        width = min(max(6.0, 0.55 * len(labels) + 3.0), 24.0)
        fig, ax = plt.subplots(figsize=(width, 4.8), layout="constrained")
        colours = plt.get_cmap("tab20" if len(tl.keys) > 10 else "tab10")
        positions = list(range(len(labels)))
        bottom = [0] * len(labels)
        for i, key in enumerate(tl.keys):
            heights = [c.get(key, 0) for c in counts]
            ax.bar(positions, heights, 0.7, bottom=bottom, label=key, color=colours(i))
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_xticks(positions, labels, fontsize=8, rotation=0 if yearly else 45, ha="right")
        if yearly:
            ax.tick_params(axis="x", labelrotation=0)
            for tick in ax.get_xticklabels():
                tick.set_horizontalalignment("center")
        ax.set_ylabel("statements")
        ax.set_xlabel("year" if yearly else "meeting (date, kind, counterpart)")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        # Without a Japanese font a free-text topic is not drawn (its glyphs would be boxes).
        what = tl.label if font or tl.label.isascii() else "the query"
        title = f"Statements on {what} by {tl.by}, per {'year' if yearly else 'meeting'}"
        ax.set_title(f"{title} ({tl.total} statements, {len(tl.meetings)} meetings)")
        if tl.keys:
            ax.legend(title=tl.by, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, dpi=150, format=suffix[1:])
        plt.close(fig)
    return out
