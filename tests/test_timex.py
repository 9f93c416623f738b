"""Time expressions: deadlines_in, find_times and the times stage."""

from __future__ import annotations

from datetime import date

import pytest

import readout
from readout.model import Record
from readout.pipeline import Doc
from readout.stages import times as times_stage
from readout.textnorm import normalize
from readout.timex import Deadline, deadlines_in, find_times

# --- deadlines_in -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "kind", "cue"),
    [
        ("部隊を2027年までに改編する", "2027", "by", "2027年までに"),
        ("2030年度までに整備する", "2030", "by", "2030年度までに"),
        ("令和9年度までに配備を完了する", "2027", "by", "令和9年度までに"),
        ("2026年3月までに取りまとめる", "2026-03", "by", "2026年3月までに"),
        ("2026年3月31日までに提出する", "2026-03-31", "by", "2026年3月31日までに"),
        ("2028年を目途に移転する", "2028", "by", "2028年を目途に"),
        ("2026年に開始される移転", "2026", "start", "2026年に開始"),
        ("2026年に新たな共同演習を開始する", "2026", "start", "2026年に"),
        ("2026年に協議体を発足させる", "2026", "start", "2026年に"),
        ("2025年から開始する", "2025", "start", "2025年から開始"),
        ("2025年4月から運用する", "2025-04", "start", "2025年4月から"),
        ("2027年以降に配備する", "2027", "start", "2027年以降"),
        ("2026年内に開催する", "2026", "in", "2026年内に"),
        ("2026年中に署名する", "2026", "in", "2026年中に"),
        ("2026年度中に策定する", "2026", "in", "2026年度中に"),
        ("2026年度内に実施する", "2026", "in", "2026年度内に"),
        ("2027年に開催する", "2027", "in", "2027年に"),
        ("2027年に開催し、運用を開始する", "2027", "in", "2027年に"),  # another clause
        ("平成元年に締結", "1989", "in", "平成元年に"),
        ("令和元年中に", "2019", "in", "令和元年中に"),
    ],
)
def test_absolute_deadlines(text: str, value: str, kind: str, cue: str) -> None:
    found = deadlines_in(text)
    assert len(found) == 1
    d = found[0]
    assert (d.value, d.kind, text[d.start : d.end]) == (value, kind, cue)


def test_fiscal_year_keeps_its_number_and_is_marked() -> None:
    (d,) = deadlines_in("2026年度までに")
    assert d == Deadline(0, 9, "2026", "by", fiscal=True)
    (d,) = deadlines_in("2026年までに")
    assert not d.fiscal


def test_end_of_year_and_of_fiscal_year() -> None:
    assert deadlines_in("2026年末までに")[0].value == "2026-12"
    # The end of a fiscal year keeps the fiscal year's number, like the year itself.
    assert deadlines_in("2026年度末までに")[0].value == "2026"


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("年内に開催する", "2025", "in"),
        ("できる限り年内に", "2025", "in"),
        ("本年中に合意する", "2025", "in"),
        ("今年度中に策定する", "2025", "in"),
        ("来年の開催を目指す", "2026", "in"),
        ("来年度までに", "2026", "by"),
        ("6月までに結論を得る", "2025-06", "by"),
        ("08年までに", "2008", "by"),
    ],
)
def test_relative_deadlines_use_the_reference_year(text: str, value: str, kind: str) -> None:
    (d,) = deadlines_in(text, ref_year=2025)
    assert (d.value, d.kind) == (value, kind)


def test_relative_deadlines_need_a_reference_year() -> None:
    assert deadlines_in("年内に開催する") == []
    assert deadlines_in("6月までに") == []


@pytest.mark.parametrize(
    "text",
    [
        "2015年の合意",  # a date, not a timetable
        "今後10年間で",  # a length of time
        "10年以内に",
        "2年ぶりに開催",
        "毎年開催",
        "昨年中に",  # past, and 年 glued to 昨
        "2020年に比べ増加",  # に比べ is a comparison
        "2020年において",
        "本年のG7議長国",
    ],
)
def test_not_deadlines(text: str) -> None:
    assert deadlines_in(text, ref_year=2025) == []


def test_several_deadlines_in_one_sentence_in_order() -> None:
    text = "2026年に開始し、2028年までに完了する"
    assert [(d.value, d.kind) for d in deadlines_in(text)] == [("2026", "start"), ("2028", "by")]


# --- find_times -------------------------------------------------------------------------

PAGE = date(2025, 1, 9)


def times(text: str, published: date | None = PAGE) -> list[tuple[str, str | None, str]]:
    return [(text[t.start : t.end], t.value, t.kind) for t in find_times(text, published)]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("令和7年1月9日", "2025-01-09", "date"),
        ("令和元年5月1日", "2019-05-01", "date"),
        ("平成元年", "1989", "year"),
        ("平成30年12月", "2018-12", "month"),
        ("2012年4月27日", "2012-04-27", "date"),
        ("2025年", "2025", "year"),
        ("2025年度", "2025", "year"),
        ("二〇二五年", "2025", "year"),
        ("昭和四十七年", "1972", "year"),
    ],
)
def test_absolute_dates(text: str, value: str, kind: str) -> None:
    assert times(text) == [(text, value, kind)]


