"""Amounts are exact at the unit's 金额小数位 and every printed table adds up; a row named twice is refused.

Expected figures are computed by hand in each test: 1.005 × 3 + 0.100 = 3.115; 100.005 + 200.005 + 300.005 = 600.015.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from pipeline.errors import InputError
from pipeline.run import build, check
from tests.helpers import edit

HUADU = "inputs/huadu/2023"
CDC = "inputs/example-cdc/2024"
DECLARED = "声明数:   # 原报告正文中的合计数，用于与各单位明细之和核对\n  全年预算数: 165980.11\n  决算数: 163020.69\n"
BUDGET_HEAD = "单位名称,年初预算数,全年预算数,决算数,来源\n"
FUNDS_HEAD = "资金来源,资金性质,年初预算数,全年预算数,到位数,已支出,来源\n"


def problems_of(project: Path, dept: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        check(project, dept)
    return [str(p) for p in caught.value.problems]


def small_budget(project: Path, rows: str, places: int | None) -> None:
    """huadu with a budget of the given rows, no declared totals, and the given 金额小数位."""
    unit = project / HUADU / "unit.yaml"
    edit(unit, DECLARED, "")
    if places is not None:
        edit(unit, "单位名称:", f"金额小数位: {places}\n单位名称:")
    (project / HUADU / "budget.csv").write_text(BUDGET_HEAD + rows, encoding="utf-8")


ROWS_1005 = "甲,1.005,1.005,1.005,\n乙,1.005,1.005,1.005,\n丙,1.005,1.005,1.005,\n丁,0.10,0.10,0.10,\n"


@pytest.mark.parametrize("cell, decimals", [("1.005", 3), ("1.0051", 4), ("１．００５", 3), ("1.00500001", 8)])
def test_amount_finer_than_the_printed_precision_is_refused_at_its_cell(project, cell, decimals):
    small_budget(project, ROWS_1005.replace("丙,1.005,1.005,1.005", f"丙,1.005,1.00,{cell}"), None)
    found = [p for p in problems_of(project, "huadu") if "第4行 决算数" in p]
    assert len(found) == 1, found
    assert f"金额有 {decimals} 位小数，多于本单位的金额小数位 2" in found[0]
    assert (f"金额小数位: {decimals}" if decimals <= 4 else "最多保留 4 位小数") in found[0]


def test_amount_in_unit_yaml_is_refused_at_its_key(project):
    unit = project / HUADU / "unit.yaml"
    edit(unit, "  三公经费预算: 45.00 ", "  三公经费预算: 45.125")
    line = next(i for i, text in enumerate(unit.read_text(encoding="utf-8").splitlines(), 1) if "45.125" in text)
    found = [p for p in problems_of(project, "huadu") if "三公经费预算" in p]
    assert found == [f"inputs/huadu/2023/unit.yaml 第{line}行 控制数.三公经费预算：金额有 3 位小数，多于本单位的金额小数位 2"
                     f"（当前值：'45.125'）；请按 2 位小数填写，或在 unit.yaml 设 金额小数位: 3（金额按此列示和合计）"]


@pytest.mark.parametrize("places", ["1", "5", "两", "2.5"])
def test_printed_precision_outside_two_to_four_is_refused(project, places):
    edit(project / HUADU / "unit.yaml", "单位名称:", f"金额小数位: {places}\n单位名称:")
    assert any("金额小数位" in p for p in problems_of(project, "huadu"))


def test_trailing_zeros_are_not_extra_decimals(project):
    small_budget(project, ROWS_1005.replace("1.005", "1.0100"), None)
    result = check(project, "huadu")
    assert result.figures.budget_total.budget == Decimal("3.13")  # 1.01 × 3 + 0.10


def test_budget_table_at_three_places_adds_up(project):
    small_budget(project, ROWS_1005, 3)
    result, written = build(project, "huadu", formats=("md",))
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    rows = [line for line in report.splitlines() if line.startswith(("| 甲 ", "| 乙 ", "| 丙 ", "| 丁 ", "| 合计 "))]
    assert [row.split("|")[2].strip() for row in rows[:5]] == ["1.005", "1.005", "1.005", "0.100", "3.115"], rows
    # the sentence quotes the same total as the table
    assert "决算支出3.115万元" in report


def test_form_at_three_places_adds_up(project):
    funds = (FUNDS_HEAD + "甲资金,财政拨款,100.005,100.005,100.005,100.005,\n"
             "乙资金,上年结转,200.005,200.005,200.005,200.005,\n丙资金,其他资金,300.005,300.005,300.005,300.005,\n")
    (project / CDC / "funds.csv").write_text(funds, encoding="utf-8")
    edit(project / CDC / "unit.yaml", "单位名称:", "金额小数位: 3\n单位名称:")
    result, written = build(project, "example-cdc", formats=("md", "form"))
    form = Document(str(written[0].parent / "自评表.docx"))
    cells = {cell.text.strip() for table in form.tables for row in table.rows for cell in row.cells}
    assert {"100.005", "200.005", "300.005", "600.015"} <= cells, cells
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "| 合计 | 600.015 | 600.015 | 600.015 | 600.015 |" in report


def test_declared_total_rounded_by_the_source_is_a_tail_difference(project):
    small_budget(project, ROWS_1005, 3)
    edit(project / HUADU / "unit.yaml", "单位名称:", "声明数:\n  决算数: 3.12\n单位名称:")
    result = check(project, "huadu")
    [warning] = [str(w) for w in result.warnings if "决算数合计" in str(w)]
    assert "填报数3.120，按各单位明细计算3.115，相差0.005（尾差）" in warning


@pytest.mark.parametrize("table, rows, column", [
    ("budget.csv", BUDGET_HEAD + "甲,1.00,1.00,1.00,\n乙,2.00,2.00,2.00,\n甲,3.00,3.00,3.00,\n", "单位名称"),
    ("budget.csv", BUDGET_HEAD + "甲,1.00,1.00,1.00,\n 甲 ,3.00,3.00,3.00,\n乙,2.00,2.00,2.00,\n", "单位名称"),
])
def test_a_sub_unit_named_twice_is_refused_naming_both_rows(project, table, rows, column):
    edit(project / HUADU / "unit.yaml", DECLARED, "")
    (project / HUADU / table).write_text(rows, encoding="utf-8")
    found = [p for p in problems_of(project, "huadu") if "重复" in p]
    assert len(found) == 1 and f" {column}：与第2行重复（当前值：'甲'）" in found[0], found
    assert "budget.csv 第3行" in found[0] or "budget.csv 第4行" in found[0]


def test_a_fund_source_named_twice_is_refused_but_one_name_of_two_natures_is_not(project):
    rows = FUNDS_HEAD + "甲资金,财政拨款,1.00,1.00,1.00,1.00,\n甲资金,上年结转,2.00,2.00,2.00,2.00,\n"
    (project / CDC / "funds.csv").write_text(rows, encoding="utf-8")
    check(project, "example-cdc")
    (project / CDC / "funds.csv").write_text(rows + "甲资金,财政拨款,3.00,3.00,3.00,3.00,\n", encoding="utf-8")
    found = [p for p in problems_of(project, "example-cdc") if "重复" in p]
    assert found == ["inputs/example-cdc/2024/funds.csv 第4行 资金来源：与第2行重复（当前值：'甲资金'）；"
                     "同一名称只能有一行：请合并这两行的金额，或改用能区分的名称"]


@pytest.mark.parametrize("dept, table, rows, column", [
    ("huadu", "budget.csv", BUDGET_HEAD + "甲,0.00,0.00,5.00,\n乙,1.00,1.00,1.00,\n", "决算数"),
    ("example-cdc", "funds.csv", FUNDS_HEAD + "甲资金,财政拨款,0.00,0.00,0.00,5.00,\n", "已支出"),
    ("example-cdc", "funds.csv", FUNDS_HEAD + "甲资金,财政拨款,0.00,0.00,5.00,5.00,\n", "到位数"),
])
def test_spending_against_a_zero_budget_warns_and_strict_refuses(project, dept, table, rows, column):
    if dept == "huadu":
        edit(project / HUADU / "unit.yaml", DECLARED, "")
    (project / f"inputs/{dept}/{2023 if dept == 'huadu' else 2024}" / table).write_text(rows, encoding="utf-8")
    warnings = [str(w) for w in check(project, dept).warnings if "全年预算数为 0" in str(w)]
    assert any(f"{table} 第2行 {column}：甲" in w and "（当前值：'5.00'）" in w for w in warnings), warnings
    with pytest.raises(InputError) as caught:
        check(project, dept, strict=True)
    assert any("严格模式" in str(p) and "全年预算数为 0" in str(p) for p in caught.value.problems)


@pytest.mark.parametrize("stored, shown, refused", [
    (0.1 + 0.2, "0.3", False),  # a formula's binary noise: Excel shows and keeps 15 digits
    (1 / 3, "0.333333333333333", True),  # =1/3 shown as 0.33 is still 0.333…: refused, not rounded behind the user
    (1.005, "1.005", True),
    (1.5, "1.5", False),
])
def test_a_workbook_amount_is_held_to_the_printed_precision_too(project, stored, shown, refused):
    import openpyxl
    small_budget(project, "", None)
    (project / HUADU / "budget.csv").unlink()
    book = openpyxl.Workbook()
    book.active.title = "预算执行"
    book.active.append(["单位名称", "年初预算数", "全年预算数", "决算数"])
    book.active.append(["甲", 1, 1, stored])
    book.active["D2"].number_format = "0.00"
    book.save(project / HUADU / "数据.xlsx")
    if not refused:
        assert check(project, "huadu").figures.budget_total.actual == Decimal(shown)
        return
    [found] = [p for p in problems_of(project, "huadu") if "金额有" in p]
    assert found.startswith(f"inputs/huadu/2023/数据.xlsx 工作表“预算执行”第2行 D列（决算数，单元格 D2）：金额有 {len(shown) - 2} 位小数"), found
    assert f"（当前值：'{shown}'）" in found


def test_last_years_change_is_printed_at_the_units_precision(project):
    small_budget(project, ROWS_1005, 3)
    edit(project / HUADU / "unit.yaml", "单位名称:", "上年:\n  决算数: 2.5\n单位名称:")
    quoted = check(project, "huadu").quoted
    assert quoted["上年决算数"].text == "2.500"
    assert quoted["决算数增减"].text == "+0.615"  # 3.115 − 2.500, by hand
