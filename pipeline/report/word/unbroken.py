"""A form's columns made wide enough for what must not break: a number ("100.00" never "100.0/0"), a short
header word ("分值", "执行率") and a cell's last character (never "…覆盖/率" alone on a line), the width taken from
the columns that have the most room to spare."""
from __future__ import annotations

import functools
import heapq
import itertools
import math
from collections.abc import Iterator

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ...limits import MAX_REMEMBERED_LINE_ENDS, REMEMBERED_TEXT_CHARS
from .elements import grid_span, properties, vertical_merge
from .layout import (
    HEADER_WORD_EM,
    LINE_SLACK_EM,
    TWIPS_PER_PT,
    cell_margins,
    clusters,
    filled,
    grid_widths,
    longest_word,
    measure,
)
from .reads import PARAGRAPH, cell_text

SLACK_TWIPS = 40  # the clients' rounding of glyph widths
CELL_WIDTH, WIDTH, TYPE = qn("w:tcW"), qn("w:w"), qn("w:type")


def _lone_last(pieces: list[float], width_em: float) -> bool:
    """Whether the last piece starts a line of its own (count_lines of all the pieces exceeds that of all but it)."""
    if len(pieces) < 2:
        return False
    at = width_em + LINE_SLACK_EM + 1e-9  # count_lines keeps LINE_SLACK_EM of a line free
    _, used = filled(pieces[:-1], at)
    return used + pieces[-1] > max(at - LINE_SLACK_EM, 1.0)  # count_lines' test for the piece that starts a line


def orphan_free(text: str, width_em: float, give_em: float = 0.0) -> float:
    """The narrowest text width from `width_em` up at which no paragraph of `text` ends on a line of one character,
    however a client draws it: a line up to `give_em` wider (the clients' rounding), Chinese and Latin text with or
    without room between them. A line ends where a run of whole pieces ends, so only those widths are tried; 0 when
    no paragraph ends on one character at `width_em`."""
    return _free_width(_drawn(text), width_em, give_em)


def _drawn(text: str) -> list[list[list[float]]]:
    """Each paragraph of `text` that could end on one character alone, its pieces as a client may draw them: with and
    without room between Chinese and Latin text."""
    return [[clusters(paragraph), clusters(paragraph, autospace=0.0)]
            for paragraph in text.split("\n") if len(paragraph.strip()) >= 2]


def _free_width(paragraphs: list[list[list[float]]], width_em: float, give_em: float) -> float:
    """orphan_free on the paragraphs _drawn gives."""
    width = width_em
    gives = (0.0, give_em / 2, give_em)
    for estimates in paragraphs:
        for tried in itertools.chain([width], _ends_above(estimates, gives, width)):
            if not any(_lone_last(pieces, tried + give) for pieces in estimates for give in gives):
                width = tried
                break
    return width if width > width_em else 0.0


def _ends_above(estimates: list[list[float]], gives: tuple[float, ...], width: float) -> Iterator[float]:
    """Each width above `width` at which a run of whole pieces ends, less each rounding, ascending, each once: made
    one at a time, as the first that serves usually lies just above `width` (a run only grows as it takes a piece)."""
    heap = []
    for e, pieces in enumerate(estimates):
        for i in range(len(pieces)):
            run, j = pieces[i], i + 1  # the floats sum(pieces[i:j]) gives: added left to right
            for give in gives:  # ascending: each starts where the one before stopped
                while run - give <= width and j < len(pieces):
                    run += pieces[j]
                    j += 1
                if run - give > width:
                    heap.append((run - give, e, i, j, run, give))
    heapq.heapify(heap)
    last = None
    while heap:
        end, e, i, j, run, give = heap[0]
        if end != last:
            yield end
            last = end
        pieces = estimates[e]
        if j < len(pieces):
            run += pieces[j]
            heapq.heapreplace(heap, (run - give, e, i, j + 1, run, give))
        else:
            heapq.heappop(heap)


_char_em = functools.lru_cache(maxsize=4096)(longest_word)  # one character's width, asked for every character of a form


