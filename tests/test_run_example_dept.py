"""The example unit example-dept (fictional) under the sichuan-dept framework: composite leaves, a zeroing condition,
judgement tiers, a tier chosen without a measured value, a pass mark, an indicator that does not apply, a fourth level
(under 资金管理) and printed scores at the second and third levels. Every figure below is computed by hand from inputs/example-dept/2024."""
from __future__ import annotations

from decimal import Decimal

from tests.helpers import outputs

# Measures (unit.yaml 控制数, budget.csv):
#   预算执行率 (1150 + 300) / (1200 + 320) = 1450 / 1520 = 0.953947… → 95.39%
#   调剂比例 50 / (1000 + 300) = 3.85%; 三公经费控制率 8.50 / 10.00 = 85.00%; 项目完成及时率 9 / 10 = 90.00%
# Each leaf by its rule (weights of the framework):
#   A11 judgement 基本合理 → 3 of 5;  A12 checklist 全部 → 5;  A21 deduction 1 item × 2 → 8 − 2 = 6;
#   A22 调剂比例 3.85% ≤ 10% → 7;
#   B11 pass mark 60: (0.9539 − 0.6) / 0.4 × 6 = 5.3085 → 5.31;
#   B12 composite: 控制率 85% ≤ 100 → 2; 变动率 3.5 points over 0 × 0.2 = 0.70 → 1.30; 2 + 1.30 = 3.30;
#   B13 不适用 (weight 3 dropped);  B14 checklist 全部 = 3, but 发生违规支出 → 0;
#   B21 composite: 配置合规 配置标准 only → 2 of 3; 资产使用率 92/100 × 3 = 2.76; 2 + 2.76 = 4.76;
#   B31 band 成效显著, own score 4 (80–100% of 4);  B32 judgement 按规定公开 → 4;
#   C11 pass mark 60: 11/12 = 91.67%; (0.9167 − 0.6) / 0.4 × 15 = 11.87625 → 11.88;
#   C12 项目完成及时率 90% × 10 = 9;  C21 96.5 ≥ 95 → 12;  C22 no survey, tier 未开展调查 → 3 of 8.
# 不适用: B13 keeps its published weight 3 and scores nothing; every other leaf keeps its framework weight and its points.
WEIGHTS = {"A11": "5", "A12": "5", "A21": "8", "A22": "7", "B11": "6", "B12": "4", "B14": "3",
           "B21": "6", "B31": "4", "B32": "4", "C11": "15", "C12": "10", "C21": "12", "C22": "8"}
POINTS = {"A11": "3", "A12": "5", "A21": "6", "A22": "7", "B11": "5.31", "B12": "3.30", "B14": "0",
          "B21": "4.76", "B31": "4", "B32": "4", "C11": "11.88", "C12": "9", "C21": "12", "C22": "3"}


def test_example_dept_scores_as_computed_by_hand(built):
    result, _ = built["example-dept"]
    scores = result.scores
    leaves = {leaf.id: leaf for leaf in scores.leaves()}
    assert {k: str(v.weight) for k, v in leaves.items()} == WEIGHTS
    assert {k: v.points for k, v in leaves.items()} == {k: Decimal(v) for k, v in POINTS.items()}
    # 部门决策 3 + 5 + 6 + 7 = 21; 部门管理 5.31 + 3.30 + 0 + 4.76 + 4 + 4 = 21.37 (of 30 − 3 = 27 that apply);
    # 部门绩效 11.88 + 9 + 12 + 3 = 35.88; points 78.25 of 97; 总分 78.25 ÷ 97 × 100 = 80.6701… → 80.67 → 良
    assert {b.name: b.points for b in scores.blocks} == {"部门决策": Decimal(21), "部门管理": Decimal("21.37"),
                                                         "部门绩效": Decimal("35.88")}
    assert {b.name: b.weight for b in scores.blocks} == {"部门决策": 25, "部门管理": 30, "部门绩效": 45}
    assert scores.scored == Decimal("78.25") and scores.applicable == 97
    assert scores.total == Decimal("80.67") and scores.grade == "良"
    assert scores.lost == Decimal("18.75")  # 97 − 78.25: 2 + 2 + 0.69 + 0.70 + 3 + 1.24 + 3.12 + 1 + 5
    assert sum((leaf.weight for leaf in leaves.values()), Decimal(0)) == Decimal(97)
    assert [(d.id, d.reason) for d in scores.dropped] == [("B13", "本年度未安排政府采购预算")]
    # four levels under 资金管理 (B1, published 16): 预算执行与经费控制 B1A = B11 5.31 + B12 3.30 = 8.61 of 10;
    # 采购与支出合规 B1B (published 6) = B14 0 of 3 that apply (B13 不适用); B1 = 8.61
    nodes = {node.id: (node.weight, node.points, node.applicable, node.level) for node in scores.nodes()}
    assert [nodes[i] for i in ("B1", "B1A", "B1B", "B11", "B14")] == [
        (16, Decimal("8.61"), 13, 2), (10, Decimal("8.61"), 10, 3), (6, 0, 3, 3), (6, Decimal("5.31"), 6, 4),
        (3, 0, 3, 4)]
    # the table's rows: B13 in its place, between B12 and B14
    assert [path[-1].id for path in scores.rows()][4:8] == ["B11", "B12", "B13", "B14"]


