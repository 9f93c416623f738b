"""Entities: the gazetteer matcher (readout.gazetteer) and the entities stage."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

import readout
from readout.gazetteer import LISTED_TYPES, Named, _claim, find_named, lexicon_terms, ordinal, roman
from readout.model import Participant, Record
from readout.pipeline import Doc, Line
from readout.stages import entities as entities_stage
from readout.textnorm import normalize

READOUT = """日豪外相会談

令和6年2月3日

 本3日、午後2時から約50分間、キャンベラを訪問中の佐藤花子外務大臣は、エマ・ジョーンズ豪州外務大臣(Senator the Hon Emma Jones, Minister for Foreign Affairs of Australia)と会談を行ったところ、概要は以下のとおりです。

1 二国間関係
 佐藤大臣から、日豪円滑化協定の下での共同訓練の進展を歓迎しました。ジョーンズ大臣から、日豪「2+2」を本年中に東京で開催したい旨述べました。

2 地域情勢
 両大臣は、東シナ海及び南シナ海の情勢並びに北朝鮮による国連安保理決議第2397号違反について意見交換を行い、日米豪印の連携を確認しました。

外交政策へ戻る
"""


def named(text: str) -> list[tuple[str, str, str, str | None]]:
    """(mention text, type, norm, English) for every gazetteer mention in ``text``."""
    norm = normalize(text).text
    return [
        (norm[m.start : m.end], m.named.type, m.named.norm, m.named.en) for m in find_named(norm)
    ]


def assert_spans_exact(record: Record) -> None:
    """Every mention's span is, read alone, a written form of its own entity."""
    for ent in record.entities:
        assert ent.mentions or ent.type == "PERSON"
        for s, e in ent.mentions:
            written = normalize(record.text[s:e]).text
            if ent.type == "PERSON":
                assert written
                continue
            alone = [(m.start, m.end, m.named.norm) for m in find_named(written)]
            assert alone == [(0, len(written), ent.norm)], (written, ent.norm)


# --- the matcher ------------------------------------------------------------------------


def test_treaty_article_is_one_mention_not_country_plus_treaty() -> None:
    got = named("両首脳は、日米安保条約第五条が尖閣諸島に適用されることを確認した。")
    assert got[0] == (
        "日米安保条約第五条",
        "TREATY",
        "日米安全保障条約第5条",
        "Article V of the Japan-U.S. Security Treaty",
    )
    assert all(t != "COUNTRY" for _, t, _, _ in got)
    assert ("尖閣諸島", "PLACE", "尖閣諸島", "Senkaku Islands") in got


def test_article_numbering_follows_each_treaty() -> None:
    assert named("国連憲章第51条")[0][3] == "Article 51 of the Charter of the United Nations"
    assert named("NPT第6条")[0][2:] == (
        "核兵器不拡散条約第6条",
        "Article VI of the Treaty on the Non-Proliferation of Nuclear Weapons",
    )


@pytest.mark.parametrize(
    "text",
    [
        "日豪防衛相会談",
        "米国務長官",
        "日韓国交正常化",
        "日中国民交流",
        "米国家安全保障会議の",
        "日米首脳",
    ],
)
def test_country_abbreviations_in_compounds_are_not_countries(text: str) -> None:
    assert all(t != "COUNTRY" for _, t, _, _ in named(text))


def test_full_country_names_are_countries() -> None:
    got = named("豪州及びフィリピンとの連携、並びに米国内の議論")
    assert [(w, n) for w, t, n, _ in got if t == "COUNTRY"] == [
        ("豪州", "豪州"),
        ("フィリピン", "フィリピン"),
        ("米国", "米国"),
    ]


def test_a_longer_name_before_a_kuni_word_shrinks() -> None:
    assert named("日本国内の手続")[0][:3] == ("日本", "COUNTRY", "日本")


def test_a_countrys_ministry_is_one_org_not_a_country_mention() -> None:
    # 英国防省 is 英 + 国防省: the UK's ministry, one ORG; 英国 is not mentioned.
    assert named("英国防省との協議")[0][:3] == ("英国防省", "ORG", "英国防省")
    assert named("米国務長官と会談") == []


def test_katakana_names_inside_longer_katakana_words_are_not_mentions() -> None:
    assert named("適切なタイミングで") == []
    assert named("ラテンアメリカ諸国")[0][1:3] == ("PLACE", "中南米")


def test_latin_forms_need_latin_boundaries() -> None:
    assert named("G77の会合") == []
    assert named("G7外相会合")[0][1:] == ("ORG", "G7外相会合", "G7 Foreign Ministers' Meeting")


def test_skip_forms_hide_accidental_names() -> None:
    assert named("東日本大震災からの復興") == []


