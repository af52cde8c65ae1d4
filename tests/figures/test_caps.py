"""封顶: the total (or any node) capped by a measure's tiers, as the provinces' 一体化 systems do (执行率 70–80% → at
most 89, 60–70% → 79, below 60% → 69, below 50% → 59), on example-cdc's data. Figures by hand."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pipeline.errors import InputError
from pipeline.report.score_table import score_table
from pipeline.run import build, check
from tests.conftest import copy_inputs
from tests.helpers import edit

TOTAL_CAP = """总分封顶:
  测算指标: 预算执行率
  分档:
    - {条件: "< 50", 最高: 59}
    - {条件: "< 60", 最高: 69}
    - {条件: "< 70", 最高: 79}
    - {条件: "< 80", 最高: 89}
指标:
"""
# example-cdc's leaves but N11: C01 15; C02 18/20 = 90% × 15 = 13.50; C03 10; C04 10/11 = 90.91% × 10 = 9.09;
# C05 15 (own score); C06 15; C07 10 → 87.59
LEAVES = Decimal("87.59")


def cdc(tmp_path, spent: str, cap: str = TOTAL_CAP):
    root = copy_inputs(tmp_path)
    edit(root / "inputs/frameworks/national-project-2020.yaml", "指标:\n", cap)
    edit(root / "inputs/example-cdc/2024/funds.csv", "320.00,320.00,305.60,", f"320.00,320.00,{spent},")
    return root


def test_execution_75_percent_caps_the_total_at_89(tmp_path):
    # spent 210.35 + 118.40 + 20.00 = 348.75 of 465.00 = 75.00% → N11 7.50; 7.50 + 87.59 = 95.09 > 89 → 89.00, 良
    root = cdc(tmp_path, "210.35")
    result, written = build(root, "example-cdc", formats=("md",), charts=False)
    assert result.scores.total == Decimal("89.00") and result.scores.grade == "良"
    assert sum((b.points for b in result.scores.blocks), Decimal(0)) == Decimal("7.50") + LEAVES
    (capped,) = result.scores.capped
    assert (capped.before, capped.after) == (Decimal("95.09"), Decimal("89"))
    assert capped.text == "预算执行率75.00%，低于80%，按评价体系总分最高89分，由95.09分调为89.00分"
    table = score_table(result.scores, result.inputs.facts, result.inputs.framework)
    assert table.total[table.columns.index(next(c for c in table.columns if c.key == "得分"))] == "89.00"
    assert table.notes[-1] == capped.text + "。"
    folder = written[0].parent
    assert capped.text in (folder / "report.md").read_text(encoding="utf-8")
    audit = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    assert audit["总分"] == "89.00" and audit["封顶"][0]["封顶前"] == "95.09"


def test_execution_below_50_percent_caps_at_59(tmp_path):
    # 90.35 + 118.40 + 20.00 = 228.75 / 465 = 49.19% → N11 4.92; 4.92 + 87.59 = 92.51 → first tier < 50 → 59.00, 差
    result = check(cdc(tmp_path, "90.35"), "example-cdc")
    assert result.scores.total == Decimal("59.00") and result.scores.grade == "差"


def test_a_total_already_under_the_cap_stands(tmp_path):
    # 75% again, but C02..C07 zeroed is too much work: cap the tier at 99 instead, 95.09 < 99 stays
    result = check(cdc(tmp_path, "210.35", TOTAL_CAP.replace("最高: 89", "最高: 99")), "example-cdc")
    assert result.scores.total == Decimal("95.09") and result.scores.capped == ()


def test_execution_at_80_percent_is_not_capped(tmp_path):
    # 234.35 + 118.40 + 20.00 = 372.75 / 465 = 80.16% (not < 80) → N11 8.02; 8.02 + 87.59 = 95.61
    result = check(cdc(tmp_path, "234.35"), "example-cdc")
    assert result.scores.total == Decimal("95.61") and result.scores.capped == ()


def test_a_first_level_capped_and_its_parent_adds_the_capped_points(tmp_path):
    # 产出指标 (N2) capped at 40 below 80% execution: C01..C04 = 15 + 13.50 + 10 + 9.09 = 47.59 → 40;
    # total 7.50 + 40 + 30 (15 + 15) + 10 = 87.50
    root = copy_inputs(tmp_path)
    edit(root / "inputs/frameworks/national-project-2020.yaml", "    名称: 产出指标\n    权重: 50\n",
         "    名称: 产出指标\n    权重: 50\n    封顶: {测算指标: 预算执行率, 分档: [{条件: \"< 80\", 最高: 40}]}\n")
    edit(root / "inputs/example-cdc/2024/funds.csv", "320.00,320.00,305.60,", "320.00,320.00,210.35,")
    result = check(root, "example-cdc")
    output = next(b for b in result.scores.blocks if b.name == "产出指标")
    assert output.points == Decimal("40")
    assert result.scores.total == Decimal("87.50")


@pytest.mark.parametrize("cap, message", [
    ('{测算指标: 预算执行率, 分档: [{条件: "< 80", 最高: 120}]}', "封顶的最高得分 120 超过本级分值 100"),
    ('{测算指标: 执行进度, 分档: [{条件: "< 80", 最高: 89}]}', "未知的测算指标“执行进度”"),
    ('{测算指标: 预算执行率, 分档: [{条件: "< 80", 最高: 89}, {条件: "< 60", 最高: 69}]}', "第2档（< 60）永远取不到"),
])
def test_a_cap_that_cannot_work_is_refused(tmp_path, cap, message):
    root = copy_inputs(tmp_path)
    edit(root / "inputs/frameworks/national-project-2020.yaml", "指标:\n", f"总分封顶: {cap}\n指标:\n")
    with pytest.raises(InputError) as error:
        check(root, "example-cdc")
    assert message in str(error.value)


def test_a_cap_that_cannot_work_and_grades_out_of_order_are_told_together(tmp_path):
    root = copy_inputs(tmp_path)
    grades = "等级:\n  - {等级: 优, 下限: 80}\n  - {等级: 良, 下限: 90}\n  - {等级: 差, 下限: 0}\n"
    edit(root / "inputs/frameworks/national-project-2020.yaml", "指标:\n",
         f'总分封顶: {{测算指标: 执行进度, 分档: [{{条件: "< 80", 最高: 89}}]}}\n{grades}指标:\n')
    with pytest.raises(InputError) as error:
        check(root, "example-cdc")
    told = {p.where.key: p.message for p in error.value.problems}
    assert told["总分封顶.测算指标"] == "未知的测算指标“执行进度”"
    assert told["等级"] == "等级下限应从高到低排列且互不相同"
