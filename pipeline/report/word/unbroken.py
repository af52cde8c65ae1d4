"""A form's columns made wide enough for what must not break: a number ("100.00" never "100.0/0"), a short
header word ("分值", "执行率") and a cell's last character (never "…覆盖/率" alone on a line), the width taken from
the columns that have the most room to spare."""
from __future__ import annotations

import math

from docx.text.paragraph import Paragraph
from docx.oxml.ns import qn

from .layout import (HEADER_WORD_EM, PARAGRAPH, TWIPS_PER_PT, cell_margins, cell_text, clusters, count_lines, grid_widths,
                     LINE_SLACK_EM, longest_word, measure)


SLACK_TWIPS = 40  # the clients' rounding of glyph widths


def orphan_free(text: str, width_em: float) -> float:
    """The narrowest text width from `width_em` up at which no paragraph of `text` ends on a line of one character
    (a line ends where a run of whole pieces ends, so only those widths are tried); 0 when none does at `width_em`."""
    width = width_em
    for paragraph in text.split("\n"):
        pieces = clusters(paragraph)
        if len(pieces) < 2 or len(paragraph.strip()) < 2:
            continue
        ends = sorted({sum(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)})
        for tried in [width] + [end for end in ends if end > width]:
            at = tried + LINE_SLACK_EM + 1e-9  # count_lines keeps LINE_SLACK_EM of a line free
            if count_lines(pieces, at) == 1 or count_lines(pieces, at) == count_lines(pieces[:-1], at):
                width = tried
                break
    return width if width > width_em else 0.0


def _needed(tc, table, document, memo: dict, header: bool, width: int) -> int:
    """Twips the cell's text needs for its widest unbreakable piece, margins not counted, and so that its last line
    is not one character alone (`width`: the text's width now, twips)."""
    text = cell_text(tc).strip()
    paragraphs = [p for p in tc if p.tag == PARAGRAPH]
    if not text or not paragraphs:
        return 0
    size = measure(Paragraph(paragraphs[0], table), document, memo).size_pt
    widest = max(longest_word(line) for line in text.split("\n"))
    whole = max(sum(longest_word(ch) for ch in line) for line in text.split("\n"))
    if header or (whole <= HEADER_WORD_EM and "：" in text):  # a header, or a label with its value ("自评等级：良")
        widest = max(widest, whole if whole <= HEADER_WORD_EM else 0)
    widest = max(widest, orphan_free(text, width / TWIPS_PER_PT / size))
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
                own = _needed(tc, table, document, memo, index == 0, grid[column] - left - right - SLACK_TWIPS)
                need[column] = max(need[column], own + left + right)
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
