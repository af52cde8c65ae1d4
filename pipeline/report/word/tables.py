"""Tables in the Word report: text style, column widths from their content, and the score table cut into
page-sized parts, each with its header row and its own merged 一级/二级 cells, so a page never starts with
a row whose names stand on the page before."""
from __future__ import annotations

import functools
import re
from copy import deepcopy

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.parfmt import ParagraphFormat

from ...limits import MAX_REMEMBERED_TABLES, REMEMBERED_TABLE_CHARS
from ..hierarchy import MERGED_COLUMNS, merge_runs, merged_columns
from .elements import CELL, PARAGRAPH, RUN, VAL, child, grid_span, properties, switch_on
from .finish import landscape_text_width, row_flag, text_width
from .layout import (
    DEFAULT_CELL_MARGIN_TWIPS,
    TWIPS_PER_PT,
    cell_height,
    cell_margins,
    header_words,
    paragraph_height,
    plan_parts,
    row_height,
)
from .line_breaks import hold_words
from .merged import is_indicator_table, merge_hierarchy
from .reads import cell_text, style_id, style_named
from .unbroken import unbroken_columns
from .widths import header_tier, plan_widths

TABLE_TEXT = "Table Text"
P, R, WIDTH, TYPE = qn("w:p"), qn("w:r"), qn("w:w"), qn("w:type")
CELL_AIR_TWIPS = 20  # 1 pt
SHORT_TABLE_ROWS = 8  # a table of fewer rows is never split across pages
TAIL_ROWS = 3  # the last part of a split table holds this many rows at least, where the page allows


def cells(table: Table, row) -> list[_Cell]:
    """Every w:tc of the row once, continuation cells of a vertical merge included."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _texts(table: Table) -> list[list[str]]:
    return [[cell_text(tc) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def table_text_style(document) -> str | None:
    """The id of the table text style, looked up once; a unit's own reference.docx may lack it (cells then keep
    pandoc's style)."""
    found = style_named(document, TABLE_TEXT)
    return document.part.get_style_id(found, WD_STYLE_TYPE.PARAGRAPH) if found is not None else None


def _table_text_size(document) -> float:
    found = style_named(document, TABLE_TEXT)
    return found.font.size.pt if found is not None and found.font.size is not None else 10.5


def style_tables(document) -> None:
    """Table text 10.5 pt, full width, header row bold and centred and repeated on every page, cells vertically
    centred; rows of ordinary tables kept whole, score table rows free to break (its parts are planned); a short
    table held on one page (each row kept with the next: Word's way, which LibreOffice reads too)."""
    text_style = table_text_style(document)
    for table in document.tables:
        width = table._tbl.tblPr.find(qn("w:tblW"))
        if width is not None:
            width.set(qn("w:type"), "pct")
            width.set(qn("w:w"), "5000")
        indicator = is_indicator_table(table)
        header = [cell_text(tc).strip() for tc in table._tbl.tr_lst[0].tc_lst]
        centred = set(merged_columns(header)) if indicator else set()
        short = len(table.rows) < SHORT_TABLE_ROWS
        rows = list(table.rows)
        for number, row in enumerate(rows):
            if not indicator or short:
                row_flag(row, "w:cantSplit")
            for column, tc in enumerate(row._tr.tc_lst):
                child(properties(tc, "w:tcPr"), "w:vAlign", CELL).set(VAL, "center")
                for p in tc.iterchildren(P):
                    p_pr = properties(p, "w:pPr")
                    if short and number < len(rows) - 1:
                        switch_on(p_pr, "w:keepNext", PARAGRAPH)
                    if text_style is not None:
                        child(p_pr, "w:pStyle", PARAGRAPH).set(VAL, text_style)
                    if number == 0 or column in centred:
                        child(p_pr, "w:jc", PARAGRAPH).set(VAL, "center")
                    if number == 0:
                        for run in p.iterchildren(R):
                            switch_on(properties(run, "w:rPr"), "w:b", RUN)
        row_flag(rows[0], "w:tblHeader")


