"""Era conversion and numerals follow general rules, not a table of dates."""

from __future__ import annotations

from datetime import date

import pytest

from readout.era import era_year, parse_full_date, to_int, two_digit_year


@pytest.mark.parametrize(
    ("era", "year", "expected"),
    [
        ("令和", "元", 2019),
        ("令和", "6", 2024),
        ("平成", "元", 1989),
        ("平成", "31", 2019),
        ("平成", "二十七", 2015),
        ("昭和", "64", 1989),
    ],
)
def test_era_year(era: str, year: str, expected: int) -> None:
    assert era_year(era, year) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("十二", 12), ("二十七", 27), ("三十一", 31), ("二〇二五", 2025), ("元", 1), ("7", 7)],
)
def test_to_int(text: str, expected: int) -> None:
    assert to_int(text) == expected


def test_full_dates() -> None:
    assert parse_full_date("令和元年10月4日") == date(2019, 10, 4)
    assert parse_full_date("平成十一年三月二日(火曜日)") == date(1999, 3, 2)
    assert parse_full_date("2016年 7月 30日") == date(2016, 7, 30)
    assert parse_full_date("第3回会合") is None


def test_two_digit_years_read_against_reference() -> None:
    assert two_digit_year(5, around=2007) == 2005
    assert two_digit_year(98, around=2003) == 1998
