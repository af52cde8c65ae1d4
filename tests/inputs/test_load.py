"""A unit's tables read alike from CSV in any common encoding or from one workbook: the report does not change."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pipeline.errors import InputError
from pipeline.inputs.cells import percent_text
from pipeline.inputs.kinds import TABLES
from pipeline.inputs.load import load
from pipeline.inputs.tables import read_csv
from pipeline.inputs.validate import validate
from pipeline.inputs.workbook import UNCOMPUTED, cell_text, read_workbook
from pipeline.run import build

# unit → (folder, year, CSV file → sheet name)
UNITS = {
    "huadu": ("inputs/huadu/2023", 2023, {"budget.csv": "预算执行", "indicators.csv": "指标"}),
    "shaoguan": ("inputs/shaoguan/2024", 2024, {"funds.csv": "项目资金", "indicators.csv": "指标"}),
}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
PERCENT_COLUMNS = ("目标值", "实际值")  # in 指标, for rows whose 计量单位 is %


def csv_records(path: Path) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    return [(reader.line_num, row) for row in reader]


def write_workbook(target: Path, sheets: dict[str, list[tuple[int, list]]]) -> None:
    """sheets: name → (row number, cell values); a value (number, format) gets that number format."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, values in rows:
            for c, value in enumerate(values, 1):
                if isinstance(value, tuple):
                    sheet.cell(r, c, value[0]).number_format = value[1]
                elif value != "":
                    sheet.cell(r, c, value)
    book.save(target)


def typed(records: list[tuple[int, list[str]]], sheet: str) -> list[tuple[int, list]]:
    """CSV text as a user would type it into Excel: numbers as numbers, rates in 指标 as percentages."""
    headers = records[0][1]
    out = [records[0]]
    for line, cells in records[1:]:
        row: dict[str, str] = dict(zip(headers, cells))
        values: list = []
        for header, text in zip(headers, cells):
            if not NUMBER.match(text):
                values.append(text)
            elif sheet == "指标" and header in PERCENT_COLUMNS and row.get("计量单位") == "%":
                values.append((float(Decimal(text) / 100), "0.00%"))
            else:
                values.append(float(text))
        out.append((line, values))
    return out


def to_workbook(folder: Path, files: dict[str, str], name: str = "数据.xlsx") -> None:
    sheets = {sheet: typed(csv_records(folder / file), sheet) for file, sheet in files.items()}
    for file in files:
        (folder / file).unlink()
    write_workbook(folder / name, sheets)


def with_bom(folder: Path, files: dict[str, str]) -> None:
    for file in files:
        (folder / file).write_bytes(b"\xef\xbb\xbf" + (folder / file).read_bytes())


def gbk_excel(folder: Path, files: dict[str, str]) -> None:
    """As Excel for Chinese Windows saves CSV: GBK, \\r\\n, a row of empty cells and an empty line at the end."""
    for file in files:
        text = (folder / file).read_text(encoding="utf-8")
        width = len(csv_records(folder / file)[0][1])
        text = text.replace("\r\n", "\n").replace("\n", "\r\n") + "," * (width - 1) + "\r\n\r\n"
        (folder / file).write_bytes(text.encode("gbk"))


VARIANTS = {"utf8": lambda folder, files: None, "utf8-bom": with_bom, "gbk-crlf": gbk_excel, "xlsx": to_workbook}


@pytest.mark.slow
@pytest.mark.parametrize("dept", UNITS)
def test_every_format_gives_the_same_report(project, dept):
    folder, year, files = UNITS[dept]
    outputs = {}
    for variant, change in VARIANTS.items():
        root = project / variant
        shutil.copytree(project / "inputs", root / "inputs")
        change(root / folder, files)
        _, written = build(root, dept, formats=("md", "docx"))
        outputs[variant] = {p.name: p.read_bytes() for p in written}
    expected = outputs["utf8"]
    assert {"report.md", "scores.json", "checks.md", "report.docx"} <= set(expected)
    for variant, got in outputs.items():
        assert sorted(got) == sorted(expected), variant
        different = [name for name in expected if got[name] != expected[name]]
        assert not different, f"{variant}: {different}"


