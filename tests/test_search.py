"""readout.search and ``readout search`` on SQLite and on the real PostgreSQL server.

The store holds the project's own readouts (the composed corpus, the gold readouts, the
bundled sample), a dated copy of the sample and a few readouts written here for ranking
and versions.  What a query should find is worked out independently from the parsed
records (is the word in the statement's text?) and compared with what the store returns.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import readout
from readout.cli import main
from readout.model import Record
from readout.search import (
    FACETS,
    Facets,
    SearchError,
    SearchResults,
    facets,
    highlight_spans,
    mark,
    parse_query,
    search,
)
from readout.store import Store, connect
from readout.store import models as m
from readout.store.write import add_document
from tests.conftest import CORPUS, REFERENCE, ROOT
from tests.pg import ADMIN_URL, postgres_url

# ---------------------------------------------------------------- the stored corpus

RANKING_SHORT = """日星外相電話会談

令和4年3月2日

 本2日午後5時から約20分間、林外務大臣は、ヴィヴィアン・バラクリシュナン・シンガポール外務大臣と電話会談を行いました。概要は以下のとおりです。

 両大臣は、魚釣島及び尖閣諸島の周辺海域における情勢と尖閣諸島の安定について意見交換を行いました。

 両大臣は、東シナ海、南シナ海、台湾海峡、朝鮮半島、ミャンマー、アフガニスタン、中東、アフリカ、中南米、太平洋島嶼国及び北極における情勢の安定と、尖閣諸島を含む地域の平和に向けた様々な課題について、国際社会が一致して取り組む必要があることを確認しました。
"""

VERSION_ONE = """日越外相会談

令和5年6月1日

 本1日、林外務大臣は、ブイ・タイン・ソン・ベトナム外務大臣と会談を行いました。概要は以下のとおりです。

 両大臣は、ホーチミン市における旧版だけの合同会議の開催を歓迎しました。
"""
VERSION_TWO = VERSION_ONE.replace("旧版だけの合同会議", "新版だけの合同会議")

# Numbers written next to Japanese (第5条, 2025年, 約3時間), and near misses: a longer
# number (第15条, 第50条, 117日, 20250), the number without its neighbour (3時間), an
# ASCII word with digits (F35), a bridge to 0 (約0.5) and 約束 beside a 0.
NUMBERS = """日比外相会談

令和7年5月20日

 本20日、岩屋外務大臣は、テオドロ・ロクシン・フィリピン外務大臣と会談を行いました。概要は以下のとおりです。

 両大臣は、日米安全保障条約第5条が地域の平和の基盤であることを確認しました。

 両大臣は、第5条の適用範囲について意見交換を行いました。

 両大臣は、協定第15条に基づく協議を2025年までに開始することで一致しました。

 両大臣は、議定書第50条の改正を歓迎しました。

 両大臣は、約3時間にわたり率直な意見交換を行いました。

 両大臣は、3時間の協議を経て共同声明を発出することで一致しました。

 両大臣は、本17日に署名された文書を歓迎しました。

 両大臣は、117日間に及んだ共同訓練の成果を評価しました。

 両大臣は、F-35戦闘機の共同整備について協議しました。

 両大臣は、F35の部品供給について確認しました。

 両大臣は、砲台2基の移設について協議しました。

 両大臣は、台風被害への支援について確認しました。

 両大臣は、2025年の首脳会談に向けて緊密に連携することで一致しました。

 両大臣は、西暦2025を目標とする行動計画を確認しました。

 両大臣は、第20250号文書の内容を確認しました。

 両大臣は、第2回経済対話の開催を歓迎しました。

 両大臣は、経済成長率が約0.5%上昇したことを歓迎しました。

 両大臣は、関税を0とする約束を再確認しました。
"""
NUMBERS_PATH = "composed/numbers.txt"


def _dated_reference() -> str:
    """The reference readout as if it had been published a year later."""
    sample = REFERENCE.read_text(encoding="utf-8")
    return sample.replace("令和6年1月12日", "令和7年1月12日", 1).replace(
        "1月12日4時00分", "1月11日4時00分", 1
    )


def _inputs() -> list[tuple[str, bytes, str]]:
    """(source path, raw bytes, text) of every readout the tests store, in order."""
    files = [REFERENCE, *sorted(CORPUS.glob("*.txt")), *sorted((ROOT / "gold").glob("*/*.txt"))]
    out: list[tuple[str, bytes, str]] = []
    seen: set[bytes] = set()
    for path in files:
        raw = path.read_bytes()
        if raw not in seen:  # gold/dev/00 is the bundled sample itself
            seen.add(raw)
            out.append((str(path.relative_to(ROOT)), raw, ""))
    for path, body in (
        ("composed/reference-2025.txt", _dated_reference()),
        ("composed/ranking.txt", RANKING_SHORT),
        ("composed/versions.txt", VERSION_ONE),
        ("composed/versions.txt", VERSION_TWO),
        (NUMBERS_PATH, NUMBERS),
    ):
        out.append((path, body.encode("utf-8"), body))
    return out


@dataclass
class Stored:
    """One stored statement as the tests expect to find it."""

    source: str
    latest: bool
    record: Record
    index: int

    @property
    def statement(self) -> Any:
        return self.record.statements[self.index]

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.statement.id)


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, Record, bytes]]:
    out = []
    for path, raw, body in _inputs():
        if body:
            record = readout.parse(body, {"path": path, "sha256": _sha(raw)})
        else:
            record = readout.parse_file(ROOT / path)
            record.source.path = path
        out.append((path, record, raw))
    return out


def _sha(raw: bytes) -> str:
    import hashlib

    return hashlib.sha256(raw).hexdigest()


@pytest.fixture(scope="module")
def statements(corpus: list[tuple[str, Record, bytes]]) -> list[Stored]:
    last_version = {path: i for i, (path, _, _) in enumerate(corpus)}
    return [
        Stored(path, last_version[path] == i, record, n)
        for i, (path, record, _) in enumerate(corpus)
        for n in range(len(record.statements))
    ]


def _fill(store: Store, corpus: list[tuple[str, Record, bytes]]) -> None:
    with Session(store.engine) as s, s.begin():
        for _, record, raw in corpus:
            add_document(s, record, raw)


@pytest.fixture(scope="module")
def sqlite_store(
    tmp_path_factory: pytest.TempPathFactory, corpus: list[tuple[str, Record, bytes]]
) -> Iterator[Store]:
    store = connect(str(tmp_path_factory.mktemp("search") / "search.sqlite"))
    _fill(store, corpus)
    yield store
    store.close()


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new, empty database on the real server, dropped afterwards."""
    postgres_url()  # skips (or fails in CI) when there is no server
    name = f"readout_search_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def postgres_store(corpus: list[tuple[str, Record, bytes]]) -> Iterator[Store]:
    with fresh_postgres() as url:
        store = connect(url)
        try:
            _fill(store, corpus)
            yield store
        finally:
            store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Store:
    fixture = "sqlite_store" if request.param == "sqlite" else "postgres_store"
    found: Store = request.getfixturevalue(fixture)
    return found


