"""Topics: the topic lexicon and topics_for."""

from __future__ import annotations

from importlib import resources

import pytest

from readout.lexicon import load
from readout.topics import topic_labels, topics_for

REQUIRED = (
    "china", "taiwan", "north_korea", "senkaku", "space", "cyber", "extended_deterrence",
    "nuclear", "force_posture", "okinawa", "russia_ukraine", "abductions", "indo_pacific",
    "south_china_sea", "east_china_sea", "economic_security", "defense_equipment",
    "defense_budget", "middle_east", "climate", "energy", "trade", "quad", "asean", "un",
    "g7", "human_rights", "korean_peninsula",
)  # fmt: skip


def test_required_topics_exist_with_labels() -> None:
    labels = topic_labels()
    for tid in REQUIRED:
        assert labels.get(tid), tid


def test_topic_file_states_its_source() -> None:
    head = resources.files("readout").joinpath("lexicons", "topics.toml").read_text("utf-8")
    assert "Source: compiled by the readout authors" in head[:1500]


def test_every_topic_has_keywords_and_ids_are_snake_case() -> None:
    for tid, t in load("topics")["topic"].items():
        assert tid.replace("_", "").isalnum() and tid == tid.lower()
        assert t["keywords"], tid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("両大臣は、ウクライナ情勢について議論した。", ["russia_ukraine"]),
        ("中国海警局の船舶による領海侵入に懸念を表明した。", ["china"]),
        ("尖閣周辺の情勢", ["senkaku"]),
        ("宇宙・サイバー領域での協力", ["cyber", "space"]),
        ("核の傘を含む拡大抑止の信頼性", ["extended_deterrence"]),
        ("北朝鮮による日本人拉致問題の即時解決", ["abductions", "north_korea"]),
        ("スカボロー礁周辺での危険な行為", ["south_china_sea"]),
        ("重要鉱物のサプライチェーン強靱化", ["economic_security"]),
        ("クアッドの首脳会合", ["quad"]),
        ("国連安保理改革", ["un"]),
        ("普天間飛行場の移設", ["okinawa"]),
        ("ガザ地区の人道状況", ["middle_east"]),
    ],
)
def test_topics_for(text: str, expected: list[str]) -> None:
    assert topics_for(text) == expected


def test_keyword_inside_a_longer_keyword_still_counts() -> None:
    # 台湾海峡 is matched whole; it carries the topic of 台湾 written inside it.
    assert "taiwan" in topics_for("台湾海峡の平和と安定")
    assert topics_for("自由で開かれたインド太平洋") == ["indo_pacific"]


def test_boilerplate_and_words_glued_to_longer_words_tag_nothing() -> None:
    assert topics_for("力による一方的な現状変更の試みに反対した。") == []
    assert topics_for("安全保障協力を一層推進していく") == []
    assert topics_for("適切なタイミングで") == []
    assert topics_for("G77") == []


def test_result_is_sorted_and_unique() -> None:
    got = topics_for("中国の動向、中国側の説明、台湾、北朝鮮、中国")
    assert got == sorted(set(got)) == ["china", "north_korea", "taiwan"]


def test_empty_text() -> None:
    assert topics_for("") == []
