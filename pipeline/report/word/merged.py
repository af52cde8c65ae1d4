"""The indicator tables' level columns (一级, 二级 …) merged down where a level runs over several rows, as Word merges
cells: the score table of a report and of a form."""
from __future__ import annotations

from docx.oxml.ns import qn
from docx.table import Table, _Cell

from ..hierarchy import MERGED_COLUMNS, merge_runs, merged_columns
from .elements import grid_span, vertical_merge
from .reads import cell_text


def is_indicator_table(table: Table) -> bool:
    rows = table._tbl.tr_lst
    return bool(rows) and bool(rows[0].tc_lst) and cell_text(rows[0].tc_lst[0]).strip() == MERGED_COLUMNS[0]


SPANS = tuple(f".//{qn(name)}" for name in ("w:gridSpan", "w:vMerge", "w:gridBefore", "w:gridAfter"))
GRID_COLUMN = qn("w:gridCol")


def merge_hierarchy(table: Table) -> None:
    """Merge runs of equal cells down every level column but the leaves', each run within its parent's run."""
    if any(table._tbl.find(path) is not None for path in SPANS):
        return _merge_spanned(table)
    rows = [tr.tc_lst for tr in table._tbl.tr_lst]  # one w:tc a grid column: python-docx's merge() as it would do it
    columns, texts = merged_columns([cell_text(tc) for tc in rows[0]]), [[cell_text(tc) for tc in row] for row in rows[1:]]
    for column, first, count in merge_runs(texts, columns):
        _merge_down([row[column] for row in rows[first + 1:first + count + 1]])


def _merge_down(run: list) -> None:
    """One merge of the w:tc of `run`, each below the one before in one grid column, as python-docx's merge() makes it
    where each starts at that column, spans as many as the first and is not merged yet."""
    top = run[0]
    top.vMerge = "restart"
    for tc in run[1:]:
        tc._move_content_to(top)
        tc.vMerge = "continue"
    for extra in top.p_lst[1:]:  # the merge keeps every cell's text; one is enough
        top.remove(extra)


def _merge_spanned(table: Table) -> None:
    """merge_hierarchy where cells span grid columns or are merged already: the cells by grid position as python-docx's
    Table._cells lists them; a run of plain cells merged as merge_hierarchy does, any other by python-docx's merge(),
    which works out each span (it looks every cell's place up again: ten times slower)."""
    width = len(table._tbl.tblGrid.findall(GRID_COLUMN))
    grid: list = []  # a w:tc by grid position (python-docx's _cells)
    starts: dict = {}  # the grid position where each w:tc starts
    for tc in (tc for tr in table._tbl.tr_lst for tc in tr.tc_lst):
        for part in range(grid_span(tc)):
            if vertical_merge(tc) == "continue":
                grid.append(grid[-width])
            elif part > 0:
                grid.append(grid[-1])
            else:
                starts[tc] = len(grid)
                grid.append(tc)
    rows = [[cell_text(tc) for tc in grid[i:i + width]] for i in range(0, len(grid), width)]
    columns, texts = merged_columns(rows[0]), rows[1:]
    aligned = all(sum(grid_span(tc) for tc in tr.tc_lst) == width for tr in table._tbl.tr_lst) and not any(
        table._tbl.find(path) is not None for path in SPANS[2:])  # every row fills the grid: positions are places
    for column, first, count in merge_runs(texts, columns):
        run = [grid[row * width + column] for row in range(first + 1, first + count + 1)]
        if aligned and all(starts.get(tc) == (row + first + 1) * width + column and grid_span(tc) == grid_span(run[0])
                           and vertical_merge(tc) is None for row, tc in enumerate(run)):
            _merge_down(run)
            continue
        merged = _Cell(run[0], table).merge(_Cell(run[-1], table))  # the grid as it was before any merge, as before
        for extra in merged.paragraphs[1:]:  # merge() keeps every cell's text; one is enough
            extra._p.getparent().remove(extra._p)
