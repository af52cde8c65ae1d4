"""A form's columns are widened for what must not break — a number ("100.00", never "100.0/0") and a short header
word ("分值") — taking the width from the column with the most to spare; the table keeps its width."""
from __future__ import annotations

from docx import Document
from docx.shared import Pt

from pipeline.report.word.layout import grid_widths
from pipeline.report.word.unbroken import unbroken_columns


def table_of(rows: list[list[str]], widths: list[int]):
    document = Document()
    table = document.add_table(rows=len(rows), cols=len(widths))
    for col, width in zip(table._tbl.tblGrid.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol"), widths):
        col.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w", str(width))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            run = table.cell(r, c).paragraphs[0].add_run(text)
            run.font.size = Pt(10.5)
    return document, table


def test_a_total_score_column_is_widened_from_the_text_column():
    document, table = table_of([["指标名称", "分值", "得分"], ["合计", "100", "100.00"]], [4000, 500, 600])
    unbroken_columns(table, document)
    grid = grid_widths(table)
    # "100.00": five digits of 0.5 em and a point of 0.25 em (Times New Roman's advances) = 2.75 em × 10.5 pt × 20 twips
    # = 577.5 → 578, + 40 slack + 2 × 108 margins = 834
    # "分值" as a header word: 2 em × 10.5 × 20 = 420, + 40 + 216 = 676
    assert grid[2] == 834 and grid[1] == 676
    assert sum(grid) == 5100 and grid[0] == 5100 - 834 - 676


def test_a_table_with_no_room_to_spare_is_left_as_it_is():
    document, table = table_of([["甲", "得分"], ["1", "100.00"]], [300, 300])
    unbroken_columns(table, document)
    assert sum(grid_widths(table)) == 600


def test_a_long_header_may_wrap():
    document, table = table_of([["偏差原因分析及改进措施", "名称"], ["", "某某"]], [1200, 4000])
    unbroken_columns(table, document)
    assert grid_widths(table) == [1200, 4000]
