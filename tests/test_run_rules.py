"""A department unit unlike the examples, scored under a dated framework with the rules bureaus write: a composite
leaf, a zeroing condition, a judgement tier, a tier chosen by judgement, pass marks, 不适用 and a printed score
for a second-level node. Every expected figure is computed by hand in the comments."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.inputs.framework import in_force
from pipeline.run import build
from tests.helpers import outputs, without_analysis

FRAMEWORK = """\
名称: 某市部门整体支出绩效评价指标体系
适用: department
来源: 测试用评价体系（虚构）
版本:
  - 生效日期: 2022-01-01
    名称: 某市部门整体支出绩效评价指标体系（2022年版）
    指标:
      - {编号: A, 名称: 预算执行, 权重: 100, 下级: [{编号: A1, 名称: 执行, 权重: 100, 下级: [
          {编号: A11, 名称: 预算执行率, 权重: 100, 规则: {类型: ratio, 测算指标: 预算执行率}}]}]}
  - 生效日期: 2023-01-01
    指标:
      - 编号: A
        名称: 管理
        权重: 40
        下级:
          - 编号: A1
            名称: 预算执行
            权重: 20
            下级:
              - 编号: A11
                名称: 预算执行率
                权重: 10
                规则: {类型: tiers, 测算指标: 预算执行率, 分档: [{条件: ">= 100", 得分: 10},
                          {条件: ">= 80", 得分: 7}, {条件: ">= 60", 得分: 5}, {得分: 0}]}
              - 编号: A12
                名称: 资产管理
                权重: 10
                规则:
                  类型: composite
                  部分:
                    - {名称: 配置合规, 分值: 4, 规则: {类型: checklist, 清单: [{名称: 配置标准, 分值: 2}, {名称: 审批手续, 分值: 2}]}}
                    - {名称: 资产使用率, 分值: 6, 规则: {类型: ratio}}
          - 编号: A2
            名称: 公开与采购
            权重: 20
            下级:
              - 编号: A21
                名称: 信息公开
                权重: 5
                规则: {类型: judgement, 档次: [{名称: 按规定公开, 得分: 5}, {名称: 公开但不符合要求, 得分: 3}, {名称: 未公开, 得分: 0}]}
              - 编号: A22
                名称: 政府采购执行
                权重: 10
                规则: {类型: ratio, 超过100%: 得0分}
              - 编号: A23
                名称: 财务合规
                权重: 5
                规则: {类型: checklist, 清单: [{名称: 制度健全, 分值: 2}, {名称: 执行有效, 分值: 3}], 得0分条件: [{情形: 发生违规支出}]}
      - 编号: B
        名称: 绩效
        权重: 60
        下级:
          - 编号: B1
            名称: 产出
            权重: 30
            下级:
              - {编号: B11, 名称: 主动监测人数, 权重: 15, 规则: {类型: completion}}
              - 编号: B12
                名称: 服务对象满意度
                权重: 15
                规则: {类型: tiers, 分档: [{条件: ">= 90", 得分: 15}, {条件: ">= 80", 得分: 12}, {名称: 未开展调查, 得分: 6}, {得分: 0}]}
          - 编号: B2
            名称: 效果
            权重: 30
            下级:
              - {编号: B21, 名称: 培训覆盖率, 权重: 30, 规则: {类型: ratio, 及格线: 60}}
