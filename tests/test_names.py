"""Person phrases and shortened mentions, by general rules."""

from __future__ import annotations

import pytest

from readout.model import Participant
from readout.names import find_person_mentions, find_person_phrases


@pytest.mark.parametrize(
    ("text", "name", "title", "side"),
    [
        ("山口和夫外務大臣は、", "山口和夫", "外務大臣", None),
        ("訪日中のジョン・スミス国務長官と", "ジョン・スミス", "国務長官", None),
        ("マーク・リー豪国防大臣との間で", "マーク・リー", "国防大臣", "AU"),
        ("トム・グレイ米国防長官(The Honorable Tom Grey)と", "トム・グレイ", "国防長官", "US"),
        ("アニタ・ラオ・インド外務大臣と", "アニタ・ラオ", "外務大臣", "IN"),
        ("李成民(イ・ソンミン)韓国外交部長官と", "李成民", "外交部長官", "KR"),
        ("日本側:田中次郎防衛審議官", "田中次郎", "防衛審議官", None),
    ],
)
def test_person_phrases(text: str, name: str, title: str, side: str | None) -> None:
    hits = find_person_phrases(text)
    assert [(h.name, h.title, h.side) for h in hits] == [(name, title, side)]


def test_meeting_names_are_not_people() -> None:
    assert find_person_phrases("日米外相会談が行われ、日米豪印外相会合が開催された") == []
    assert find_person_phrases("安全保障協力を推進した") == []


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
