"""The default 项目支出绩效自评表 (layout of 财预〔2020〕10号), written with python-docx as a docxtpl template.

Run `python -m tools.form_template` to (re)write templates/project/自评表.docx; the bytes are the same on every run.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from pipeline.inputs.framework import LEVEL_NAMES
from pipeline.report.form import FORM_LEVELS
from pipeline.report.word.finish import grid_borders, row_flag, to_bytes
from pipeline.report.word.styles import LATIN, THEME_ATTRIBUTES, set_fonts

TARGET = Path(__file__).resolve().parents[1] / "pipeline" / "templates" / "project" / "自评表.docx"

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
TABLE_PT = 10.5
C, L, R = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
# Usable width of A4 portrait with 25 mm margins: 160 mm; every table uses all of it. A 10.5 pt Chinese
# character is 3.7 mm wide, so with 1 mm cell margins a column of n mm holds (n - 2) / 3.7 characters a line.
CELL_MARGIN_DXA = 57  # 1 mm
HEADER_MM = (30, 50, 30, 50)
FUNDS_MM = (37, 22, 22, 22, 14, 19, 24)  # “其中：当年财政拨款” on one line; “年初预算数” still fits
GOALS_MM = (26, 67, 67)
INDICATORS_MM = (18, 18, 30, 21, 21, 12, 12, 28)

FUNDS_HEADER = ("项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
FUNDS_ROW = ("f.name", "f.initial", "f.budget", "f.actual", "f.weight", "f.rate", "f.points")
INDICATORS_HEADER = (*LEVEL_NAMES[:FORM_LEVELS], "年度指标值", "实际完成值", "分值", "得分",
                     "偏差原因分析及改进措施")
INDICATOR_ROW = ("i.level1", "i.level2", "i.name", "i.target", "i.actual", "i.weight", "i.points", "i.reason")
OTHER_ROW = ("o.level1", "o.level2", "o.name", None, None, "o.weight", "o.points", "o.reason")
INDICATOR_ALIGN = (C, C, L, C, C, R, R, L)


def _var(name: str | None) -> str:
    return "" if name is None else f"{{{{ {name} }}}}"


def _paragraph(document, text: str, font: str, size: float, align, *, bold: bool = False, after: float = 0):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = True if bold else None
    set_fonts(run._r, font)
    return paragraph


def _gap(document) -> None:
    """Word joins tables that touch; a small empty paragraph keeps them apart."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(8)
    set_fonts(paragraph.add_run()._r, BODY_FONT)


def _borders_and_margins(table: Table) -> None:
    """Single black lines on every edge; 1 mm cell margins so four-character labels fit their column."""
    tbl_pr = table._tbl.tblPr
    grid_borders(tbl_pr)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(CELL_MARGIN_DXA))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _table(document, widths_mm: tuple[int, ...], rows: int) -> Table:
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: the widths below hold in Word, WPS and LibreOffice
    _borders_and_margins(table)
    width = table._tbl.tblPr.find(qn("w:tblW"))  # python-docx writes one (type auto) in every new table
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths_mm) / 25.4 * 1440)))
    for column, mm in zip(table.columns, widths_mm):
        column.width = Mm(mm)
    for row in table.rows:
        row.height = Mm(8)
        for cell, mm in zip(row.cells, widths_mm):
            cell.width = Mm(mm)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def _put(cell, text: str, align=C, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_PT)
    run.bold = True if bold else None
    set_fonts(run._r, BODY_FONT)


def _fill_row(row, texts, aligns, *, bold: bool = False) -> None:
    for cell, text, align in zip(row.cells, texts, aligns):
        _put(cell, text, align, bold=bold)


def _loop_row(row, tag: str) -> None:
    """A row holding only a docxtpl `{%tr %}` tag: docxtpl replaces the whole row by the tag."""
    merged = row.cells[0].merge(row.cells[-1])
    _put(merged, "{%tr " + tag + " %}", L)


