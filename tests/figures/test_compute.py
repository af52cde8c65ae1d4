"""compute(): sums and ratios of the example units, each checked against the published report or by hand."""
from __future__ import annotations

from decimal import Decimal

from pipeline.numbers import percent


def test_department_totals_and_execution_rate(built):
    figures = built["huadu"][0].figures
    # the seed prints 全年预算数 165,980.11 and 决算数 163,020.69: 163020.69 / 165980.11 = 0.982170… → 98.22%
    assert figures.budget_total.budget == Decimal("165980.11")
    assert figures.budget_total.actual == Decimal("163020.69")
    assert percent(figures.measures["预算执行率"].value) == "98.22%"


def test_staff_ratio(built):
    # Lianjiang: 在职 28 of 编制 34 = 0.823529… → 82.35%
    assert percent(built["lianjiang"][0].figures.measures["在职人员控制率"].value) == "82.35%"


def test_project_fund_rates(built):
    figures = built["example-cdc"][0].figures
    # 全年预算 320 + 120 + 25 = 465.00; 到位 465.00; 已支出 305.60 + 118.40 + 20.00 = 444.00
    assert (figures.funds_total.budget, figures.funds_total.spent) == (Decimal("465.00"), Decimal("444.00"))
    assert percent(figures.measures["支出率"].value) == "95.48%"  # 444 / 465 = 0.954838…
    assert percent(figures.measures["资金到位率"].value) == "100.00%"
