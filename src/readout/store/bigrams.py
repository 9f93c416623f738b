"""Japanese-aware search text: overlapping character bigrams.

Japanese has no spaces, and the words analysts search for are often one or two
characters (中国, 台湾, 尖閣).  Each run of Japanese characters becomes its overlapping
bigrams (中国による → 中国 国に によ よる), other words stay whole, and the same function
turns a query into tokens, so one index serves words and phrases of any length in SQLite
(FTS5) and PostgreSQL (tsvector).
"""

from __future__ import annotations

import re
import unicodedata

_JA_RUN = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9A-Za-z]+")
_TOKENS = re.compile(rf"{_JA_RUN.pattern}|{_WORD.pattern}")


def tokens(text: str) -> list[str]:
    """The search tokens of ``text``, in order: bigrams of Japanese runs, ASCII words."""
    text = unicodedata.normalize("NFKC", text).lower()
    out: list[str] = []
    for m in _TOKENS.finditer(text):
        run = m.group()
        if _JA_RUN.fullmatch(run):
            out.extend(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.append(
                run
            )
        else:
            out.append(run)
    return out


def search_text(text: str) -> str:
    """What is stored in ``statements.search_text``."""
    return " ".join(tokens(text))