def _page_and_styles(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    section.header_distance = section.footer_distance = Mm(12)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for fonts in defaults.iter(qn("w:rFonts")):
        for attribute in THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)
        for attribute, face in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:eastAsia", BODY_FONT), ("w:cs", LATIN)):
            fonts.set(qn(attribute), face)
    for lang in defaults.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    for spacing in defaults.iter(qn("w:spacing")):  # the blank template's 10 pt after and 1.15 lines
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    set_fonts(normal.element, BODY_FONT)


def _core_properties(document) -> None:
    props = document.core_properties
    props.title = "项目支出绩效自评表"
    props.author = props.last_modified_by = props.comments = props.subject = props.keywords = ""
    props.revision = 1


def build_form_template() -> bytes:
    document = Document()
    _page_and_styles(document)
    _paragraph(document, "项目支出绩效自评表", TITLE_FONT, 18, C, after=4)
    _paragraph(document, "（{{ project.year }}年度）", BODY_FONT, 14, C, after=8)

    header = _table(document, HEADER_MM, 3)
    _put(header.cell(0, 0), "项目名称")
    _put(header.cell(0, 1).merge(header.cell(0, 3)), _var("project.name"), L)
    for row, (k1, v1, k2, v2) in zip(header.rows[1:], (
            ("主管部门", "project.department", "实施单位", "project.implementer"),
            ("项目负责人", "project.leader", "联系电话", "project.phone"))):
        _fill_row(row, (k1, _var(v1), k2, _var(v2)), (C, L, C, L))
    _gap(document)

    funds = _table(document, FUNDS_MM, 4)
    _fill_row(funds.rows[0], FUNDS_HEADER, (C,) * 7, bold=True)
    _loop_row(funds.rows[1], "for f in funds")
    _fill_row(funds.rows[2], [_var(v) for v in FUNDS_ROW], (L,) + (R,) * 6)
    _loop_row(funds.rows[3], "endfor")
    _gap(document)

    goals = _table(document, GOALS_MM, 2)
    _put(goals.cell(0, 0).merge(goals.cell(1, 0)), "年度总体目标", bold=True)
    _put(goals.cell(0, 1), "预期目标", bold=True)
    _put(goals.cell(0, 2), "实际完成情况", bold=True)
    goals.rows[1].height = Mm(30)
    _put(goals.cell(1, 1), _var("goals.expected"), L)
    _put(goals.cell(1, 2), _var("goals.achieved"), L)
    for cell in (goals.cell(1, 1), goals.cell(1, 2)):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _gap(document)

    indicators = _table(document, INDICATORS_MM, 8)
    _fill_row(indicators.rows[0], INDICATORS_HEADER, (C,) * 8, bold=True)
    row_flag(indicators.rows[0], "w:tblHeader")  # repeated at the top of every page
    _loop_row(indicators.rows[1], "for i in indicators")
    _fill_row(indicators.rows[2], [_var(v) for v in INDICATOR_ROW], INDICATOR_ALIGN)
    _loop_row(indicators.rows[3], "endfor")
    _loop_row(indicators.rows[4], "for o in others")
    _fill_row(indicators.rows[5], [_var(v) for v in OTHER_ROW], INDICATOR_ALIGN)
    _loop_row(indicators.rows[6], "endfor")
    # the rows add up to `points`; when indicators do not apply, `converted` says how the 总分 came from them
    _put(indicators.cell(7, 0).merge(indicators.cell(7, 4)), _var("total_label"), bold=True)
    _put(indicators.cell(7, 5), _var("total_weight"), R, bold=True)
    _put(indicators.cell(7, 6), _var("points"), R, bold=True)
    _put(indicators.cell(7, 7), _var("converted") + "自评等级：" + _var("grade"), L, bold=True)
    for row in indicators.rows[1:]:
        row_flag(row, "w:cantSplit")  # a row never breaks across pages

    _paragraph(document, "", BODY_FONT, 12, L, after=0)
    _paragraph(document, "填报人：{{ signer.filler }}　　单位负责人：{{ signer.head }}　　填报日期：{{ signer.date }}",
               BODY_FONT, 12, L)
    _core_properties(document)
    return to_bytes(document)


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build_form_template())
    print(TARGET)