"""

FACTS = """\
指标编号,指标名称,目标值,比较符,计量单位,实际值,已完成项,档次,说明,发生情形,不适用原因
A11,预算执行率,,,,,,,,,
A12,资产管理,100,,%,90,配置标准,,审批手续不全的资产2项,,
A21,信息公开,,,,,,公开但不符合要求,决算公开晚于规定时限5天,,
A22,政府采购执行,,,,,,,,,本年度未安排政府采购预算
A23,财务合规,,,,,全部,,专项检查发现1笔违规列支,发生违规支出,
B11,主动监测人数,500,≥,人,523,,,,,
B12,服务对象满意度,,,,,,未开展调查,本年度未组织满意度调查，由评价小组定档,,
B21,培训覆盖率,100,,%,90,,,,,
"""


@pytest.fixture
def unit(project: Path) -> Path:
    folder = project / "inputs" / "ruletest" / "2023"
    shutil.copytree(project / "inputs" / "huadu" / "2023", folder)
    (folder / "frameworks").mkdir()
    (folder / "frameworks" / "city-dept.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (folder / "indicators.csv").write_text(FACTS, encoding="utf-8")
    text = (folder / "unit.yaml").read_text(encoding="utf-8")
    text = without_analysis(text.replace("评价体系: huadu-2023", "评价体系: city-dept"))
    head, _, _ = text.partition("已公布:")
    (folder / "unit.yaml").write_text(head + "已公布:\n  指标得分:\n    A1: 14.40\n    公开与采购: 3.50\n", encoding="utf-8")
    return project


@pytest.mark.slow
def test_every_new_rule_scored_as_computed_by_hand(unit: Path):
    result, written = build(unit, "ruletest")
    scores = result.scores
    leaves = {leaf.id: leaf for leaf in scores.leaves()}
    # before 不适用: A11 预算执行率 163020.69/165980.11 = 98.22% → tier ≥ 80 → 7;
    # A12 composite: 配置合规 only 配置标准 2 of 4; 资产使用率 90/100 × 6 = 5.40; 2 + 5.40 = 7.40;
    # A21 judgement 公开但不符合要求 → 3; A23 checklist 全部 = 5, but 发生违规支出 → 0;
    # B11 523 ≥ 500 → 15; B12 no survey, tier 未开展调查 → 6; B21 (90% − 60%)/40% × 30 = 22.50.
    # A22 不适用: it scores nothing and keeps its weight 10 in the table; the others keep the framework's weights.
    expected = {"A11": ("10", "7"), "A12": ("10", "7.40"), "A21": ("5", "3"), "A23": ("5", "0"),
                "B11": ("15", "15"), "B12": ("15", "6"), "B21": ("30", "22.50")}
    assert {k: (v.weight, v.points) for k, v in leaves.items()} == {k: (Decimal(w), Decimal(p))
                                                                    for k, (w, p) in expected.items()}
    # 7 + 7.40 + 3 + 0 + 15 + 6 + 22.50 = 60.90 of 100 − 10 = 90; 60.90 ÷ 90 × 100 = 67.666… → 67.67 → 中
    assert scores.scored == Decimal("60.90") and scores.applicable == 90
    assert scores.total == Decimal("67.67") and scores.grade == "中"
    assert [(d.id, d.weight) for d in scores.dropped] == [("A22", Decimal(10))]
    assert result.inputs.framework.valid_from.isoformat() == "2023-01-01"
    folder = written[0].parent
    report, checks, audit = outputs(folder)
    # the composite leaf is one row whose reason names each part
    row = next(line for line in report.splitlines() if line.startswith("|") and "资产管理" in line)
    assert "配置合规：审批手续（2分）未达到" in row and "资产使用率：" in row and "90.00%" in row
    assert "发生违规支出，按评分标准本项得0分" in report
    assert "选定“公开但不符合要求”档" in report
    assert "政府采购执行（分值10分，本年度未安排政府采购预算）" in report and "分值由" not in report
    # the basis cites the framework and the notices its 来源 names, never a date of our own versioning
    basis = next(line for line in report.splitlines() if "评分依据：" in line)
    assert "起施行" not in basis and result.inputs.framework.name in basis
    assert audit["评价体系生效日期"] == "2023-01-01"
    assert audit["不适用指标"] == [{"编号": "A22", "名称": "政府采购执行", "分值": "10.00", "原因": "本年度未安排政府采购预算"}]
    assert audit["适用指标分值"] == "90.00" and audit["得分合计"] == "60.90" and audit["总分"] == "67.67"
    # printed A1 14.40 = 7 + 7.40 agrees; 公开与采购 printed 3.50 against 3 + 0 (A22 不适用) = 3.00 is listed
    assert "3.50" in checks and "指标得分.公开与采购" in checks and "指标得分.A1" not in checks


@pytest.mark.slow
def test_the_version_in_force_is_the_latest_begun_by_the_year_end(unit: Path):
    result, _ = build(unit, "ruletest")
    older = result.inputs.framework.model_copy(update={"valid_from": result.inputs.framework.valid_from.replace(year=2022)})
    newer = result.inputs.framework
    assert in_force([older, newer], 2023) is newer
    assert in_force([older, newer], 2022) is older
    assert in_force([older, newer], 2021) is None


@pytest.mark.parametrize("edit, message", [
    (("发生违规支出,", ","), "须说明是否发生：发生违规支出"),
    (("决算公开晚于规定时限5天", ""), "选定“公开但不符合要求”档须写明理由"),
    (("公开但不符合要求,", "部分公开,"), "档次不在评分规则之列"),
    (("B11,主动监测人数,500,≥,人,523", "B11,主动监测人数,500,≥,人,-523"), "不能为负数"),
])
def test_rule_facts_missing_or_impossible_are_located(unit: Path, capsys, edit, message):
    csv = unit / "inputs" / "ruletest" / "2023" / "indicators.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    assert main(["--root", str(unit), "report", "ruletest"]) == 2
    err = capsys.readouterr().err
    assert "indicators.csv 第" in err and message in err and "Traceback" not in err


def _cdc_rule_column(project: Path, c02_rule: str, c02_score: str) -> None:
    csv = project / "inputs" / "example-cdc" / "2024" / "indicators.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",评分规则"]
    for line in lines[1:]:
        if line.startswith("C02,"):
            cells = line.split(",")
            cells[10] = c02_score  # 自评得分
            line = ",".join(cells) + f",{c02_rule}"
        else:
            line += ","
        out.append(line)
    csv.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_a_hand_score_is_kept_and_the_rule_shown_beside_it(project: Path):
    # C02 冷链设备更新台数, weight 15, target ≥ 20, actual 18: the rule gives 15 × 18/20 = 13.50; the unit keeps 14
    _cdc_rule_column(project, "manual", "14")
    result, written = build(project, "example-cdc", formats=("md",), charts=False)
    [leaf] = [leaf for leaf in result.scores.leaves() if leaf.id == "C02"]
    assert leaf.points == Decimal("14.00") and leaf.outcome.reference.points == Decimal("13.50")
    assert "对照评分标准" in leaf.outcome.standard and "计得13.50分" in leaf.outcome.standard
    checks = (written[0].parent / "checks.md").read_text(encoding="utf-8")
    assert "| 冷链设备更新台数得分（人工评分与评分标准） | 14.00 | 13.50 | -0.50 |" in checks


def test_a_rule_the_framework_does_not_offer_is_refused(project: Path, capsys):
    _cdc_rule_column(project, "按完成率", "")
    assert main(["--root", str(project), "report", "example-cdc"]) == 2
    err = capsys.readouterr().err
    assert "indicators.csv 第4行 评分规则：评价体系没有提供这个评分规则（当前值：'按完成率'）" in err
    assert "可选：manual" in err


MIXED = """\
名称: 层级不齐的评价体系
适用: department
生效日期: 2023-01-01
来源: 测试用评价体系（虚构）
指标:
  - {编号: X, 名称: 预算执行率一级, 权重: 20, 规则: {类型: ratio, 测算指标: 预算执行率}}
  - 编号: Y
    名称: 管理二级
    权重: 30
    下级:
      - {编号: Y1, 名称: 政府采购二级叶, 权重: 30, 规则: {类型: ratio, 测算指标: 政府采购执行率}}
  - 编号: Z
    名称: 绩效三级
    权重: 50
    下级:
      - 编号: Z1
        名称: 产出块
        权重: 50
        下级:
          - {编号: Z11, 名称: 监测人数三级叶, 权重: 50, 规则: {类型: completion}}
