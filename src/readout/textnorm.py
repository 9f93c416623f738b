"""Text normalisation that keeps offsets into the original text.

The parser reads a normalised copy of the text (full-width ASCII folded to half-width,
stray spaces inside Japanese runs removed, link residue dropped), while every span in the
record indexes the original text.  :class:`NormText` holds the normalised string and maps
any normalised offset back to the original one.

Edits are few and local, so the map is a sorted list of edit points searched with bisect
rather than a per-character array: normalising a long corpus costs one ``str.translate``
plus a handful of regex scans.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# Full-width ASCII (U+FF01..U+FF5E) to ASCII, ideographic space to space, and a few dash
# and tilde variants.  Each is one character to one character, so offsets do not move.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update(
    {
        0x3000: 0x20,  # ideographic space
        0x2212: 0x2D,  # minus sign
        0x2010: 0x2D,  # hyphen
        0x2011: 0x2D,
        0x301C: 0x7E,  # wave dash
        0xFF5E: 0x7E,
        0x00A0: 0x20,  # no-break space
        0x2002: 0x20,
        0x2003: 0x20,
        0x2009: 0x20,
        0x200B: 0x20,  # zero-width space (kept as one character, then removed as stray)
        0xFEFF: 0x20,  # BOM left inside text
        0x2019: 0x27,  # right single quote (O’Brien)
        0x2018: 0x27,
    }
)
FOLD_TABLE = str.maketrans(_FOLD)

_JA = r"\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff、。「」『』（）・ー"
# A space between two Japanese characters, or between a digit and a Japanese character
# (5時25 分), is layout, not content.
# A number at the start of a line keeps its space: "2 日米同盟" is a numbered heading.
_STRAY_SPACE = re.compile(
    rf"(?:(?<=[{_JA}])|(?<=[{_JA}][0-9])|(?<=[{_JA}][0-9]{{2}})|(?<=[{_JA}][0-9]{{3}}))"
    rf" +(?=[{_JA}])|(?<=[{_JA}]) +(?=[0-9])"
)
# "D. C." and "U. S." in place names: a space after a capital's period before a capital.
_INITIAL_SPACE = re.compile(r"(?<![A-Za-z])(?<=[A-Z]\.) (?=[A-Z]\.)")
# Link residue inside sentences on saved web pages.
_RESIDUE = re.compile(
    r"[(](?:PDF|pdf)[)]\s*別ウィンドウで開く|別ウィンドウで開く|[(]PDF[)]"
    r"|[(](?:英語|English|和文|仮訳)[)](?=[。、\s]|$)|[(]\d+(?:\.\d+)?\s*[KMG]B[)]",
    re.MULTILINE,
)
# Half-width katakana (old pages); composed with their voicing marks.
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f][\uff9e\uff9f]?")


@dataclass
class NormText:
    """A normalised view of ``original`` with an offset map back to it."""

    original: str
    text: str
    # Parallel lists: at normalised offset norm_at[i] begins a run that starts at orig_at[i]
    # in the original; runs with ``copied[i]`` map character by character, other runs are
    # replacements whose characters all map to the whole replaced original span.
    norm_at: list[int] = field(default_factory=list)
    orig_at: list[int] = field(default_factory=list)
    orig_end: list[int] = field(default_factory=list)
    copied: list[bool] = field(default_factory=list)

    def orig(self, pos: int) -> int:
        """Original offset of the character at normalised ``pos`` (a start boundary)."""
        if not self.norm_at:
            return pos
        i = bisect_right(self.norm_at, pos) - 1
        if i < 0:
            return pos
        if self.copied[i]:
            return self.orig_at[i] + (pos - self.norm_at[i])
        return self.orig_at[i]

    def orig_end_of(self, pos: int) -> int:
        """Original offset just after the character at normalised ``pos - 1`` (an end)."""
        if pos <= 0:
            return 0
        if not self.norm_at:
            return pos
        i = bisect_right(self.norm_at, pos - 1) - 1
        if i < 0:
            return pos
        if self.copied[i]:
            return self.orig_at[i] + (pos - self.norm_at[i])
        return self.orig_end[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalised span ``[start, end)``."""
        if end <= start:
            o = self.orig(start) if start < len(self.text) else len(self.original)
            return o, o
        return self.orig(start), self.orig_end_of(end)


def _halfwidth_kana(m: re.Match[str]) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", m.group(0))


def normalize(original: str) -> NormText:
    """Normalise ``original``; see the module docstring for what changes."""
    folded = original.translate(FOLD_TABLE)
    edits: list[tuple[int, int, str]] = []
    for pattern in (_RESIDUE, _STRAY_SPACE, _INITIAL_SPACE):
        edits.extend((m.start(), m.end(), "") for m in pattern.finditer(folded))
    edits.extend((m.start(), m.end(), _halfwidth_kana(m)) for m in _HALFWIDTH_KANA.finditer(folded))
    if not edits:
        return NormText(original, folded)
    edits.sort()
    pieces: list[str] = []
    norm_at: list[int] = []
    orig_at: list[int] = []
    orig_end: list[int] = []
    copied: list[bool] = []
    pos = 0  # in original/folded
    npos = 0  # in normalised
    for s, e, replacement in edits:
        if s < pos:  # overlapping edits: keep the first
            continue
        if s > pos:
            norm_at.append(npos)
            orig_at.append(pos)
            orig_end.append(s)
            copied.append(True)
            pieces.append(folded[pos:s])
            npos += s - pos
        if replacement:
            norm_at.append(npos)
            orig_at.append(s)
            orig_end.append(e)
            copied.append(len(replacement) == e - s)
            pieces.append(replacement)
            npos += len(replacement)
        pos = e
    norm_at.append(npos)
    orig_at.append(pos)
    orig_end.append(len(folded))
    copied.append(True)
    pieces.append(folded[pos:])
    return NormText(original, "".join(pieces), norm_at, orig_at, orig_end, copied)
