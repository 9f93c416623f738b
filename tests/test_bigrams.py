"""readout.store.bigrams: the search tokens of statements and queries, numbers bridged to
the Japanese they touch (no store needed; the search over a store is tests/test_search.py)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from readout.search import parse_query
from readout.store.bigrams import bridged, query_tokens, search_text, tokens

_JA = re.compile("[\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD_CHAR = re.compile("[0-9a-z]")

SENTENCES = [
    "両大臣は、日米安全保障条約第5条が尖閣諸島に適用されることを確認した。",
    "協定第15条に基づく協議を2025年までに開始することで一致した。",
    "本17日、約3時間にわたり会談を行い、3日5時に共同声明を発出した。",
    "F-35戦闘機及びF35の部品、G7首脳会合、5G通信について協議した。",
    "砲台2基の移設、日米・5か国の枠組み、経済成長率約0.5%、第2回対話。",
    "令和７年１２月１日、２０２５年版の報告書を公表した。",
]


def test_numbers_next_to_japanese_are_bridged_in_place() -> None:
    assert tokens("条約第5条が") == ["条約", "約第", "第5", "5", "5条", "条が"]
    assert tokens("第5条") == ["第", "第5", "5", "5条", "条"]
    assert tokens("2025年までに") == ["2025", "2025年", "年ま", "まで", "でに"]
    assert tokens("約3時間") == ["約", "約3", "3", "3時", "時間"]
    assert tokens("本17日、") == ["本", "本17", "17", "17日", "日"]
    assert tokens("３日５時") == ["3", "3日", "日", "日5", "5", "5時", "時"]
    assert search_text("第5条が") == "第 第5 5 5条 条が"


def test_without_bridges_the_tokens_are_those_before_0005() -> None:
    assert tokens("条約第5条が", bridges=False) == ["条約", "約第", "5", "条が"]
    assert search_text("第5条", bridges=False) == "第 5 条"
    for sentence in SENTENCES:
        # The index keeps every token it had, in order, with the bridges among them.
        old, new = tokens(sentence, bridges=False), iter(tokens(sentence))
        assert all(token in new for token in old)


def test_ascii_letters_and_punctuation_are_not_bridged() -> None:
    assert tokens("F-35戦闘機") == ["f", "35", "35戦", "戦闘", "闘機"]
    assert tokens("F35戦闘機") == ["f35", "戦闘", "闘機"]
    assert tokens("G7首脳") == ["g7", "首脳"]
    assert tokens("5G通信") == ["5g", "通信"]
    assert tokens("米・5か国") == ["米・", "5", "5か", "か国"]  # ・ splits tokens in the index
    assert tokens("約0.5%") == ["約", "約0", "0", "5"]
    assert bridged("第", "5") and bridged("5", "条") and bridged("々", "2")
    assert not bridged("・", "5") and not bridged("第", "f35") and not bridged("5", "5")


def test_query_tokens_leave_a_bridged_character_at_either_end_to_its_bridge() -> None:
    assert query_tokens("第5条") == ["第5", "5", "5条"]
    assert query_tokens("5条") == ["5", "5条"]
    assert query_tokens("第5") == ["第5", "5"]
    assert query_tokens("条約第5条") == ["条約", "約第", "第5", "5", "5条"]
    assert query_tokens("3日5時") == ["3", "3日", "日", "日5", "5", "5時"]
    assert query_tokens("2025") == ["2025"]
    assert query_tokens("台") == ["台"]
    assert query_tokens("米、米国") == ["米", "米国"]  # no bridge: as before
    assert query_tokens("5条、台") == ["5", "5条", "条", "台"]


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _indexed(text: str) -> list[str]:
    """The tokens of ``text`` as the full-text index holds them: split at what its
    tokenizers do not keep (・, %)."""
    out: list[str] = []
    for token in tokens(text):
        out += [t for t in re.split(r"[^\w]", token) if t]
    return out


def _finds(phrase: tuple[str, ...], prefix: bool, indexed: list[str]) -> bool:
    """Whether the phrase (its last token a prefix when ``prefix``) is in ``indexed``."""
    n = len(phrase)
    for k in range(len(indexed) - n + 1):
        window = indexed[k : k + n]
        if window[:-1] == list(phrase[:-1]) and (
            window[-1].startswith(phrase[-1]) if prefix else window[-1] == phrase[-1]
        ):
            return True
    return False


def _cuts_a_word(text: str, i: int) -> bool:
    return 0 < i < len(text) and bool(_WORD_CHAR.match(text[i - 1]) and _WORD_CHAR.match(text[i]))


def _run_end(text: str, i: int) -> bool:
    """Whether the character at ``i`` ends a longer run of Japanese, with nothing the
    index bridges after it: no token begins with it (舞台 for 台)."""
    return (
        i > 0
        and _JA.match(text[i - 1]) is not None
        and not _JA.match(text[i + 1 : i + 2] or " ")
        and not re.match("[0-9]+(?![0-9a-z])", text[i + 1 :])
    )


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_piece_of_a_sentence_finds_it(sentence: str) -> None:
    """Any piece of a sentence, cut anywhere but inside a number or an ASCII word, is a
    query that finds the sentence in the index, except a one-character run at its start
    or end that ends a longer run in the sentence, which the bigrams cannot see (舞台)."""
    text = _norm(sentence)
    indexed = _indexed(text)
    tried = 0
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            if _cuts_a_word(text, i) or _cuts_a_word(text, j):
                continue
            terms = parse_query(text[i:j])
            if not terms:
                continue
            (term,) = terms
            first = term.tokens[0]
            if len(first) == 1 and _JA.match(first) and _run_end(text, text.index(first, i)):
                continue
            if term.prefix and _run_end(text, text.rindex(term.tokens[-1], i, j)):
                continue
            tried += 1
            assert _finds(term.tokens, term.prefix, indexed), (text[i:j], term, indexed)
    assert tried > 100


def test_a_number_matches_whole() -> None:
    indexed = _indexed("第15条及び第50条、117日間、西暦20250年")
    for query in ("第5条", "5条", "第5", "17日", "2025年", "2025"):
        (term,) = parse_query(query)
        assert not _finds(term.tokens, term.prefix, indexed), query
