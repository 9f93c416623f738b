"""People: reading "name + title" phrases, and finding later, shortened mentions.

Rules are general, never per person:

* a person phrase is ``NAME [COUNTRY] TITLE`` — the longest known title at the end, then an
  optional country name or one-character abbreviation (米国防長官 = 米 + 国防長官), and the
  rest is the name;
* after the first mention a person is written as a prefix of a kanji name or the last
  part of a katakana name, followed by a short form of the title (林芳正外務大臣 → 林大臣,
  アントニー・ブリンケン国務長官 → ブリンケン長官).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from readout.lexicon import country_name_index, load, trie_regex
from readout.model import Participant

NAME_CHARS = r"\u3005\u3400-\u9fff\uf900-\ufaff\u30a0-\u30ff\u3041-\u3096・=＝"


@cache
def titles() -> dict[str, dict[str, object]]:
    return dict(load("titles")["title"])


@cache
def short_titles() -> tuple[str, ...]:
    forms: set[str] = set()
    for full, entry in titles().items():
        forms.add(full)
        forms.update(entry.get("short", []))  # type: ignore[arg-type]
    return tuple(sorted(forms, key=len, reverse=True))


@cache
def title_regex() -> re.Pattern[str]:
    """Any full or short title, longest first."""
    return re.compile(trie_regex(short_titles()))


def _short_keys(name: str) -> list[str]:
    """Forms of ``name`` that can stand before a short title."""
    if "・" in name or "=" in name:
        parts = [p for p in re.split(r"[・=]", name) if p]
        return [name, parts[-1]] + ([parts[0]] if len(parts) > 1 else [])
    keys = [name]
    # A kanji name shortens to its family name, whose length the text does not say; any
    # proper prefix may be it, and the title after it makes the match safe.
    keys += [name[:k] for k in range(len(name) - 1, 0, -1)]
    return keys


@dataclass(frozen=True)
class _Matcher:
    full: dict[str, int]
    short: dict[str, int]
    full_re: re.Pattern[str] | None
    short_re: re.Pattern[str] | None


@lru_cache(maxsize=256)
def _matcher(names: tuple[str, ...]) -> _Matcher:
    full: dict[str, int] = {}
    short: dict[str, int] = {}
    for idx, name in enumerate(names):
        if not name:
            continue
        full.setdefault(name, idx)
        for key in _short_keys(name)[1:]:
            # A key shared by two people is ambiguous; drop it.
            short[key] = -1 if key in short and short[key] != idx else idx
    keys = [k for k, v in short.items() if v >= 0]
    full_re = re.compile(trie_regex(list(full))) if full else None
    short_re = (
        re.compile(
            # A name starts after anything but kanji or katakana (…これに対し浜口大臣は).
            rf"(?<![\u3005\u3400-\u9fff\uf900-\ufaff\u30a1-\u30fa・])({trie_regex(keys)})"
            rf"(?:{title_regex().pattern})"
        )
        if keys
        else None
    )
    return _Matcher(full, short, full_re, short_re)


def find_person_mentions(text: str, participants: list[Participant]) -> list[tuple[int, int, int]]:
    """Mentions of ``participants`` in ``text``: ``(start, end, participant index)``.

    Full names match alone (``林芳正``); shortened names match with a following short title
    and the mention spans both (``林大臣``).  Overlapping matches keep the longest.
    """
    if not participants:
        return []
    mt = _matcher(tuple(p.name for p in participants))
    hits: list[tuple[int, int, int]] = []
    if mt.full_re is not None:
        hits.extend((m.start(), m.end(), mt.full[m.group()]) for m in mt.full_re.finditer(text))
    if mt.short_re is not None:
        for m in mt.short_re.finditer(text):
            hits.append((m.start(), m.end(), mt.short[m.group(1)]))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, int]] = []
    last_end = -1
    for h in hits:
        if h[0] >= last_end:
            out.append(h)
            last_end = h[1]
    return out


@dataclass(frozen=True)
class PhraseHit:
    """A "name [reading] [country] title [(gloss)]" phrase found in running text."""

    start: int
    end: int
    name: str
    title: str
    side: str | None
    gloss: str | None


@cache
def _phrase_re() -> re.Pattern[str]:
    lex = load("titles")
    generic = lex["generic"]
    prefixes = trie_regex(generic["prefixes"])
    suffixes = trie_regex(generic["suffixes"])
    countries = trie_regex(list(country_name_index()))
    known = trie_regex(list(titles()))
    # A title followed by 会談 / 会合 names a meeting (日米外相会談), not a person.
    return re.compile(
        rf"(?P<reading>[((][\u3041-\u3096\u30a0-\u30ff・ ]{{2,24}}[))])?"
        rf"(?P<country>(?:{countries})国?・?)?"
        rf"(?P<title>{known}|(?:{prefixes}){{0,4}}{suffixes})"
        # A portfolio in parentheses belongs to the title: 国防次官(政策担当).
        r"(?P<portfolio>[((][\u3400-\u9fff・]{1,10}担当[))])?"
        r"(?!会談|会合|会議|間|電話|級|レベル|クラス|経験|協議|ら|等の)"
        r"(?P<gloss>\s*[((][^()()]*[A-Za-z][^()()]*[))])?"
    )


NAME_BEFORE = re.compile(r"[\u3005\u3400-\u9fff\uf900-\ufaff\u30a1-\u30fa\u30fc・=]{1,20}$")
ABBR_ONLY = re.compile(r"[日米英豪印韓中比仏独加伊露越尼蘭欧亜]+")


def find_person_phrases(text: str) -> list[PhraseHit]:
    """Every person phrase in ``text`` (a lead or a participant list), in order."""
    out: list[PhraseHit] = []
    for m in _phrase_re().finditer(text):
        run = NAME_BEFORE.search(text, max(0, m.start() - 20), m.start())
        if run is None:
            continue
        name = run.group().strip("・")
        if not _plausible_name(name):
            continue
        side = None
        if m["country"]:
            word = m["country"].rstrip("・")
            index = country_name_index()
            side = index.get(word) or index.get(word.removesuffix("国"))
        gloss = m["gloss"].strip()[1:-1].strip() if m["gloss"] else None
        title = m["title"] + (m["portfolio"] or "")
        out.append(PhraseHit(run.start(), m.end(), name, title, side, gloss))
    return out


def _plausible_name(name: str) -> bool:
    if len(name) < 2 or ABBR_ONLY.fullmatch(name):
        return False
    if re.search(r"会談|会合|会議|政府|大臣|長官|総理|首相|大統領|委員会|省|庁|軍", name):
        return False
    katakana = re.fullmatch(r"[\u30a1-\u30fa\u30fc・=]+", name)
    return bool(katakana) or len(name) <= 6


@cache
def foreign_only_titles() -> frozenset[str]:
    return frozenset(load("titles")["foreign_only"]["titles"])