def set_widths(table: Table, widths: list[int]) -> None:
    """Grid and cell widths in twips, with a fixed layout so every client keeps them."""
    for column, value in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        column.set(WIDTH, str(value))
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = grid_span(tc)
            width = child(properties(tc, "w:tcPr"), "w:tcW", CELL)
            width.set(WIDTH, str(sum(widths[column:column + span])))
            width.set(TYPE, "dxa")
            column += span
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        table._tbl.tblPr.insert_element_before(layout, "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                               "w:tblDescription", "w:tblPrChange")
    layout.set(qn("w:type"), "fixed")
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if margins is None:  # a little air above and below the text: exact lines put it against the rules otherwise
        margins = OxmlElement("w:tblCellMar")
        layout.addnext(margins)
        for edge, twips in (("top", CELL_AIR_TWIPS), ("left", DEFAULT_CELL_MARGIN_TWIPS),
                            ("bottom", CELL_AIR_TWIPS), ("right", DEFAULT_CELL_MARGIN_TWIPS)):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:w"), str(twips))
            element.set(qn("w:type"), "dxa")
            margins.append(element)


def leaf_columns(texts: list[list[str]]) -> frozenset[int]:
    """The columns holding the leaves' names: the last level named in each row, a shallower leaf standing in a
    higher level's column (the total row, named at the first level only, is no leaf). Merged names are not
    among them: they have the rows of their run to wrap in."""
    levels = [i for i, text in enumerate(texts[0]) if text.strip() in MERGED_COLUMNS]
    if not levels:
        return frozenset()
    deepest = {max((c for c in levels if row[c].strip()), default=levels[0]) for row in texts[1:]}
    return frozenset(deepest - {levels[0]} or levels[-1:])


def content_widths(table: Table, width: int, size: float) -> tuple[list[int], int | None]:
    """Column widths (twips, summing to `width`) that make the table shortest for its text set at `size` points, and
    the header tier they hold the header's words at (for hold_words)."""
    texts = _texts(table)
    if not texts or any(len(row) != len(texts[0]) for row in texts):
        return [], None  # spans from elsewhere: keep the widths as they are
    _, _, left, right = cell_margins(table)
    whole = header_tier(texts, _text_em(width, len(texts[0]), left + right, size))
    return planned_widths(texts, width, size, left + right, is_indicator_table(table)), whole


def _text_em(width: int, columns: int, margins: int, size_pt: float) -> float:
    """The em a table `width` twips wide has for its text, its columns' cell margins off."""
    return (width - columns * margins) / TWIPS_PER_PT / size_pt


def planned_widths(texts: list[list[str]], width: int, size_pt: float, margins: int, indicator: bool) -> list[int]:
    """Column widths (twips, summing to `width`) for a table's texts (header row first) set at `size_pt`, each
    column with `margins` twips of cell margin; an indicator table's level names count once a merged run."""
    if sum(len(text) for row in texts for text in row) > REMEMBERED_TABLE_CHARS:
        return _planned(texts, width, size_pt, margins, indicator)
    return list(_remembered(tuple(tuple(row) for row in texts), width, size_pt, margins, indicator))


@functools.lru_cache(maxsize=MAX_REMEMBERED_TABLES)
def _remembered(texts: tuple[tuple[str, ...], ...], width: int, size_pt: float, margins: int,
                indicator: bool) -> tuple[int, ...]:
    """Planned once per table text: the units of a batch that share a framework show the same indicator tables."""
    return tuple(_planned([list(row) for row in texts], width, size_pt, margins, indicator))


def _planned(texts: list[list[str]], width: int, size_pt: float, margins: int, indicator: bool) -> list[int]:
    columns = len(texts[0])
    merged: dict[int, list[tuple[int, int]]] = {}
    names: frozenset[int] = frozenset()
    if indicator:
        for column, first, count in merge_runs(texts[1:], merged_columns(texts[0])):
            merged.setdefault(column, []).append((first + 1, count))
        names = leaf_columns(texts)
    total_em = _text_em(width, columns, margins, size_pt)
    whole = header_tier(texts, total_em)
    texts = [[header_words(text, whole) for text in texts[0]]] + texts[1:]
    planned = [int(em * size_pt * TWIPS_PER_PT) + margins for em in plan_widths(texts, total_em, merged, names)]
    planned[-1] += width - sum(planned)
    return planned


def score_table_shares(texts: list[list[str]]) -> list[float]:
    """Each column's share (%) of a score table's width as the Word report plans it on its landscape page: the same
    proportions for a page that shows the table elsewhere (HTML)."""
    return list(_shares(tuple(tuple(row) for row in texts)))


@functools.lru_cache(maxsize=MAX_REMEMBERED_TABLES)
def _shares(texts: tuple[tuple[str, ...], ...]) -> tuple[float, ...]:
    """Planned once per table: the preview after each edit of the narrative shows the same score table."""
    planned = planned_widths([list(row) for row in texts], landscape_text_width(), 10.5, 2 * DEFAULT_CELL_MARGIN_TWIPS, True)
    return tuple(100 * twips / sum(planned) for twips in planned)


def _section_of(document):
    """Each table with the section it sits in."""
    for section in document.sections:
        for item in section.iter_inner_content():
            if isinstance(item, Table):
                yield item, section


def _page_height(section) -> float:
    return (section.page_height - section.top_margin - section.bottom_margin) / 12700


def _room_above(table: Table, document, section, page: float, memo: dict) -> float | None:
    """Points left on the page where the table starts, measured from the page break a little above it (text and
    tables alike); None when the table follows a page or more (where it starts is then too uncertain to plan on)."""
    used, node = 0.0, table._tbl.getprevious()
    width = (section.page_width - section.left_margin - section.right_margin) / 12700
    while used < page:
        if node is None or node.tag == qn("w:sectPr"):
            return page - used
        if node.tag == qn("w:tbl"):
            above = Table(node, document._body)
            used += sum(row_height(row, above, document, memo=memo) for row in above.rows)
        if node.tag == qn("w:p"):
            if node.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                return page - used
            paragraph = Paragraph(node, document._body)
            used += paragraph_height(paragraph, document, width, memo)
            if paragraph.paragraph_format.page_break_before:
                return page - used if used < page else None
        node = node.getprevious()
    return None


def _separator() -> BaseOxmlElement:
    """An empty one-point paragraph starting a new page, put between two parts of a table."""
    paragraph = OxmlElement("w:p")
    fmt = ParagraphFormat(paragraph)
    fmt.page_break_before = True
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)
    return paragraph


