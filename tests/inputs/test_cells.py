"""What people type in Excel or WPS is read as they meant it, or refused with a message where it is ambiguous."""
from __future__ import annotations

import pytest

from pipeline.__main__ import main
from pipeline.errors import InputError
from pipeline.inputs.cells import money_text, number_text, percent_text
from pipeline.run import build, check
from tests.helpers import edit


@pytest.mark.parametrize("typed, meant", [
    ("１２３，４５６．７８", "123456.78"), (" 165,980.11 ", "165980.11"), ("3,000.00万元", "3000.00"),
    ("2200 万元", "2200"), ("０", "0"), ("1,234", "1234"), ("12", "12"),
])
def test_amounts_people_type(typed, meant):
    assert money_text(typed) == meant


@pytest.mark.parametrize("typed, meant", [("98.22%", "98.22"), ("９８．２２％", "98.22"), ("100", "100")])
def test_rates_people_type(typed, meant):
    assert percent_text(typed) == meant


@pytest.mark.parametrize("typed, reason", [
    ("1.234,56", "千分位应每三位一个逗号"), ("12,34", "千分位应每三位一个逗号"), ("12345元", "金额以万元为单位"),
])
def test_ambiguous_amounts_are_refused(typed, reason):
    with pytest.raises(ValueError, match=reason):
        money_text(typed)


def test_a_percent_sign_where_no_rate_belongs_is_refused():
    with pytest.raises(ValueError, match="不是百分数"):
        number_text("98%")


@pytest.mark.slow
def test_a_messy_budget_table_gives_the_same_report(project):
    _, written = build(project, "huadu")
    before = (written[0].parent / "report.md").read_bytes()
    budget = project / "inputs/huadu/2023/budget.csv"
    edit(budget, "花都区卫生健康局（本级）,60000.00,68512.40,66890.35,", "花都区卫生健康局（本级）,\"60,000.00\",６８５１２．４０, 66890.35万元 ,")
    budget.write_text(budget.read_text(encoding="utf-8").replace("\n", ",,\n"), encoding="utf-8")  # Excel's empty columns
    _, written = build(project, "huadu")
    assert (written[0].parent / "report.md").read_bytes() == before


def test_every_messy_cell_that_cannot_be_read_is_named(project):
    budget = project / "inputs/huadu/2023/budget.csv"
    edit(budget, "花都区卫生健康局（本级）,60000.00,68512.40,66890.35,", "花都区卫生健康局（本级）,\"60.000,00\",68512.40,66890.35元,")
    with pytest.raises(InputError) as caught:
        build(project, "huadu")
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith("inputs/huadu/2023/budget.csv 第2行 年初预算数：无法确定的数字写法") and "'60.000,00'" in p
               for p in found), found
    assert any(p.startswith("inputs/huadu/2023/budget.csv 第2行 决算数：金额以万元为单位") for p in found), found


@pytest.mark.slow
def test_a_cent_off_total_warns_and_strict_refuses(project, capsys):
    unit = project / "inputs/lianjiang/2024/unit.yaml"
    edit(unit, "已核实差异: [决算数合计, 预算调整]", "已核实差异: [预算调整]")
    result = check(project, "lianjiang")
    [warning] = [str(w) for w in result.warnings]
    assert warning.startswith("inputs/lianjiang/2024/unit.yaml 第196行 声明数.决算数：决算数合计填报数32953.63，"
                              "按各单位明细计算32953.64，相差0.01（尾差）")
    assert main(["--root", str(project), "report", "lianjiang", "--strict"]) == 2
    err = capsys.readouterr().err
    assert "严格模式" in err and "尾差" in err and not (project / "output").exists()
    assert main(["--root", str(project), "report", "lianjiang"]) == 0
    assert "警告：" in capsys.readouterr().err


def test_a_total_off_by_more_than_a_cent_is_an_error(project):
    edit(project / "inputs/huadu/2023/unit.yaml", "  决算数: 163020.69", "  决算数: 163020.96")
    with pytest.raises(InputError) as caught:
        build(project, "huadu")
    [problem] = [str(p) for p in caught.value.problems]
    assert "决算数合计填报数163020.96，按各单位明细计算163020.69，相差0.27" in problem and "合计数应等于明细之和" in problem


def test_spending_over_budget_warns(project):
    edit(project / "inputs/huadu/2023/budget.csv", "花都区卫生监督所,2100.00,2315.26,2315.26", "花都区卫生监督所,2100.00,2315.26,2400.00")
    edit(project / "inputs/huadu/2023/unit.yaml", "  决算数: 163020.69", "  决算数: 163105.43")
    result = check(project, "huadu")
    # huadu's budget was also adjusted without a cause (budget-adjustment-unexplained): only the overrun is asked here
    [warning] = [str(w) for w in result.warnings if w.code == "budget-overrun"]
    assert warning.startswith("inputs/huadu/2023/budget.csv 第4行 决算数：花都区卫生监督所决算数超过全年预算数（执行率103.66%）")


def test_hand_entered_score_above_the_weight_is_an_error(project):
    edit(project / "inputs/shaoguan/2024/indicators.csv", "S11,资金支出率,,,,,,,,7.10,", "S11,资金支出率,,,,,,,,13,")
    with pytest.raises(InputError) as caught:
        build(project, "shaoguan")
    assert any("indicators.csv 第2行 自评得分：得分超过该指标的权重 12" in str(p) for p in caught.value.problems)
