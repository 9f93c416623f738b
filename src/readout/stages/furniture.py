"""Stage: split the text into lines and mark page furniture (navigation, print links, …).

Furniture is only marked, never deleted, so offsets into the original text stay valid;
later stages skip marked lines.  Link residue inside sentences is already removed by the
normalisation (see readout.textnorm).
"""

from __future__ import annotations

import re
from functools import cache

from readout.lexicon import country_name_index, load
from readout.pipeline import Doc, Line, stage


@cache
def _furniture_regex() -> re.Pattern[str]:
    patterns = load("furniture")["line_patterns"]
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\s*")


@cache
def header_words() -> frozenset[str]:
    words = set(load("furniture")["header_words"])
    words.update(country_name_index())
    return frozenset(words)


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.lstrip(" \t")
        indent = len(body) - len(stripped)
        content = stripped.rstrip(" \t")
        lines.append(Line(pos + indent, pos + indent + len(content), content, indent))
        pos += len(raw)
    return lines


def is_furniture(text: str) -> bool:
    return bool(text) and _furniture_regex().fullmatch(text) is not None


@stage("furniture", fills=())
def run(doc: Doc) -> None:
    """Split lines and mark page furniture."""
    doc.lines = split_lines(doc.text)
    for line in doc.lines:
        if is_furniture(line.text):
            line.furniture = True
