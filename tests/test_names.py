"""Person phrases and shortened mentions, by general rules."""

from __future__ import annotations

import pytest

from readout.model import Participant
from readout.names import find_person_mentions, split_person


@pytest.mark.parametrize(
    ("phrase", "name", "title", "side"),
    [
        ("山口和夫外務大臣", "山口和夫", "外務大臣", None),
        ("ジョン・スミス国務長官", "ジョン・スミス", "国務長官", None),
        ("マーク・リー豪国防大臣", "マーク・リー", "国防大臣", "AU"),
        ("トム・グレイ米国防長官", "トム・グレイ", "国防長官", "US"),
        ("アニタ・ラオ・インド外務大臣", "アニタ・ラオ", "外務大臣", "IN"),
        ("李成民韓国外交部長官", "李成民", "外交部長官", "KR"),
        ("防衛大臣", "", "防衛大臣", None),
    ],
)
def test_split_person(phrase: str, name: str, title: str, side: str | None) -> None:
    got = split_person(phrase)
    assert got is not None
    assert (got.name, got.title, got.side) == (name, title, side)


def test_not_a_person() -> None:
    assert split_person("安全保障協力") is None


def test_shortened_mentions_resolve_to_participants() -> None:
    people = [
        Participant(name="山口和夫", title="外務大臣", side="JP"),
        Participant(name="ジョン・スミス", title="国務長官", side="US"),
    ]
    text = "山口和夫外務大臣は、ジョン・スミス国務長官と会談した。山口大臣から説明し、スミス長官から謝意。山口県"
    found = [(text[s:e], people[i].name) for s, e, i in find_person_mentions(text, people)]
    assert found == [
        ("山口和夫", "山口和夫"),
        ("ジョン・スミス", "ジョン・スミス"),
        ("山口大臣", "山口和夫"),
        ("スミス長官", "ジョン・スミス"),
    ]


def test_shared_short_key_is_ambiguous_and_dropped() -> None:
    people = [
        Participant(name="佐藤一郎", title="外務大臣"),
        Participant(name="佐藤二郎", title="防衛大臣"),
    ]
    text = "佐藤大臣から発言があった。"
    assert find_person_mentions(text, people) == []
