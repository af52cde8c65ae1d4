"""Generated sentences say only what the data holds and read as an officer writes them: one test per sentence shape,
the unit's data made to hit it, the expected text written by hand."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.report.plain import plain
from pipeline.report.sentences import attainment, numbered
from pipeline.rules.outcome import Outcome, worded
from pipeline.run import build
from tests.helpers import edit


def _leaf(inputs: dict, status: str) -> dict:
    """A scored leaf as templates see it: the wording its rule type gives what it measured."""
    shown = plain(worded(Outcome(Decimal(0), "", inputs)))
    return {"outcome": {"inputs": inputs, "shown": shown, "status": status}}


def _row(comparator: str, target_text: str) -> dict:
    return {"comparator": comparator, "target_text": target_text}


def test_numeric_target_says_target_actual_and_rate():
    leaf = _leaf({"目标值": "≥90%", "实际值": "94.39%", "完成率": "104.88%"}, "实现")
    assert attainment(leaf, _row("≥", "≥90%")) == "目标≥90%，实际94.39%，完成率104.88%，实现预期目标"


def test_yes_no_target_met_is_said_as_met():
    leaf = _leaf({"目标值": "是", "实际值": "是"}, "实现")
    assert attainment(leaf, _row("是否", "是")) == "实现预期目标"


def test_yes_no_target_missed_says_what_it_was():
    leaf = _leaf({"目标值": "是", "实际值": "否"}, "未实现")
    assert attainment(leaf, _row("是否", "是")) == "目标为“是”，实际为“否”，未实现预期目标"


def test_bare_number_is_no_qualitative_target():
    # 完成率、控制率 typed 100 as the target of a 定性 row, 按规定执行 as what happened
    leaf = _leaf({"目标值": "100", "实际值": "按规定执行", "档次": "达成预期指标"}, "实现")
    assert attainment(leaf, _row("定性", "100")) == "实际为“按规定执行”，自评为“达成预期指标”档，实现预期目标"


def test_text_actual_under_a_number_target_is_quoted_not_run_on():
    leaf = _leaf({"目标值": "服务质量有效提升", "实际值": "按规定执行"}, "实现")
    assert attainment(leaf, None) == "目标为“服务质量有效提升”，实际为“按规定执行”，实现预期目标"


def test_no_actual_leaves_out_actual_and_rate():
    leaf = _leaf({"自评得分": "3.00"}, "基本实现")
    assert attainment(leaf, _row("≥", "≥38508人")) == "目标≥38508人，基本实现预期目标"


def test_zero_target_has_no_rate():
    leaf = _leaf({"目标值": "≤0人", "实际值": "0人", "完成率": "100.00%"}, "实现")
    assert attainment(leaf, _row("≤", "≤0人")) == "目标≤0人，实际0人，实现预期目标"
    leaf = _leaf({"目标值": "≤0.5‰", "实际值": "0.3‰", "完成率": "100.00%"}, "实现")
    assert attainment(leaf, _row("≤", "≤0.5‰")) == "目标≤0.5‰，实际0.3‰，完成率100.00%，实现预期目标"


def test_nothing_known_says_nothing():
    assert attainment({"outcome": None}, None) == ""


def test_own_numbering_is_recognised():
    assert numbered("指标1:居民健康档案") and numbered("指标12：早孕建册数") and numbered("3、培训人次")
    assert not numbered("居民健康档案") and not numbered("0-6岁儿童健康管理数") and not numbered("100%覆盖率")


def _report(root: Path, dept: str) -> str:
    _, written = build(root, dept, formats=("md",), charts=False)
    return (written[0].parent / "report.md").read_text(encoding="utf-8")


def test_yes_no_rows_in_the_department_report(project):
    unit = project / "inputs" / "lianjiang" / "2024"
    edit(unit / "indicators.csv", "E11,内控制度健全性,是,是否,,是,", "E11,内控制度健全性,是,是否,,否,")
    text = _report(project, "lianjiang")
    assert "本部分量化指标完成情况：预算编制及时性实现预期目标。" in text
    assert "本部分量化指标完成情况：内控制度健全性目标为“是”，实际为“否”，未实现预期目标。" in text
    assert "目标是，实际是" not in text


def test_a_split_with_no_project_spending(project):
    budget = project / "inputs" / "example-dept" / "2024" / "budget.csv"
    edit(budget, "1150.00,400.00,750.00", "1150.00,1150.00,0.00")
    edit(budget, "300.00,120.00,180.00", "300.00,300.00,0.00")
    text = _report(project, "example-dept")
    # 1150 + 300 = 1450 万元 of 1520: 95.39%, all of it 基本支出
    assert "决算支出1450.00万元，预算执行率95.39%。决算支出均为基本支出。" in text
    assert "占0.00%" not in text


def test_fund_named_as_funds_and_zero_sources_unsaid(project):
    unit = project / "inputs" / "shaoguan" / "2024"
    edit(unit / "unit.yaml", "项目名称: 高水平医院建设", "项目名称: 高水平医院建设补助资金")
    edit(unit / "funds.csv", "省级专项资金（市财政尚未拨付部分）,财政拨款,800.00,800.00",
         "省级专项资金（市财政尚未拨付部分）,财政拨款,0.00,0.00")
    text = _report(project, "shaoguan")
    sentence = next(line for line in text.splitlines() if "安排高水平医院" in line)
    assert "安排高水平医院建设补助资金2,200.00万元，均为地方政府一般债券。" in sentence
    assert "资金专项资金" not in text and "省级专项资金" not in sentence


def test_own_numbered_indicators_not_numbered_twice(project):
    unit = project / "inputs" / "shaoguan" / "2024"
    edit(unit / "indicators.csv", "P02,发表SCI论文数量", "P02,指标2:发表SCI论文数量")
    text = _report(project, "shaoguan")
    assert "\n指标2:发表SCI论文数量（篇）。2024年全院发表SCI论文13篇。目标≥10篇，实际完成13篇，完成率130.00%，实现预期目标。" in text
    assert "指标2 指标2" not in text
    assert "\n指标1 立项国家自然科学基金项目数量（项）。" in text  # the others keep the report's numbering


@pytest.mark.slow
def test_many_missed_targets_listed_one_a_paragraph_without_full_marks(project):
    unit = project / "inputs" / "shaoguan" / "2024"
    # P02 13 of ≥20 篇 (65%), P03 90 of ≥100% (90%), P09 80 of ≥85% (94.12%) join P01 and P05 as missed
    edit(unit / "indicators.csv", "10,≥,篇,13", "20,≥,篇,13")
    edit(unit / "indicators.csv", "100,≥,%,100,,,已验收", "100,≥,%,90,,,已验收")
    edit(unit / "indicators.csv", "85,≥,%,90.13", "85,≥,%,80")
    text = _report(project, "shaoguan")
    part = text.split("项指标未完全实现预期目标")[1].split("\n## ")[0]
    assert text.count("项指标未完全实现预期目标，共扣") == 1
    assert "\n①立项国家自然科学基金项目数量，未实现预期目标，扣6.00分。原因：项目绩效目标值设置论证略显不足" in part
    assert "\n②发表SCI论文数量，未实现预期目标" in part  # 65% is under the 80% of 基本实现
    assert "\n③设备验收合格率，基本实现预期目标" in part
    assert "医院住院患者满意度" not in part  # met in full: not a missed target


def test_score_table_cells_say_no_rule_internals(built):
    _, folder = built["example-dept"]
    text = (folder / "report.md").read_text(encoding="utf-8")
    rows = {(line.split(" | ")[3] or line.split(" | ")[2]): line for line in text.splitlines() if line.startswith("| 部门")}
    # 三公经费控制: 控制率 85.00% and 变动率 3.5%, each part under its own name; 资产使用率 92 of 100 = 92.00%
    assert " | 控制率85.00%；变动率3.5% | " in rows["三公经费控制"]
    assert " | 配置合规：配置标准；资产使用率92.00% | " in rows["资产管理"]
    assert "·" not in text
    assert " | 合理得5分；基本合理得3分；不合理得0分 | " in rows["绩效目标合理性"]
    assert " | ≥90得8分；≥80得6分；未开展调查得3分；其余得0分 | " in rows["服务对象满意度"]
    assert "由单位选定" not in text


@pytest.mark.slow
def test_no_execution_chart_of_one_or_two_bars(project):
    budget = project / "inputs" / "example-dept" / "2024" / "budget.csv"
    _, written = build(project, "example-dept", formats=("md",))
    text = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "各单位预算执行情况见表1-1。" in text and "chart-budget.png" not in text  # two units: table 1-1 says it all
    with budget.open("a", encoding="utf-8") as file:  # a third unit: the chart shows how they compare
        file.write("某某站,100.00,110.00,99.00,60.00,39.00,示例\n")
    _, written = build(project, "example-dept", formats=("md",))
    assert "各单位预算执行情况见表1-1和图1-1。" in (written[0].parent / "report.md").read_text(encoding="utf-8")
    edit(budget, "某某站,100.00,110.00,99.00,60.00,39.00,示例\n", "")
    edit(budget, "某某中心,300.00,320.00,300.00,120.00,180.00,示例：2024年度决算报表\n", "")
    _, written = build(project, "example-dept", formats=("md",))
    text = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "决算支出1150.00万元，预算执行率95.83%。决算支出中" in text  # 1150 of 1200
    assert "。预算执行情况见表1-1。" in text  # one unit: no 各单位, and no chart of its one bar
    assert "chart-budget.png" not in text and "各单位预算执行率 " not in text
    assert "chart-scores.png" in text  # the score chart stays


def _without(path: Path, key: str) -> None:
    """The unit.yaml's 正文 entry `key` (a block of text) left empty."""
    import re
    text = path.read_text(encoding="utf-8")
    new = re.sub(rf"(?m)^  {key}: \|\n(?:    .*\n|\n)+", f"  {key}: \"\"\n", text, count=1)
    assert new != text
    path.write_text(new, encoding="utf-8")