def test_two_digit_years_read_against_the_page_year() -> None:
    assert times("05年の合意")[0][1:] == ("2005", "year")
    assert times("98年の合意")[0][1:] == ("1998", "year")
    assert times("05年の合意", published=date(1999, 3, 1))[0][1] == "2005"


def test_month_and_day_take_the_nearest_year() -> None:
    assert times("1月8日")[0][1] == "2025-01-08"
    # December read on a page of early January is last December.
    assert times("12月27日")[0][1] == "2024-12-27"
    assert times("12月")[0][1:] == ("2024-12", "month")
    assert times("1月8日", published=None)[0][1] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("本9日", "2025-01-09"),
        ("昨8日", "2025-01-08"),
        ("明10日", "2025-01-10"),
        ("7日", "2025-01-07"),
        ("30日", "2024-12-30"),  # nearer last month's 30th than this month's
        ("本日", "2025-01-09"),
        ("昨年", "2024"),
        ("本年", "2025"),
        ("来月", "2025-02"),
    ],
)
def test_relative_days_resolve_against_the_page_date(text: str, value: str) -> None:
    assert times(f"{text}、会談した")[0] == (text, value, "relative")


def test_same_day_refers_to_the_date_before_it() -> None:
    got = times("12月30日に電話会談を行い、同日、声明を発出した。翌日、協議した。")
    assert got[1] == ("同日", "2024-12-30", "relative")
    assert got[2] == ("翌日", "2024-12-31", "relative")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("午後3時15分", "15:15"),
        ("午前11時", "11:00"),
        ("午後0時", "12:00"),
        ("午前0時頃", "00:00"),
        ("16時40分過ぎ", "16:40"),
        ("9時半", "09:30"),
        ("正午", "12:00"),
        ("18:05", "18:05"),
    ],
)
def test_clock_times(text: str, value: str) -> None:
    assert times(f"、{text}から")[0] == (text, value, "time")


def test_clock_time_after_a_date_takes_the_date() -> None:
    got = times("1月8日(水曜日)、午後3時15分から")
    assert got[1] == ("午後3時15分", "2025-01-08T15:15", "time")
    got = times("(英国時間7日22時30分)")
    assert got == [("7日", "2025-01-07", "relative"), ("22時30分", "2025-01-07T22:30", "time")]


@pytest.mark.parametrize("text", ["約1時間20分", "約40分間", "3日間の日程", "24時間体制", "10年間"])
def test_durations_are_not_times(text: str) -> None:
    assert times(text) == []


def test_future_deadline_replaces_the_year_inside_it() -> None:
    got = times("2026年までに改編し、2012年に合意された計画")
    assert got == [("2026年までに", "2026", "deadline"), ("2012年", "2012", "year")]


def test_full_width_digits_arrive_folded() -> None:
    text = "令和７年１月９日"
    norm = normalize(text).text
    assert [t.value for t in find_times(norm, None)] == ["2025-01-09"]


# --- the stage --------------------------------------------------------------------------

READOUT = """日英防衛相会談

令和6年11月21日

 本21日、午後4時30分から約1時間、防衛省において、木村三郎防衛大臣は、ジョージ・ハリス英国国防大臣と会談を行ったところ、概要は以下のとおりです。

1 両大臣は、2027年までに共同訓練を拡充することで一致しました。
2 両大臣は、昨年12月の合意を踏まえ、年内に次回会談を行うことを確認しました。

(了)
"""


def test_stage_spans_index_the_original_text() -> None:
    record = readout.parse(READOUT)
    assert record.times, "the times stage filled nothing"
    for t in record.times:
        assert record.text[t.start : t.end] == t.text
    got = [(t.text, t.value, t.kind) for t in record.times]
    assert ("令和6年11月21日", "2024-11-21", "date") in got
    assert ("2027年までに", "2027", "deadline") in got
    # Relative expressions need the page date, which the structure stage reads.
    if record.published == "2024-11-21":
        assert ("本21日", "2024-11-21", "relative") in got
        assert ("午後4時30分", "2024-11-21T16:30", "time") in got
        assert ("年内に", "2024", "deadline") in got
        assert ("昨年", "2023", "relative") in got


def test_stage_maps_full_width_text_back() -> None:
    text = "　２０２５年１２月１日、会談。"
    record = Record(parser_version="test", text=text)
    doc = Doc(record=record, norm=normalize(text))
    times_stage.run(doc)
    (t,) = record.times
    assert (t.text, t.value, t.kind) == ("２０２５年１２月１日", "2025-12-01", "date")
    assert text[t.start : t.end] == t.text
