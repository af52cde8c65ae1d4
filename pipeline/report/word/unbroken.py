"""A form's columns made wide enough for what must not break: a number ("100.00" never "100.0/0") and a short
header word ("分值", "执行率"), the width taken from the columns that have the most room to spare."""
from __future__ import annotations

import math

from docx.text.paragraph import Paragraph
from docx.oxml.ns import qn

from .layout import HEADER_WORD_EM, PARAGRAPH, TWIPS_PER_PT, cell_margins, cell_text, grid_widths, longest_word, measure

SLACK_TWIPS = 40  # the clients' rounding of glyph widths


def _needed(tc, table, document, memo: dict, header: bool) -> int:
    """Twips the cell's text needs on one line for its widest unbreakable piece, margins not counted."""
    text = cell_text(tc).strip()
    paragraphs = [p for p in tc if p.tag == PARAGRAPH]
    if not text or not paragraphs:
        return 0
    size = measure(Paragraph(paragraphs[0], table), document, memo).size_pt
    widest = max(longest_word(line) for line in text.split("\n"))
    if header:
        whole = max(sum(longest_word(ch) for ch in line) for line in text.split("\n"))
        widest = max(widest, whole if whole <= HEADER_WORD_EM else 0)
    return math.ceil(widest * size * TWIPS_PER_PT) + SLACK_TWIPS


def unbroken_columns(table, document, memo: dict | None = None) -> None:
    """Widen each grid column to the widest unbreakable piece of its single-column cells, narrowing the columns
    with the most width to spare; the table keeps its total width, and a column that cannot be helped is left."""
    memo = {} if memo is None else memo
    grid = grid_widths(table)
    if not grid or not all(grid):
        return
    _, _, left, right = cell_margins(table)
    need = [0] * len(grid)
    for index, tr in enumerate(table._tbl.tr_lst):
        column = 0
        for tc in tr.tc_lst:
            if tc.grid_span == 1 and tc.vMerge != "continue" and column < len(grid):
                need[column] = max(need[column], _needed(tc, table, document, memo, header=index == 0) + left + right)
            column += tc.grid_span
    changed = False
    for column in sorted(range(len(grid)), key=lambda c: grid[c] - need[c]):
        while grid[column] < need[column]:
            donor = max((c for c in range(len(grid)) if c != column), key=lambda c: grid[c] - need[c], default=None)
            if donor is None or grid[donor] - need[donor] <= 0:
                break
            moved = min(need[column] - grid[column], grid[donor] - need[donor])
            grid[column] += moved
            grid[donor] -= moved
            changed = True
    if changed:
        _set_grid(table, grid)


def _set_grid(table, grid: list[int]) -> None:
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), grid):
        col.set(qn("w:w"), str(width))
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            tc_pr = tc.get_or_add_tcPr()
            tc_w = tc_pr.find(qn("w:tcW"))
            if tc_w is not None:
                tc_w.set(qn("w:w"), str(sum(grid[column:column + tc.grid_span])))
                tc_w.set(qn("w:type"), "dxa")
            column += tc.grid_span
