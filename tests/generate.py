"""Generated readouts for the store's tests and the ingest bench.

Each generated readout is one of the project's composed readouts (the parser's corpus in
``tests/fixtures/readouts`` and the gold texts in ``gold/*/``) changed in ways a real
series of meetings changes: another year (era and Gregorian years moved together), other
days of the month, another counterpart (US ↔ UK, Australia ↔ India, by their names in
Japanese) and the items of the body in another order.  The variant number picks the
changes, so ``readout(i)`` is the same text on every run and no two variants are the same
bytes.

    python -m tests.generate DIR COUNT     # write COUNT readouts under DIR
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PER_FOLDER = 1000

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
_NUM = "[0-9０-９]+"
_ERA_YEAR = re.compile(rf"(令和|平成)(元|{_NUM})年")
_WESTERN_YEAR = re.compile(r"((?:19|20|１９|２０)[0-9０-９]{2})年")
_DAY = re.compile(rf"(?<![0-9０-９])({_NUM})日")
_ITEM = re.compile(
    r"^(\s*(?:[0-9０-９]{1,2}[.．、]?\s+|[(（][0-9０-９]{1,2}[)）]\s*|[・○●◯－]\s*|[①-⑳]\s*))"
    r"(\S.*。)\s*$",
    re.M,
)
# Counterparts whose names in Japanese change as whole words.
_SWAPS: tuple[dict[str, str], ...] = (
    {"米国": "英国", "米側": "英側", "日米": "日英", "訪米": "訪英", "米大統領": "英首相"},
    {"豪州": "インド", "豪側": "印側", "日豪": "日印", "訪豪": "訪印"},
)
_ERA_RANGE = {"令和": (1, 7), "平成": (1, 31)}
_YEAR_SHIFTS = (0, -1, 1, -2, 2, -3, 3)


@cache
def bases() -> tuple[str, ...]:
    """The composed readouts every variant starts from, in a fixed order."""
    files = sorted((ROOT / "tests" / "fixtures" / "readouts").glob("*.txt"))
    files += sorted((ROOT / "gold").glob("*/*.txt"))
    return tuple(f.read_text(encoding="utf-8") for f in files)


def _number(text: str) -> int:
    return int(text.translate(_DIGITS))


def _like(template: str, value: int) -> str:
    """``value`` written with the same kind of digits as ``template``."""
    out = str(value)
    return out.translate(_WIDE) if not template.isascii() else out


def _shift_years(text: str, shift: int) -> str | None:
    """Every year moved by ``shift``; None when an era year would leave its era."""
    bad = False

    def era(m: re.Match[str]) -> str:
        nonlocal bad
        year = 1 if m.group(2) == "元" else _number(m.group(2))
        low, high = _ERA_RANGE[m.group(1)]
        new = year + shift
        if not low <= new <= high:
            bad = True
            return m.group()
        written = "元" if new == 1 else _like(m.group(2) if m.group(2) != "元" else "1", new)
        return f"{m.group(1)}{written}年"

    def western(m: re.Match[str]) -> str:
        return _like(m.group(1), _number(m.group(1)) + shift) + "年"

    text = _ERA_YEAR.sub(era, text)
    return None if bad else _WESTERN_YEAR.sub(western, text)


def _shift_days(text: str, shift: int) -> str:
    """Every day of the month moved by ``shift`` within 1–28 (relative days move along)."""

    def day(m: re.Match[str]) -> str:
        value = _number(m.group(1))
        if not 1 <= value <= 31:
            return m.group()
        return _like(m.group(1), (value - 1 + shift) % 28 + 1) + "日"

    return _DAY.sub(day, text)


def _swap_counterpart(text: str, which: int) -> str:
    table = _SWAPS[which % len(_SWAPS)]
    both = {**table, **{v: k for k, v in table.items()}}
    pattern = re.compile("|".join(sorted(map(re.escape, both), key=len, reverse=True)))
    return pattern.sub(lambda m: both[m.group()], text)


def _shuffle_items(text: str, seed: int) -> str:
    """The contents of the numbered and bulleted lines in another order, markers kept."""
    matches = list(_ITEM.finditer(text))
    if len(matches) < 2:
        return text
    contents = [m.group(2) for m in matches]
    random.Random(seed).shuffle(contents)
    out: list[str] = []
    last = 0
    for m, content in zip(matches, contents, strict=True):
        out.append(text[last : m.start(2)])
        out.append(content)
        last = m.end(2)
    out.append(text[last:])
    return "".join(out)


def variant(i: int) -> str:
    """Readout number ``i``: a base text with the changes its number selects."""
    texts = bases()
    base = texts[i % len(texts)]
    n = i // len(texts)
    for shift in _YEAR_SHIFTS[n % len(_YEAR_SHIFTS) :] + _YEAR_SHIFTS:
        moved = _shift_years(base, shift)
        if moved is not None:
            break
    else:  # pragma: no cover - shift 0 always fits
        moved = base
    text = _shift_days(moved, n // len(_YEAR_SHIFTS) % 28)
    if n % 3 == 1:
        text = _swap_counterpart(text, n)
    if n % 2 == 1 or n >= len(_YEAR_SHIFTS) * 28:
        text = _shuffle_items(text, i)
    return text


def readouts(count: int, start: int = 0) -> Iterator[tuple[int, str]]:
    """``count`` distinct readouts as (variant number, text); repeats are skipped."""
    seen: set[bytes] = set()
    i = start
    made = 0
    while made < count:
        text = variant(i)
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        if digest not in seen:
            seen.add(digest)
            yield i, text
            made += 1
        i += 1


def write_corpus(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Write ``count`` distinct readouts under ``folder`` (1,000 a subfolder); their paths."""
    paths: list[Path] = []
    for made, (i, text) in enumerate(readouts(count, start)):
        sub = folder / f"batch-{made // PER_FOLDER:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"readout-{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target, number = Path(sys.argv[1]), int(sys.argv[2])
    print(f"{len(write_corpus(target, number))} readouts written under {target}")
