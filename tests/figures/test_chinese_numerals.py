"""Numbers written in Chinese characters, read by our own reader; expected values worked out by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.findings.chinese_numerals import read_chinese_number


@pytest.mark.parametrize(("written", "value"), [
    ("零", "0"), ("〇", "0"), ("两", "2"), ("十", "10"), ("十一", "11"), ("一十", "10"), ("两十", "20"),
    ("五十六", "56"), ("一百二十", "120"), ("一百零五", "105"), ("一百一", "110"), ("两百", "200"),
    ("一千零五", "1005"), ("一千零一十", "1010"), ("一千零十", "1010"), ("一千一百一十一", "1111"),
    ("一万二", "12000"), ("两万两千", "22000"), ("十万", "100000"), ("三百五十万", "3500000"),
    ("十二万三千四百五十六", "123456"), ("九千九百九十九万", "99990000"), ("一千万零三", "10000003"),
    ("一亿二千万", "120000000"), ("两亿", "200000000"), ("三万亿", "3000000000000"),
    ("一百万亿", "100000000000000"), ("一亿零五十万", "100500000"), ("一〇二", "102"), ("二〇二三", "2023"),
    ("零零五", "5"), ("三点六", "3.6"), ("零点五", "0.5"), ("二十点零五", "20.05"), ("三点六零", "3.60"),
    ("一万二千三百点四五", "12300.45"),
])
def test_a_well_formed_number_is_read(written: str, value: str) -> None:
    got = read_chinese_number(written)
    assert got == Decimal(value) and str(got) == value  # as many decimals as written


@pytest.mark.parametrize("written", ["", "百", "千", "万", "亿", "千万", "万亿", "十十", "一百百", "二三十", "三四百",
                                     "一两", "点五", "三点六点", "三点十", "五个", "一百a", "一千五零"])
def test_what_is_not_a_number_is_none(written: str) -> None:
    assert read_chinese_number(written) is None