@pytest.mark.parametrize("dept", UNITS)
def test_workbook_tables_are_named_by_file_and_sheet(project, dept):
    folder, year, files = UNITS[dept]
    csv_tables = load(project, dept, year).tables
    to_workbook(project / folder, files)
    tables = load(project, dept, year).tables
    keys = {"budget.csv": "budget", "funds.csv": "funds", "indicators.csv": "facts"}
    for file, sheet in files.items():
        table, before = tables[keys[file]], csv_tables[keys[file]]
        assert table.path == f"{folder}/数据.xlsx[{sheet}]"
        assert table.headers == before.headers
        assert [line for line, _ in table.rows] == [line for line, _ in before.rows]
        for (line, cells), (_, old) in zip(table.rows, before.rows):
            for header, text in old.items():  # the same text, or the same number
                if NUMBER.match(text):
                    assert Decimal(percent_text(cells[header])) == Decimal(text), (line, header)
                else:
                    assert cells[header] == text, (line, header)


# ---------- CSV encodings ----------

BUDGET = "单位名称,年初预算数,全年预算数,决算数,来源\n花都区卫生监督所,2100.00,2315.26,2315.26,假定（≥“原报告”）\n"


@pytest.mark.parametrize("encoding,newline,tail", [
    ("utf-8", "\n", ""), ("utf-8-sig", "\n", ""), ("gbk", "\r\n", "\r\n"), ("gb18030", "\r\n", ",,,,\r\n\r\n"),
    ("utf-8-sig", "\r\n", "\r\n"),
])
def test_csv_encodings_read_alike(tmp_path, encoding, newline, tail):
    path = tmp_path / "budget.csv"
    path.write_bytes((BUDGET.replace("\n", newline) + tail).encode(encoding))
    table = read_csv(path, "budget.csv")
    assert table.headers == ("单位名称", "年初预算数", "全年预算数", "决算数", "来源")
    assert table.rows == ((2, {"单位名称": "花都区卫生监督所", "年初预算数": "2100.00", "全年预算数": "2315.26",
                               "决算数": "2315.26", "来源": "假定（≥“原报告”）"}),)


def test_csv_cells_with_spaces_and_a_gb18030_only_character(tmp_path):
    path = tmp_path / "budget.csv"
    name = "花都区𠀾卫生所"  # outside GBK, inside GB18030
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    path.write_bytes(f" 单位名称 , 年初预算数 ,全年预算数,决算数,\r\n {name} , 2100.00 ,1,1,\r\n , , \r\n".encode("gb18030"))
    table = read_csv(path, "budget.csv")
    assert table.headers == ("单位名称", "年初预算数", "全年预算数", "决算数")
    assert table.rows == ((2, {"单位名称": name, "年初预算数": "2100.00", "全年预算数": "1", "决算数": "1"}),)


