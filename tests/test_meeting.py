"""Meeting metadata from leads written in different styles."""

from __future__ import annotations

import readout

LOCAL_CLOCK = """日英外相会談

令和4年7月13日

7月12日(現地時間)、午後2時30分から約1時間、英国を訪問中の中川二郎外務大臣は、エマ・ホール英国外務・英連邦・開発大臣(The Rt Hon Emma Hall MP, Foreign Secretary)と会談を行ったところ、概要は以下のとおりです。

1 両大臣は、安全保障協力を強化していくことで一致しました。
"""


def test_local_clock_and_english_gloss() -> None:
    m = readout.parse(LOCAL_CLOCK).meeting
    assert m.kind == "foreign_ministers"
    assert m.date == "2022-07-12"
    assert m.start == "2022-07-12T14:30:00+01:00"  # British Summer Time
    assert m.duration_minutes == 60 and m.duration_approximate
    assert m.location == "英国"
    assert m.sides == ["JP", "GB"]
    p = m.participants
    assert [(x.name, x.title, x.side) for x in p] == [
        ("中川二郎", "外務大臣", "JP"),
        ("エマ・ホール", "外務・英連邦・開発大臣", "GB"),
    ]
    assert p[1].name_en is not None and "Emma Hall" in p[1].name_en


TWO_CLOCKS = """日米防衛相会談

令和2年8月30日
防衛省

8月29日午前9時00分(米国時間:28日20時00分)から、米国ハワイ州ホノルルにおいて約50分間、岡田防衛大臣は、マイク・ベル国防長官と会談を行った。概要以下のとおり。

1 両大臣は、共同訓練を拡充することで一致した。
"""


def test_two_clocks_use_the_place_zone() -> None:
    m = readout.parse(TWO_CLOCKS).meeting
    assert m.kind == "defense_ministers"
    assert m.start == "2020-08-29T09:00:00+09:00"
    assert m.start_local == "2020-08-28T20:00:00-10:00"  # Hawaii, no summer time
    assert m.location == "米国ハワイ州ホノルル"
    assert m.duration_minutes == 50


PHONE = """日韓外相電話会談

平成31年1月8日

本8日、午後5時45分から約20分間、西田外務大臣は、朴美英韓国外交部長官と電話会談を行ったところ、概要は以下のとおり。

1 両外相は、北朝鮮問題で引き続き連携していくことで一致した。
"""


def test_phone_call_has_no_place_and_japan_time() -> None:
    m = readout.parse(PHONE).meeting
    assert m.kind == "phone_call"
    assert m.location is None
    assert m.date == "2019-01-08"
    assert m.start == "2019-01-08T17:45:00+09:00"
    assert m.sides == ["JP", "KR"]
    assert [(p.name, p.side) for p in m.participants] == [("西田", "JP"), ("朴美英", "KR")]


YESTERDAY = """日中外相会談

令和元年12月26日

昨25日、12時10分から12時55分まで、北京において、上田外務大臣は、王立中国外交部長と会談を行った。概要以下のとおり。なお、会談後、共同記者発表が行われ、共同発表が発出された。

1 両外相は、ハイレベル交流を継続していくことで一致した。
"""


def test_relative_day_range_and_joint_statement() -> None:
    m = readout.parse(YESTERDAY).meeting
    assert m.date == "2019-12-25"
    assert m.duration_minutes == 45 and not m.duration_approximate
    assert m.start == "2019-12-25T12:10:00+08:00"
    assert m.location == "北京"
    assert m.joint_statement is True
    assert m.sides == ["JP", "CN"]


def test_page_date_across_new_year() -> None:
    text = """日豪首脳会談

令和6年1月3日

12月30日、キャンベラにおいて、首脳会談が行われました。概要は以下のとおりです。

1 両首脳は、協力の拡大で一致しました。
"""
    m = readout.parse(text).meeting
    assert m.date == "2023-12-30"
    assert m.kind == "leaders"