"""


@pytest.mark.slow
def test_a_tree_of_uneven_depth_names_every_level_in_every_output(project: Path):
    folder = project / "inputs" / "mixed" / "2023"
    shutil.copytree(project / "inputs" / "huadu" / "2023", folder)
    (folder / "frameworks").mkdir()
    (folder / "frameworks" / "mixed.yaml").write_text(MIXED, encoding="utf-8")
    (folder / "indicators.csv").write_text("指标编号,目标值,比较符,计量单位,实际值\nX,,,,\nY1,,,,\nZ11,500,≥,人,523\n",
                                          encoding="utf-8")
    text = without_analysis((folder / "unit.yaml").read_text(encoding="utf-8").replace("评价体系: huadu-2023", "评价体系: mixed"))
    (folder / "unit.yaml").write_text(text.partition("已公布:")[0], encoding="utf-8")
    result, written = build(project, "mixed", formats=("md", "docx", "html"), charts=False)
    # 20 × 98.22% = 19.644 → 19.64; 政府采购 9912.37 / 9865.40 = 100.48% → capped, 30; 523 ≥ 500 → 50
    assert result.scores.total == Decimal("99.64")
    out = written[0].parent
    report = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    for name in ("预算执行率一级", "管理二级", "政府采购二级叶", "绩效三级", "产出块", "监测人数三级叶"):
        assert name in report and name in html


@pytest.mark.slow
def test_a_framework_leaf_beside_the_units_own_indicators(project: Path):
    # 产出指标 50 = a framework leaf 预算执行率复核 (10, same rule as N11) + the unit's four 产出 rows sharing 40 evenly:
    # C01 126540 ≥ 120000 → 10; C02 18/20 = 90% → 9.00; C03 97.2 ≥ 95 → 10; C04 ≤ 10 months, 11: 10/11 = 90.91% → 9.09
    path = project / "inputs" / "frameworks" / "national-project-2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    来自指标表: {一级指标: [产出指标], 分配: 权重, 规则: {类型: completion}}\n",
        "    下级:\n      - {编号: N21, 名称: 预算执行率复核, 权重: 10, 规则: {类型: ratio, 测算指标: 预算执行率}}\n"
        "    来自指标表: {一级指标: [产出指标], 分配: 平均, 规则: {类型: completion}}\n"), encoding="utf-8")
    result, written = build(project, "example-cdc", formats=("md", "docx"), charts=False)
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert report.count("预算执行率复核") >= 2  # the score table and the narrative of 产出指标
    [output] = [b for b in result.scores.blocks if b.name == "产出指标"]
    leaves = {leaf.id: (str(leaf.weight), str(leaf.points)) for leaf in output.leaves()}
    n11 = next(leaf for leaf in result.scores.leaves() if leaf.id == "N11")
    assert leaves == {"N21": ("10", str(n11.points)), "C01": ("10.00", "10.00"), "C02": ("10.00", "9.00"),
                      "C03": ("10.00", "10.00"), "C04": ("10.00", "9.09")}
    assert output.weight == Decimal(50)