def test_example_dept_outputs_say_what_happened(built):
    result, folder = built["example-dept"]
    report, checks, audit = outputs(folder)
    rows = [line for line in report.splitlines() if line.startswith("| 部门")]
    # one row a leaf, composite leaves and the one that does not apply included, each part explained in its row
    assert len(rows) == 15
    [assets] = [row for row in rows if "| 资产管理 |" in row]
    assert "配置合规：审批手续（1分）未达到，扣1.00分；资产使用率：实际值为目标值的92.00%" in assets
    assert "发生违规支出，按评分标准本项得0分" in report
    # one sentence says it: the leaf, its weight and why, the weight that applies and the 总分 worked out
    assert ("以下指标本年度不适用，不计分：政府采购执行率（分值3分，本年度未安排政府采购预算）；其余指标分值合计97分，"
            "得分78.25分，按100分折算为总分80.67分（78.25÷97×100）。") in report
    assert "折算为" not in report.replace("按100分折算为总分80.67分", "")  # no per-leaf note
    # 资金管理 printed 13.00 against 5.31 + 3.30 + 0 = 8.61; B21 printed 4.76 agrees and is not listed
    assert "| 资金管理得分 | 13.00 | 8.61 | -4.39 |" in checks and "B21" not in checks
    # B1B (level 3) printed 3.00, as if 违规支出 had not zeroed B14: computed 0.00
    assert "| 采购与支出合规得分 | 3.00 | 0.00 | -3.00 |" in checks
    # the 总分 80.67 published beside it agrees with the points brought to 100: no false 不符
    assert "与填报的总分" not in checks
    # the score table has a column a level: 资金管理's leaves fill 四级指标, the others leave it blank; the framework's
    # weights as published, B13 in its row with 不适用, the 合计 the rows' sum, then the 总分 worked out
    assert "| 一级指标 | 二级指标 | 三级指标 | 四级指标 | 分值 |" in report
    assert "| 部门管理（30分） | 资金管理（16分） | 预算执行与经费控制（10分） | 预算执行率 | 6 |" in report
    assert "| 部门管理（30分） | 资金管理（16分） | 采购与支出合规（6分） | 政府采购执行率 | 3 | — | — |  | 不适用 |" in report
    assert "| 部门管理（30分） | 制度与公开（8分） | 信息公开 |  | 4 |" in report
    assert "| 合计 |  |  |  | 100 |  |  |  | 78.25 | 其中不适用指标3分不计分，适用指标分值97分 |" in report
    assert "| 折算总分 |  |  |  | 100 |  |  |  | 80.67 | ＝78.25÷97×100；自评等级：良 |" in report
    assert "资金管理中，预算执行与经费控制8.61分（权重10分），采购与支出合规0.00分（权重6分）。" in report
    assert audit["评价体系生效日期"] == "2024-01-01"
    assert audit["不适用指标"][0]["编号"] == "B13"
