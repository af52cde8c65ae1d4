"""Unit-chosen 一级 under a fixed total (Sichuan 510000_0013zp: 预算执行情况 10 + 绩效指标 90, the 90 spread by each
unit over its own 一级 categories), on three real forms re-encoded with 单位自设一级; and a 来自指标表 below 一级 whose
rows name no 二级指标 adds no level column. Every figure is computed by hand from the forms."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.report.score_table import score_table
from pipeline.run import check
from tests.conftest import copy_inputs
from tests.helpers import edit

UNITS = Path(__file__).resolve().parents[1] / "corpus" / "units"  # the corpus units, re-encoded with their own 一级


def sichuan(tmp_path: Path, name: str) -> Path:
    root = copy_inputs(tmp_path)
    shutil.copytree(UNITS / name, root / "inputs" / name)
    return root


def blocks(result) -> list[tuple[str, str, str]]:
    return [(b.name, str(b.weight), str(b.points)) for b in result.scores.blocks]


def test_4a_output_60_and_benefit_30_stand_as_two_first_levels(tmp_path):
    result = check(sichuan(tmp_path, "sichuan4"), "sichuan4")
    # 251.89 / 251.89 = 100% × 10 = 10; P01 = 100 of = 100 → 60; E01 → 30; 10 + 60 + 30 = 100
    assert blocks(result) == [("预算执行情况", "10", "10.00"), ("产出指标", "60", "60.00"), ("效益指标", "30", "30.00")]
    assert result.scores.total == Decimal("100.00") and result.scores.grade == "优"
    table = score_table(result.scores, result.inputs.facts, result.inputs.framework)
    assert [c.key for c in table.columns][:3] == ["一级指标", "二级指标", "三级指标"]
    assert [row[0] for row in table.rows] == ["预算执行情况（10分）", "产出指标（60分）", "效益指标（30分）"]
    assert not any("绩效指标（90分）" in cell for row in table.rows for cell in row)


def test_4b_one_quality_indicator_of_90(tmp_path):
    result = check(sichuan(tmp_path, "sichuan4b"), "sichuan4b")
    # 3.36 / 3.36 → 10; P01 = 100 of = 100 → 90 under 产出指标 / 质量指标
    assert blocks(result) == [("预算执行情况", "10", "10.00"), ("产出指标", "90", "90.00")]
    assert [c.name for c in result.scores.blocks[1].children] == ["质量指标"]
    assert result.scores.total == Decimal("100.00")


def test_4c_four_indicators_at_22_5(tmp_path):
    result = check(sichuan(tmp_path, "sichuan4c"), "sichuan4c")
    # 98 / 100 = 98% × 10 = 9.80; 产出 3 × 22.5 = 67.5 (数量 45, 时效 22.5); 效益 22.5; 9.80 + 67.5 + 22.5 = 99.80
    assert blocks(result) == [("预算执行情况", "10", "9.80"), ("产出指标", "67.5", "67.50"), ("效益指标", "22.5", "22.50")]
    assert [(c.name, str(c.weight)) for c in result.scores.blocks[1].children] == [("数量指标", "45.0"), ("时效指标", "22.5")]
    assert result.scores.total == Decimal("99.80")


def test_the_unit_weights_must_add_up_to_the_frameworks_total(tmp_path):
    root = sichuan(tmp_path, "sichuan4")
    edit(root / "inputs/sichuan4/2023/indicators.csv", "效益指标,社会效益指标,30,", "效益指标,社会效益指标,25,")
    with pytest.raises(InputError) as error:
        check(root, "sichuan4")
    text = str(error.value)
    # 60 + 25 = 85, not 90
    assert "单位自设的各一级指标权重合计 85，与评价体系中“绩效指标”的 90 不符" in text


def test_a_class_the_framework_does_not_take_is_refused(tmp_path):
    root = sichuan(tmp_path, "sichuan4")
    edit(root / "inputs/sichuan4/2023/indicators.csv", "效益指标,社会效益指标,30,", "影响指标,社会效益指标,30,")
    with pytest.raises(InputError) as error:
        check(root, "sichuan4")
    assert "评价体系不接收这一类指标" in str(error.value) and "影响指标" in str(error.value)


def test_own_first_levels_only_in_place_of_a_first_level(tmp_path):
    root = sichuan(tmp_path, "sichuan4")
    fw = root / "inputs/sichuan4/2023/frameworks/sichuan-project-2023.yaml"
    edit(fw, "  - 编号: K\n    名称: 绩效指标\n    权重: 90\n    来自指标表:",
         "  - 编号: K\n    名称: 绩效指标\n    权重: 90\n    下级:\n      - 编号: K1\n        名称: 指标\n        权重: 90\n"
         "        来自指标表:")
    with pytest.raises(InputError) as error:
        check(root, "sichuan4")
    assert "单位自设一级指标的位置应是一个没有下级的一级指标" in str(error.value)


def test_department_rows_without_a_level_2_add_no_empty_level_column(tmp_path):
    """huadu-style department framework whose 履职成效 (a 二级) takes the unit's own indicators: they sit at level 3,
    as the other leaves do; the table has three level columns, not a mostly empty 四级指标."""
    root = copy_inputs(tmp_path)
    fw = root / "inputs/frameworks/own-dept.yaml"
    fw.write_text("""\
