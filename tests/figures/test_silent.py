"""What used to pass without a word: pacing figures that cannot be cumulative rates, last year's narrative in a new
year, a blank 自评表 section while points were lost. Expected messages are worked out by hand from the edits."""
from __future__ import annotations

import shutil

import pytest

from pipeline.run import check
from tests.helpers import edit

UNIT = "inputs/lianjiang/2024/unit.yaml"
PACING = "  季度累计执行率: [30.12, 56.48, 78.93, 100]"  # lianjiang's 预算执行率 is 100.00 % (决算数 = 全年预算数)


def found(project, dept: str = "lianjiang") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in check(project, dept).findings:
        out.setdefault(f.rule, []).append(f"{f.severity} {f.message} @ {f.where}")
    return out


def test_a_cumulative_rate_that_falls_is_an_error(project):
    edit(project / UNIT, PACING, "  季度累计执行率: [80, 50, 30, 100]")
    messages = found(project)["季度累计执行率不合理"]
    assert len(messages) == 2  # 50 < 80 and 30 < 50; 100 is the year's rate
    assert messages[0].startswith("错误 季度累计执行率 80、50、30、100 中第2季度（50%）低于第1季度（80%）")
    assert "第3季度（30%）低于第2季度（50%）" in messages[1]
    assert messages[0].endswith(f"@ {UNIT} 第194行 控制数.季度累计执行率")


def test_a_fourth_quarter_off_the_years_rate_is_said(project):
    edit(project / UNIT, PACING, "  季度累计执行率: [10, 20, 30, 40]")
    findings = found(project)
    assert "季度累计执行率不合理" not in findings
    assert findings["第4季度累计执行率与全年不符"] == [
        f"提示 第4季度累计执行率 40% 与计算的全年预算执行率 100.00% 不符 @ {UNIT} 第194行 控制数.季度累计执行率"]


def test_rates_over_100_are_errors(project):
    edit(project / UNIT, PACING, "  季度累计执行率: [150, 150, 150, 150]")
    findings = found(project)
    assert [m.split(" @ ")[0] for m in findings["季度累计执行率不合理"]] == [
        f"错误 第{q}季度累计执行率 150% 超过 100%" for q in (1, 2, 3, 4)]
    assert "第4季度累计执行率 150%" in findings["第4季度累计执行率与全年不符"][0]


def test_fractions_are_named_as_such(project):
    edit(project / UNIT, PACING, "  季度累计执行率: [0.30, 0.55, 0.80, 1]")
    findings = found(project)
    assert len(findings["季度累计执行率不合理"]) == 1
    assert "都不超过 1，像是写成了小数：应写百分数，例如 30 表示 30%" in findings["季度累计执行率不合理"][0]
    assert "第4季度累计执行率与全年不符" not in findings


def test_a_2024_report_on_2023s_narrative_is_said(project):
    # the sentence: a 2023 report's paragraph left in the 2024 report
    edit(project / UNIT, "  总体评价: |\n", "  总体评价: |\n    2023年度对34家医疗机构开展了绩效运行监控。\n\n")
    messages = found(project)["叙述沿用上年"]
    assert messages == [f"提示 “2023年度对34家医疗机构开展了绩效运行监控。…”以2023年开头，而本报告评价2024年度："
                        f"是否沿用了上年的叙述 @ {UNIT} 第125行 正文.总体评价"]


def test_an_earlier_year_as_background_to_this_years_work_is_not_said(project):
    # lianjiang's own 2024 text: “2023年，廉江市卫生健康局制定《…方案》…2024年分批次共抽调68名…”
    assert "叙述沿用上年" not in found(project)


def test_paragraphs_word_for_word_as_last_years_folder_are_said(project):
    folder = project / "inputs/lianjiang"
    shutil.copytree(folder / "2024", folder / "2023")
    edit(folder / "2023/unit.yaml", "年度: 2024", "年度: 2023")
    edit(project / "inputs/frameworks/lianjiang-2024.yaml", "生效日期: 2024-01-01", "生效日期: 2023-01-01")
    edit(folder / "2024/unit.yaml", "  部门职能: |\n    1、贯彻执行", "  部门职能: |\n    1、认真贯彻执行")
    messages = found(project)["叙述沿用上年"]
    assert any(m.startswith("提示 1段与上年报告的叙述一字不差（如“根据《关于开展2024年度市级部门单位整体支出")
               and m.endswith("@ inputs/lianjiang/2024/unit.yaml 第19行 正文.前言") for m in messages)
    # 部门职能: the first of its paragraphs changed, the others still last year's
    duties = next(m for m in messages if m.endswith("正文.部门职能"))
    assert "“1、认真贯彻执行" not in duties and "“1、贯彻执行" not in duties and "“2、负责疾病预防控制工作" in duties


def test_a_blank_achieved_section_while_points_were_lost_is_said(project):
    # example-cdc loses 100 − 97.14 = 2.86 points and writes no 总体目标完成情况 (the form's 实际完成情况)
    assert found(project, "example-cdc") == {
        "自评表必填项为空": ["提示 共扣2.86分，自评表的“实际完成情况”为空 @ inputs/example-cdc/2024/unit.yaml 第17行 正文"]}
    edit(project / "inputs/example-cdc/2024/unit.yaml", "  自评结论:", "  总体目标完成情况: 冷链设备到位18台。\n  自评结论:")
    assert found(project, "example-cdc") == {}


@pytest.mark.parametrize(("key", "value"), [("联系电话", "020-00000000"), ("项目负责人", "周明")])
def test_a_blank_form_field_is_said(project, key, value):
    unit = project / "inputs/example-cdc/2024/unit.yaml"
    edit(unit, f"{key}: {value}", f"{key}: ''")
    assert f"提示 自评表的必填项“{key}”为空" in " ".join(found(project, "example-cdc")["自评表必填项为空"])
