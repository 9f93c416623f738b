"""Normalisation keeps every offset pointing into the original text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from readout.textnorm import normalize


def test_full_width_folds_one_to_one() -> None:
    n = normalize("１２月３日（水）、ＡＳＥＡＮ")
    assert n.text == "12月3日(水)、ASEAN"
    assert n.span(0, 2) == (0, 2)


def test_stray_spaces_are_removed_and_spans_map_back() -> None:
    original = "午後3時15 分から、ワシントンD. C.にて会談"
    n = normalize(original)
    assert "15分" in n.text and "D.C." in n.text
    m = re.search("15分", n.text)
    assert m is not None
    s, e = n.span(m.start(), m.end())
    assert original[s:e] == "15 分"
    m = re.search("会談", n.text)
    assert m is not None
    s, e = n.span(m.start(), m.end())
    assert original[s:e] == "会談"


def test_link_residue_is_dropped() -> None:
    original = "共同声明(PDF)別ウィンドウで開くが発出された。"
    n = normalize(original)
    assert n.text == "共同声明が発出された。"
    s, e = n.span(0, len(n.text))
    assert (s, e) == (0, len(original))


def test_half_width_katakana_composes() -> None:
    n = normalize("ﾃﾞｰﾀ通信")
    assert n.text == "データ通信"
    # ﾃﾞ (two characters) became デ: the span of デ covers both.
    assert n.span(0, 1) == (0, 2)
    assert n.span(0, 3) == (0, 4)
    assert n.span(3, 5) == (4, 6)


CHARS = st.sampled_from(list("日米双方は、。確認した 12３４ＡＢ(PDF)別ウィンドウで開く ﾃﾞ D. C.\n"))


@given(st.lists(CHARS, max_size=60).map("".join))
def test_span_of_every_normalised_piece_is_inside_original(text: str) -> None:
    n = normalize(text)
    prev_end = 0
    for i in range(len(n.text)):
        s, e = n.span(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert s >= prev_end - 2  # monotone up to replaced runs
        prev_end = e
    assert n.span(0, len(n.text))[1] <= len(text)