名称: 自设指标的部门整体评价表
适用: department
生效日期: 2023-01-01
来源: 测试用
指标:
  - 编号: D
    名称: 部门决策
    权重: 40
    下级:
      - 编号: D1
        名称: 预算管理
        权重: 40
        下级:
          - {编号: D11, 名称: 预算执行率, 权重: 40, 规则: {类型: ratio, 测算指标: 预算执行率}}
  - 编号: E
    名称: 部门绩效
    权重: 60
    下级:
      - 编号: E1
        名称: 履职成效
        权重: 60
        来自指标表: {一级指标: [履职成效], 分配: 权重, 规则: {类型: completion}}
""", encoding="utf-8")
    unit = root / "inputs/huadu/2023"
    edit(unit / "unit.yaml", "评价体系: huadu-2023", "评价体系: own-dept")
    # the analysis under huadu's own 一级 names, written for this framework's
    edit(unit / "unit.yaml", "    履职效能: |", "    部门决策: |")
    edit(unit / "unit.yaml", "    管理效率: |", "    部门绩效: |")
    (unit / "indicators.csv").write_text(
        "指标编号,指标名称,一级指标,二级指标,权重,目标值,比较符,计量单位,实际值\n"
        "D11,预算执行率,,,,,,,\n"
        "K01,重点工作任务完成率,履职成效,,36,100,≥,%,95\n"
        "K02,为民办实事项目数,履职成效,,24,5,≥,项,5\n", encoding="utf-8")
    result = check(root, "huadu")
    # huadu: 163,020.69 / 165,980.11 = 98.217…% × 40 = 39.287 → 39.29; K01 95/100 × 36 = 34.20; K02 5 ≥ 5 → 24
    points = {leaf.id: str(leaf.points) for leaf in result.scores.leaves()}
    assert points == {"D11": "39.29", "K01": "34.20", "K02": "24.00"}
    assert [leaf.level for leaf in result.scores.leaves()] == [3, 3, 3]
    table = score_table(result.scores, result.inputs.facts, result.inputs.framework)
    levels = [c.key for c in table.columns if c.key.endswith("级指标")]
    assert levels == ["一级指标", "二级指标", "三级指标"]
    assert table.rows[1][:3] == ("部门绩效（60分）", "履职成效（60分）", "重点工作任务完成率")
    # 39.29 + 34.20 + 24 = 97.49
    assert result.scores.total == Decimal("97.49")


def test_case5_dazhou_department_gets_no_empty_fourth_level(tmp_path):
    """达州's 履职成效 (a 二级, 20 points) filled from indicators.csv with 二级指标 left empty: K01 and K02 are 三级."""
    result = check(sichuan(tmp_path, "case5"), "case5")
    table = score_table(result.scores, result.inputs.facts, result.inputs.framework)
    assert [c.key for c in table.columns if c.key.endswith("级指标")] == ["一级指标", "二级指标", "三级指标"]
    row = next(r for r in table.rows if r[2] == "年度重点工作任务完成率")
    assert row[:2] == ("部门绩效情况（45分）", "履职成效（20分）")
    # the unit's own scores: 决策 5+5+5+2+4 = 21; 管理 M11 1 + M12 1 + M2 2 + M31 2 + M32 1 + M41 1 + M42 1
    # + M51..M53 6 + M6 2 + M71..M73 6 + M81 2 + M82 2 = 27; 绩效 K01 12 + K02 8 (both met) + E21..E23 12
    # + E31 3 + E32 3 + E33 4 = 42; 21 + 27 + 42 = 90, as printed
    assert [str(b.points) for b in result.scores.blocks] == ["21.00", "27.00", "42.00"]
    assert result.scores.total == Decimal("90.00")
