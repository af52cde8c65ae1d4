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
    assert "indicators.csv 第12行 自评得分" in row.where


def test_a_score_the_unit_chooses_is_never_a_contradiction(project):
    # B62 绩效运行监控 is scored by band: the unit's 自评得分 (4) is the score, not a figure to check
    edit(project / FACTS, "B62,绩效运行监控,,,,,,,成效显著,5,", "B62,绩效运行监控,,,,,,,成效显著,4,")
    result = check(project, "huadu")
    assert [leaf.points for leaf in result.scores.leaves() if leaf.id == "B62"] == [4]
    assert not [c for c in result.checks if "绩效运行监控" in c.what]
