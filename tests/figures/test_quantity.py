"""Figures with their units, as the narrative quotes them; every expected figure computed by hand from a real report's
sentence (baoshan 2022, 枞阳 2023 case 5c, shaoguan 2024, huadu 2023)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.figures.quantity import Quantity, QuantityError, change, difference, in_unit, parsed


def q(amount: str, unit: str, **style) -> Quantity:
    return Quantity(Decimal(amount), unit, **style)


def test_an_amount_prints_with_its_unit_in_any_money_unit():
    # baoshan: 市级配套资金 3.60 万元 = 36,000 元 (the report wrote “3.6元”)
    funds = q("3.60", "万元", separators=True)
    assert str(funds) == "3.60万元"
    assert in_unit(funds, "元") == "36,000元"
    assert in_unit(q("3.60", "万元"), "元") == "36000元"  # a unit without 金额千分位
    # shaoguan 5d: 509,774.50 万元 = 5,097,745,000 元 = 50.98 亿元 (50.977450 rounded half up)
    budget = q("509774.50", "万元", separators=True)
    assert str(budget) == "509,774.50万元"
    assert in_unit(budget, "亿元") == "50.98亿元"
    assert in_unit(budget, "元") == "5,097,745,000元"
    assert in_unit(q("0.005", "元"), "元") == "0.01元"  # 元 keeps its 分 when it has them, half up


def test_head_count_times_a_rate_per_head_is_an_amount():
    # baoshan: 慰问对象120人，慰问标准300元/人 → 120 × 300 = 36,000 元 = 3.60 万元
    people, standard = q("120", "人", separators=True), q("300", "元/人", separators=True)
    assert str(people) == "120人" and str(standard) == "300元/人"
    assert str(people * standard) == "36,000元" == str(standard * people)
    assert in_unit(people * standard, "万元") == "3.60万元"
    assert str((people * standard) / people) == "300元/人"  # and back: 36,000 元 / 120 人


def test_sums_convert_money_units_and_a_ratio_of_like_units_is_a_percentage():
    # 枞阳 2023 (case 5c): 中央 2855 + 省级 753 = 3608 万元 预拨；+ 清算 120 万元 (1,200,000 元) = 3728 万元
    central, province, settled = q("2855", "万元"), q("753", "万元"), q("1200000", "元")
    advance = central + province
    assert str(advance) == "3608.00万元"
    assert str(advance + settled) == "3728.00万元"
    assert str(settled + advance) == "37280000元"  # a sum is in the unit of its first term
    assert str((advance + settled) / q("3728", "万元")) == "100.00%"  # 预算执行率 3728 / 3728
    assert str(central / (advance + settled)) == "76.58%"  # 2855 / 3728 = 0.765826…
    assert str(q("3728", "万元") * q("50", "%")) == "1864.00万元"  # a share of an amount is an amount
    assert str(q("3728", "万元") - settled) == "3608.00万元"
    assert q("753", "万元") < q("7530001", "元") and q("2855", "万元") > province


def test_a_change_against_last_year_reads_as_the_report_writes_it():
    # shaoguan 2024: “全院四级手术 2374 例，较 2023 年增加 182 台（8.30%）”: 2374 − 182 = 2192; 182 / 2192 = 8.30%
    surgery = Quantity(Decimal(2374), "例", last=q("2192", "例"))
    assert change(surgery) == "增长8.30%"
    assert difference(surgery) == "增加182例"
    # huadu 2023: 在职人员 1,255 → 1,194: 减少 61 人，下降 61 / 1255 = 4.86%
    staff = Quantity(Decimal(1194), "人")
    assert change(staff, q("1255", "人")) == "下降4.86%"
    assert difference(staff, q("1255", "人")) == "减少61人"
    # a rate changes by points: 98.22% against 95.00% is 3.22 个百分点
    assert change(q("98.22", "%"), q("95.00", "%")) == "提高3.22个百分点"
    assert change(q("3.60", "万元"), q("36000", "元")) == "持平"  # the same money in another unit
    assert difference(q("3.90", "万元"), q("3.60", "万元")) == "增加0.30万元"


@pytest.mark.parametrize(("compute", "words"), [
    (lambda: q("120", "人") + q("3.60", "万元"), "单位不同"),
    (lambda: q("120", "人") * q("120", "人"), "没有意义"),
    (lambda: q("3.60", "万元") + 1, "不带单位"),
    (lambda: q("3.60", "万元") / 0, "除数为零"),
    (lambda: q("3.60", "万元") / q("0", "元"), "除数为零"),
    (lambda: 1 / q("3.60", "万元"), "不能用数除以"),
    (lambda: q("3.60", "万元") * 10 ** 20, "过大"),
    (lambda: int(q("3.60", "万元")), "不能转为"),
    (lambda: in_unit(q("120", "人"), "元"), "只有金额"),
    (lambda: change(q("120", "人")), "没有上年的数"),
    (lambda: change(q("120", "人"), q("0", "人")), "为零"),
    (lambda: change(q("120", "人"), q("3", "万元")), "单位不同"),
])
def test_what_has_no_meaning_is_refused_in_chinese(compute, words):
    with pytest.raises(QuantityError, match=words):
        compute()


def test_an_entered_value_is_read_with_its_unit():
    assert str(parsed("300", "元/人")) == "300元/人" and str(parsed("98.5", "%")) == "98.5%" and str(parsed("100", "%")) == "100%"
    assert parsed("是", "") is None and parsed("有效改善", "人") is None and parsed("12", "") is None