def split_score_table(table: Table, document, section, new_page: bool = False,
                      memo: dict | None = None) -> list[Table]:
    """The score table as parts that each fit a page (the first one the room left where it starts). Where
    that room is unknown the table starts a new page with `new_page`, else its rows are kept whole."""
    page = _page_height(section)
    texts = _texts(table)
    columns = merged_columns(texts[0])
    rows = list(table.rows)  # python-docx builds every row object again at each index
    found = merge_runs(texts[1:], columns)
    # a label merged over several rows counts once for its run, not in each row; a label alone counts in its row
    in_run: list[set[int]] = [set() for _ in rows[1:]]
    for column, first, count in found:
        for r in range(first, first + count):
            in_run[r].add(column)
    memo = {} if memo is None else memo  # the styles' part of each paragraph's measure, for the whole document
    heights = [row_height(row, table, document, frozenset(in_run[r]), memo) for r, row in enumerate(rows[1:])]
    header = row_height(rows[0], table, document, memo=memo)
    top, bottom, _, _ = cell_margins(table)
    runs = [(first, count, cell_height(rows[first + 1]._tr.tc_lst[column], table, document, column, memo)
             + (top + bottom) / TWIPS_PER_PT) for column, first, count in found]
    room = _room_above(table, document, section, page, memo)
    if room is None and new_page:
        table._tbl.addprevious(_separator())
        room = page
    if room is None:  # rows kept whole instead; a group continued on the next page repeats the header only
        for row in rows:
            row_flag(row, "w:cantSplit")
        return [table]
    parts = plan_parts(heights, header, room, page, runs)
    above = table._tbl.getprevious()
    if len(parts) > 1 and len(parts[0]) < TAIL_ROWS and above is not None and above.tag == qn("w:p"):
        # a row or two under the caption at a page foot: the table starts on the next page with its caption
        Paragraph(above, table._parent).paragraph_format.page_break_before = True
        parts = plan_parts(heights, header, page, page, runs)
    if parts and not parts[0]:  # not even one row fits under the caption: the table starts on the next page
        parts = parts[1:]
    if len(parts) > 1 and len(parts[-1]) == 1 and len(parts[-2]) > 1:  # the total row never stands alone
        parts[-1].insert(0, parts[-2].pop())
    if len(parts) > 1:  # nor the last part a row or two beside a full page: rows come over while they fit
        need = max((n for _, _, n in runs), default=0.0)
        while (len(parts[-1]) < TAIL_ROWS and len(parts[-2]) > TAIL_ROWS
               and header + max(need, sum(heights[r] for r in [parts[-2][-1], *parts[-1]])) <= page):
            parts[-1].insert(0, parts[-2].pop())
    tables, body_rows = [table], [row._tr for row in rows[1:]]
    anchor, heading = table._tbl, deepcopy(table._tbl)
    for tr in heading.tr_lst[1:]:  # the table with its header row only, copied for each part
        heading.remove(tr)
    for part in parts[1:]:
        new = deepcopy(heading)
        for index in part:
            new.append(body_rows[index])
        separator = _separator()
        anchor.addnext(separator)
        separator.addnext(new)
        anchor = new
        tables.append(Table(new, table._parent))
    return tables