def test_csv_in_another_encoding_is_refused_clearly(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_bytes(BUDGET.encode("utf-16"))
    with pytest.raises(InputError) as caught:
        read_csv(path, "inputs/huadu/2023/budget.csv")
    assert str(caught.value.problems[0]) == "inputs/huadu/2023/budget.csv：无法识别文件编码；请另存为 UTF-8 或 GBK 编码的 CSV"


# ---------- workbook cells ----------

@pytest.mark.parametrize("value,number_format,text", [
    (None, "General", ""), ("  花都区 ", "General", "花都区"), (True, "General", "是"), (False, "General", "否"),
    (34, "General", "34"), (60000.0, "#,##0.00", "60000"), (68512.4, "0.00", "68512.4"), (0.1, "General", "0.1"),
    (2315.26, "General", "2315.26"), (1e-05, "General", "0.00001"), (1e16, "General", "10000000000000000"),
    (-0.0, "General", "0"), (0.9822, "0.00%", "98.22%"), (0.9213, "0.00%", "92.13%"), (1, "0%", "100%"),
    (1.0, "0.00%", "100%"), (0.085, "0.0%", "8.5%"), (0.0, "0%", "0%"),
    (dt.datetime(2025, 9, 8), "yyyy-mm-dd", "2025-09-08"), (dt.date(2025, 9, 8), "yyyy/m/d", "2025-09-08"),
])
def test_cell_text(value, number_format, text):
    assert cell_text(value, number_format) == text


def test_percent_uses_the_shown_decimal_not_the_binary_value():
    assert cell_text(0.07, "0%") == "7%"  # Decimal(0.07) * 100 would be 7.000000000000000666…


def huadu_book(project: Path, name: str = "数据.xlsx", **sheets: list[tuple[int, list]]) -> Path:
    """huadu's tables as a workbook (CSV files removed), with sheets replaced or added."""
    folder = project / "inputs/huadu/2023"
    files = {"budget.csv": "预算执行", "indicators.csv": "指标"}
    contents = {sheet: typed(csv_records(folder / file), sheet) for file, sheet in files.items()}
    contents.update(sheets)
    for file in files:
        (folder / file).unlink()
    write_workbook(folder / name, contents)
    return folder / name


def budget_rows(project: Path) -> list[tuple[int, list]]:
    return typed(csv_records(project / "inputs/huadu/2023/budget.csv"), "预算执行")


def problems(project: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        validate(load(project, "huadu", 2023))
    return [str(p) for p in caught.value.problems]


def patch_sheet(book: Path, index: int, old: str, new: str) -> None:
    """Change the stored XML of one sheet, to make a file as Excel (which keeps formula results) would save it."""
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = f"xl/worksheets/sheet{index}.xml"
    xml = parts[name].decode("utf-8")
    assert old in xml, xml
    parts[name] = xml.replace(old, new).encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def test_formula_without_a_computed_result(project):
    rows = budget_rows(project)
    rows[1][1][2] = "=B2*1.1"  # openpyxl saves formulas without computing them
    huadu_book(project, 预算执行=rows)
    found = problems(project)
    assert found == [f"inputs/huadu/2023/数据.xlsx 工作表“预算执行”第2行 C列（全年预算数，单元格 C2）：{UNCOMPUTED}（当前值：'=B2*1.1'）"]
    assert UNCOMPUTED == "公式没有计算结果，请在 Excel/WPS 中打开并保存后再试"


def test_formula_with_a_computed_result_gives_its_value(project):
    rows = budget_rows(project)
    rows[1][1][2] = "=B2+8512.4"
    rows[2][1][4] = '=IF(1,"","x")'
    book = huadu_book(project, 预算执行=rows)
    patch_sheet(book, 1, "<f>B2+8512.4</f><v></v>", "<f>B2+8512.4</f><v>68512.4</v>")
    patch_sheet(book, 1, '<c r="E3"><f>IF(1,"","x")</f><v></v>', '<c r="E3" t="str"><f>IF(1,"","x")</f><v></v>')
    table = load(project, "huadu", 2023).tables["budget"]
    assert table.rows[0][1]["全年预算数"] == "68512.4"
    assert table.rows[1][1]["来源"] == ""  # Excel computed an empty text: not an uncomputed formula


def test_formula_error_value(project):
    rows = budget_rows(project)
    rows[1][1][3] = "=1/0"
    book = huadu_book(project, 预算执行=rows)
    patch_sheet(book, 1, '<c r="D2"><f>1/0</f><v></v>', '<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v>')
    assert problems(project) == ["inputs/huadu/2023/数据.xlsx 工作表“预算执行”第2行 D列（决算数，单元格 D2）："
                                 "单元格是错误值，请检查公式或数据（当前值：'#DIV/0!'）"]


def test_csv_and_sheet_for_the_same_table(project):
    folder = project / "inputs/huadu/2023"
    write_workbook(folder / "数据.xlsx", {"预算执行": budget_rows(project)})
    assert problems(project) == [
        "inputs/huadu/2023/budget.csv：同一张表不能既有 CSV 又有工作表：inputs/huadu/2023/budget.csv 与 "
        "inputs/huadu/2023/数据.xlsx[预算执行]；请删除 CSV 文件或该工作表，只保留一处"]


def test_unknown_sheet_name(project):
    huadu_book(project, Sheet1=[(1, ["备注"])])
    [message] = problems(project)
    assert message.startswith("inputs/huadu/2023/数据.xlsx 工作表：未知的工作表名（当前值：'Sheet1'）；可用的工作表名：")
    for zh, en in ((t.sheet, t.sheet_en) for t in TABLES.values()):
        assert zh in message and en in message


def test_two_sheets_for_one_table(project):
    huadu_book(project, Budget=budget_rows(project))
    [message] = problems(project)
    assert message.startswith("inputs/huadu/2023/数据.xlsx 工作表：与工作表“预算执行”是同一张表，只能保留一个（当前值：'Budget'）")


def test_english_sheet_names_in_any_case_and_data_xlsx(project):
    folder = project / "inputs/huadu/2023"
    sheets = {"BUDGET": typed(csv_records(folder / "budget.csv"), "预算执行"),
              "Indicators": typed(csv_records(folder / "indicators.csv"), "指标")}
    (folder / "budget.csv").unlink()
    (folder / "indicators.csv").unlink()
    write_workbook(folder / "data.xlsx", sheets)
    (folder / "~$data.xlsx").write_bytes(b"lock file Excel keeps while the workbook is open")
    tables = load(project, "huadu", 2023).tables
    assert tables["budget"].path == "inputs/huadu/2023/data.xlsx[BUDGET]"
    assert tables["facts"].path == "inputs/huadu/2023/data.xlsx[Indicators]"
    assert tables["funds"] is None and tables["spending"] is None


def test_two_workbooks(project):
    huadu_book(project)
    shutil.copy(project / "inputs/huadu/2023/数据.xlsx", project / "inputs/huadu/2023/data.xlsx")
    [message] = problems(project)
    assert "一个单位只能有一个工作簿" in message


def test_error_in_a_sheet_is_reported_at_its_row(project):
    rows = budget_rows(project)
    rows[2][1][1] = "abc"
    huadu_book(project, 预算执行=rows)
    with pytest.raises(InputError) as caught:
        build(project, "huadu")
    [message] = [str(p) for p in caught.value.problems]
    assert message.startswith("inputs/huadu/2023/数据.xlsx 工作表“预算执行”第3行 B列（年初预算数，单元格 B3）：不是有效的数字（当前值：'abc'）")
    assert not (project / "output").exists()


def test_blank_rows_and_columns_keep_sheet_row_numbers(project):
    rows = budget_rows(project)
    header, first, second = rows[0], rows[1], rows[2]
    second[1][1] = "abc"
    # a blank row 2, data from row 3 on, and formatted but empty cells to the right
    spaced = [(1, header[1] + [(None, "0.00"), (None, "0.00")]), (3, first[1]), (4, ["  "] * len(first[1])), (5, second[1])]
    huadu_book(project, 预算执行=spaced)
    table = read_workbook(project / "inputs/huadu/2023/数据.xlsx", "数据.xlsx")["budget"]
    assert table.headers == tuple(header[1])
    assert [line for line, _ in table.rows] == [3, 5]
    with pytest.raises(InputError) as caught:
        build(project, "huadu")
    assert str(caught.value.problems[0]).startswith("inputs/huadu/2023/数据.xlsx 工作表“预算执行”第5行 B列（年初预算数，单元格 B5）：不是有效的数字")


def test_file_that_is_not_a_workbook(project):
    huadu_book(project)
    (project / "inputs/huadu/2023/数据.xlsx").write_bytes(b"not a zip file")
    [message] = problems(project)
    assert message.startswith("inputs/huadu/2023/数据.xlsx：无法读取工作簿")


def test_old_xls_workbook(project):
    (project / "inputs/huadu/2023/数据.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    [message] = problems(project)
    assert message.startswith("inputs/huadu/2023/数据.xls：无法读取旧版 .xls 工作簿")
