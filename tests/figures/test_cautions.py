"""cautions(): overspending beyond the unit's tolerance is a warning; within it, silence."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.run import check
from tests.helpers import edit

FUNDS = "inputs/example-cdc/2024/funds.csv"
ROW = "区级配套资金,财政拨款,120.00,120.00,120.00,118.40,示例"


@pytest.mark.parametrize("spent, warned", [
    ("124.80", False),  # 124.80 / 120.00 = 104% ≤ 100% + 5%
    ("126.00", False),  # exactly 105%: the tolerance is inclusive
    ("126.01", True),   # 105.0083%: over
])
@pytest.mark.slow
def test_overspending_is_measured_against_the_tolerance_in_percent(project, spent, warned):
    edit(project / FUNDS, ROW, f"区级配套资金,财政拨款,120.00,120.00,120.00,{spent},示例")
    edit(project / "inputs/example-cdc/2024/unit.yaml", "单位名称:", "超预算容差: 5\n单位名称:")
    found = [w for w in check(project, "example-cdc").warnings if w.code == "funds-spent-over-received"]
    assert bool(found) is warned, found


def test_without_a_tolerance_any_overspending_is_a_warning(project):
    edit(project / FUNDS, ROW, "区级配套资金,财政拨款,120.00,120.00,120.00,120.01,示例")
    [warning] = [w for w in check(project, "example-cdc").warnings if w.code == "funds-spent-over-received"]
    assert (warning.where.file, warning.where.line, warning.where.key) == (FUNDS, 3, "已支出")
    assert "区级配套资金" in warning.message


BUDGET = "inputs/huadu/2023/budget.csv"
LINE = "花都区卫生监督所,2100.00,2315.26,2315.26,假定（原报告只列示合计）"


@pytest.mark.parametrize("actual, warned", [
    ("3000.00", False),  # 2315.26 × 1.5 = 3472.89: under
    ("3472.89", False),  # exactly 150%: the tolerance is inclusive
    ("3472.90", True),   # one cent over
])
def test_a_budget_line_over_its_budget_is_measured_against_the_tolerance(project, actual, warned):
    edit(project / BUDGET, LINE, f"花都区卫生监督所,2100.00,2315.26,{actual},假定（原报告只列示合计）")
    own = Decimal("66890.35") - (Decimal(actual) - Decimal("2315.26"))  # the declared 决算数 total stays 163020.69
    edit(project / BUDGET, "60000.00,68512.40,66890.35,", f"60000.00,68512.40,{own},")
    edit(project / "inputs/huadu/2023/unit.yaml", "单位名称:", "超预算容差: 50\n单位名称:")
    found = [w for w in check(project, "huadu").warnings if w.code == "budget-overrun" and "卫生监督所" in w.message]
    assert bool(found) is warned, found
