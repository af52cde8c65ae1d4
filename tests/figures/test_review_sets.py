"""Review rules as data: a framework follows named rule sets with severities; Sichuan's 10 + 90 table asks for a
reason only when 预算执行率 is below 90 %, and a department report gets no project-only rule."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.inputs.review_rules import DEPARTMENT, NATIONAL, PROJECT, SETS, SICHUAN
from pipeline.run import check
from tests.helpers import edit

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "units"
FUNDS = "inputs/sichuan4c/2023/funds.csv"
FRAMEWORK = "inputs/sichuan4c/2023/frameworks/sichuan-project-2023.yaml"


@pytest.fixture
def sichuan(project) -> Path:
    """青神县 2023 (四川 510000_0013zp): 预算执行率 98 / 100 = 98 %, 0.20 of 10 points lost, no reason written."""
    shutil.copytree(CORPUS / "sichuan4c", project / "inputs" / "sichuan4c")
    return project


def rules(project, dept: str = "sichuan4c") -> dict[str, list[tuple[str, str, str]]]:
    out: dict[str, list[tuple[str, str, str]]] = {}
    for f in check(project, dept).findings:
        out.setdefault(f.rule, []).append((f.severity, f.message, f.basis))
    return out


def test_sichuan_asks_no_reason_at_98_percent_and_no_quantity_and_quality(sichuan):
    found = rules(sichuan)
    assert "扣分没有写明原因" not in found and "执行率未达90%未说明原因" not in found
    assert "产出或效益指标不全" not in found  # its indicators are 满意度 and 成本 only: no 数量/质量 requirement
    # Sichuan's set keeps “扣了分却写无问题” as a hint only
    assert found["扣了分却写“无问题”"] == [("提示", "共扣0.20分，存在问题却写“无”或没有写", "财预〔2020〕10号 第二十六条")]


def test_sichuan_asks_a_reason_below_90_percent(sichuan):
    edit(sichuan / FUNDS, "100.00,100.00,100.00,98.00", "100.00,100.00,100.00,85.00")  # 85 / 100 = 85 %
    found = rules(sichuan)
    assert found["执行率未达90%未说明原因"] == [
        ("错误", "预算执行率85.00%，未达到90%，没有说明原因", "四川省部门预算项目支出绩效自评表（510000_0013zp）填报说明")]
    text = sichuan / "inputs/sichuan4c/2023/indicators.csv"
    edit(text, "B1,预算执行率,,,,,,,,,,,,", "B1,预算执行率,,,,,,,,,,,部分采购合同次年初结算,")
    assert "执行率未达90%未说明原因" not in rules(sichuan)


def test_the_national_set_stays_the_default(sichuan):
    edit(sichuan / FRAMEWORK, "复核规则: {规则集: [四川]}", "")
    found = rules(sichuan)
    assert found["扣分没有写明原因"][0][:2] == ("错误", "“预算执行率”扣0.20分，但没有写明扣分原因或偏差原因")
    assert found["扣了分却写“无问题”"][0][0] == "错误"


def test_a_framework_sets_its_own_severities(sichuan):
    edit(sichuan / FRAMEWORK, "复核规则: {规则集: [四川]}",
         "复核规则: {规则集: [四川], 级别: {扣了分却写“无问题”: 错误, 自评表必填项为空: 不用}}")
    found = rules(sichuan)
    assert found["扣了分却写“无问题”"][0][0] == "错误" and "自评表必填项为空" not in found


@pytest.mark.parametrize(("key", "message"), [
    ("{规则集: [广东]}", "未知的复核规则集“广东”；可用：全国、四川"),
    ("{规则集: [四川], 级别: {扣分无原因: 提示}}", "级别中未知的复核规则“扣分无原因”"),
    ("{规则集: [四川], 级别: {扣了分却写“无问题”: 警告}}", "级别“警告”无效；可选：错误、提示、不用"),
])
def test_an_unknown_set_rule_or_severity_is_refused_at_its_line(sichuan, key, message):
    lines = (sichuan / FRAMEWORK).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("复核规则:"))  # where the key stands
    edit(sichuan / FRAMEWORK, "复核规则: {规则集: [四川]}", f"复核规则: {key}")
    with pytest.raises(InputError) as caught:
        check(sichuan, "sichuan4c")
    [problem] = caught.value.problems
    assert (problem.where.file, problem.where.line, problem.where.key) == (FRAMEWORK, line, "复核规则")
    assert message in problem.message


def test_a_department_report_gets_no_project_only_rule(project):
    # 达州 2017 部门整体 (case5): its indicators have no 效益 class, which only a project must have
    shutil.copytree(CORPUS / "case5", project / "inputs" / "case5")
    assert "产出或效益指标不全" not in rules(project, "case5")
    project_only = {rule.name for rules in SETS.values() for rule in rules if DEPARTMENT not in rule.kinds}
    assert project_only >= {"产出或效益指标不全", "执行率未达90%未说明原因", "自评表必填项为空"}
    assert all(PROJECT in rule.kinds for rule in SETS[NATIONAL] + SETS[SICHUAN])


def test_every_rule_names_its_source():
    for name, rules_of_set in SETS.items():
        for rule in rules_of_set:
            assert "〔" in rule.basis or "四川" in rule.basis, (name, rule)


def test_the_guide_names_every_rule_and_set():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    section = guide[guide.index("## 复核规则"):]
    for name, rules_of_set in SETS.items():
        assert f"**{name}**" in section
        for rule in rules_of_set:
            assert rule.name in section, rule.name