def _cell(tc, table, document, memo: dict, header: bool) -> tuple[int, str, float]:
    """Twips the cell's text needs for its widest unbreakable piece, margins not counted; its text and type size."""
    text = cell_text(tc).strip()
    paragraphs = [p for p in tc if p.tag == PARAGRAPH]
    if not text or not paragraphs:
        return 0, "", 0.0
    size = measure(Paragraph(paragraphs[0], table), document, memo).size_pt
    widest = max(longest_word(line) for line in text.split("\n"))
    whole = max(sum(map(_char_em, line)) for line in text.split("\n"))
    if header or (whole <= HEADER_WORD_EM and "：" in text):  # a header, or a label with its value ("自评等级：良")
        widest = max(widest, whole if whole <= HEADER_WORD_EM else 0)
    return math.ceil(widest * size * TWIPS_PER_PT) + SLACK_TWIPS, text, size


def _lone(cells: list[tuple[str, float]], width: int, known: dict) -> list[int]:
    """For each cell (text, size) of a column `width` twips wide (margins off), the twips it needs so that no
    paragraph ends on one character alone; 0 where none does. `known` keeps the answers by (text, size, width) and
    each text's pieces by the text: columns trading width ask the same cell again and again."""
    out = []
    for text, size in cells:
        key = (text, size, width)
        if key not in known:
            known[key] = (_remembered_need(text, size, width) if len(text) <= REMEMBERED_TEXT_CHARS
                          else _need(_drawn_known(text, known), size, width))
        out.append(known[key])
    return out


def _drawn_known(text: str, known: dict) -> list[list[list[float]]]:
    if text not in known:
        known[text] = _drawn(text)
    return known[text]


def _need(drawn: list[list[list[float]]], size: float, width: int) -> int:
    """_lone's answer for one cell, its paragraphs as _drawn gives them."""
    free = _free_width(drawn, (width - SLACK_TWIPS) / TWIPS_PER_PT / size, SLACK_TWIPS / TWIPS_PER_PT / size)
    return math.ceil(free * size * TWIPS_PER_PT) + SLACK_TWIPS if free else 0


def _alone(drawn: list[list[list[float]]], size: float, width: int) -> bool:
    """_ends_alone's answer for one cell, its paragraphs as _drawn gives them."""
    width_em, give_em = (width - SLACK_TWIPS) / TWIPS_PER_PT / size, SLACK_TWIPS / TWIPS_PER_PT / size
    gives = (0.0, give_em / 2, give_em)
    return any(_lone_last(pieces, width_em + give) for estimates in drawn for pieces in estimates for give in gives)


# a short text's answers kept across forms: a batch's forms repeat their headers, names and figures
@functools.lru_cache(maxsize=MAX_REMEMBERED_LINE_ENDS)
def _remembered_need(text: str, size: float, width: int) -> int:
    return _need(_drawn(text), size, width)


@functools.lru_cache(maxsize=MAX_REMEMBERED_LINE_ENDS)
def _remembered_alone(text: str, size: float, width: int) -> bool:
    return _alone(_drawn(text), size, width)


def _ends_alone(text: str, size: float, width: int, known: dict) -> bool:
    """Whether _lone gives the cell a width at `width` (twips, margins off): whether a paragraph ends on one character
    there. _free_width is 0 just when every paragraph passes its first trial (a paragraph that fails finds a wider
    width that passes, its whole length at most), so that trial alone answers, without the search above it."""
    answer = known.get((text, size, width))
    if answer is not None:
        return bool(answer)
    key = ("alone", text, size, width)
    if key not in known:
        known[key] = (_remembered_alone(text, size, width) if len(text) <= REMEMBERED_TEXT_CHARS
                      else _alone(_drawn_known(text, known), size, width))
    return known[key]


