"""make import on forms made here the ways real ones differ; each expected import written out by hand."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.inputs.yaml_files import read_yaml
from pipeline.run import build, check
from tests.tools.importer_forms import FUNDS, FUNDS_HEADER, HEADER, ROWS, docx_form, xlsx_form

# indicators.csv as the small project of importer_forms should come in (national framework, weights by 权重)
EXPECTED = [
    # 编号, 名称, 一级, 二级, 权重, 目标值, 比较符, 计量单位, 实际值, 档次, 自评得分, 偏差原因
    ("P01", "培训人次", "产出指标", "数量指标", "20", "1000", "≥", "人次", "900", "", "18.00", "部分培训推迟到次年"),
    ("P02", "培训考核合格率", "产出指标", "质量指标", "20", "95", "≥", "%", "96", "", "20.00", ""),
    ("P03", "完成时间", "产出指标", "时效指标", "10", "12", "≤", "月", "12", "", "10.00", ""),
    ("P04", "群众健康意识", "效益指标", "社会效益指标", "30", "明显提升", "定性", "", "有所提升", "达成预期指标", "24.00",
     "宣传覆盖面不足"),
    ("P05", "培训对象满意度", "满意度指标", "服务对象满意度指标", "10", "90", "≥", "%", "85", "", "9.44", "课程安排偏紧"),
    ("N11", "预算执行率", "", "", "", "", "", "", "", "", "9.50", ""),
]
COLUMNS = ("指标编号", "指标名称", "一级指标", "二级指标", "权重", "目标值", "比较符", "计量单位", "实际值", "档次", "自评得分", "偏差原因")
TOTAL, GRADE = Decimal("90.94"), "优"  # by hand in importer_forms


def run_import(root: Path, path: Path, dept: str, *extra: str) -> int:
    return main(["--root", str(root), "import", str(path), dept, *extra])


def facts(root: Path, dept: str, year: int = 2024) -> list[tuple[str, ...]]:
    with open(root / "inputs" / dept / str(year) / "indicators.csv", encoding="utf-8") as handle:
        return [tuple(row[c] for c in COLUMNS) for row in csv.DictReader(handle)]


def unit_yaml(root: Path, dept: str, year: int = 2024) -> dict:
    """unit.yaml as the tool reads it: numbers as text."""
    return read_yaml(root / "inputs" / dept / str(year) / "unit.yaml", "unit.yaml").data


def scored_as_by_hand(root: Path, dept: str) -> None:
    result = check(root, dept)
    assert (result.scores.total, result.scores.grade) == (TOTAL, GRADE)
    assert result.checks == []  # every printed score follows the rules


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["plain", "merged labels", "split with header", "split without header",
                                     "merged and split inside a group"])
def test_word_forms_as_tables_come_in_one_import(project, tmp_path, variant):
    options = {"plain": {}, "merged labels": {"merged": True, "blank_row": True},
               "split with header": {"split": 2}, "split without header": {"split": 3, "repeat_header": False},
               # 产出指标 merged down its rows on each page, its name printed again on the second
               "merged and split inside a group": {"merged": True, "split": 1}}[variant]
    form = docx_form(tmp_path / "自评表.docx", **options)
    assert run_import(project, form, "health") == 0
    assert facts(project, "health") == EXPECTED
    unit = unit_yaml(project, "health")
    assert unit["项目名称"] == "健康素养促进" and unit["实施单位"] == unit["单位名称"] == "示例市健康教育所"
    assert unit["主管部门"] == "示例市卫生健康局" and unit["项目负责人"] == "李明" and unit["联系电话"] == "0755-1234567"
    assert unit["填报人"] == "王芳" and unit["单位负责人"] == "赵强" and unit["填报日期"] == "2025-03-15"
    assert unit["评价体系"] == "national-project-2020" and unit["年度"] == "2024"
    assert unit["已公布"] == {"总分": "90.94", "等级": "优", "比率": {"预算执行率": "95.00"}}
    assert unit["正文"] == {"年度总体目标": "开展健康素养培训1000人次。\n", "总体目标完成情况": "完成培训900人次。\n"}
    funds = (project / "inputs/health/2024/funds.csv").read_text(encoding="utf-8").splitlines()
    assert funds[1].startswith("财政拨款,财政拨款,100.00,120.00,120.00,114.00,") and len(funds) == 2
    scored_as_by_hand(project, "health")


def test_a_workbook_export_with_merged_ranges_and_percent_cells(project, tmp_path):
    assert run_import(project, xlsx_form(tmp_path / "自评表.xlsx"), "health") == 0
    # the workbook holds 18.0 where Word holds 18.00: the same points
    assert [row[:10] for row in facts(project, "health")] == [row[:10] for row in EXPECTED]
    assert [Decimal(row[10]) for row in facts(project, "health")] == [Decimal(row[10]) for row in EXPECTED]
    unit = unit_yaml(project, "health")
    assert unit["已公布"] == {"总分": "90.94", "等级": "优", "比率": {"预算执行率": "95"}}  # 0.95 shown as 95.00%
    assert unit["项目名称"] == "健康素养促进" and unit["年度"] == "2024"
    scored_as_by_hand(project, "health")


def test_other_wording_full_width_digits_and_weights_in_labels(project, tmp_path):
    """四川式的列（指标性质、指标值、度量单位、完成值、权重）、别的表头措辞、全角数字、“产出指标（50分）”。"""
    header = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "自评得分", "未完成原因")
    rows = [("产出指标（50分）", "数量指标", "指标1：培训人次", "≥", "１０００", "人次", "９００", "２０", "１８", "部分培训推迟到次年"),
            ("产出指标（50分）", "质量指标", "指标2：培训考核合格率", "≥", "95", "%", "96", "20", "20", ""),
            ("产出指标（50分）", "时效指标", "完成时间", "≤", "12", "月", "12", "10", "10", ""),
            ("效益指标（30分）", "社会效益指标", "群众健康意识", "", "明显提升", "", "有所提升", "30", "24", "宣传覆盖面不足"),
            ("满意度指标（10分）", "服务对象满意度指标", "培训对象满意度", "≥", "90", "%", "85", "10", "9.44", "课程安排偏紧")]
    funds_header = ("资金（万元）", "年初预算", "调整后预算数", "实际支出", "权重", "预算执行率", "自评得分")
    form = docx_form(tmp_path / "四川.docx", rows=rows, header=header, funds_header=funds_header,
                     labels=("项目名称", "主管部门及代码", "项目单位", "项目负责人", "联系方式"), total=("合计", "100", "90.94", ""))
    assert run_import(project, form, "sichuan") == 0
    got = facts(project, "sichuan")
    assert [row[:10] for row in got] == [row[:10] for row in EXPECTED]
    assert [Decimal(row[10]) for row in got] == [Decimal(row[10]) for row in EXPECTED]
    assert unit_yaml(project, "sichuan")["实施单位"] == "示例市健康教育所"
    assert unit_yaml(project, "sichuan")["已公布"]["总分"] == "90.94"
    scored_as_by_hand(project, "sichuan")


@pytest.mark.slow
def test_a_printed_score_off_its_rule_is_listed_in_checks(project, tmp_path):
    rows = list(ROWS)
    rows[4] = rows[4][:6] + ("9.50",) + rows[4][7:]  # 10 × 85/90 = 9.44, printed 9.50
    form = docx_form(tmp_path / "f.docx", rows=rows, total=("总分", "100", "91.00", "自评等级：优"))
    assert run_import(project, form, "health") == 0
    result, _ = build(project, "health", formats=("md",))
    assert [(c.what, c.entered, c.computed) for c in result.checks] == [
        ("总分", "91.00", "90.94"), ("培训对象满意度得分", "9.50", "9.44")]
    text = (project / "output/health/2024/checks.md").read_text(encoding="utf-8")
    assert "培训对象满意度" in text and "9.50" in text and "9.44" in text
    assert "表4第6行" in (project / "inputs/health/2024/indicators.csv").read_text(encoding="utf-8")


@pytest.mark.slow
def test_funds_in_yuan_and_a_total_off_its_parts_are_noted(project, tmp_path, capsys):
    funds = (("年度资金总额", "1,000,000", "1,200,000", "1,140,000", "10", "95.00%", "9.50"),
             ("其中：财政拨款", "1,000,000", "1,100,000", "1,040,000", "", "", ""),
             ("上年结转", "0", "100,000", "100,000", "", "", ""))
    header = ("项目资金（元）",) + FUNDS[0][1:1] + ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    form = docx_form(tmp_path / "f.docx", funds=funds, funds_header=header)
    assert run_import(project, form, "yuan") == 0
    rows = (project / "inputs/yuan/2024/funds.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [r.split(",")[:6] for r in rows] == [["财政拨款", "财政拨款", "100", "110", "110", "104"],
                                                ["上年结转", "上年结转", "0", "10", "10", "10"]]
    assert "以元为单位" in capsys.readouterr().out
    assert check(project, "yuan").scores.total == TOTAL


def test_extra_columns_wide_cells_continued_labels_and_notes_inside_the_table(project, tmp_path):
    """Another program's layout: a 序号 column, a title row across the table, the name over two grid columns, header
    words broken by spaces and lines, an extra 备注 column, the 一级 label again as “（续）” after a page break,
    and a note row inside the table under 总分."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    form = docx_form(tmp_path / "f.docx", split=None, total=None, notes=False)
    document = Document(str(form))
    indicators = document.tables[3]
    indicators._tbl.getparent().remove(indicators._tbl)
    header = ("序号", "一级\n指标", "二级 指标", "三级指标", None, "年度\n指标值", "实际完成值", "分 值", "得　分", "偏差原因", "备注")
    parts = [ROWS[:3], ROWS[3:]]
    anchor = document.paragraphs[-1]._p
    for i, part in enumerate(parts):
        table = document.add_table(rows=2 + len(part) + (2 if i else 0), cols=len(header))
        table.cell(0, 0).merge(table.cell(0, len(header) - 1)).text = "三、绩效指标" + ("（续表）" if i else "")
        for c, text in enumerate(header):
            if text is not None:
                table.cell(1, c).text = text
        table.cell(1, 3).merge(table.cell(1, 4))
        for r, values in enumerate(part, 2):
            level1 = values[0] + ("（续）" if i and r == 2 else "")
            cells = (str(r - 1 + 3 * i), level1, values[1], values[2], None, *values[3:], "已核实")
            for c, text in enumerate(cells):
                if text is not None:
                    table.cell(r, c).text = text
            table.cell(r, 3).merge(table.cell(r, 4))
        if i:
            bottom = len(table.rows) - 2
            table.cell(bottom, 0).merge(table.cell(bottom, 6)).text = "总分"
            table.cell(bottom, 7).text, table.cell(bottom, 8).text = "100", "90.94"
            table.cell(bottom, 9).merge(table.cell(bottom, 10)).text = "自评等级：优"
            table.cell(bottom + 1, 0).merge(table.cell(bottom + 1, len(header) - 1)).text = "注：定性指标按三档计分。"
        anchor.addprevious(table._tbl)
        if not i:
            paragraph = document.add_paragraph()
            paragraph.add_run().add_break(WD_BREAK.PAGE)
            anchor.addprevious(paragraph._p)
    document.save(form)
    assert run_import(project, form, "other") == 0
    assert facts(project, "other") == EXPECTED
    assert unit_yaml(project, "other")["已公布"] == {"总分": "90.94", "等级": "优", "比率": {"预算执行率": "95.00"}}
    scored_as_by_hand(project, "other")


