"""Topics of a piece of text, from the topic lexicon (``lexicons/topics.toml``).

One trie regex over every keyword, built once per process; a keyword also carries the
topics of the keywords written inside it, because the longest match hides them
(台湾海峡 → taiwan as well as whatever 台湾海峡 itself is listed under).
"""

from __future__ import annotations

from functools import cache

from readout.lexicon import load
from readout.termscan import TermScanner


@cache
def topic_labels() -> dict[str, str]:
    """Topic id → English label."""
    return {tid: str(t.get("label", tid)) for tid, t in load("topics")["topic"].items()}


@cache
def _scanner() -> TermScanner[frozenset[str]]:
    direct: dict[str, set[str]] = {}
    for tid, t in load("topics")["topic"].items():
        for kw in t["keywords"]:
            direct.setdefault(kw, set()).add(tid)
    closed: dict[str, frozenset[str]] = {}
    for kw, ids in direct.items():
        inherited = set(ids)
        for other, other_ids in direct.items():
            if other != kw and other in kw:
                inherited |= other_ids
        closed[kw] = frozenset(inherited)
    return TermScanner(closed)


def topics_for(text: str) -> list[str]:
    """Sorted, unique topic ids of ``text`` (normalised text: ASCII digits and letters)."""
    found: set[str] = set()
    for _, _, ids in _scanner().scan(text):
        found |= ids
    return sorted(found)
