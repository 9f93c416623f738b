"""Japanese dates: era years (令和元年), kanji and full-width numerals, full dates.

General rules, not per-date lists: year N of an era is its start year + N - 1, with 元年 as
year 1; kanji numerals are read positionally (二十七 = 27, 十二 = 12).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from readout.lexicon import load

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
NUM = r"[0-9〇零一二三四五六七八九十百千]+"


@cache
def eras() -> dict[str, int]:
    """Era name → Gregorian year of its first year."""
    return {name: int(e["start"]) for name, e in load("eras")["era"].items()}


def era_pattern() -> str:
    return "(?:" + "|".join(sorted(eras(), key=len, reverse=True)) + ")"


def to_int(text: str) -> int:
    """Read ASCII digits or kanji numerals (元 = 1).  Raises ValueError if neither."""
    text = text.strip()
    if text == "元":
        return 1
    if text.isascii() and text.isdigit():
        return int(text)
    if all(ch in _KANJI_DIGITS for ch in text):  # positional: 二〇二四
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total = 0
    current = 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        elif ch in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
        else:
            raise ValueError(f"not a number: {text!r}")
    return total + current


def era_year(era: str, year: str) -> int:
    """Gregorian year of ``era`` year ``year`` (``元`` or digits or kanji)."""
    return eras()[era] + to_int(year) - 1


def two_digit_year(yy: int, *, around: int | None = None) -> int:
    """A year written with two digits (05年) read against a reference year."""
    ref = around or 2000
    century = ref - ref % 100
    best = century + yy
    for cand in (century - 100 + yy, century + yy, century + 100 + yy):
        if abs(cand - ref) < abs(best - ref):
            best = cand
    return best


@cache
def full_date_regex() -> re.Pattern[str]:
    """Era or Gregorian year, month and day: 令和6年1月12日, 2024年1月12日, 平成元年5月1日."""
    return re.compile(
        rf"(?:(?P<era>{era_pattern()})\s*(?P<ey>元|{NUM})|(?P<gy>[0-9]{{4}}|[〇一二三四五六七八九]{{4}}))"
        rf"\s*年\s*(?:(?P<m>{NUM})\s*月\s*(?:(?P<d>{NUM})\s*日)?)?"
    )


def match_to_date(m: re.Match[str]) -> tuple[int, int | None, int | None]:
    """(year, month, day) from a :func:`full_date_regex` match."""
    year = era_year(m["era"], m["ey"]) if m["era"] else to_int(m["gy"])
    month = to_int(m["m"]) if m["m"] else None
    day = to_int(m["d"]) if m["d"] else None
    return year, month, day


def parse_full_date(text: str) -> date | None:
    """The first complete date written in ``text``, or None."""
    for m in full_date_regex().finditer(text):
        y, mo, d = match_to_date(m)
        if mo and d:
            try:
                return date(y, mo, d)
            except ValueError:
                continue
    return None


def iso_partial(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