@pytest.mark.parametrize(
    ("text", "norm", "en"),
    [
        ("第7艦隊", "第7艦隊", "7th Fleet"),
        ("第3海兵遠征軍", "第3海兵遠征軍", "III Marine Expeditionary Force"),
        ("第31海兵遠征部隊", "第31海兵遠征部隊", "31st Marine Expeditionary Unit"),
        ("第十二海兵沿岸連隊", "第12海兵沿岸連隊", "12th Marine Littoral Regiment"),
        ("第1海兵師団司令部", "第1海兵師団司令部", "Headquarters, 1st Marine Division"),
        ("第5空軍", "第5空軍", "5th Air Force"),
        ("第1空挺団", "第1空挺団", "1st Airborne Brigade"),
        ("第2護衛隊群", "第2護衛隊群", "Escort Flotilla 2"),
    ],
)
def test_numbered_units(text: str, norm: str, en: str) -> None:
    assert named(f"今般、{text}が移駐する。") == [(text, "UNIT", norm, en)]


@pytest.mark.parametrize(
    ("text", "type_", "norm", "en"),
    [
        (
            "日英「2+2」",
            "MECHANISM",
            "日英「2+2」",
            "Japan-UK 2+2 Foreign and Defence Ministerial Meeting",
        ),
        (
            "日豪外務・防衛閣僚協議",
            "MECHANISM",
            "日豪「2+2」",
            "Japan-Australia 2+2 Foreign and Defence Ministerial Meeting",
        ),
        (
            "日比円滑化協定",
            "TREATY",
            "日比円滑化協定",
            "Japan-Philippines Reciprocal Access Agreement",
        ),
        (
            "日印物品役務相互提供協定",
            "TREATY",
            "日印物品役務相互提供協定",
            "Japan-India Acquisition and Cross-Servicing Agreement",
        ),
        (
            "日韓秘密軍事情報保護協定",
            "TREATY",
            "日韓秘密軍事情報保護協定",
            "Japan-ROK General Security of Military Information Agreement",
        ),
    ],
)
def test_japan_partner_names_are_generated_for_every_partner(
    text: str, type_: str, norm: str, en: str
) -> None:
    assert named(text) == [(text, type_, norm, en)]


def test_explicit_entry_wins_over_the_generated_pair() -> None:
    scc = "日米安全保障協議委員会"
    assert named("日米「2+2」")[0][2] == scc
    assert named("日米外務・防衛閣僚会合")[0][2] == scc


def test_forum_meetings() -> None:
    assert named("NATO首脳会合")[0][1:] == ("ORG", "NATO首脳会合", "NATO Summit")
    assert named("日米豪印外相会合")[0][3] == "Quad Foreign Ministers' Meeting"


def test_council_resolutions() -> None:
    for text in ("国連安保理決議第1718号", "安保理決議1718号"):
        assert named(text) == [
            (
                text,
                "DOCUMENT",
                "国連安全保障理事会決議第1718号",
                "United Nations Security Council Resolution 1718",
            )
        ]


def test_abbreviation_defined_in_parentheses_is_found_again() -> None:
    got = named("日米防衛協力のための指針(ガイドライン)を改定し、ガイドラインの下で協力する。")
    assert [w for w, *_ in got] == ["日米防衛協力のための指針", "ガイドライン", "ガイドライン"]
    assert {n for _, _, n, _ in got} == {"日米防衛協力のための指針"}


def test_aside_after_a_place_is_not_an_alias() -> None:
    got = named("インド(ニューデリー)を訪問し、ニューデリーで会談")
    assert [n for _, _, n, _ in got] == ["インド", "ニューデリー", "ニューデリー"]


def test_ordinal_and_roman() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip
    assert [roman(n) for n in (1, 4, 5, 9, 14, 40, 90, 1999)] == [
        "I", "IV", "V", "IX", "XIV", "XL", "XC", "MCMXCIX",
    ]  # fmt: skip


# --- the lexicon ------------------------------------------------------------------------


def test_gazetteer_covers_every_listed_type_and_has_english() -> None:
    data = tomllib.loads(
        resources.files("readout").joinpath("lexicons", "gazetteer.toml").read_text("utf-8")
    )
    for type_ in LISTED_TYPES:
        assert len(data[type_]) >= 8, type_
        for entry in data[type_]:
            assert entry["en"], entry


def test_a_form_claimed_by_two_entries_is_an_error() -> None:
    terms: dict[str, Named | None] = {}
    _claim(terms, "安保条約", Named("TREATY", "日米安全保障条約", "Japan-U.S. Security Treaty"))
    _claim(terms, "安保条約", Named("TREATY", "日米安全保障条約", "Japan-U.S. Security Treaty"))
    with pytest.raises(ValueError, match="claimed twice"):
        _claim(terms, "安保条約", Named("TREATY", "米比相互防衛条約", None))


def test_gazetteer_file_states_its_source() -> None:
    head = resources.files("readout").joinpath("lexicons", "gazetteer.toml").read_text("utf-8")
    assert "Source: compiled by the readout authors" in head[:2000]


