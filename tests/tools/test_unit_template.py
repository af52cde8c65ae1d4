"""make template / make new: the unit's workbook generated from its framework, filled from the unit's own data, read
back through the same checks; located errors, kept values after a framework change, dropdowns and protection."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline.__main__ import main
from pipeline.run import check

UNITS = {"huadu": 2023, "lianjiang": 2024, "shaoguan": 2024, "example-cdc": 2024, "example-dept": 2024}


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def sheet_rows(path: Path, title: str) -> dict[str, dict[str, object]]:
    """Rows of a sheet by their first cell (指标编号 or the line's name), each as header → value."""
    sheet = openpyxl.load_workbook(path)[title]
    headers = [c.value for c in sheet[1]]
    return {row[0]: dict(zip(headers, row)) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}


@pytest.mark.slow
@pytest.mark.parametrize("dept", UNITS)
def test_the_workbook_of_every_bundled_unit_reads_back_to_the_same_report(project, tmp_path, dept, capsys):
    before = check(project, dept)
    assert run(project, "template", dept) == 0
    folder = project / "inputs" / dept / str(UNITS[dept])
    assert (folder / "数据.xlsx").is_file()
    assert not list(folder.glob("*.csv"))  # the CSV files were taken in and moved aside, not deleted
    assert {p.name for p in next((folder / "原数据").iterdir()).iterdir()} >= {"indicators.csv"}
    after = check(project, dept)
    assert after.scores.total == before.scores.total
    # 人员 and 控制数 now come from the workbook's sheet, unit.yaml no longer has them
    assert "\n人员:" not in (folder / "unit.yaml").read_text(encoding="utf-8")
    assert (after.inputs.unit.staffing, after.inputs.unit.controls) == (before.inputs.unit.staffing, before.inputs.unit.controls)
    for name in ("report.md", "scores.json"):
        assert after.rendered.files[name] == before.rendered.files[name], name
    assert "数据.xlsx" in capsys.readouterr().out


def test_a_typed_error_is_told_by_sheet_row_column_and_cell(project, capsys):
    assert run(project, "template", "huadu") == 0
    path = project / "inputs/huadu/2023/数据.xlsx"
    book = openpyxl.load_workbook(path)
    budget = book["预算执行"]["C2"].value
    book["预算执行"]["C2"] = "十二万"  # columns: 单位名称, 年初预算数, 全年预算数 → C is 全年预算数
    facts = book["指标"]
    headers = [c.value for c in facts[1]]
    row = next(r for r in range(2, facts.max_row + 1) if facts.cell(r, 1).value == "A21")
    column = headers.index("实际值") + 1
    facts.cell(row, column).value = "五百二十三"
    letter = openpyxl.utils.get_column_letter(column)
    book.save(path)
    assert run(project, "check", "huadu") == 2
    err = capsys.readouterr().err
    assert "inputs/huadu/2023/数据.xlsx 工作表“预算执行”第2行 C列（全年预算数，单元格 C2）：不是有效的数字（当前值：'十二万'）" in err
    book["预算执行"]["C2"] = budget  # mended: the indicator's cell is read when its rule is applied, after validation
    book.save(path)
    assert run(project, "check", "huadu") == 2
    err = capsys.readouterr().err
    assert f"工作表“指标”第{row}行 {letter}列（实际值，单元格 {letter}{row}）" in err, err


def test_rewriting_after_a_framework_change_keeps_what_was_filled(project, capsys):
    assert run(project, "template", "huadu") == 0
    path = project / "inputs/huadu/2023/数据.xlsx"
    filled = sheet_rows(path, "指标")
    book = openpyxl.load_workbook(path)
    facts = book["指标"]
    headers = [c.value for c in facts[1]]
    a23 = next(r for r in range(2, facts.max_row + 1) if facts.cell(r, 1).value == "A23")
    facts.cell(a23, headers.index("说明") + 1).value = "在工作簿中补写的说明"
    book.save(path)
    # the bureau's framework changes: A22 is dropped, a new leaf A24 takes its place and weight
    own = project / "inputs/huadu/2023/frameworks/huadu-2023.yaml"
    own.parent.mkdir()
    text = (project / "inputs/frameworks/huadu-2023.yaml").read_text(encoding="utf-8")
    own.write_text(text.replace("编号: A22\n            名称: 老年友善医疗机构创建率",
                                "编号: A24\n            名称: 家庭医生签约服务覆盖率"), encoding="utf-8")
    capsys.readouterr()
    assert run(project, "template", "huadu") == 0
    out = capsys.readouterr().out
    assert "A22" in out and "原数据" in out
    rewritten = sheet_rows(path, "指标")
    assert "A22" not in rewritten and rewritten["A24"]["实际值"] is None
    assert rewritten["A24"]["指标名称"] == "家庭医生签约服务覆盖率"
    assert rewritten["A23"]["说明"] == "在工作簿中补写的说明"
    for key in filled.keys() - {"A22", "A23"}:
        assert rewritten[key] == filled[key], key
    # the previous workbook is kept, whole
    kept = [p for p in (project / "inputs/huadu/2023/原数据").rglob("数据.xlsx")]
    assert len(kept) == 1 and "A22" in sheet_rows(kept[0], "指标")
    # the new leaf is what is left to fill: the check says where and counts it 0, a report is refused until it is filled
    row = list(rewritten).index("A24") + 2
    for command, code in (("check", 0), ("report", 2)):
        assert run(project, command, "huadu") == code
        err = capsys.readouterr().err
        assert f"工作表“指标”第{row}行 H列（比较符，单元格 H{row}）" in err and "A24" in err and "A22" not in err
        assert ("尚未填写，暂按 0 分计，生成报告前须填写" in err) == (command == "check")


def test_the_sheets_carry_dropdowns_prompts_formats_and_protection(project):
    assert run(project, "template", "example-dept") == 0
    book = openpyxl.load_workbook(project / "inputs/example-dept/2024/数据.xlsx")
    assert book.sheetnames == ["预算执行", "支出分类", "指标", "人员与控制数", "上年数"]
    budget = book["预算执行"]
    assert budget.protection.sheet and budget.freeze_panes == "B2"
    assert budget["A1"].protection.locked and not budget["B2"].protection.locked
    assert budget["B2"].number_format == "0.00"
    assert budget.column_dimensions["A"].width >= 20  # 单位名称 shows its text
    facts = book["指标"]
    assert facts.protection.sheet and facts.freeze_panes == "C2"
    headers = [c.value for c in facts[1]]
    rules = facts.data_validations.dataValidation
    assert rules and all(rule.prompt and rule.promptTitle for rule in rules)
    assert not any(rule.showDropDown for rule in rules)  # True would hide the arrow
    comparator = next(rule for rule in rules if rule.promptTitle == "比较符")
    assert comparator.type == "list" and comparator.formula1 == '"≥,≤,=,是否,定性"'
    # A11 is judged by bands (档次 open, a dropdown of its names); 扣分项数 is not its column: greyed and locked
    row = next(r for r in range(2, facts.max_row + 1) if facts.cell(r, 1).value == "A11")
    band = facts.cell(row, headers.index("档次") + 1)
    items = facts.cell(row, headers.index("扣分项数") + 1)
    assert not band.protection.locked and items.protection.locked and items.fill.fgColor.rgb.endswith("D9D9D9")
    lists = [rule for rule in rules if rule.type == "list" and band.coordinate in rule.sqref]
    assert len(lists) == 1 and "基本合理" in lists[0].formula1
    assert facts.cell(row, headers.index("评分标准") + 1).protection.locked


def test_a_rate_is_shown_in_percent_and_a_formula_typed_as_text_stays_text(project):
    folder = project / "inputs/huadu/2023"
    text = (folder / "indicators.csv").read_text(encoding="utf-8")
    (folder / "indicators.csv").write_text(text.replace("二级及以上综合性医院", "=1+1 二级及以上综合性医院"), encoding="utf-8")
    before = check(project, "huadu")
    assert run(project, "template", "huadu") == 0
    facts = openpyxl.load_workbook(folder / "数据.xlsx")["指标"]
    headers = [c.value for c in facts[1]]
    row = next(r for r in range(2, facts.max_row + 1) if facts.cell(r, 1).value == "A22")  # 100 %, hand-read
    actual = facts.cell(row, headers.index("实际值") + 1)
    assert actual.number_format == "0.00%" and actual.value == 1
    note = facts.cell(row, headers.index("说明") + 1)
    assert note.data_type == "s" and note.value.startswith("=1+1")
    assert check(project, "huadu").rendered.files["report.md"] == before.rendered.files["report.md"]


def test_new_writes_the_workbook_and_csv_on_request(project):
    assert run(project, "new", "wb", "--kind", "project", "--year", "2024") == 0
    folder = project / "inputs/wb/2024"
    assert (folder / "数据.xlsx").is_file() and not list(folder.glob("*.csv"))
    assert openpyxl.load_workbook(folder / "数据.xlsx").sheetnames == ["项目资金", "指标", "人员与控制数", "上年数"]
    assert run(project, "check", "wb") == 0
    assert run(project, "new", "plain", "--kind", "project", "--year", "2024", "--csv") == 0
    assert not (project / "inputs/plain/2024/数据.xlsx").exists()
    assert check(project, "wb").scores.total == check(project, "plain").scores.total


def test_a_workbook_that_cannot_be_read_is_not_rewritten(project, capsys):
    assert run(project, "template", "huadu") == 0
    path = project / "inputs/huadu/2023/数据.xlsx"
    book = openpyxl.load_workbook(path)
    book["预算执行"]["B2"] = 1
    book["预算执行"]["B2"].number_format = '0.00"%"%'  # a percent sign whose meaning is unclear
    book.save(path)
    data = path.read_bytes()
    assert run(project, "template", "huadu") == 2
    assert "工作表“预算执行”第2行 B列（年初预算数，单元格 B2）" in capsys.readouterr().err
    assert path.read_bytes() == data
