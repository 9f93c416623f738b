"""Load the lexicons: TOML data files in ``readout/lexicons`` (each notes its source).

Every file is read once per process and cached.  Code never hard-codes lexicon entries;
it asks this module.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed contents of ``lexicons/<name>.toml``."""
    data = resources.files("readout").joinpath("lexicons", f"{name}.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


@dataclass(frozen=True)
class Country:
    code: str
    en: str
    names: tuple[str, ...]  # full names, longest first (アメリカ合衆国, 米国, アメリカ)
    abbr: str | None  # one-character abbreviation used in compounds (米, 豪, 印)
    tz: str  # IANA zone of the capital, used for "現地時間"


@cache
def countries() -> tuple[Country, ...]:
    out = []
    for code, entry in load("countries")["country"].items():
        names = tuple(sorted(entry["names"], key=len, reverse=True))
        out.append(Country(code, entry["en"], names, entry.get("abbr"), entry["tz"]))
    return tuple(out)


@cache
def country_by_code() -> dict[str, Country]:
    return {c.code: c for c in countries()}


@cache
def country_name_index() -> dict[str, str]:
    """Every full name and abbreviation → ISO code."""
    index: dict[str, str] = {}
    for c in countries():
        for n in c.names:
            index.setdefault(n, c.code)
        if c.abbr:
            index.setdefault(c.abbr, c.code)
    return index


def trie_regex(words: list[str] | tuple[str, ...] | set[str]) -> str:
    """A regex alternation of ``words`` built as a trie, longest match first.

    Python's ``re`` tries alternatives one by one; factoring common prefixes keeps a
    lexicon of thousands of entries fast to scan.
    """
    trie: dict[str, Any] = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        # Longer branches before the end of word, so the regex takes the longest match.
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            body = "(?:" + body + ")?"
        return body

    return build(trie)