# ---------------------------------------------------------------- helpers


_JA = re.compile("[\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).lower()


def everything(store: Store, query: str, **filters: Any) -> SearchResults:
    """All hits of a query, page by page, as one result."""
    hits = []
    offset = 0
    while True:
        page = search(store, query, limit=100, offset=offset, **filters)
        hits.extend(page.hits)
        if not page.more:
            break
        offset += 100
    page.hits = hits
    return page


def found(results: SearchResults) -> list[tuple[str, str]]:
    return [(h.source, h.sid) for h in results.hits]


def expected(statements: list[Stored], *words: str) -> set[tuple[str, str]]:
    return {
        s.key
        for s in statements
        if s.latest and all(_norm(w) in _norm(s.statement.text) for w in words)
    }


# ---------------------------------------------------------------- words and phrases


@pytest.mark.parametrize(
    "word", ["中国", "台湾", "尖閣", "北朝鮮", "尖閣諸島", "拡大抑止", "日米同盟"]
)
def test_a_word_finds_exactly_the_statements_containing_it(
    store: Store, statements: list[Stored], word: str
) -> None:
    hits = found(everything(store, word))
    assert len(hits) == len(set(hits))
    assert set(hits) == expected(statements, word)
    assert hits, f"the corpus has statements with {word}"


def test_one_character_is_a_prefix_of_the_words_it_begins(
    store: Store, statements: list[Stored]
) -> None:
    hits = set(found(everything(store, "台")))
    assert hits == {s.key for s in statements if s.latest and begins_a_word("台", s)}
    assert expected(statements, "台湾") <= hits
    assert hits == set(found(everything(store, "台*")))
    assert (NUMBERS_PATH, "st11") in hits  # 砲台2基: 台 right before a number
    # 第 and 約 before numbers, standing alone and inside runs (約0 in 約0.5 too, the
    # lexeme of every token beginning with 約 in PostgreSQL, migration 0005).
    for char in ("第", "約"):
        want = {s.key for s in statements if s.latest and begins_a_word(char, s)}
        assert set(found(everything(store, char))) == want, char
    assert (NUMBERS_PATH, "st17") in want


def begins_a_word(char: str, s: Stored) -> bool:
    """Whether ``char`` begins a word of the statement, as a one-character query finds:
    followed by Japanese (台湾, 台頭) or by a number (砲台2基, 第5条), or standing alone;
    not at the end of a run (舞台)."""
    padded = f" {_norm(s.statement.text)} "
    return any(
        padded[i] == char
        and (
            _JA.match(padded[i + 1]) is not None
            or _JA.match(padded[i - 1]) is None
            or re.match("[0-9]+(?![0-9a-z])", padded[i + 1 :]) is not None
        )
        for i in range(1, len(padded) - 1)
    )


def test_several_words_must_all_occur_in_any_order(store: Store, statements: list[Stored]) -> None:
    both = set(found(everything(store, "尖閣 中国")))
    assert both == expected(statements, "尖閣", "中国")
    assert both == set(found(everything(store, "中国　尖閣")))  # full-width space too
    assert both < set(found(everything(store, "尖閣")))


def test_a_quoted_phrase_must_occur_as_written(store: Store, statements: list[Stored]) -> None:
    hits = set(found(everything(store, '"尖閣諸島に適用"')))
    assert hits == expected(statements, "尖閣諸島に適用")
    assert {s for s, _ in hits} >= {"src/readout/samples/jp-us-2plus2.txt"}
    # The words of a phrase in the wrong order are not the phrase.
    assert not everything(store, '"適用尖閣諸島"').hits


def test_the_article_5_statement_of_the_reference_readout_is_found_by_senkaku(
    store: Store,
) -> None:
    hits = everything(store, "尖閣").hits
    article5 = [
        h for h in hits if h.source == "src/readout/samples/jp-us-2plus2.txt" and h.sid == "st8"
    ]
    assert len(article5) == 1
    hit = article5[0]
    assert hit.text == "日米安全保障条約第5条が尖閣諸島に適用されることを改めて確認した。"
    assert (hit.speaker, hit.act, hit.reaffirmed) == ("US", "AFFIRM", True)
    assert (hit.kind, hit.date, hit.sides, hit.counterpart) == (
        "2+2",
        "2024-01-12",
        ["JP", "US"],
        "US",
    )
    assert hit.topics == ["senkaku"]
    assert (
        hit.highlighted == "日米安全保障条約第5条が【尖閣】諸島に適用されることを改めて確認した。"
    )
    assert hit.title and "2+2" in hit.title


def test_ascii_words_match_whole_words_case_insensitively(
    store: Store, statements: list[Stored]
) -> None:
    want = {
        s.key
        for s in statements
        if s.latest and "g7" in re.findall("[0-9a-z]+", _norm(s.statement.text))
    }
    assert set(found(everything(store, "g7"))) == want
    assert set(found(everything(store, "Ｇ７"))) == want
    assert not everything(store, "g").hits


# ---------------------------------------------------------------- numbers next to Japanese


def written(statements: list[Stored], query: str) -> set[tuple[str, str]]:
    """The statements that hold ``query`` as written, a number at either end whole (5条
    is not in 15条, 2025 not in 20250): worked out from the texts, not the index."""
    q = _norm(query)
    pattern = re.compile(
        ("(?<![0-9a-z])" if re.match("[0-9a-z]", q) else "")
        + re.escape(q)
        + ("(?![0-9a-z])" if re.search("[0-9a-z]$", q) else "")
    )
    return {s.key for s in statements if s.latest and pattern.search(_norm(s.statement.text))}


NUMBER_QUERIES = {
    "第5条": ["st1", "st2"],
    "条約第5条": ["st1"],
    "5条": ["st1", "st2"],
    "第15条": ["st3"],
    "2025年": ["st3", "st13"],
    "約3時間": ["st5"],
    "3時間": ["st5", "st6"],
    "17日": ["st7"],
    "F-35": ["st9"],
    "F35": ["st10"],
    "2025": ["st3", "st13", "st14"],
    "第2回": ["st16"],
    "約0.5": ["st17"],
    "約0": ["st17"],
    "第５条": ["st1", "st2"],  # full-width digits, as NFKC has them
}


@pytest.mark.parametrize(("query", "sids"), NUMBER_QUERIES.items(), ids=list(NUMBER_QUERIES))
def test_numbers_next_to_japanese_are_found_as_written(
    store: Store, statements: list[Stored], query: str, sids: list[str]
) -> None:
    hits = found(everything(store, query))
    assert len(hits) == len(set(hits))
    assert sorted(sid for source, sid in hits if source == NUMBERS_PATH) == sorted(sids)
    assert set(hits) == written(statements, query)


def test_article_5_is_found_in_the_reference_readout_and_highlighted(store: Store) -> None:
    hits = everything(store, "第5条").hits
    reference = {h.sid: h for h in hits if h.source == "src/readout/samples/jp-us-2plus2.txt"}
    assert set(reference) == {"st8", "st32"}  # Senkaku, and attacks in space
    assert (
        reference["st8"].highlighted
        == "日米安全保障条約【第5条】が尖閣諸島に適用されることを改めて確認した。"
    )
    for hit in hits:
        marked = [hit.text[a:b] for a, b in hit.spans]
        assert marked and set(marked) == {"第5条"}
        assert len(marked) == hit.text.count("第5条")


def test_highlighting_numbers_next_to_japanese() -> None:
    def marked(text: str, query: str) -> str:
        return mark(text, highlight_spans(text, parse_query(query)))

    text = "日米安全保障条約第5条、第15条及び第50条"
    assert marked(text, "第5条") == "日米安全保障条約【第5条】、第15条及び第50条"
    assert marked(text, "5条") == "日米安全保障条約第【5条】、第15条及び第50条"
    assert marked("約3時間、3時間", "約3時間") == "【約3時間】、3時間"
    assert marked("2025年、２０２５年", "2025年") == "【2025年】、【２０２５年】"
    # Apart in the query, apart in the text: the index bridges only what touches.
    assert marked("第5条と第 5条", '"第 5条"') == "第5条と【第 5条】"
    assert marked("F-35とF35", "F-35") == "【F-35】とF35"


def test_number_queries_are_phrases_of_bridges() -> None:
    def phrase(query: str) -> tuple[tuple[str, ...], bool]:
        (term,) = parse_query(query)
        return term.tokens, term.prefix

    assert phrase("第5条") == (("第5", "5", "5条"), False)
    assert phrase("5条") == (("5", "5条"), False)
    assert phrase("条約第5条") == (("条約", "約第", "第5", "5", "5条"), False)
    assert phrase("2025") == (("2025",), False)
    assert phrase("台") == (("台",), True)
    (term,) = parse_query("第5条")
    assert term.fts5() == '"第5" + "5" + "5条"'
    assert term.tsquery() == "('第5' <-> '5' <-> '5条')"


# ---------------------------------------------------------------- ranking


def test_the_more_specific_match_ranks_first(store: Store) -> None:
    hits = everything(store, "尖閣諸島", kind="phone_call", counterpart="SG").hits
    texts = [h.text for h in hits]
    # Twice in a short statement before once in a long one.
    assert texts[0].startswith("両大臣は、魚釣島及び尖閣諸島の周辺海域")
    assert texts[1].startswith("両大臣は、東シナ海、南シナ海")
    assert hits[0].score is not None and hits[1].score is not None
    assert hits[0].score > hits[1].score


def test_equal_scores_are_ordered_newest_meeting_first(store: Store) -> None:
    hits = search(store, '"尖閣諸島に適用"', limit=10).hits
    copies = [h for h in hits if h.text.startswith("日米安全保障条約第5条が尖閣諸島")]
    assert [h.date for h in copies] == ["2025-01-11", "2024-01-12"]
    assert copies[0].score == pytest.approx(copies[1].score)


def test_scores_are_ordered_best_first(store: Store) -> None:
    scores = [h.score for h in everything(store, "中国").hits]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


# ---------------------------------------------------------------- filters


def _meeting(s: Stored) -> Any:
    return s.record.meeting


FILTER_CASES: list[tuple[dict[str, Any], Any]] = [
    ({"speaker": "US"}, lambda s: s.statement.speaker == "US"),
    ({"speaker": ["jp", "JOINT"]}, lambda s: s.statement.speaker in ("JP", "JOINT")),
    ({"act": "CONDEMN"}, lambda s: s.statement.act == "CONDEMN"),
    ({"act": "welcome,support"}, lambda s: s.statement.act in ("WELCOME", "SUPPORT")),
    ({"topic": "north_korea"}, lambda s: "north_korea" in s.statement.topics),
    ({"kind": "2+2"}, lambda s: _meeting(s).kind == "2+2"),
    ({"kind": ["phone_call", "leaders"]}, lambda s: _meeting(s).kind in ("phone_call", "leaders")),
    ({"counterpart": "AU"}, lambda s: "AU" in _meeting(s).sides),
    ({"since": "2020"}, lambda s: (_meeting(s).date or "") >= "2020-01-01"),
    (
        {"until": "2010-06"},
        lambda s: _meeting(s).date is not None and _meeting(s).date <= "2010-06-30",
    ),
    (
        {"since": "2016-09-16", "until": "2016-09-16"},
        lambda s: _meeting(s).date == "2016-09-16",
    ),
    (
        {"speaker": "JOINT", "act": "AFFIRM", "kind": "2+2", "since": "2015-01-01"},
        lambda s: (
            s.statement.speaker == "JOINT"
            and s.statement.act == "AFFIRM"
            and _meeting(s).kind == "2+2"
            and (_meeting(s).date or "") >= "2015-01-01"
        ),
    ),
]


@pytest.mark.parametrize(
    ("filters", "keep"), FILTER_CASES, ids=lambda v: str(v) if isinstance(v, dict) else ""
)
def test_each_filter_selects_exactly_its_statements(
    store: Store, statements: list[Stored], filters: dict[str, Any], keep: Any
) -> None:
    listed = found(everything(store, "", **filters))
    want = {s.key for s in statements if s.latest and keep(s)}
    assert want, "the corpus has statements for this filter"
    assert set(listed) == want
    assert len(listed) == len(want)
    with_word = set(found(everything(store, "日米", **filters)))
    assert with_word == {k for k in want if k in expected(statements, "日米")}


def test_an_empty_query_lists_by_meeting_date_newest_first(
    store: Store, corpus: list[tuple[str, Record, bytes]]
) -> None:
    hits = everything(store, "", speaker="US").hits
    dates = [h.date or "" for h in hits]
    assert dates == sorted(dates, reverse=True)
    assert all(h.score is None and h.spans == [] for h in hits)
    newest = max(r.meeting.date or "" for _, r, _ in corpus)
    assert search(store, "", limit=3).hits[0].date == newest


def test_unknown_filter_values_are_errors(store: Store) -> None:
    for bad in (
        {"speaker": "XX"},
        {"act": "LAUGH"},
        {"topic": "weather"},
        {"kind": "summit"},
        {"counterpart": "JOINT"},
        {"since": "2020-13"},
        {"until": "yesterday"},
        {"limit": 0},
        {"offset": -1},
    ):
        with pytest.raises(SearchError):
            search(store, "中国", **bad)


def test_superseded_versions_are_left_out_unless_asked_for(store: Store) -> None:
    assert [h.text for h in search(store, "新版").hits] == [
        "両大臣は、ホーチミン市における新版だけの合同会議の開催を歓迎しました。"
    ]
    assert not search(store, "旧版").hits
    old = search(store, "旧版", latest_only=False).hits
    assert len(old) == 1 and old[0].version == 1


# ---------------------------------------------------------------- highlighting


def test_highlight_spans_are_exact(store: Store) -> None:
    for hit in everything(store, "尖閣 中国").hits:
        marked = [hit.text[a:b] for a, b in hit.spans]
        assert set(marked) <= {"尖閣", "中国"}, marked
        assert marked.count("尖閣") == hit.text.count("尖閣")
        assert marked.count("中国") == hit.text.count("中国")
        assert hit.highlighted == mark(hit.text, hit.spans)
    one = search(store, "台", limit=5).hits
    assert one and all({hit.text[a:b] for a, b in hit.spans} == {"台"} for hit in one)


def test_highlighting_works_on_the_original_characters() -> None:
    text = "両者はＧ７及びＡＳＥＡＮとの連携を確認した。G7sは別。"
    terms = parse_query("g7 asean")
    spans = highlight_spans(text, terms)
    assert [text[a:b] for a, b in spans] == ["Ｇ７", "ＡＳＥＡＮ"]
    assert mark(text, spans) == "両者は【Ｇ７】及び【ＡＳＥＡＮ】との連携を確認した。G7sは別。"
    phrase = parse_query('"日米 同盟"')
    assert highlight_spans("日米、同盟。日米同盟", phrase) == [(0, 5)]
    assert highlight_spans("中国と台湾", parse_query("中国 台湾")) == [(0, 2), (3, 5)]
    assert highlight_spans("尖閣尖閣", parse_query("尖閣")) == [(0, 4)]


# ---------------------------------------------------------------- hostile queries

HOSTILE = [
    '"',
    '""',
    '"中国',
    '中国"',
    '"尖閣" "',
    "中国 OR 台湾",
    "中国 AND 台湾",
    "NOT 中国",
    "NEAR(中国 台湾)",
    "中国 NEAR/2 台湾",
    "中国*",
    "*",
    "^中国",
    "(中国)",
    "((",
    "'; DROP TABLE statements; --",
    "' OR '1'='1",
    "中国' | '台湾",
    "中国:*",
    "!中国 & 台湾",
    "%",
    "_",
    "%中国%",
    "\\",
    "中国\\",
    "\\'",
    "",
    "   ",
    "\x00中国",
    "-中国",
    "中国 -台湾",
    "{中国}",
    "statements_fts",
    "search_text:中国",
    "col:中国",
    "🙂",
    "中国" * 200,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_error_and_find_only_what_their_words_say(
    store: Store, statements: list[Stored], query: str
) -> None:
    results = search(store, query, limit=50)
    terms = parse_query(query)
    if query.strip() and not terms:
        assert results.hits == []
    for hit in results.hits:
        normalized = _norm(hit.text)
        for term in terms:
            for token in term.tokens:
                assert token in normalized, (query, hit.text)
    with Session(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Statement)) == len(statements)


def test_syntax_characters_are_ordinary_text(store: Store) -> None:
    plain = found(everything(store, "中国"))
    for query in ('"中国"', "中国*", "(中国)", "^中国", "中国:*", "%中国%", "{中国}"):
        assert found(everything(store, query)) == plain, query
    assert found(everything(store, "中国 OR 台湾")) == []  # "or" is a word here
    assert not search(store, "%").hits
    assert not search(store, "'; --").hits


# ---------------------------------------------------------------- pagination


def test_pages_follow_each_other_without_gaps_or_repeats(store: Store) -> None:
    whole = search(store, "日米", limit=60)
    assert whole.more
    pages: list[Any] = []
    offset = 0
    while offset < 60:
        page = search(store, "日米", limit=7, offset=offset)
        assert page.more
        pages.extend(page.hits)
        offset += 7
    assert [h.statement_id for h in pages[:60]] == [h.statement_id for h in whole.hits]
    total = len(everything(store, "日米").hits)
    last = search(store, "日米", limit=5, offset=total - 3)
    assert len(last.hits) == 3 and not last.more
    assert search(store, "日米", limit=5, offset=total).hits == []


def test_results_as_dict_are_json(store: Store) -> None:
    data = search(store, "尖閣", limit=2).to_dict()
    again = json.loads(json.dumps(data, ensure_ascii=False))
    assert again["terms"] == ["尖閣"] and again["more"] is True
    hit = again["hits"][0]
    assert hit["highlighted"].count("【尖閣】") == hit["text"].count("尖閣")
    assert {"statement_id", "document_id", "sid", "date", "kind", "speaker", "act"} <= set(hit)


# ---------------------------------------------------------------- the ranking window


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window of 10 matches, grown to 4 × 4ᵏ filtered ones, to see it at work."""
    monkeypatch.setattr(readout.search, "RANK_WINDOW", 10)
    monkeypatch.setattr(readout.search, "MIN_RANKED", 4)


def _match_ids(store: Store, word: str, **filters: Any) -> list[int]:
    """Every matching statement id, in storage order, with the ranking window out of the way."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readout.search, "RANK_WINDOW", 10**9)
        return sorted(h.statement_id for h in everything(store, word, **filters).hits)


@pytest.mark.usefixtures("small_window")
def test_a_broad_query_is_ranked_within_the_first_matches(store: Store) -> None:
    every = _match_ids(store, "中国")
    assert len(every) > 10
    page = search(store, "中国", limit=5)
    assert (page.ranked, page.exhaustive, page.more) == (10, False, True)
    rest = search(store, "中国", limit=5, offset=5)
    assert (rest.ranked, rest.more) == (10, False)
    ranked = sorted(h.statement_id for h in page.hits + rest.hits)
    if store.dialect == "sqlite":  # FTS5 walks rowids in order
        assert ranked == every[:10]
    else:  # PostgreSQL walks the table, in about the order rows went in
        assert len(set(ranked)) == 10 and set(ranked) < set(every)
    scores = [h.score or 0.0 for h in page.hits + rest.hits]
    assert scores == sorted(scores, reverse=True)
    assert search(store, "中国", limit=5, offset=10).hits == []  # pages end with the window


@pytest.mark.usefixtures("small_window")
def test_a_narrow_query_is_ranked_in_full(store: Store) -> None:
    page = search(store, '"尖閣諸島に適用"')
    assert page.exhaustive and page.ranked == len(page.hits) < 10


@pytest.mark.usefixtures("small_window")
def test_filters_that_leave_too_few_grow_the_window(store: Store) -> None:
    every = _match_ids(store, "中国", speaker="JOINT")
    window = _match_ids(store, "中国")[:10]
    assert len(every) > 4 > len([i for i in window if i in every]), "corpus as expected"
    page = search(store, "中国", speaker="JOINT", limit=3)
    # The first 4 matches found that pass the filters, ranked.
    assert (page.ranked, page.exhaustive, page.more) == (4, False, True)
    assert {h.statement_id for h in page.hits} < set(every)
    assert all(h.speaker == "JOINT" for h in page.hits)
    # A page beyond them ranks more (4 × 4ᵏ), here every match.
    deep = search(store, "中国", speaker="JOINT", limit=5, offset=5)
    assert deep.exhaustive and deep.ranked == len(every)


@pytest.mark.usefixtures("small_window")
def test_pages_within_the_window_rank_the_same_set(store: Store) -> None:
    one = search(store, "中国", speaker="JP", limit=2)
    two = search(store, "中国", speaker="JP", limit=2, offset=2)
    both = search(store, "中国", speaker="JP", limit=4)
    assert [h.statement_id for h in one.hits + two.hits] == [h.statement_id for h in both.hits]


@pytest.mark.usefixtures("small_window")
def test_the_command_says_when_the_ranking_was_windowed(store: Store) -> None:
    result = CliRunner().invoke(main, ["search", "中国", "--db", _db_arg(store)])
    assert result.exit_code == 0
    assert "more statements match than were ranked: the best of 10" in result.output
    narrow = CliRunner().invoke(main, ["search", "尖閣諸島に適用", "--db", _db_arg(store)])
    assert "more statements match" not in narrow.output


# ---------------------------------------------------------------- the migration


def _alembic(store: Store, action: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from readout.store.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0002_goes_down_and_up_again_and_search_follows(
    backend: str, tmp_path: Path, corpus: list[tuple[str, Record, bytes]]
) -> None:
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            url = str(tmp_path / "m.sqlite")
        else:
            url = stack.enter_context(fresh_postgres())
        store = connect(url)
        stack.callback(store.close)
        _fill(store, corpus[:3])
        before = found(everything(store, "台"))
        assert before and found(everything(store, "日米"))
        _alembic(store, "downgrade", "0001")
        with store.engine.connect() as conn:
            if backend == "sqlite":
                fts = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'statements_fts'")
                ).scalar_one()
                assert "prefix" not in fts
                count = "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH '\"日米\"'"
                assert conn.execute(text(count)).scalar_one() > 0
            else:
                columns = conn.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_name = 'statements'"
                    )
                ).scalars()
                assert "search_vector" not in set(columns)
        _alembic(store, "upgrade", "head")
        assert found(everything(store, "台")) == before


