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
# 不适用: the 14 other weights (97) rescaled to 100 to the cent; exact w × 100/97 rounded down, the 7 cents left go to
# the largest remainders (C12 .0093, A21 .0074, C22 .0074, A22 .0065, B11 .0056, B21 .0056, A11 .0046):
WEIGHTS = {"A11": "5.16", "A12": "5.15", "A21": "8.25", "A22": "7.22", "B11": "6.19", "B12": "4.12", "B14": "3.09",
           "B21": "6.19", "B31": "4.12", "B32": "4.12", "C11": "15.46", "C12": "10.31", "C21": "12.37", "C22": "8.25"}
# points in proportion, half up: 3×5.16/5 = 3.096 → 3.10; 6×8.25/8 = 6.1875 → 6.19; 5.31×6.19/6 = 5.478… → 5.48;
# 3.30×4.12/4 = 3.399 → 3.40; 4.76×6.19/6 = 4.9107 → 4.91; 11.88×15.46/15 = 12.2443 → 12.24; 9×10.31/10 = 9.279 → 9.28;
# 3×8.25/8 = 3.09375 → 3.09; full marks keep the new weight.
POINTS = {"A11": "3.10", "A12": "5.15", "A21": "6.19", "A22": "7.22", "B11": "5.48", "B12": "3.40", "B14": "0.00",
          "B21": "4.91", "B31": "4.12", "B32": "4.12", "C11": "12.24", "C12": "9.28", "C21": "12.37", "C22": "3.09"}


def test_example_dept_scores_as_computed_by_hand(built):
    result, _ = built["example-dept"]
    scores = result.scores
    leaves = {leaf.id: leaf for leaf in scores.leaves()}
    assert {k: str(v.weight) for k, v in leaves.items()} == WEIGHTS
    assert {k: str(v.points) for k, v in leaves.items()} == POINTS
    # 部门决策 3.10 + 5.15 + 6.19 + 7.22 = 21.66; 部门管理 5.48 + 3.40 + 0 + 4.91 + 4.12 + 4.12 = 22.03;
    # 部门绩效 12.24 + 9.28 + 12.37 + 3.09 = 36.98; total 80.67 → 良 (80 ≤ 80.67 < 90)
    assert {b.name: str(b.points) for b in scores.blocks} == {"部门决策": "21.66", "部门管理": "22.03", "部门绩效": "36.98"}
    assert scores.total == Decimal("80.67") and scores.grade == "良"
    assert sum((leaf.weight for leaf in leaves.values()), Decimal(0)) == Decimal(100)
    assert [(d.id, d.reason) for d in scores.dropped] == [("B13", "本年度未安排政府采购预算")]
    # four levels under 资金管理 (B1): 预算执行与经费控制 B1A = B11 5.48 + B12 3.40 = 8.88 of 6.19 + 4.12 = 10.31;
    # 采购与支出合规 B1B = B14 0.00 of 3.09 (B13 dropped); B1 = 8.88 of 13.40
    nodes = {node.id: (str(node.weight), str(node.points), node.level) for node in scores.nodes()}
    assert [nodes[i] for i in ("B1", "B1A", "B1B", "B11", "B14")] == [
        ("13.40", "8.88", 2), ("10.31", "8.88", 3), ("3.09", "0.00", 3), ("6.19", "5.48", 4), ("3.09", "0.00", 4)]


def test_example_dept_outputs_say_what_happened(built):
    result, folder = built["example-dept"]
    report, checks, audit = outputs(folder)
    rows = [line for line in report.splitlines() if line.startswith("| 部门")]
    # one row a leaf, composite leaves included, each part explained in its row
    assert len(rows) == 14
    [assets] = [row for row in rows if "| 资产管理 |" in row]
    assert "配置合规：未达到：审批手续（1分），扣1.00分；资产使用率：实际值/目标值92.00%" in assets
    assert "发生违规支出，按评分标准本项得0分" in report
    assert "政府采购执行率（原分值3分，本年度未安排政府采购预算）" in report
    # 资金管理 printed 13.00 against 5.48 + 3.40 + 0 = 8.88; B21 printed 4.91 agrees and is not listed
    assert "| 资金管理得分 | 13.00 | 8.88 | -4.12 |" in checks and "B21" not in checks
    # B1B (level 3) printed 3.00, as if 违规支出 had not zeroed B14: computed 0.00
    assert "| 采购与支出合规得分 | 3.00 | 0.00 | -3.00 |" in checks
    # the score table has a column a level: 资金管理's leaves fill 四级指标, the others leave it blank
    assert "| 一级指标 | 二级指标 | 三级指标 | 四级指标 | 分值 |" in report
    assert "| 部门管理（27.83分） | 资金管理（13.4分） | 预算执行与经费控制（10.31分） | 预算执行率 | 6.19 |" in report
    assert "| 部门管理（27.83分） | 制度与公开（8.24分） | 信息公开 |  | 4.12 |" in report
    assert "资金管理中，预算执行与经费控制8.88分（权重10.31分），采购与支出合规0.00分（权重3.09分）。" in report
    assert audit["评价体系生效日期"] == "2024-01-01"
    assert audit["不适用指标"][0]["编号"] == "B13"