def test_a_two_row_header_with_the_target_split_under_it(project, tmp_path):
    """年度指标值 over 指标性质 | 指标值 | 度量单位, the other headers merged down both header rows."""
    from docx import Document
    form = docx_form(tmp_path / "f.docx", total=None, notes=False)
    document = Document(str(form))
    old = document.tables[3]
    top = ("一级指标", "二级指标", "三级指标", "年度指标值", None, None, "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    under = (None, None, None, "指标性质", "指标值", "度量单位", None, None, None, None)
    split = {"≥1000人次": ("≥", "1000", "人次"), "≥95%": ("≥", "95", "%"), "≤12月": ("≤", "12", "月"),
             "明显提升": ("", "明显提升", ""), "≥90%": ("≥", "90", "%")}
    table = document.add_table(rows=2 + len(ROWS) + 1, cols=len(top))
    for c, (a, b) in enumerate(zip(top, under)):
        if a is not None:
            table.cell(0, c).text = a
        if b is not None:
            table.cell(1, c).text = b
        elif a is not None:
            table.cell(0, c).merge(table.cell(1, c))
    table.cell(0, 3).merge(table.cell(0, 5))
    for r, row in enumerate(ROWS, 2):
        for c, text in enumerate(row[:3] + split[row[3]] + row[4:]):
            table.cell(r, c).text = text
    bottom = len(table.rows) - 1
    table.cell(bottom, 0).merge(table.cell(bottom, 6)).text = "总分"
    table.cell(bottom, 7).text, table.cell(bottom, 8).text, table.cell(bottom, 9).text = "100", "90.94", "自评等级：优"
    old._tbl.addprevious(table._tbl)
    old._tbl.getparent().remove(old._tbl)
    document.save(form)
    assert run_import(project, form, "two") == 0
    assert facts(project, "two") == EXPECTED
    scored_as_by_hand(project, "two")


def test_a_ragged_table_whose_rows_lie_over_other_column_widths(project, tmp_path):
    """三级指标 over two grid columns in the header, but one in the rows, whose last cell takes two (the funds table
    likewise): each row has as many cells as the header, so cell order, not grid column, says which is which."""
    from docx import Document
    form = docx_form(tmp_path / "f.docx", total=None, notes=False)
    document = Document(str(form))
    old = document.tables[3]
    table = document.add_table(rows=len(ROWS) + 2, cols=9)
    for c, text in enumerate(HEADER[:3] + ("",) + HEADER[3:]):
        table.cell(0, c).text = text
    table.cell(0, 2).merge(table.cell(0, 3))
    for r, row in enumerate(ROWS, 1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
        table.cell(r, 7).merge(table.cell(r, 8))
    bottom = len(ROWS) + 1
    table.cell(bottom, 0).merge(table.cell(bottom, 5)).text = "总分"
    table.cell(bottom, 6).text, table.cell(bottom, 7).text, table.cell(bottom, 8).text = "100", "90.94", "自评等级：优"
    old._tbl.addprevious(table._tbl)
    old._tbl.getparent().remove(old._tbl)
    old = document.tables[1]  # the funds: 项目资金 over two grid columns in the header, 得分 over two in the rows
    funds = document.add_table(rows=1 + len(FUNDS), cols=8)
    for c, text in enumerate(FUNDS_HEADER[:1] + ("",) + FUNDS_HEADER[1:]):
        funds.cell(0, c).text = text
    funds.cell(0, 0).merge(funds.cell(0, 1))
    for r, row in enumerate(FUNDS, 1):
        for c, text in enumerate(row):
            funds.cell(r, c).text = text
        funds.cell(r, 6).merge(funds.cell(r, 7))
    old._tbl.addprevious(funds._tbl)
    old._tbl.getparent().remove(old._tbl)
    document.save(form)
    assert run_import(project, form, "ragged") == 0
    lines = (project / "inputs/ragged/2024/funds.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].startswith("财政拨款,财政拨款,100.00,120.00,120.00,114.00,")
    assert facts(project, "ragged") == EXPECTED
    scored_as_by_hand(project, "ragged")


def test_tables_inside_content_controls(project, tmp_path):
    """Forms made from a bureau's Word template often hold each table in a content control (w:sdt)."""
    from docx import Document
    from docx.oxml.ns import qn
    form = docx_form(tmp_path / "f.docx")
    document = Document(str(form))
    for table in document.tables:
        sdt = table._tbl.makeelement(qn("w:sdt"), {})
        content = sdt.makeelement(qn("w:sdtContent"), {})
        table._tbl.addprevious(sdt)
        sdt.append(content)
        content.append(table._tbl)
    document.save(form)
    assert not Document(str(form)).tables  # python-docx itself no longer sees them
    assert run_import(project, form, "controls") == 0
    assert facts(project, "controls") == EXPECTED
    scored_as_by_hand(project, "controls")


def test_a_form_laid_out_inside_one_big_table_cell(project, tmp_path):
    from docx import Document
    form = docx_form(tmp_path / "f.docx")
    document = Document(str(form))
    body = document.element.body
    parts = [child for child in body.iterchildren() if not child.tag.endswith("sectPr")]
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)._tc
    for child in parts:
        cell.append(child)
    cell.append(cell.makeelement(parts[0].tag, {}))  # a cell ends with a paragraph
    body.insert(0, outer._tbl)
    document.save(form)
    assert len(Document(str(form)).tables) == 1
    assert run_import(project, form, "outer") == 0
    assert facts(project, "outer") == EXPECTED
    scored_as_by_hand(project, "outer")


@pytest.mark.parametrize("budget, spent, places, csv_budget, csv_spent, note", [
    ("1,234,567", "1,173,839", "4", "123.4567", "117.3839", None),  # 元 in 万元: four decimals
    ("1,234,567.89", "1,173,839.40", "4", "123.4568", "117.3839", "已按万元 4 位小数（精确到元）四舍五入导入"),
    ("1,230,000", "1,170,000", None, "123", "117", None),  # whole hundreds of 元: the default two places serve
], ids=["whole yuan", "yuan and fen", "round sums"])
@pytest.mark.slow
def test_amounts_in_yuan_keep_their_precision(project, tmp_path, capsys, budget, spent, places, csv_budget, csv_spent,
                                              note):
    funds = (("年度资金总额", budget, budget, spent, "10", "", ""), ("其中：财政拨款", budget, budget, spent, "", "", ""))
    header = ("项目资金（元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    assert run_import(project, docx_form(tmp_path / "f.docx", funds=funds, funds_header=header), "yuan") == 0
    out = capsys.readouterr().out
    row = (project / "inputs/yuan/2024/funds.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    assert row[2:6] == [csv_budget, csv_budget, csv_budget, csv_spent]
    assert unit_yaml(project, "yuan").get("金额小数位") == places
    assert note is None or note in out


def test_a_narrow_table_among_the_form_is_read_without_a_crash(project, tmp_path, capsys):
    """A two-column table right under the funds table, one of its rows labelled 合计 like a funds line: its rows
    lie under the funds header's wider columns (this crashed with an IndexError); each is reported at its row."""
    from docx import Document

    form = docx_form(tmp_path / "自评表.docx")
    document = Document(form)
    notes = document.add_table(rows=2, cols=2)
    notes.cell(0, 0).text, notes.cell(0, 1).text = "说明", "本表金额单位为万元"
    notes.cell(1, 0).text, notes.cell(1, 1).text = "合计", "见上表"
    funds = next(t for t in document.tables if "年初预算数" in t.rows[0].cells[1].text)
    funds._tbl.addnext(notes._tbl)
    document.save(form)
    assert run_import(project, form, "health") == 2
    err = capsys.readouterr().err
    assert "自评表.docx 表3第1行：" in err and "自评表.docx 表3第2行 年初预算数：无法读取这个数字（当前值：'见上表'）" in err
    assert "Traceback" not in err and not (project / "inputs/health").exists()


@pytest.mark.slow
def test_a_folder_of_forms_comes_in_a_unit_each_and_a_broken_one_is_told(project, tmp_path, capsys):
    folder = tmp_path / "收到的表格"
    folder.mkdir()
    docx_form(folder / "a-第一份.docx")
    xlsx_form(folder / "b-第二份.xlsx")
    broken = [list(r) for r in ROWS]
    broken[0][5] = "二十"  # a weight in words: refused, naming the file
    docx_form(folder / "c-坏表.docx", rows=[tuple(r) for r in broken])
    (folder / "说明.txt").write_text("不是表格", encoding="utf-8")
    assert run_import(project, folder, "batch") == 2
    out, err = capsys.readouterr()
    assert "文件夹 收到的表格 中有 3 份表格" in out and "《c-坏表.docx》未导入" in out
    assert "c-坏表.docx" in err and "二十" in err and "Traceback" not in err
    for dept in ("batch-1", "batch-2"):  # both good forms, in file-name order, scored as by hand
        scored_as_by_hand(project, dept)
    assert not (project / "inputs" / "batch-3").exists()  # nothing half-written for the broken one