def _revision(store: Store) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0005_bridges_the_numbers_of_a_store_made_before_it(
    backend: str, tmp_path: Path, corpus: list[tuple[str, Record, bytes]]
) -> None:
    from readout.store.bigrams import search_text

    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            url = str(tmp_path / "m.sqlite")
        else:
            url = stack.enter_context(fresh_postgres())
        store = connect(url)
        stack.callback(store.close)
        numbers = [entry for entry in corpus if entry[0] == NUMBERS_PATH]
        _fill(store, [corpus[0], *numbers])
        want = found(everything(store, "第5条"))
        assert len(want) == 4  # st8 and st32 of the reference, st1 and st2 of NUMBERS
        # The store as revision 0004 left it: the search text without bridges.
        with store.engine.begin() as conn:
            rows = conn.execute(text("SELECT id, text FROM statements")).all()
            old = [{"id": i, "old": search_text(t, bridges=False)} for i, t in rows]
            conn.execute(text("UPDATE statements SET search_text = :old WHERE id = :id"), old)
        _alembic(store, "stamp", "0004")
        assert not everything(store, "第5条").hits  # the bug
        assert found(everything(store, "尖閣"))

        store.close()
        store = connect(url)  # opening the store migrates it
        stack.callback(store.close)
        assert _revision(store) == "0005"
        assert found(everything(store, "第5条")) == want
        assert found(everything(store, "2025年"))
        with store.engine.connect() as conn:
            for statement, stored in conn.execute(text("SELECT text, search_text FROM statements")):
                assert stored == search_text(statement)
            if backend == "sqlite":  # the FTS5 index agrees with the statements
                conn.execute(
                    text("INSERT INTO statements_fts(statements_fts) VALUES ('integrity-check')")
                )

        # Down again: the search text without bridges.
        _alembic(store, "downgrade", "0004")
        with store.engine.connect() as conn:
            for statement, stored in conn.execute(text("SELECT text, search_text FROM statements")):
                assert stored == search_text(statement, bridges=False)
        assert not everything(store, "第5条").hits
        _alembic(store, "upgrade", "head")
        assert found(everything(store, "第5条")) == want


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0005_on_an_empty_store(backend: str, tmp_path: Path) -> None:
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            url = str(tmp_path / "empty.sqlite")
        else:
            url = stack.enter_context(fresh_postgres())
        store = connect(url)
        stack.callback(store.close)
        _alembic(store, "downgrade", "0004")
        _alembic(store, "upgrade", "head")
        assert _revision(store) == "0005"
        assert not search(store, "第5条").hits