@pytest.mark.parametrize(
    "form",
    [
        "尖閣諸島", "南西諸島", "東シナ海", "南シナ海", "台湾海峡", "朝鮮半島", "インド太平洋",
        "沖縄", "グアム", "普天間飛行場", "辺野古", "馬毛島", "ワシントンD.C.", "東京",
        "ニューデリー", "キャンベラ", "ロンドン", "ソウル", "北京", "マニラ", "ハワイ",
        "外務省", "防衛省", "国務省", "国防総省", "自衛隊", "在日米軍", "NATO", "ASEAN", "G7",
        "G20", "国連安全保障理事会", "クアッド", "日米豪印", "日米安全保障協議委員会",
        "同盟調整メカニズム", "拡大抑止協議", "戦略対話", "国家安全保障戦略", "国家防衛戦略",
        "防衛力整備計画", "核態勢の見直し", "日米防衛協力のための指針", "共同声明", "共同発表",
        "ロードマップ", "日米安全保障条約", "円滑化協定", "物品役務相互提供協定", "情報保護協定",
        "NPT", "反撃能力", "ISR", "弾道ミサイル防衛", "統合防空ミサイル防衛", "対艦能力",
    ],
)  # fmt: skip
def test_field_vocabulary_is_covered(form: str) -> None:
    assert lexicon_terms().get(form) is not None


# --- the stage --------------------------------------------------------------------------


def run_stage(text: str, participants: list[Participant]) -> Record:
    """The entities stage alone on ``text``, with the meeting's participants given."""
    record = Record(parser_version="test", text=text)
    record.meeting.participants = participants
    entities_stage.run(Doc(record=record, norm=normalize(text)))
    return record


def test_stage_people_first_then_things_in_order_of_first_mention() -> None:
    text = (
        "鈴木次郎防衛大臣は、トム・ブラウン国防長官と会談した。鈴木大臣から、"
        "日米同盟の抑止力について述べ、ブラウン長官から、日本の反撃能力を支持する旨の発言があった。"
    )
    people = [
        Participant(name="鈴木次郎", title="防衛大臣", side="JP"),
        Participant(name="トム・ブラウン", title="国防長官", side="US", name_en="Tom Brown"),
    ]
    record = run_stage(text, people)
    ents = record.entities
    assert [e.id for e in ents] == [f"e{i}" for i in range(1, len(ents) + 1)]
    assert [(e.type, e.norm) for e in ents] == [
        ("PERSON", "鈴木次郎"),
        ("PERSON", "トム・ブラウン"),
        ("MECHANISM", "日米同盟"),
        ("COUNTRY", "日本"),
        ("CAPABILITY", "反撃能力"),
    ]
    assert [text[s:e] for s, e in ents[0].mentions] == ["鈴木次郎", "鈴木大臣"]
    assert [text[s:e] for s, e in ents[1].mentions] == ["トム・ブラウン", "ブラウン長官"]
    assert ents[1].norm_en == "Tom Brown"
    assert_spans_exact(record)


def test_stage_names_inside_a_person_mention_are_not_entities() -> None:
    # A (fictional) name that contains a place name: the person wins.
    text = "沖縄一郎外務大臣は、沖縄を訪問した。"
    record = run_stage(text, [Participant(name="沖縄一郎", title="外務大臣", side="JP")])
    place = next(e for e in record.entities if e.type == "PLACE")
    assert [text[s:e] for s, e in place.mentions] == ["沖縄"]
    assert place.mentions == [(10, 12)]


def test_stage_leaves_page_furniture_out() -> None:
    text = "アメリカ合衆国\n日米首脳会談\n 両首脳は米国の役割を確認した。\n"
    record = Record(parser_version="test", text=text)
    doc = Doc(record=record, norm=normalize(text))
    doc.lines = [Line(0, 7, "アメリカ合衆国", furniture=True)]
    entities_stage.run(doc)
    (us,) = record.entities
    assert [text[s:e] for s, e in us.mentions] == ["米国"]


def test_stage_offsets_index_the_original_text() -> None:
    # Full-width letters and a stray space change the normalised text, not the offsets.
    text = "両外相は、Ｇ７外相会合及びワシントンD. C.での協議を歓迎した。"
    record = run_stage(text, [])
    spans = {e.norm: [text[s:e] for s, e in e.mentions] for e in record.entities}
    assert spans == {"G7外相会合": ["Ｇ７外相会合"], "ワシントンD.C.": ["ワシントンD. C."]}


def test_parse_fills_entities_with_exact_spans() -> None:
    record = readout.parse(READOUT)
    by_norm = {e.norm: e for e in record.entities}
    assert by_norm["日豪円滑化協定"].norm_en == "Japan-Australia Reciprocal Access Agreement"
    assert by_norm["日豪「2+2」"].type == "MECHANISM"
    assert by_norm["国連安全保障理事会決議第2397号"].type == "DOCUMENT"
    assert by_norm["日米豪印"].norm_en == "Quad"
    assert by_norm["キャンベラ"].type == "PLACE"
    assert by_norm["豪州"].type == "COUNTRY"
    assert_spans_exact(record)
    people = [e for e in record.entities if e.type == "PERSON"]
    # People depend on the meeting stage having found the participants.
    if record.meeting.participants:
        assert [p.norm for p in people] == [p.name for p in record.meeting.participants]
        assert all(p.mentions for p in people)
