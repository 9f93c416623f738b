"""Title, page date, issuers, lead, sections and items across numbering styles."""

from __future__ import annotations

import readout


def sections_of(text: str) -> list[tuple[str | None, str | None, list[tuple[str, str | None]]]]:
    r = readout.parse(text)
    return [(s.number, s.title, [(i.id, i.number) for i in s.items]) for s in r.sections]


HEADINGS = """報道発表
日加外相会談(概要)

令和3年5月6日
外務省

本6日午前10時から約30分間、東京において、田村一郎外務大臣は、ジェーン・ロウ・カナダ外務大臣と会談を行ったところ、概要は以下のとおりです。

1.二国間関係
(1)田村大臣から、首脳会談の成果を歓迎しました。
(2)両大臣は、経済協力を一層進めていくことで一致しました。
2.地域情勢
 両大臣は、地域情勢について意見交換を行いました。

このページのトップへ戻る
"""


def test_dotted_headings_with_paren_items() -> None:
    r = readout.parse(HEADINGS)
    assert r.title == "日加外相会談(概要)"
    assert r.published == "2021-05-06"
    assert r.issuers == ["外務省"]
    assert sections_of(HEADINGS) == [
        ("1", "二国間関係", [("s1.1", "1"), ("s1.2", "2")]),
        ("2", "地域情勢", [("s2.0", None)]),
    ]


def test_section_and_item_spans_index_the_original() -> None:
    r = readout.parse(HEADINGS)
    s1 = r.sections[0]
    assert r.text[s1.start : s1.end].startswith("1.二国間関係")
    item = s1.items[1]
    assert r.text[item.start : item.end] == "両大臣は、経済協力を一層進めていくことで一致しました。"


NUMBERED_PARAGRAPHS = """日比首脳電話会談

平成28年9月3日

本3日、午後8時から約20分間、山本総理大臣は、ホセ・クルス・フィリピン大統領と電話会談を行った。概要以下のとおり。

1 両首脳は、海洋安全保障における協力を強化することで一致した。
2 山本総理から、災害支援に対する謝意を表明した。
3 クルス大統領から、日本の支援を高く評価する旨述べた。
"""


def test_numbered_sentence_paragraphs_are_items_of_one_section() -> None:
    secs = sections_of(NUMBERED_PARAGRAPHS)
    assert len(secs) == 1
    number, title, items = secs[0]
    assert number is None
    assert title is None
    assert [n for _, n in items] == ["1", "2", "3"]


BULLETS = """日豪防衛相会談について

2015年11月20日
防衛省

○ 冒頭、両大臣は、防衛協力の進展を歓迎。
○ 中谷大臣より、南シナ海情勢への懸念を表明。
○ 両大臣は、共同訓練を拡充することで一致。
"""


def test_circle_bullets_and_gregorian_page_date() -> None:
    r = readout.parse(BULLETS)
    assert r.published == "2015-11-20"
    assert r.issuers == ["防衛省"]
    assert len(r.sections) == 1
    assert len(r.sections[0].items) == 3


UNMARKED = """日印外相電話会談

令和2年4月9日

本9日、午後6時から約25分間、木村外務大臣は、ヴィクラム・シン・インド外務大臣と電話会談を行いました。

両大臣は、感染症対策で緊密に連携していくことで一致しました。

木村大臣から、在留邦人への支援に謝意を述べました。
"""


def test_unmarked_paragraphs_become_items() -> None:
    r = readout.parse(UNMARKED)
    assert len(r.sections) == 1
    assert [i.number for i in r.sections[0].items] == [None, None]
    assert len(r.statements) == 2


def test_furniture_is_not_a_section() -> None:
    r = readout.parse(HEADINGS)
    assert all("戻る" not in r.text[s.start : s.end] for s in r.sections)