# ---------------------------------------------------------------- the command


def _db_arg(store: Store) -> str:
    url = make_url(store.url)
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=False)


def test_cli_table_json_and_csv(store: Store) -> None:
    runner = CliRunner()
    db = _db_arg(store)
    table = runner.invoke(main, ["search", "尖閣", "--db", db, "--limit", "3"])
    assert table.exit_code == 0, table.output
    assert "【尖閣】" in table.output and "hits 1–3" in table.output
    as_json = runner.invoke(main, ["search", "尖閣", "中国", "--db", db, "--format", "json"])
    assert as_json.exit_code == 0
    data = json.loads(as_json.output)
    assert data["terms"] == ["尖閣", "中国"]
    assert all("尖閣" in h["text"] and "中国" in h["text"] for h in data["hits"])
    as_csv = runner.invoke(
        main,
        ["search", "台湾", "--db", db, "--format", "csv", "--speaker", "JOINT", "--since", "2020"],
    )
    assert as_csv.exit_code == 0
    lines = as_csv.output.splitlines()
    assert lines[0].startswith("statement_id,document_id,sid,date,kind")
    assert len(lines) > 1 and all(",JOINT," in line for line in lines[1:])
    none = runner.invoke(main, ["search", "%", "--db", db])
    assert none.exit_code == 0 and "no searchable words" in none.output
    listing = runner.invoke(main, ["search", "--db", db, "--act", "CONDEMN", "--format", "json"])
    assert {h["act"] for h in json.loads(listing.output)["hits"]} == {"CONDEMN"}


