"""Find a lexicon's terms in text with one trie regex, longest match first.

Japanese has no spaces, so a term found inside a longer word is the main source of false
matches.  Two cheap checks reject most of them: a term that begins or ends in katakana must
not continue a katakana word (タイ in タイミング, アメリカ in ラテンアメリカ), and one that
begins or ends in a Latin letter or a digit must not run into another of the same class
(G7 in G77, AI in MAIN; COP28 is fine).  Kanji words carry no such signal; there a longer
lexicon entry (日本海 beside 日本) wins through the trie's longest match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

from readout.lexicon import trie_regex

T = TypeVar("T")

# The katakana that make up words; ・ (U+30FB) separates words and is left out.
_KATAKANA = frozenset(chr(c) for c in (*range(0x30A1, 0x30FB), 0x30FC, 0x30FD, 0x30FE))


def char_class(ch: str) -> str:
    """``k`` katakana, ``a`` Latin letter, ``d`` digit, ``""`` anything else."""
    if ch in _KATAKANA:
        return "k"
    if ch.isascii():
        if ch.isalpha():
            return "a"
        if ch.isdigit():
            return "d"
    return ""


def at_boundary(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not glued to a neighbour of its own script class."""
    if start > 0:
        c = char_class(text[start])
        if c and char_class(text[start - 1]) == c:
            return False
    if end < len(text):
        c = char_class(text[end - 1])
        if c and char_class(text[end]) == c:
            return False
    return True


# accept(text, start, end) → the end to keep (the same or a shorter term), or None to drop.
Accept = Callable[[str, int, int], int | None]


class TermScanner(Generic[T]):
    """Scan for the keys of ``terms``; each hit carries the key's value."""

    def __init__(self, terms: Mapping[str, T]) -> None:
        self.terms: dict[str, T] = {k: v for k, v in terms.items() if k}
        pattern = trie_regex(list(self.terms))
        self._rx = re.compile(pattern) if pattern else None

    def _fit(self, text: str, start: int, end: int) -> int | None:
        """The longest term at ``start`` ending by ``end`` that stands at a word boundary."""
        for k in range(end, start, -1):
            if text[start:k] in self.terms and at_boundary(text, start, k):
                return k
        return None

    def scan(
        self, text: str, pos: int = 0, endpos: int | None = None, accept: Accept | None = None
    ) -> Iterator[tuple[int, int, T]]:
        """Non-overlapping hits ``(start, end, value)`` in text order."""
        if self._rx is None:
            return
        search = self._rx.search
        stop = len(text) if endpos is None else endpos
        while True:
            m = search(text, pos, stop)
            if m is None:
                return
            s, e = m.span()
            fit = e if at_boundary(text, s, e) else self._fit(text, s, e - 1)
            if fit is not None and accept is not None:
                fit = accept(text, s, fit)
            if fit is None:
                pos = s + 1
                continue
            yield s, fit, self.terms[text[s:fit]]
            pos = fit
