"""Rounding and printing of numbers (DOMAIN §5) and the default grade bands (DOMAIN §4)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline import numbers
from pipeline.figures.score import grade
from pipeline.inputs.models import DEFAULT_GRADES


def test_q2_rounds_half_up_on_exact_decimals():
    # the float 2.675 is really 2.67499999…, so round(2.675, 2) gives 2.67; 四舍五入 on the decimal gives 2.68
    assert round(2.675, 2) == 2.67
    assert numbers.q2(Decimal("2.675")) == Decimal("2.68")
    assert numbers.q2(Decimal("2.665")) == Decimal("2.67")  # half up, not half to even (2.66)


def test_percent_of_shaoguan_spending_rate():
    # 1775.96 / 3000 = 0.591986… → 59.20% (the published report printed 59.19%)
    assert numbers.percent(numbers.ratio(Decimal("1775.96"), Decimal("3000"))) == "59.20%"


def test_ratio_over_zero_is_not_a_number():
    assert numbers.ratio(Decimal("5"), Decimal("0")) is None
    assert numbers.percent(numbers.ratio(Decimal("5"), Decimal("0"))) == "—"
    assert numbers.money(None) == "—"


def test_money_with_and_without_separators():
    assert numbers.money(Decimal("527711.12"), separators=True) == "527,711.12"
    assert numbers.money(Decimal("527711.12")) == "527711.12"
    assert numbers.money(Decimal("3000"), separators=True) == "3,000.00"


def test_rate_over_hundred_percent_printed_as_it_is():
    assert numbers.percent(Decimal("1.0321")) == "103.21%"


def test_to_decimal_keeps_float_as_written():
    assert numbers.to_decimal(12.3) == Decimal("12.3")
    assert numbers.to_decimal(12.3) != Decimal(12.3)  # the binary float 12.300000000000000710…


@pytest.mark.parametrize("total, expected", [
    ("89.99", "良"), ("90", "优"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"), ("0", "差"),
])
def test_default_grade_bands(total, expected):
    assert grade(Decimal(total), DEFAULT_GRADES) == expected
