"""Forms in other provinces' layouts, built here: no 分值 column, the national template's placeholder rows, amounts
written 150万, caption rows, 合计 above 总分, a department 评分表 with grade and signature rows, an old .xls.
Expected figures are worked out by hand in the comments."""
from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from pipeline.__main__ import main
from pipeline.errors import Location
from pipeline.importer.docx_tables import read_docx
from pipeline.importer.form import read_form
from pipeline.run import check
from tests.tools.importer_forms import refusal, xlsx_form
from tests.tools.test_importer_variants import EXPECTED, facts, unit_yaml

COLUMNS = ("指标编号", "指标名称", "一级指标", "二级指标", "权重", "目标值", "比较符", "计量单位", "实际值", "档次", "自评得分", "偏差原因")
FUNDS = ("资金来源", "资金性质", "年初预算数", "全年预算数", "到位数", "已支出")


def table(root: Path, dept: str, year: int, name: str, columns) -> list[tuple[str, ...]]:
    with open(root / "inputs" / dept / str(year) / name, encoding="utf-8") as handle:
        return [tuple(row[c] for c in columns) for row in csv.DictReader(handle)]


def workbook(path: Path, rows: list[tuple], merges: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    for row in rows:
        sheet.append(list(row))
    for area in merges:
        sheet.merge_cells(area)
    book.save(path)
    return path


def run(project: Path, path: Path, dept: str, *extra: str) -> int:
    return main(["--root", str(project), "import", str(path), dept, *extra])


# A Hubei city layout: no 分值 anywhere, the funds as 预算数 | 执行数, 全年实际值 for the actual value.
HUBEI = [
    ("项目支出绩效自评表",), ("（2023年度）",),
    ("项目名称", "城区道路维修（一期）"), ("主管部门", "某市住房和城乡建设局", "实施单位", "某市市政设施维护中心"),
    ("项目资金（万元）", "预算数", "执行数", "执行率", "得分"),
    ("年度资金总额", 200, 180, "90%", 9), ("其中：财政拨款", 200, 180, "90%", "—"),
    ("年度总体目标", "预期目标", "实际完成情况"), (None, "完成道路维修5公里。", "完成4.5公里。"),
    ("一级指标", "二级指标", "三级指标", "年度指标值", "全年实际值", "得分", "偏差原因"),
    ("产出指标", "数量指标", "维修道路长度", "≥5公里", "4.5公里", 22.5, "部分路段延至次年"),
    ("产出指标", "质量指标", "验收合格率", "100%", "100%", 25, None),
    ("效益指标", "社会效益指标", "群众出行条件", "明显改善", "明显改善", 30, None),
    ("满意度指标", "服务对象满意度指标", "沿线居民满意度", "≥90%", "95%", 10, None),
    ("总分", None, None, None, None, 96.5, None),
]


def test_a_form_without_a_weight_column_takes_the_framework_weights(project, tmp_path, capsys):
    assert run(project, workbook(tmp_path / "湖北.xlsx", HUBEI), "hubei") == 0
    out = capsys.readouterr().out
    # 产出指标 50 shared by its two rows; 效益 30 and 满意度 10 by one row each
    assert "表中没有分值列：“产出指标”的 2 个指标按评价体系的 50 分平均分配" in out
    assert table(project, "hubei", 2023, "indicators.csv", COLUMNS) == [
        ("P01", "维修道路长度", "产出指标", "数量指标", "25.00", "5", "≥", "公里", "4.5", "", "22.5", "部分路段延至次年"),
        ("P02", "验收合格率", "产出指标", "质量指标", "25.00", "100", "≥", "%", "100", "", "25", ""),
        ("P03", "群众出行条件", "效益指标", "社会效益指标", "30.00", "明显改善", "定性", "", "明显改善", "达成预期指标", "30", ""),
        ("P04", "沿线居民满意度", "满意度指标", "服务对象满意度指标", "10.00", "90", "≥", "%", "95", "", "10", ""),
        ("N11", "预算执行率", "", "", "", "", "", "", "", "", "9", "")]
    # no 年初预算数 column: taken as the 全年预算数, and said so
    assert table(project, "hubei", 2023, "funds.csv", FUNDS) == [("其中：财政拨款"[3:], "财政拨款", "200", "200", "200", "180")]
    assert "资金表没有年初预算数列，年初预算数按全年预算数填写" in out
    assert unit_yaml(project, "hubei", 2023)["项目名称"] == "城区道路维修（一期）"  # full-width brackets kept
    # 180/200 = 90 % → 9; 4.5/5 = 90 % of 25 → 22.5; 25; 30; 95 ≥ 90 → 10: 96.50
    assert check(project, "hubei", 2023).scores.total == Decimal("96.50")


def national_template(path: Path, funds_weight: str = "10") -> Path:
    """The national template as a county fills it in Word: captions over each table, amounts written 150万, the empty
    指标1：/指标2： rows the template ships with left in, a 合计 of the indicators above the 总分, full-width names."""
    document = Document()
    document.add_paragraph("项目支出绩效自评表（2024年度）")
    head = document.add_table(rows=3, cols=2)
    for r, (key, value) in enumerate((("项目名称", "乡村医生培训（第二期）"), ("实施单位", "某县卫生健康服务中心"),
                                      ("项目负责人：王五　　财务负责人：赵六", ""))):
        head.cell(r, 0).text, head.cell(r, 1).text = key, value
    head.cell(2, 0).merge(head.cell(2, 1))
    funds = [("项目资金", "年初预算数", "全年预算数", "全年执行数", "执行率", "得分"),
             ("年度资金总额", "150万", "150万", "120万", "80%", "8"), ("其中：财政拨款", "150万", "150万", "120万", "80%", ""),
             ("上年结转", "0", "0", "0", "", ""), ("其他资金", "", "", "", "", "")]
    grid = document.add_table(rows=len(funds) + 1, cols=6)
    grid.cell(0, 0).merge(grid.cell(0, 5)).text = f"预算执行情况（万元）（{funds_weight}分）"
    for r, values in enumerate(funds, 1):
        for c, text in enumerate(values):
            grid.cell(r, c).text = text
    rows = [("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
            ("产出指标", "数量指标", "培训村医人数", "≥150人", "150人", "25", "25", ""),
            ("产出指标", "数量指标", "指标2：", "", "", "", "", ""),
            ("产出指标", "质量指标", "考核合格率（含补考）", "≥95%", "96%", "25", "25", ""),
            ("产出指标", "质量指标", "指标1：", "", "", "", "", ""),
            ("效益指标", "社会效益指标", "基层诊疗能力", "有所提升", "有所提升", "30", "30", ""),
            ("效益指标", "经济效益指标", "指标1：", "", "", "", "", ""),
            ("满意度指标", "服务对象满意度指标", "参训村医满意度", "≥90%", "93%", "10", "10", ""),
            ("合计", "", "", "", "", "90", "90", ""), ("总分", "", "", "", "", "100", "98", "")]
    grid = document.add_table(rows=len(rows) + 1, cols=8)
    grid.cell(0, 0).merge(grid.cell(0, 7)).text = "年度绩效目标（90分）"
    for r, values in enumerate(rows, 1):
        for c, text in enumerate(values):
            grid.cell(r, c).text = text
    document.save(path)
    return path


@pytest.mark.slow
def test_the_national_template_with_placeholders_captions_and_amounts_in_wan(project, tmp_path, capsys):
    form = national_template(tmp_path / "国家模板.docx")
    read = read_form(read_docx(form, form.name))
    assert (read.funds_caption, read.indicators_caption) == (Decimal(10), Decimal(90))
    assert (read.total[2], read.subtotal[2]) == (Decimal(98), Decimal(90))  # 总分 98, not the 合计 90 above it
    assert run(project, form, "cunyi") == 0
    out = capsys.readouterr().out
    assert table(project, "cunyi", 2024, "indicators.csv", COLUMNS) == [
        ("P01", "培训村医人数", "产出指标", "数量指标", "25", "150", "≥", "人", "150", "", "25", ""),
        ("P02", "考核合格率（含补考）", "产出指标", "质量指标", "25", "95", "≥", "%", "96", "", "25", ""),
        ("P03", "基层诊疗能力", "效益指标", "社会效益指标", "30", "有所提升", "定性", "", "有所提升", "达成预期指标", "30", ""),
        ("P04", "参训村医满意度", "满意度指标", "服务对象满意度指标", "10", "90", "≥", "%", "93", "", "10", ""),
        ("N11", "预算执行率", "", "", "", "", "", "", "", "", "8", "")]
    assert table(project, "cunyi", 2024, "funds.csv", FUNDS) == [("财政拨款", "财政拨款", "150", "150", "150", "120")]
    unit = unit_yaml(project, "cunyi", 2024)
    assert (unit["项目名称"], unit["项目负责人"], unit["已公布"]["总分"]) == ("乡村医生培训（第二期）", "王五", "98")
    assert out.count("模板自带的空行") == 3 and "财务负责人“赵六”" in out
    assert "合计 90 不是总分，总分取表3第11行" in out
    # 120/150 = 80 % → 8; 150 ≥ 150 → 25; 96 ≥ 95 → 25; 30 printed 30/30 达成; 93 ≥ 90 → 10: 98.00
    assert check(project, "cunyi", 2024).scores.total == Decimal("98.00")


def test_a_caption_weight_unlike_the_framework_is_noted(project, tmp_path, capsys):
    assert run(project, national_template(tmp_path / "f.docx", funds_weight="20"), "cunyi") == 0
    assert "预算执行分值印为 20，评价体系为 10" in capsys.readouterr().out


def department_sheet(path: Path, criteria: bool = True) -> Path:
    header = ("一级指标", "二级指标", "三级指标", "分值") + (("评分标准",) if criteria else ()) + ("得分", "扣分原因")
    rows = [("预算编制", "目标设置", "绩效目标合理性", 40, "目标明确得满分，否则酌情扣分", 36, "个别目标不够细化"),
            ("履职效能", "重点工作", "重点工作完成情况", 60, "按完成情况酌情评分", 55, None)]
    rows = [r if criteria else r[:4] + r[5:] for r in rows]
    total = ("合计", None, None, 100) + ((None,) if criteria else ()) + (91, None)
    return workbook(path, [("2023年度部门整体支出绩效自评评分表",), header, *rows, total, ("自评等级", "优"),
                           ("填报人：李娜　　审核人：周伟　　填报日期：2024年3月1日",)])


@pytest.mark.parametrize("criteria", [True, False], ids=["with 评分标准", "without 评分标准"])
def test_a_department_score_table_with_grade_and_signature_rows(project, tmp_path, capsys, criteria):
    assert run(project, department_sheet(tmp_path / "部门评分表.xlsx", criteria), "dept", "--kind", "department") == 0
    out = capsys.readouterr().out
    assert "作为评分表导入为单位 dept" in out and "审核人“周伟”" in out
    # the budget rows are the unit's to enter, and are asked for (the report cannot be written without them)
    assert "budget.csv：数据表中没有任何数据行（只有表头）" in out
    unit = unit_yaml(project, "dept", 2023)
    assert unit["已公布"] == {"总分": "91", "等级": "优"} and unit["报告类型"] == "department"
    assert table(project, "dept", 2023, "indicators.csv", ("指标编号", "指标名称", "自评得分")) == [
        ("A1.1", "绩效目标合理性", "36"), ("B1.1", "重点工作完成情况", "55")]


def test_a_project_form_imported_as_a_department_gets_the_right_advice(project, tmp_path, capsys):
    assert run(project, workbook(tmp_path / "湖北.xlsx", HUBEI), "x", "--kind", "department") == 2
    err = capsys.readouterr().err
    assert "这是一份项目支出绩效自评表（有年度指标值、实际完成值列），只能导入为项目支出单位" in err
    assert "部门整体的评分表应有一级指标、分值、得分（和评分标准）列" in err


def old_format(made: Path, suffix: str, folder: Path) -> Path:
    """The form saved in an old format by LibreOffice; the test is skipped where LibreOffice (or its Calc) is missing."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", suffix,
                    "--outdir", str(folder / "old"), str(made)], capture_output=True, timeout=300, check=False)
    old = folder / "old" / f"{made.stem}.{suffix}"
    if not old.is_file():
        pytest.skip(f"this LibreOffice cannot write .{suffix}")
    return old


@pytest.mark.slow
def test_an_old_doc_is_converted_through_libreoffice(project, tmp_path):
    from tests.tools.importer_forms import docx_form
    assert run(project, old_format(docx_form(tmp_path / "form.docx"), "doc", tmp_path), "old") == 0
    assert facts(project, "old") == EXPECTED


@pytest.mark.slow
def test_an_old_xls_is_converted_through_libreoffice(project, tmp_path):
    assert run(project, old_format(xlsx_form(tmp_path / "form.xlsx"), "xls", tmp_path), "old") == 0
    # the workbook holds 18.0 where Word holds 18.00: the same points
    assert [row[:10] + (Decimal(row[10]), row[11]) for row in facts(project, "old")] == [
        row[:10] + (Decimal(row[10]), row[11]) for row in EXPECTED]


def test_a_money_column_not_understood_is_an_error_naming_it(project, tmp_path, capsys):
    rows = [r if i != 4 else ("项目资金（万元）", "年初预算数", "全年预算数", "结余数", "执行率", "得分")
            for i, r in enumerate(HUBEI)]
    rows[5], rows[6] = ("年度资金总额", 200, 200, 20, "90%", 9), ("其中：财政拨款", 200, 200, 20, "90%", "—")
    problems = refusal(project, workbook(tmp_path / "f.xlsx", rows))
    told = {(p.where.line, p.where.key): p for p in problems}
    assert told[5, "全年执行数"].where == Location("f.xlsx", 5, "全年执行数", sheet="自评表")
    assert told[5, "全年执行数"].message == "资金表没有全年执行数列（或其表头写法不认识），不能按 0 导入"
    assert "全年执行数列可写作：全年执行数、全年执行、执行数、预算执行数" in told[5, "全年执行数"].hint
    assert (told[6, "结余数"].message, told[6, "结余数"].value) == ("资金表的“结余数”列不认识，其中的数字无法导入", "20")
    assert not (project / "inputs" / "x").exists()


def test_no_header_names_what_it_found_and_what_it_missed(project, tmp_path, capsys):
    rows = [r if i != 9 else ("一级指标", "二级指标", "三级指标", "绩效标准", "达成情况", "自评分", "偏差原因")
            for i, r in enumerate(HUBEI)]
    [problem] = refusal(project, workbook(tmp_path / "f.xlsx", rows))
    assert problem.where == Location("f.xlsx", 10, sheet="自评表")
    assert problem.message.startswith("没有找到指标表的表头：最接近的这一行认出了“一级指标”“二级指标”“三级指标”“偏差原因”")
    assert "没有认出“年度指标值”“实际完成值”“分值”“得分”" in problem.message


def _pdf(tmp_path: Path, ruled: bool) -> Path:
    from tests.tools.importer_forms import docx_form
    form = docx_form(tmp_path / "form.docx")
    document = Document(str(form))
    for grid in document.tables:
        grid.style = "Table Grid" if ruled else grid.style
    document.save(form)
    return old_format(form, "pdf", tmp_path)


PDF_READER = pytest.mark.skipif(importlib.util.find_spec("pymupdf") is None,
                                reason="PyMuPDF (the optional `pdf` extra) reads PDF forms")


@pytest.mark.slow
@PDF_READER
def test_a_text_pdf_with_ruled_tables_is_read(project, tmp_path):
    assert run(project, _pdf(tmp_path, ruled=True), "pdf") == 0
    assert facts(project, "pdf") == EXPECTED  # the lines a cell wrapped in are joined again


@pytest.mark.slow
@PDF_READER
def test_a_pdf_without_ruled_tables_is_refused_in_plain_words(project, tmp_path, capsys):
    [problem] = refusal(project, _pdf(tmp_path, ruled=False), "pdf")
    assert problem.where == Location("form.pdf")
    assert f"{problem.message}；{problem.hint}" == ("这个 PDF 中找不到带表格线的表格，无法可靠地分出各列；"
                                                  "请提供这份表格的 Word（.docx）或 Excel（.xlsx）原件")


def test_without_the_optional_pdf_reader_a_pdf_form_says_what_to_install(project, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pymupdf", None)  # as on a machine where it is not installed
    (tmp_path / "form.pdf").write_bytes(b"%PDF-1.7\n")
    assert run(project, tmp_path / "form.pdf", "pdf") == 1
    err = capsys.readouterr().err
    assert "form.pdf：导入 PDF 表格需要可选组件 PyMuPDF" in err and "selfeval-pipeline[pdf]" in err
