"""Filled 自评表 and 评分表 built in the tests with python-docx and openpyxl, in the ways real documents differ."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from docx import Document
from docx.enum.text import WD_BREAK

HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
FUNDS_HEADER = ("项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")

# A small project scored under the national framework (财预〔2020〕10号), computed by hand:
#   预算执行率 114/120 = 95.00% → 10 × 95% = 9.50
#   培训人次 ≥1000, 900 → 20 × 90% = 18.00; 合格率 ≥95%, 96% → 20; 完成时间 ≤12月, 12 → 10
#   群众健康意识 定性, printed 24 of 30 (80%: 达成预期指标) → 24; 满意度 ≥90%, 85% → 10 × 85/90 = 9.44
#   total 9.50 + 18 + 20 + 10 + 24 + 9.44 = 90.94 → 优
FUNDS = (("年度资金总额", "100.00", "120.00", "114.00", "10", "95.00%", "9.50"),
         ("其中：财政拨款", "100.00", "120.00", "114.00", "—", "95.00%", "—"),
         ("上年结转", "0.00", "0.00", "0.00", "—", "—", "—"),
         ("其他资金", "", "", "", "—", "—", "—"))
ROWS = (("产出指标", "数量指标", "培训人次", "≥1000人次", "900人次", "20", "18.00", "部分培训推迟到次年"),
        ("产出指标", "质量指标", "培训考核合格率", "≥95%", "96%", "20", "20.00", ""),
        ("产出指标", "时效指标", "完成时间", "≤12月", "12月", "10", "10.00", ""),
        ("效益指标", "社会效益指标", "群众健康意识", "明显提升", "有所提升", "30", "24.00", "宣传覆盖面不足"),
        ("满意度指标", "服务对象满意度指标", "培训对象满意度", "≥90%", "85%", "10", "9.44", "课程安排偏紧"))
TOTAL = ("总分", "100", "90.94", "自评等级：优")


def docx_form(path: Path, rows=ROWS, *, header=HEADER, funds_header=FUNDS_HEADER, funds=FUNDS, merged=False,
              split: int | None = None, repeat_header=True, blank_row=False, notes=True, total=TOTAL,
              labels=("项目名称", "主管部门", "实施单位", "项目负责人", "联系电话"), year="2024") -> Path:
    document = Document()
    document.add_paragraph(f"项目支出绩效自评表（{year}年度）")
    head = document.add_table(rows=3, cols=4)
    head.cell(0, 0).text = labels[0]
    head.cell(0, 1).merge(head.cell(0, 3)).text = "健康素养促进"
    for r, (k1, v1, k2, v2) in enumerate(((labels[1], "示例市卫生健康局", labels[2], "示例市健康教育所"),
                                          (labels[3], "李明", labels[4], "0755-1234567")), 1):
        for c, text in enumerate((k1, v1, k2, v2)):
            head.cell(r, c).text = text
    table = document.add_table(rows=1 + len(funds), cols=7)
    for r, values in enumerate((funds_header,) + tuple(funds)):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    goals = document.add_table(rows=2, cols=3)
    goals.cell(0, 0).merge(goals.cell(1, 0)).text = "年度总体目标"
    goals.cell(0, 1).text, goals.cell(0, 2).text = "预期目标", "实际完成情况"
    goals.cell(1, 1).text, goals.cell(1, 2).text = "开展健康素养培训1000人次。", "完成培训900人次。"
    parts = [rows] if split is None else [rows[:split], rows[split:]]
    for i, part in enumerate(parts):
        if i:  # the table goes on after a page break, as Word splits a long table
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        with_header = i == 0 or repeat_header
        last = i == len(parts) - 1
        body = list(part) + ([("",) * len(header)] if blank_row and last else [])
        table = document.add_table(rows=int(with_header) + len(body) + int(last and total is not None), cols=len(header))
        if with_header:
            for c, text in enumerate(header):
                table.cell(0, c).text = text
        start = int(with_header)
        for r, values in enumerate(body, start):
            for c, text in enumerate(values):
                table.cell(r, c).text = text if not (merged and c < 2 and r > start and body[r - start - 1][c] == text) else ""
        if merged:  # 一级 and 二级 labels as Word merges them: one cell down the rows of a group
            for c in (0, 1):
                top = start
                for r in range(start + 1, start + len(body) + 1):
                    if r == start + len(body) or body[r - start][c]:
                        if r - 1 > top:
                            keep = table.cell(top, c).text
                            table.cell(top, c).merge(table.cell(r - 1, c)).text = keep
                        top = r
        if last and total is not None:
            bottom = len(table.rows) - 1
            width = len(header)
            table.cell(bottom, 0).merge(table.cell(bottom, width - 4)).text = total[0]
            for c, text in zip(range(width - 3, width), total[1:]):
                table.cell(bottom, c).text = text
    if notes:
        document.add_paragraph("注：定性指标按“达成、部分达成、未达成”三档计分。")
    document.add_paragraph("填报人：王芳　　单位负责人：赵强　　填报日期：2025年3月15日")
    document.save(path)
    return path


def xlsx_form(path: Path, rows=ROWS, *, percent_cells=True, total=(100, 90.94, "自评等级：优")) -> Path:
    """The form as a workbook export puts it: one sheet, merged ranges, numbers as numbers, rates in percent format."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    sheet.append(["项目支出绩效自评表", None, None, None, None, None, None, None])
    sheet.merge_cells("A1:H1")
    sheet.append(["（2024年度）"])
    sheet.append(["项目名称", "健康素养促进"])
    sheet.merge_cells("B3:H3")
    sheet.append(["主管部门", "示例市卫生健康局", None, None, "实施单位", "示例市健康教育所"])
    sheet.append(["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    sheet.append([None, "年度资金总额", 100, 120, 114, 10, 0.95, 9.5])
    sheet.append([None, "其中：财政拨款", 100, 120, 114, None, 0.95, None])
    sheet.append([None, "上年结转", 0, 0, 0, None, None, None])
    sheet.merge_cells("A5:A8")
    for r in (6, 7):
        sheet.cell(r, 7).number_format = "0.00%" if percent_cells else "General"
    sheet.append(["年度总体目标", "预期目标", None, None, "实际完成情况"])
    sheet.append([None, "开展健康素养培训1000人次。", None, None, "完成培训900人次。"])
    sheet.merge_cells("A9:A10")
    sheet.append(list(HEADER))
    first = sheet.max_row + 1
    for values in rows:
        sheet.append([float(v) if c in (5, 6) and v else v for c, v in enumerate(values)])
    for c in (1, 2):  # 一级 and 二级 merged down their groups
        top = first
        for r in range(first + 1, first + len(rows) + 1):
            if r == first + len(rows) or sheet.cell(r, c).value != sheet.cell(top, c).value:
                if r - 1 > top:
                    for rr in range(top + 1, r):
                        sheet.cell(rr, c).value = None
                    sheet.merge_cells(start_row=top, start_column=c, end_row=r - 1, end_column=c)
                top = r
    sheet.append(["总分", None, None, None, None, *total])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5)
    book.save(path)
    return path


def refusal(root: Path, path: Path, dept: str = "x", year: int | None = None) -> list:
    """The problems an import is refused with, each with its place and code; nothing written under root."""
    import pytest

    from pipeline.errors import InputError
    from pipeline.importer.importing import import_document

    before = sorted(p for p in root.rglob("*"))
    with pytest.raises(InputError) as refused:
        import_document(root, Path(path), dept, year)
    assert sorted(p for p in root.rglob("*")) == before
    return refused.value.problems
