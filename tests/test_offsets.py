"""Offsets hold everywhere: text[start:end] is the span, for every readout we have.

Runs over the bundled samples, the composed corpus, and readouts made by hypothesis from
corpus lines with full-width digits, stray spaces and page furniture mixed in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readout
from readout.model import Record
from tests.conftest import CORPUS, SAMPLES

FILES = sorted(SAMPLES.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))


def check_offsets(r: Record) -> None:
    text = r.text
    n = len(text)
    for s in r.sections:
        assert 0 <= s.start <= s.end <= n
        for it in s.items:
            assert s.start <= it.start <= it.end <= s.end, (s.id, it.id)
    prev = -1
    for stt in r.statements:
        assert text[stt.start : stt.end] == stt.text, stt.id
        assert stt.start >= prev, "statements are in text order"
        prev = stt.start
    for e in r.entities:
        for a, b in e.mentions:
            assert 0 <= a < b <= n, e.id
            assert text[a:b], e.id
    for t in r.times:
        assert text[t.start : t.end] == t.text
    ids = {s.id for s in r.statements}
    for c in r.commitments:
        assert text[c.start : c.end] == c.action, c.id
        assert c.statement in ids


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_offsets_hold_on_every_readout(path: Path) -> None:
    check_offsets(readout.parse_file(path))


def _lines() -> list[str]:
    out: list[str] = []
    for p in FILES:
        out.extend(line for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


LINES = _lines()
NOISE = st.sampled_from(
    ["", " ", "\u3000", "印刷用", "(PDF)別ウィンドウで開く", "このページのトップへ戻る"]
)
FULL_WIDTH = str.maketrans("0123456789(),:", "０１２３４５６７８９（），：")


@st.composite
def readouts(draw: st.DrawFn) -> str:
    picked = draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=25))
    out = []
    for line in picked:
        if draw(st.booleans()):
            line = line.translate(FULL_WIDTH)
        if draw(st.booleans()):
            cut = draw(st.integers(0, len(line)))
            line = line[:cut] + draw(NOISE) + line[cut:]
        out.append(line)
    return "\n".join(out) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(readouts())
def test_offsets_hold_on_generated_readouts(text: str) -> None:
    check_offsets(readout.parse(text))
