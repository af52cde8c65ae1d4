"""人员, 控制数 and 上年 in the unit's workbook: written by make template from unit.yaml (and taken out of it), read back
through the same model, problems told by sheet, row and cell, kept when the workbook is rewritten."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from pipeline.__main__ import main
from pipeline.errors import InputError, Location
from pipeline.run import check


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def rows(path: Path, title: str) -> dict[str, list[object]]:
    """名称 → its 数值 cells, in order (季度累计执行率 has four)."""
    sheet = openpyxl.load_workbook(path)[title]
    headers = [c.value for c in sheet[1]]
    found: dict[str, list[object]] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        values = dict(zip(headers, row))
        if values["名称"]:
            found.setdefault(values["名称"], []).append(values["数值"])
    return found


def row_of(sheet, name: str) -> int:  # noqa: ANN001 (an openpyxl sheet)
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, [c.value for c in sheet[1]].index("名称") + 1).value == name)


def test_staffing_controls_and_last_year_move_into_the_workbook_and_give_the_same_report(project):
    folder = project / "inputs/huadu/2023"
    unit = folder / "unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "上年:\n  决算数: 150000.00\n  总分: 95\n", encoding="utf-8")
    before = check(project, "huadu")
    assert run(project, "template", "huadu") == 0
    data = yaml.safe_load(unit.read_text(encoding="utf-8"))
    assert not {"人员", "控制数", "上年"} & set(data) and data["单位名称"] == "广州市花都区卫生健康局"
    assert "在 数据.xlsx 的工作表“人员与控制数”中填写" in unit.read_text(encoding="utf-8")
    book = folder / "数据.xlsx"
    figures = rows(book, "人员与控制数")
    assert figures["编制数"] == [2860] and figures["在职人数"] == [2635]  # as unit.yaml had them
    assert figures["三公经费支出"] == [38.62] and figures["编外人数"] == [None]  # a department's 人员 are all listed
    assert rows(book, "上年数")["决算数"] == [150000] and rows(book, "上年数")["总分"] == [95]
    kept = next((folder / "原数据").iterdir()) / "unit.yaml"
    assert "编制数: 2860" in kept.read_text(encoding="utf-8")
    after = check(project, "huadu")
    assert after.rendered.files["report.md"] == before.rendered.files["report.md"]
    assert after.inputs.unit.staffing.authorised == 2860
    assert after.quoted["上年决算数"].value == Decimal("150000.00")


def test_a_bad_figure_a_misspelt_name_and_a_key_given_twice_are_told_by_their_cells(project, capsys):
    assert run(project, "template", "huadu") == 0
    path = project / "inputs/huadu/2023/数据.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["人员与控制数"]
    assert sheet.freeze_panes == "C2" and sheet.protection.sheet and sheet["B2"].protection.locked
    assert not sheet["C2"].protection.locked and sheet["C2"].number_format == "0"
    three = row_of(sheet, "三公经费预算")
    assert sheet.cell(three, 3).number_format == "0.00"
    prompts = {rule.promptTitle for rule in sheet.data_validations.dataValidation}
    assert prompts == {"数值", "名称"}
    sheet["C2"] = "两千八"
    blank = sheet.max_row
    sheet.cell(blank, 2).value, sheet.cell(blank, 3).value = "编制人数", 5
    sheet.cell(three, 3).value = -1
    book.save(path)
    unit = project / "inputs/huadu/2023/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "人员:\n  在职人数: 10\n", encoding="utf-8")
    assert run(project, "check", "huadu") == 2
    with pytest.raises(InputError) as caught:
        check(project, "huadu")
    told = {p.where: p for p in caught.value.problems}
    cell = lambda row, column, header: Location("inputs/huadu/2023/数据.xlsx", row, header,  # noqa: E731
                                                sheet="人员与控制数", column=column)
    assert told[cell(2, "C", "数值")].value == "两千八"
    assert told[cell(blank, "B", "名称")].message == "不是本表可填的名称"
    assert "是否想写“编制数”" in told[cell(blank, "B", "名称")].hint
    assert told[cell(three, "C", "数值")].value == "-1"
    assert told[cell(3, "C", "数值")].message == "unit.yaml 中也填写了 人员.在职人数，只能保留一处"


def test_rewriting_keeps_what_the_sheets_hold_and_a_quarter_left_out_is_told(project, capsys):
    assert run(project, "template", "example-dept") == 0
    folder = project / "inputs/example-dept/2024"
    path = folder / "数据.xlsx"
    assert rows(path, "人员与控制数")["季度累计执行率"] == [26.5, 50.2, 76.8, 95.39]
    book = openpyxl.load_workbook(path)
    sheet = book["人员与控制数"]
    first = row_of(sheet, "季度累计执行率")
    sheet.cell(row_of(sheet, "离退休人数"), 3).value = 77
    book.save(path)
    unit = (folder / "unit.yaml").read_bytes()
    assert run(project, "template", "example-dept") == 0
    assert (folder / "unit.yaml").read_bytes() == unit  # nothing left to move out
    assert rows(path, "人员与控制数")["离退休人数"] == [77]
    assert check(project, "example-dept").inputs.unit.staffing.retired == 77
    book = openpyxl.load_workbook(path)
    book["人员与控制数"].cell(first + 3, 3).value = None
    book.save(path)
    capsys.readouterr()
    assert run(project, "check", "example-dept") == 2
    err = capsys.readouterr().err
    assert f"工作表“人员与控制数”第{first}行 C列（数值，单元格 C{first}）" in err and "4" in err


def test_a_new_unit_holds_its_figures_in_the_workbook_only(project):
    assert run(project, "new", "fresh", "--kind", "department", "--year", "2024") == 0
    folder = project / "inputs/fresh/2024"
    assert "人员" not in yaml.safe_load((folder / "unit.yaml").read_text(encoding="utf-8"))
    assert rows(folder / "数据.xlsx", "人员与控制数")["编制数"] == [50]  # the skeleton's example, moved
    assert check(project, "fresh").inputs.unit.staffing.authorised == 50


def test_a_figure_a_measure_lacks_is_told_by_its_sheet_and_the_message_names_the_sheet(project):
    # lianjiang's D21 measures 三公经费控制率 = 三公经费支出 / 三公经费预算: the budget left blank on the sheet
    assert run(project, "template", "lianjiang") == 0
    path = project / "inputs/lianjiang/2024/数据.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["人员与控制数"]
    row = row_of(sheet, "三公经费预算")
    sheet.cell(row, 3).value = None
    book.save(path)
    with pytest.raises(InputError) as caught:
        check(project, "lianjiang")
    told = {p.where: p for p in caught.value.problems}
    place = Location("inputs/lianjiang/2024/数据.xlsx", row, "数值", sheet="人员与控制数", column="C")
    assert "需要unit.yaml 的 控制数.三公经费预算（工作簿为“人员与控制数”表的“三公经费预算”行），但未填写" in told[place].message