@pytest.mark.parametrize(
    "options",
    [
        ["--act", "LAUGH"],
        ["--speaker", "XX"],
        ["--kind", "summit"],
        ["--topic", "weather"],
        ["--since", "2020-02-30"],
        ["--limit", "0"],
        ["--format", "xml"],
    ],
)
def test_cli_bad_options_are_usage_errors(tmp_path: Path, options: list[str]) -> None:
    result = CliRunner().invoke(
        main, ["search", "中国", "--db", str(tmp_path / "x.sqlite"), *options]
    )
    assert result.exit_code == 2
    assert "Usage:" in result.output


def test_cli_missing_or_unreachable_store_is_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["search", "中国", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 1
    assert missing.output.count("\n") == 1 and "no store here" in missing.output
    assert not (tmp_path / "none.sqlite").exists()
    down = runner.invoke(
        main, ["search", "中国", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"]
    )
    assert down.exit_code == 1
    assert down.output.count("\n") == 1 and "127.0.0.1" in down.output


# ---------------------------------------------------------------- the year filter


def test_the_year_filter_selects_the_meetings_of_those_years(
    store: Store, statements: list[Stored]
) -> None:
    def of(*years: str) -> set[tuple[str, str]]:
        return {s.key for s in statements if s.latest and (_meeting(s).date or "")[:4] in years}

    assert of("2024") and of("2016"), "the corpus has meetings in those years"
    assert set(found(everything(store, "", year="2024"))) == of("2024")
    assert set(found(everything(store, "", year=2024))) == of("2024")
    both = of("2016", "2024")
    assert set(found(everything(store, "", year="2016,2024"))) == both
    assert set(found(everything(store, "", year=["２０２４", " 2016 "]))) == both
    with_word = set(found(everything(store, "日米", year="2016,2024")))
    assert with_word == both & expected(statements, "日米")
    # With since/until the meeting must pass both.
    assert set(found(everything(store, "", year="2016,2024", since="2020"))) == of("2024")
    assert not everything(store, "", year="1901").hits
    for bad in ("20", "2024-01", "twenty", "2024,x", "٢٠٢٤"):
        with pytest.raises(SearchError):
            search(store, "", year=bad)
        with pytest.raises(SearchError):
            facets(store, "", year=bad)


def test_cli_year_option(store: Store) -> None:
    runner = CliRunner()
    db = _db_arg(store)
    result = runner.invoke(main, ["search", "--db", db, "--year", "2016,2024", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["filters"]["year"] == ["2016", "2024"]
    assert data["hits"] and {h["date"][:4] for h in data["hits"]} <= {"2016", "2024"}
    bad = runner.invoke(main, ["search", "--db", db, "--year", "24"])
    assert bad.exit_code == 2 and "'24' is not a year" in bad.output


# ---------------------------------------------------------------- facets


def _passes(s: Stored, filters: dict[str, Any], words: tuple[str, ...]) -> bool:
    """Whether a stored statement is one the search returns (words of 2+ characters)."""
    meeting = _meeting(s)
    date = meeting.date or ""
    checks = {
        "speaker": lambda v: s.statement.speaker in v,
        "act": lambda v: s.statement.act in v,
        "topic": lambda v: bool(set(s.statement.topics) & set(v)),
        "kind": lambda v: meeting.kind in v,
        "counterpart": lambda v: bool(set(meeting.sides) & set(v)),
        "year": lambda v: date[:4] in v,
        "since": lambda v: date >= v,
        "until": lambda v: bool(date) and date[:4] <= v,  # a year, here
    }
    return (
        s.latest
        and all(_norm(w) in _norm(s.statement.text) for w in words)
        and all(checks[name](values) for name, values in filters.items())
    )


def _values(s: Stored, facet: str) -> list[str]:
    meeting = _meeting(s)
    if facet == "speaker":
        return [s.statement.speaker]
    if facet == "act":
        return [s.statement.act]
    if facet == "topic":
        return list(s.statement.topics)
    if facet == "kind":
        return [meeting.kind] if meeting.kind else []
    if facet == "counterpart":
        return [side for side in meeting.sides if side != "JP"]
    return [meeting.date[:4]] if meeting.date else []


def _expected_facets(
    statements: list[Stored], words: tuple[str, ...], filters: dict[str, Any]
) -> dict[str, Counter[str]]:
    """Each facet's counts worked out from the parsed records: the statements that pass
    every filter but the facet's own."""
    out: dict[str, Counter[str]] = {}
    for facet in FACETS:
        others = {k: v for k, v in filters.items() if k != facet}
        out[facet] = Counter(
            value for s in statements if _passes(s, others, words) for value in _values(s, facet)
        )
    return out


def _as_counter(values: list[tuple[str, int]]) -> Counter[str]:
    return Counter(dict(values))


FACET_CASES: list[tuple[str, dict[str, Any]]] = [
    ("", {}),
    ("日米", {}),
    ("尖閣", {"speaker": ["JP", "US"]}),
    ("", {"act": ["AFFIRM"], "kind": ["2+2"]}),
    ("中国", {"speaker": ["JOINT"], "topic": ["china"], "counterpart": ["US", "AU"]}),
    ("", {"year": ["2024", "2016"], "speaker": ["US"], "act": ["AFFIRM", "CONCERN"]}),
    ("", {"topic": ["senkaku"]}),
    ("", {"since": "2020"}),
    ("", {"speaker": ["JP"], "kind": ["2+2", "leaders"]}),
    ("", {"kind": ["2+2", "phone_call"], "counterpart": ["US", "AU"], "year": ["2024", "2022"]}),
    ("", {"topic": ["china", "taiwan"], "kind": ["2+2"], "until": "2023"}),
]


@pytest.mark.parametrize(("query", "filters"), FACET_CASES, ids=str)
def test_facets_count_what_the_parsed_records_say(
    store: Store, statements: list[Stored], query: str, filters: dict[str, Any]
) -> None:
    got = facets(store, query, **filters)
    assert got.exhaustive
    words = tuple(query.split())
    want = _expected_facets(statements, words, filters)
    for facet in FACETS:
        values = getattr(got, facet)
        assert _as_counter(values) == want[facet], facet
        # Most first, then by value.
        assert values == sorted(values, key=lambda vn: (-vn[1], vn[0])), facet
    assert got.counted == sum(1 for s in statements if _passes(s, filters, words))
    assert got.counted and got.speaker and got.topic and got.year


@pytest.mark.parametrize(("query", "filters"), FACET_CASES, ids=str)
def test_each_facet_count_is_the_number_of_hits_of_the_search_for_that_value(
    store: Store, query: str, filters: dict[str, Any]
) -> None:
    """The facet's own filter replaced by the value, the other filters as given."""
    got = facets(store, query, **filters)
    assert got.counted == len(everything(store, query, **filters).hits)
    for facet in FACETS:
        values = getattr(got, facet)
        assert values, facet
        for value, count in values:
            hits = everything(store, query, **{**filters, facet: value}).hits
            assert count == len(hits), (facet, value)


def test_facets_of_an_empty_query_are_those_of_the_listing(store: Store) -> None:
    listing = everything(store, "").hits
    got = facets(store)
    assert got.exhaustive and got.counted == len(listing)
    assert _as_counter(got.speaker) == Counter(h.speaker for h in listing)
    assert _as_counter(got.act) == Counter(h.act for h in listing)
    assert _as_counter(got.topic) == Counter(t for h in listing for t in h.topics)
    assert _as_counter(got.kind) == Counter(h.kind for h in listing if h.kind)
    assert _as_counter(got.counterpart) == Counter(
        side for h in listing for side in h.sides if side != "JP"
    )
    assert _as_counter(got.year) == Counter(h.date[:4] for h in listing if h.date)
    assert sum(n for _, n in got.speaker) == sum(n for _, n in got.act) == len(listing)


def test_facets_leave_out_superseded_versions_unless_asked_for(store: Store) -> None:
    assert facets(store, "旧版").counted == 0
    assert facets(store, "新版").counted == 1
    assert facets(store, "旧版", latest_only=False).counted == 1
    every = everything(store, "", latest_only=False).hits
    assert facets(store, latest_only=False).counted == len(every)
    assert facets(store).counted == len(every) - 1  # the old version's one statement


@pytest.mark.parametrize(
    "query", [*HOSTILE, '"尖閣" OR 1=1; --', "尖閣 OR 1=1; --", "NEAR(", "%_", "*", "%_ 尖閣"]
)
def test_facets_of_hostile_queries_never_error(
    store: Store, statements: list[Stored], query: str
) -> None:
    got = facets(store, query, speaker="JP")
    terms = parse_query(query)
    if query.strip() and not terms:
        assert got == Facets()
    else:
        assert got.counted == len(everything(store, query, speaker="JP").hits)
    with Session(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Statement)) == len(statements)


def test_facets_as_dict_are_json(store: Store) -> None:
    got = facets(store, "尖閣")
    data = json.loads(json.dumps(got.to_dict(), ensure_ascii=False))
    assert set(data) == {*FACETS, "counted", "exhaustive"}
    assert data["speaker"][0] == {"value": got.speaker[0][0], "count": got.speaker[0][1]}
    assert data["counted"] == got.counted and data["exhaustive"] is True


@pytest.mark.usefixtures("small_window")
def test_facets_of_a_broad_query_count_the_window_the_search_ranks(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readout.search, "FACET_LIMIT", 20)
    assert len(_match_ids(store, "中国")) > 20
    got = facets(store, "中国")
    page = search(store, "中国", limit=5)
    assert not got.exhaustive and not page.exhaustive
    assert got.counted == page.ranked == 10
    assert sum(n for _, n in got.speaker) == 10
    for value, count in got.speaker:
        ranked = search(store, "中国", speaker=value).ranked
        # The search ranks the same window when enough of it passes (else it grows it).
        if count >= readout.search.MIN_RANKED:
            assert ranked == count, value
    assert any(count >= readout.search.MIN_RANKED for _, count in got.speaker)
    # A query with more matches than the search ranks, but no more than FACET_LIMIT, is
    # counted in full.
    every = _match_ids(store, "日米")
    monkeypatch.setattr(readout.search, "FACET_LIMIT", len(every))
    assert not search(store, "日米").exhaustive
    full = facets(store, "日米", kind="2+2")
    assert full.exhaustive and full.counted == len(_match_ids(store, "日米", kind="2+2"))


def test_cli_facets_as_json_and_table(store: Store) -> None:
    runner = CliRunner()
    db = _db_arg(store)
    args = ["search", "尖閣", "--db", db, "--speaker", "JP,US", "--limit", "3"]
    plain = runner.invoke(main, [*args, "--format", "json"])
    assert plain.exit_code == 0 and "facets" not in json.loads(plain.output)
    result = runner.invoke(main, [*args, "--format", "json", "--facets"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["facets"] == facets(store, "尖閣", speaker="JP,US").to_dict()
    assert data["facets"]["counted"] == len(everything(store, "尖閣", speaker="JP,US").hits)
    assert len(data["hits"]) == 3
    table = runner.invoke(main, [*args, "--facets"])
    assert table.exit_code == 0, table.output
    assert "facets:" in table.output and "speaker:" in table.output
    assert re.search(r"speaker:\s+JP \d", table.output)
    csv_out = runner.invoke(main, [*args, "--facets", "--format", "csv"])
    assert csv_out.exit_code == 2 and "--facets" in csv_out.output
