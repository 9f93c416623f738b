"""Japanese-aware search text: overlapping character bigrams, numbers bridged to Japanese.

Japanese has no spaces, and the words analysts search for are often one or two
characters (中国, 台湾, 尖閣).  Each run of Japanese characters becomes its overlapping
bigrams (中国による → 中国 国に によ よる), other words stay whole, and the same function
turns a query into tokens, so one index serves words and phrases of any length in SQLite
(FTS5) and PostgreSQL (tsvector).

Numbers are written inside Japanese with nothing between (第5条, 2025年, 約3時間), and a
number is a word of its own here, so the character before it ends one run and the
character after it begins another.  Where a number touches a Japanese character, bridge
tokens join them, in place: the character and the number, the number, the number and
the next character (条約第5条が → 条約 約第 第5 5 5条 条が).  A query is cut the same
way, so 第5条 is the phrase 第5 5 5条, found inside 条約第5条 as in 第5条 alone.  Only
numbers of ASCII digits alone are bridged: words with letters (G7, F35) stay apart.
"""

from __future__ import annotations

import re
import unicodedata

_JA_RUN = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9A-Za-z]+")
_TOKENS = re.compile(rf"{_JA_RUN.pattern}|{_WORD.pattern}")


def _token_char(ch: str) -> bool:
    """Whether both full-text tokenizers keep ``ch`` in a token (letters, digits, private
    use): ・ and the like split tokens there, so a bridge never holds one."""
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or cat == "Co"


def _number(word: str) -> bool:
    return word.isascii() and word.isdigit()


def bridged(before: str, after: str) -> bool:
    """Whether two runs written one right after the other (``before`` then ``after``: a
    run of Japanese and a word, either way round) are joined by a bridge token: one is a
    number and the other's character touching it is a Japanese letter."""
    if _JA_RUN.fullmatch(before) and _number(after):
        return _token_char(before[-1])
    if _number(before) and _JA_RUN.fullmatch(after):
        return _token_char(after[0])
    return False


def _scan(text: str, bridges: bool) -> list[tuple[str, bool]]:
    """The tokens of ``text`` with whether each is a bridge."""
    text = unicodedata.normalize("NFKC", text).lower()
    out: list[tuple[str, bool]] = []
    previous: re.Match[str] | None = None
    for m in _TOKENS.finditer(text):
        run = m.group()
        if bridges and previous is not None and previous.end() == m.start():
            before = previous.group()
            if bridged(before, run):
                joined = before[-1] + run if _number(run) else before + run[0]
                out.append((joined, True))
        if len(run) > 1 and _JA_RUN.fullmatch(run):
            out.extend((run[i : i + 2], False) for i in range(len(run) - 1))
        else:  # an ASCII word, or a run of one Japanese character
            out.append((run, False))
        previous = m
    return out


def tokens(text: str, *, bridges: bool = True) -> list[str]:
    """The search tokens of ``text``, in order: bigrams of Japanese runs (a run of one
    character is itself), ASCII words, and bridges between numbers and Japanese
    (``bridges`` False: without them, the tokens before revision 0005)."""
    return [token for token, _ in _scan(text, bridges)]


def query_tokens(text: str) -> list[str]:
    """The tokens a query word must match, in order: :func:`tokens`, except that a run
    of one Japanese character at either end that a bridge holds is left out.

    In the query 第5条, 第 and 条 are runs of their own, but in a statement they may
    belong to longer runs (条約第5条が), where they are no tokens of their own; the bridges
    第5 and 5条 stand for them.
    """
    found = _scan(text, True)
    if len(found) > 1 and found[1][1] and len(found[0][0]) == 1 and _JA_RUN.match(found[0][0]):
        found = found[1:]
    if len(found) > 1 and found[-2][1] and len(found[-1][0]) == 1 and _JA_RUN.match(found[-1][0]):
        found = found[:-1]
    return [token for token, _ in found]


def search_text(text: str, *, bridges: bool = True) -> str:
    """What is stored in ``statements.search_text`` (``bridges`` False: before 0005)."""
    return " ".join(tokens(text, bridges=bridges))
