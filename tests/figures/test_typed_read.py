"""Numbers read as people write them in real reports; expected values by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.findings.typed_read import normal, numbers


@pytest.mark.parametrize(("text", "value", "kind", "unit", "factor"), [
    ("预算资金 3,000.00 万元", "3000.00", "金额", "万元", 10000),
    ("市级资金配套3.6元", "3.6", "金额", "元", 1),
    ("1.5亿元", "1.5", "金额", "亿元", 100000000),
    ("三点六万元", "3.6", "金额", "万元", 10000),
    ("百分之五十六", "56", "百分比", "%", 1),
    ("慰问对象一百二十人", "120", "个数", "人", 1),
    ("一千二百五十五人", "1255", "个数", "人", 1),
    ("为全区 11.85 万名符合条件人员", "11.85", "个数", "名", 10000),
    ("完成率９８．２２％", "98.22", "百分比", "%", 1),
    ("提高2.5个百分点", "2.5", "百分点", "个百分点", 1),
])
def test_value_and_unit(text, value, kind, unit, factor):
    [t] = numbers(normal(text))
    assert (t.number, t.kind, t.unit, t.factor) == (Decimal(value), kind, unit, Decimal(factor))


@pytest.mark.parametrize("text", ["超过10%", "高于90%", "不低于90%", "90%以上", "10余场", "约3.6万元", "≥95%"])
def test_thresholds_are_conditions(text):
    assert all(t.condition for t in numbers(normal(text)))


def test_ranges_are_conditions_at_both_ends():
    assert [t.condition for t in numbers(normal("5-10人"))] == [True, True]


def test_changes_carry_their_direction():
    read = numbers(normal("减少61人，下降56%，增长到12%"))
    assert [(t.number, t.direction) for t in read] == [(61, -1), (56, -1), (12, 0)]


@pytest.mark.parametrize("text", ["一是加强管理", "统一部署", "2024 年 8 月", "第5名", "P2级实验室", "5G区域", "“十四五”期间"])
def test_words_dates_and_labels_are_not_quantities(text):
    assert [t for t in numbers(normal(text)) if t.kind] == []


def test_reading_is_linear_in_the_numbers():
    # 20,000 numbers in one sentence: one regex pass, no pairwise work
    read = numbers("、".join(f"{i}人" for i in range(20000)))
    assert len(read) == 20000
