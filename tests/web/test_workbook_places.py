"""A unit kept in its workbook sees every place on its page as Excel shows it: the re-check's findings and the
entered-against-computed checks too, never the unit.yaml or CSV the workbook is read into."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from tests.web.helpers import local


def test_findings_and_checks_of_a_workbook_unit_name_its_sheets_and_cells(project: Path) -> None:
    client = local(project)
    assert client.post("/units/new", data={"dept": "baiyun", "kind": "department", "year": "2024"}).status_code == 204
    book = openpyxl.load_workbook(io.BytesIO(client.get("/u/baiyun/2024/workbook").content))
    sheet = book["预算执行"]
    assert [c.value for c in sheet[1][2:6]] == ["全年预算数", "决算数", "基本支出", "项目支出"]
    assert [c.value for c in sheet[2][2:6]] == [1200, 1150, 400, 750]
    # 决算 1250 + 300 = 1550 against 支出分类's 1450, and a rate of 1550/1520 unlike the 4th quarter's 95.39%
    sheet["D2"], sheet["F2"] = 1250, 850
    data = io.BytesIO()
    book.save(data)
    page = client.post("/u/baiyun/2024/workbook", files={"file": ("数据.xlsx", data.getvalue())}).text
    assert "季度累计执行率" in page and "支出分类明细" in page, page
    assert "工作表“人员与控制数”" in page and "工作表“支出分类”" in page
    assert "unit.yaml 控制数" not in page and "数据.xlsx[支出分类]" not in page


def test_a_workbook_unit_rolls_into_a_workbook_for_the_next_year(project: Path) -> None:
    """转入下一年度 of a unit kept in Excel: the new year is a workbook too, its empty cells told by sheet and cell."""
    client = local(project)
    client.post("/units/new", data={"dept": "baiyun", "kind": "department", "year": "2024"})
    rolled = client.post("/u/baiyun/2024/next")
    assert rolled.headers.get("HX-Redirect") == "/u/baiyun/2025", rolled.text
    folder = project / "inputs/baiyun/2025"
    assert (folder / "数据.xlsx").is_file() and not (folder / "budget.csv").exists()
    page = client.get("/u/baiyun/2025").text
    assert "工作表“预算执行”第2行" in page and "budget.csv" not in page
    book = openpyxl.load_workbook(io.BytesIO(client.get("/u/baiyun/2025/workbook").content))
    assert book["预算执行"]["A2"].value == "某某单位（本级）" and book["预算执行"]["D2"].value is None


def test_a_unit_made_in_the_browser_is_told_its_figures_are_the_samples(project: Path) -> None:
    """新建单位 fills the workbook with make new's sample rows: the unit's page lists them among what the review would
    raise (数据仍是示例, an error), by sheet and cell, until the rows are replaced."""
    client = local(project)
    client.post("/units/new", data={"dept": "baiyun", "kind": "department", "year": "2024"})
    page = client.get("/u/baiyun/2024").text
    assert "这是新建单位时填入的示例数字" in page and "工作表“预算执行”第2行 G列（来源，单元格 G2）" in page
