"""The check of figures typed in the narrative, on real report sentences: a number is compared only when its clause
ties it to one figure; what is compared is read with its unit, in Chinese numerals too; expectations by hand."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import Location
from pipeline.findings.typed import check_text
from pipeline.findings.typed_names import targets
from pipeline.run import evaluate

NARRATIVES = Path(__file__).parent / "narratives"
ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def quoted(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("units")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    for unit in (NARRATIVES / "units").iterdir():
        shutil.copytree(unit, root / "inputs" / unit.name)
    shutil.copytree(ROOT / "tests/corpus/units/case5c", root / "inputs/case5c")
    units = {"huadu": 2023, "shaoguan": 2024, "lianjiang": 2024, "baoshan": 2022, "case5": 2017, "case5c": 2023}
    return {u: (evaluate(root, u, y, strict=False, compare=False).quoted, y) for u, y in units.items()}


def said(quoted, unit: str, text: str) -> list[str]:
    found, year = quoted[unit]
    return [f.message for f in check_text(text, found, year, Location("unit.yaml", key="正文"))]


# 1. precision: numbers a clause does not tie to one figure are never errors
@pytest.mark.parametrize(("unit", "text"), [
    ("huadu", "日常公用经费全年预算数224,115.17万元，执行率95.12%。"),  # another budget than the unit's 165,980.11
    ("huadu", "总分100分，其中重点职业病主动监测人数7分。"),  # an indicator's weight, not the total
    ("huadu", "第一季度预算执行率为44.72%。"),  # a quarter, not the year (98.22%)
    ("huadu", "该指标总分6分，实际得分5.8分。"),  # no indicator named before: not the report's total
    ("huadu", "要求预算执行率超过10%，满意度高于90%。"),  # thresholds, not values
    ("huadu", "门诊量增长9.55%。"),  # no base, no named figure: nothing to compute it from
    ("huadu", "其中基本支出预算执行率为 100%，项目支出预算执行率为 98.22%。"),  # not the whole execution rate
    ("shaoguan", "安排健全现代医院管理制度项目预算资金 509774.50 万元。"),  # another project's budget (corpus case 5d)
    ("huadu", "医疗高地建设专项补助等项目预算资金支出率为 90%。"),  # other projects' rate, not the unit's 98.22%
    ("case5", "本部门对2017年整体支出开展绩效自评,自评得分90分。"),  # the total 90; 开展 is a leaf, not named here
    ("shaoguan", "自评 7.10 分，得分率 59.17%。"),  # no indicator or total named: 7.10 is 资金管理's, not the total
])
def test_what_cannot_be_tied_is_not_an_error(quoted, unit, text):
    assert said(quoted, unit, text) == []


# the misses of the old reading, each tied now (baoshan: 总分 100 优, 慰问对象 120 人, 满意度 90%, 资金 3.60 万元)
@pytest.mark.parametrize(("text", "expected"), [
    ("绩效评分99分,自评为良。", ["写作“99分”，计算的总分为100.00分", "写作等级“良”，按计算的总分100.00，等级为“优”"]),
    ("自评得分99分，等级为良。", ["写作“99分”，计算的总分为100.00分", "写作等级“良”"]),
    ("产出指标全部完成,慰问对象121人。", ["写作“121人”，计算的慰问对象人数实际值为120人"]),
    ("全面完成指标任务,群众满意度95%。", ["写作“95%”，计算的群众满意度实际值为90%"]),
    ("项目已支出3.5万元。", ["写作“3.5万元”，计算的决算数为3.60万元"]),
    ("项目到位资金3.5万元。", ["写作“3.5万元”，计算的到位数为3.60万元"]),
    ("春节慰问经费项目市级资金配套3.6元,全部到位并使用完毕。", ["写作“3.6元”，计算的市级配套资金全年预算数为3.60万元"]),
    ("慰问对象一百二十一人，群众满意度百分之九十五。", ["写作“一百二十一人”", "写作“百分之九十五”"]),
])
def test_slips_in_the_shapes_real_reports_use_are_found(quoted, text, expected):
    messages = said(quoted, "baoshan", text)
    assert len(messages) == len(expected)
    assert all(e in m for e, m in zip(expected, messages))


@pytest.mark.parametrize("text", ["春节慰问经费项目市级资金配套36000元。", "市级资金配套3.6万元。", "慰问对象一百二十人。",
                                  "群众满意度百分之九十。", "绩效评分100分,自评为优。", "资金配套0.036亿元。"])
def test_the_same_figure_in_another_unit_or_in_chinese_numerals_passes(quoted, text):
    assert said(quoted, "baoshan", text) == []


def test_the_fix_suggested_quotes_the_figure_with_its_unit(quoted):
    # the quote prints its unit; the sentence wrote 元, so the fix quotes it in 元 (3.60 万元 = 36,000 元)
    [message] = said(quoted, "baoshan", "市级资金配套3.6元。")
    assert message.endswith("把“3.6元”改为引用 {{ 数.市级配套资金全年预算数|元 }}")
    [message] = said(quoted, "baoshan", "市级资金配套3.5万元。")
    assert message.endswith("把“3.5万元”改为引用 {{ 数.市级配套资金全年预算数 }}")


def test_case5_total_is_the_report_total(quoted):
    # 部门决策 21 + 综合管理 27 + 部门绩效情况 42 = 90
    assert said(quoted, "case5", "本部门对2017年整体支出开展绩效自评,自评得分89分。") == [
        "写作“89分”，计算的总分为90.00分；把“89分”改为引用 {{ 数.总分 }}"]


def test_indicator_level_sentences_are_checked_against_that_indicator(quoted):
    # shaoguan 资金管理: 分值 12, 得分 7.10, 得分率 7.10 / 12 = 59.17%; the source printed 59.19%
    text = "（1） 资金管理。该指标主要考察预算支出率。指标权重 12 分，自评 7.10 分，得分率 59.19%。"
    assert said(quoted, "shaoguan", text) == ["写作“59.19%”，计算的资金管理得分率为59.17%；把“59.19%”改为引用 {{ 数.资金管理得分率 }}"]
    assert len(said(quoted, "shaoguan", text.replace("12 分", "13 分").replace("59.19%", "59.17%"))) == 1


def test_a_change_is_checked_against_its_base(quoted):
    # 30000 / 120000 = 25%; the direction must agree with 增加
    text = "接种剂次比上年的120000剂次增加30000剂次，增长12%。"
    assert said(quoted, "huadu", text) == ["写作“增长12%”，按上年数120000剂次与增加30000剂次应为25.00%"]
    assert said(quoted, "huadu", text.replace("增长12%", "增长25%")) == []
    assert said(quoted, "huadu", text.replace("增长12%", "下降25%")) == ["写作“下降25%”，但同句写的是增加30000剂次"]
    # 61 / 1,255 = 4.86%
    assert said(quoted, "huadu", "在职人员比上年的1,255人减少61人，下降56%。") == [
        "写作“下降56%”，按上年数1,255人与减少61人应为4.86%"]


def test_the_units_own_project_named_before_its_figure_is_still_tied(quoted):
    # shaoguan's project is 高水平医院建设, its 全年预算数 3,000.00 万元: 3,000.01 is a slip
    messages = said(quoted, "shaoguan", "省财政年初批复高水平医院建设项目预算资金 3,000.01 万元。")
    assert messages == []  # said() passes no own names: the qualifier is not known to be the unit's
    found, year = quoted["shaoguan"]
    [finding] = check_text("省财政年初批复高水平医院建设项目预算资金 3,000.01 万元。", found, year, Location("unit.yaml", key="正文"),
                           own=("韶关市第一人民医院", "高水平医院建设"))
    assert "3,000.01" in finding.message and "3,000.00" in finding.message


def test_funds_named_only_by_what_is_said_after_them_are_the_units_funds(quoted):
    # 枞阳 2023: 预拨 3608 (中央 2855 + 省级 753) + 清算 120 = 3728 万元 到位
    written = "预拨资金3608万元(中央资金2855万元、省级资金753万元),清算资金120万元,资金3827万元全部执行到位。"
    assert said(quoted, "case5c", written) == ["写作“3827万元”，计算的到位数为3,728.00万元；把“3827万元”改为引用 {{ 数.到位数 }}"]
    assert said(quoted, "case5c", written.replace("3827", "3728")) == []
    assert said(quoted, "case5c", "项目资金3728万元已全部到位。") == []
    # another's funds, or funds not said to have arrived, are not tied
    assert said(quoted, "case5c", "中央资金2855万元全部到位，资金1000万元用于设备采购。") == []


def test_a_fund_whose_name_has_a_colon_is_named_whole(tmp_path):
    # the subject of a line's figure was read back out of the display text `funds.csv：名称`, cutting at the name's own ：
    root = tmp_path
    shutil.copytree(ROOT / "inputs/frameworks", root / "inputs/frameworks")
    shutil.copytree(NARRATIVES / "units/baoshan", root / "inputs/baoshan")
    funds = next((root / "inputs/baoshan").rglob("funds.csv"))
    funds.write_text(funds.read_text(encoding="utf-8").replace("\n市级配套资金,", "\n其中：市级配套资金,"), encoding="utf-8")
    found = evaluate(root, "baoshan", 2022, strict=False, compare=False).quoted
    assert found["其中：市级配套资金全年预算数"].subject == "其中：市级配套资金"
    target = next(t for t in targets(found) if t.name == "其中：市级配套资金全年预算数")
    assert target.subjects == ("其中：市级配套资金",) and "全年预算" in target.attributes