def unbroken_columns(table, document, memo: dict | None = None) -> None:
    """Widen each grid column to the widest unbreakable piece of its single-column cells, narrowing the columns
    with the most width to spare; then a column whose cells end on one character alone, where the width it takes
    leaves fewer such cells in the table. The table keeps its total width; a column that cannot be helped is left."""
    memo = {} if memo is None else memo
    grid = grid_widths(table)
    if not grid or not all(grid):
        return
    _, _, left, right = cell_margins(table)
    margins = left + right
    need = [0] * len(grid)
    cells: list[list[tuple[str, float]]] = [[] for _ in grid]
    for index, tr in enumerate(table._tbl.tr_lst):
        column = 0
        for tc in tr.tc_lst:
            span = grid_span(tc)
            if span == 1 and vertical_merge(tc) != "continue" and column < len(grid):
                own, text, size = _cell(tc, table, document, memo, index == 0)
                need[column] = max(need[column], own + margins)
                if text:
                    cells[column].append((text, size))
            column += span
    widened = _given(list(grid), need, need)
    known: dict = {}
    counted: dict[tuple[int, int], int] = {}  # a column's count at a width: the moves below ask for it again and again

    def lone(c: int, width: int) -> int:
        if (c, width) not in counted:
            counted[c, width] = sum(1 for text, size in cells[c] if _ends_alone(text, size, width - margins, known))
        return counted[c, width]

    for _ in range(len(grid)):  # a move may free or take the room another column's last character needs
        before = widened
        for column in range(len(grid)):
            wants = _clear(cells[column], widened[column] - margins, known) + margins
            if wants <= margins:
                continue
            moves = [(donor, column, _spared(widened[donor], wants - widened[column], need[donor], lambda w, donor=donor: lone(donor, w)))
                     for donor in sorted(range(len(grid)), key=lambda c: need[c] - widened[c]) if donor != column]
            # else narrower: the last character joins the line above it ("发放(缴纳)/覆盖率"), the width given away
            narrower = next((given for given in range(STEP_TWIPS, widened[column] - need[column] + 1, STEP_TWIPS)
                             if not lone(column, widened[column] - given)), 0)
            moves += [(column, taker, narrower) for taker in sorted(range(len(grid)), key=lambda c: -widened[c])
                      if narrower and taker != column]
            now = sum(map(lone, range(len(grid)), widened))
            for donor, taker, given in moves:
                tried = list(widened)
                tried[donor] -= given
                tried[taker] += given
                if given and sum(map(lone, range(len(grid)), tried)) < now:
                    widened = tried
                    break
        if widened == before:
            break
    if widened != grid:
        _set_grid(table, widened)


def _clear(cells: list[tuple[str, float]], width: int, known: dict) -> int:
    """The narrowest width from `width` up (margins off) at which none of the cells ends on one character alone;
    0 when none does at `width`. Widening for one cell may leave another's last character alone: tried again."""
    found = 0
    while wants := max(_lone(cells, width, known), default=0):
        found = width = wants
    return found


STEP_TWIPS = 20  # a donor's width is tried a point at a time


def _spared(width: int, least: int, floor: int, lone) -> int:
    """The least width from `least` up a column `width` wide can give, keeping above `floor` and ending no more of
    its cells on one character alone than it does now; 0 when it cannot."""
    now = lone(width)
    for given in range(least, width - floor + 1, STEP_TWIPS):
        if lone(width - given) <= now:
            return given
    return 0


def _given(grid: list[int], want: list[int], floor: list[int], only: int | None = None) -> list[int]:
    """The widths with each column (or `only` that one) grown to what it wants, the width taken from the columns
    with the most above their `floor`; a column is grown only as far as that room allows."""
    grid = list(grid)
    columns = range(len(grid)) if only is None else [only]
    for column in sorted(columns, key=lambda c: grid[c] - want[c]):
        while grid[column] < want[column]:
            donor = max((c for c in range(len(grid)) if c != column), key=lambda c: grid[c] - floor[c], default=None)
            if donor is None or grid[donor] - floor[donor] <= 0:
                break
            moved = min(want[column] - grid[column], grid[donor] - floor[donor])
            grid[column] += moved
            grid[donor] -= moved
    return grid


def _set_grid(table, grid: list[int]) -> None:
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), grid):
        col.set(qn("w:w"), str(width))
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = grid_span(tc)
            tc_w = properties(tc, "w:tcPr").find(CELL_WIDTH)
            if tc_w is not None:
                tc_w.set(WIDTH, str(sum(grid[column:column + span])))
                tc_w.set(TYPE, "dxa")
            column += span