def test_preface_names_the_notice_score_and_grade_in_one_sentence(project):
    unit = project / "inputs" / "shaoguan" / "2024" / "unit.yaml"
    _without(unit, "前言")
    text = _report(project, "shaoguan")
    # 85.77 分、“良”: the published report's total and grade
    assert ("\n根据《关于做好2024年第二期高水平医院建设等项目预算执行情况绩效自评的通知》（粤卫医政便函〔2025〕14号）要求，"
            "我单位开展了2024年度高水平医院建设项目支出绩效自评工作，自评得分85.77分，自评等级为“良”。现将有关情况报告如下：\n") in text


def test_preface_without_a_notice(project):
    text = _report(project, "huadu")  # no 评价通知; 96.82 分 “优” as published
    assert "\n广州市花都区卫生健康局2023年度部门整体支出绩效自评得分96.82分，自评等级为“优”。现将自评情况报告如下：\n" in text


def test_no_improvement_chapter_of_nothing_when_points_were_lost(project):
    unit = project / "inputs" / "shaoguan" / "2024" / "unit.yaml"
    _without(unit, "改进意见")
    text = _report(project, "shaoguan")  # 85.77 of 100: points lost, and nothing proposed
    assert "改进意见" not in text and "\n无。\n" not in text


def test_no_improvement_said_as_none_at_full_marks(project):
    unit = project / "inputs" / "lianjiang" / "2024" / "unit.yaml"
    _without(unit, "下一步改进措施")
    text = _report(project, "lianjiang")  # 100 of 100
    assert "## 五、下一步改进措施\n\n无。\n" in text