def layout_tables(document) -> None:
    """Widths from content in every table; score tables cut into page parts, then their names merged."""
    text_style, size = table_text_style(document), _table_text_size(document)
    memo: dict = {}  # the styles' part of each paragraph's measure (layout.measure), for the whole document
    for table, section in list(_section_of(document)):
        widths, whole = content_widths(table, text_width(section), size)
        _, _, left, right = cell_margins(table)
        margins = left + right
        if widths:
            set_widths(table, widths)
        indicator = is_indicator_table(table)
        short = len(table.rows) <= 2 or len(table.rows) < SHORT_TABLE_ROWS  # a short one moves to the next page whole
        for part in split_score_table(table, document, section, memo=memo) if indicator and not short else [table]:
            if indicator:
                merge_hierarchy(part)
                # merging leaves an unstyled empty paragraph in each continuation cell; the others keep style_tables' style
                for paragraph in part._tbl.iter(qn("w:p")) if text_style is not None else ():
                    if style_id(paragraph) is None:
                        child(properties(paragraph, "w:pPr"), "w:pStyle", PARAGRAPH).set(VAL, text_style)
            if whole is not None:  # last: the steps before find a score table's columns by its header's words
                hold_words(part._tbl.tr_lst[0], whole, [(w - margins) / TWIPS_PER_PT / size for w in widths])


NUMBER = re.compile(r"^[+-]?[\d,]+(\.\d+)?%?$")


def paginate_form(document) -> None:
    """A filled form's columns wide enough for its numbers (100.00) and short headers, its score tables cut into page
    parts with their names merged."""
    memo: dict = {}
    for table in document.tables:
        unbroken_columns(table, document, memo)
    for table, section in list(_section_of(document)):
        if is_indicator_table(table):
            for part in split_score_table(table, document, section, new_page=True, memo=memo):
                merge_hierarchy(part)
    for table in document.tables:
        for tr in table._tbl.tr_lst:
            for tc in tr.tc_lst:
                if NUMBER.match(cell_text(tc).strip()):
                    tc_pr = properties(tc, "w:tcPr")
                    if tc_pr.find(NO_WRAP) is None:
                        # before the first of these found, in this order, as python-docx's insert_element_before
                        after = next((e for tag in AFTER_NO_WRAP if (e := tc_pr.find(tag)) is not None), None)
                        if after is None:
                            tc_pr.append(OxmlElement("w:noWrap"))
                        else:
                            after.addprevious(OxmlElement("w:noWrap"))


NO_WRAP = qn("w:noWrap")
AFTER_NO_WRAP = tuple(qn(tag) for tag in ("w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
                                           "w:cellMerge", "w:tcPrChange"))
