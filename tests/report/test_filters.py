"""The filters every output shares: 同比 phrases, Chinese dates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipeline.report.filters import change_phrase, chinese_date


@pytest.mark.parametrize("this, last, phrase", [
    ("110", "100", "增长10.00%"),
    ("90", "100", "下降10.00%"),
    ("1194", "1255", "下降4.86%"),  # DOMAIN §6: 61 of 1,255 is 4.86%, not the printed 56%
    ("100", "100", "持平"),
    ("5", "0", ""),  # no rate over a zero base
])
def test_change_phrase(this, last, phrase):
    assert change_phrase(Decimal(this), Decimal(last)) == phrase


def test_chinese_date():
    assert chinese_date(dt.date(2025, 9, 8)) == "2025年9月8日"
    assert chinese_date(None) == ""
