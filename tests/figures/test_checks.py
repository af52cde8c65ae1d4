"""checks(): every figure a unit typed (自评得分, 已公布 totals and rates) set against what the rules compute."""
from __future__ import annotations

from pipeline.run import check
from tests.helpers import edit

FACTS = "inputs/huadu/2023/indicators.csv"


def test_a_hand_score_that_differs_from_the_rule_is_listed(project):
    # B32 资产管理规范性: deduction, 0 failing items → the rule gives the full weight; the unit typed 1.50
    edit(project / FACTS, "B32,资产管理规范性,,,,,0,,,,,假定", "B32,资产管理规范性,,,,,0,,,1.5,,假定")
    found = check(project, "huadu").checks
    [row] = [c for c in found if c.what == "资产管理规范性得分"]
    assert (row.entered, row.computed) == ("1.50", row.computed) and row.computed != "1.50"
    assert row.code == "self-score-differs" and (row.where.line, row.where.key) == (12, "自评得分")
    assert row.where.file.endswith("/indicators.csv")


def test_a_score_the_unit_chooses_is_never_a_contradiction(project):
    # B62 绩效运行监控 is scored by band: the unit's 自评得分 (4) is the score, not a figure to check
    edit(project / FACTS, "B62,绩效运行监控,,,,,,,成效显著,5,", "B62,绩效运行监控,,,,,,,成效显著,4,")
    result = check(project, "huadu")
    assert [leaf.points for leaf in result.scores.leaves() if leaf.id == "B62"] == [4]
    assert not [c for c in result.checks if "绩效运行监控" in c.what]


def test_declared_amounts_are_written_as_the_unit_asks(project):
    """With 金额千分位 the console and checks.md show amounts with thousands separators, the gap too."""
    unit = project / "inputs/huadu/2023/unit.yaml"
    # the budget lines sum to 163020.69 (hand sum of budget.csv's 决算数); a cent more is declared (尾差: a warning, and a line in checks.md)
    edit(unit, "  决算数: 163020.69", "  决算数: 163020.70")
    plain = [c for c in check(project, "huadu").checks if c.what == "决算数合计"]
    assert [(c.entered, c.computed, c.gap) for c in plain] == [("163020.70", "163020.69", "-0.01")]
    edit(unit, "金额千分位: false", "金额千分位: true")
    result = check(project, "huadu")
    [row] = [c for c in result.checks if c.what == "决算数合计"]
    assert (row.entered, row.computed, row.gap) == ("163,020.70", "163,020.69", "-0.01")
    assert any("决算数合计填报数163,020.70，按各单位明细计算163,020.69" in str(w) for w in result.warnings)
