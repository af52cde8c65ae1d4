"""How much room text takes on a Word page, estimated from the text itself: enough to give table columns the
width their content needs and to cut a long table into parts that each fit a page.

How wide each column is planned is in `widths`. Widths are the fonts' own advances (glyphs.py); heights err on the
tall side (single line spacing as 1.5 lines), so a part planned to fit a page does fit in Word, WPS and LibreOffice alike.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass

from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.styles.style import StyleFactory
from docx.text.paragraph import Paragraph
from lxml import etree

from ...limits import MAX_REMEMBERED_CELL_TEXTS, REMEMBERED_TEXT_CHARS
from .elements import grid_span, vertical_merge
from .glyphs import latin_em
from .reads import paragraph_style, paragraph_text, style_id, styles_by_id

TWIPS_PER_PT = 20
AUTOSPACE_EM = 0.25  # clients put a little space between Chinese and Latin text
SINGLE_LINE = 1.5  # "single" line spacing as a multiple of the font size, the tall end of the CJK faces
LINE_SLACK_EM = 0.3  # a line holds this much less than its width: kinsoku and unbreakable words at its end
# no line may start with these, nor end with the opening ones: the clients move a character to keep the rule
CLOSING = set("，。、；：？！）》」』”’％%.,;:?!)]}")
OPENING = "（《「『“‘([{"
LATIN_WORD = re.compile(r"[0-9A-Za-z.,%+\-/:_#@&']+")
JOINER = "\u2060"  # WORD JOINER: no line break on either side, nothing drawn; LibreOffice, Word and WPS honour it
HEADER_WORD_EM = 6  # a run of Chinese this short in a header is one word ("实际完成值", "当年财政拨款"); a longer one may wrap
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
CONJUNCTION = re.compile(r"(?<=..[及与和])(?!时)")  # "分析及" | "改进措施"; "及时" is a word of its own


@functools.lru_cache(maxsize=MAX_REMEMBERED_CELL_TEXTS)
def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F", "A")


NO_BREAK_AFTER = OPENING + JOINER


def tokens(text: str, autospace: float = AUTOSPACE_EM) -> list[tuple[float, bool]]:
    """(width in em, may a line break before it) for each Chinese character, Latin word and space; `autospace`: the
    room a client puts between Chinese and Latin text (none, in a client set not to)."""
    return [(width, free) for width, free, _ in _tokens(text, autospace)]


def _tokens(text: str, autospace: float) -> list[tuple[float, bool, int]]:
    """tokens, each with the index in `text` where it ends."""
    out: list[tuple[float, bool, int]] = []
    i, previous_wide = 0, None
    while i < len(text):
        char = text[i]
        if char == JOINER:
            i += 1
            continue
        free = not (i and text[i - 1] in NO_BREAK_AFTER) and char not in CLOSING
        if char.isspace():
            out.append((latin_em(" "), True, i + 1))
            i, previous_wide = i + 1, None
            continue
        wide = _wide(char)
        word = None if wide else LATIN_WORD.match(text, i)
        end = word.end() if word else i + 1
        width = (end - i) * 1.0 if wide else latin_em(text[i:end])
        if previous_wide is not None and previous_wide != wide:
            width += autospace
        out.append((width, free, end))
        i, previous_wide = end, wide
    return out


def clusters(text: str, autospace: float = AUTOSPACE_EM) -> list[float]:
    """Widths (em) of the pieces a line may break between: a token with those that cannot start a line."""
    if len(text) <= REMEMBERED_TEXT_CHARS:
        return list(_remembered_clusters(text, autospace))
    return _clusters(text, autospace)


@functools.lru_cache(maxsize=MAX_REMEMBERED_CELL_TEXTS)
def _remembered_clusters(text: str, autospace: float) -> tuple[float, ...]:
    """A cell's text is measured by the header tier, the width planner, its last lines and the page planner alike."""
    return tuple(_clusters(text, autospace))


def _clusters(text: str, autospace: float) -> list[float]:
    widths: list[float] = []
    for size, breakable in tokens(text, autospace):
        if breakable or not widths:
            widths.append(size)
        else:
            widths[-1] += size
    return widths


def pieces(text: str) -> list[str]:
    """The text of each piece clusters() measures, word joiners left out: the places a line may break."""
    out: list[str] = []
    start = 0
    for _, breakable, end in _tokens(text, AUTOSPACE_EM):
        if breakable or not out:
            out.append("")
        out[-1] += text[start:end].replace(JOINER, "")
        start = end
    return out


def header_words(text: str, whole: int = HEADER_WORD_EM) -> str:
    """A header's text with each run of Chinese up to `whole` characters held together as one word, a longer run
    as words of two characters, the last of three where a part is odd ("预算/执行率", "当年/财政/拨款"), a
    conjunction ending the word before it ("分析及/改进/措施"): the clients break a header only between its words,
    and the column is planned never narrower than the widest."""
    def paired(part: str) -> list[str]:
        cuts = list(range(2, len(part) - 2 if len(part) % 2 else len(part), 2))
        return [part[a:b] for a, b in zip([0, *cuts], [*cuts, len(part)])]

    def joined(run: str) -> str:
        if len(run) <= max(whole, 2):
            return JOINER.join(run)
        words = [word for part in CONJUNCTION.split(run) if part for word in paired(part)]
        return "".join(JOINER.join(word) for word in words)
    return HAN_RUN.sub(lambda m: joined(m.group(0)), text)


def line_count(text: str, width_em: float) -> int:
    """Lines a paragraph of `text` fills in a column `width_em` wide (an empty paragraph still takes one)."""
    return count_lines(clusters(text), width_em)


def longest_word(text: str) -> float:
    """The widest piece no line break can cut, in em: the narrowest a column may be."""
    return max(clusters(text), default=0.0)


# ------------------------------------------------------------------------------------------- paragraphs

@dataclass(frozen=True)
class Measure:
    size_pt: float  # the font size
    line_pt: float  # the height of one line
    before_pt: float
    after_pt: float
    indent_em: float  # first-line indent in characters


def _defaults(document) -> tuple[float, float]:
    """The document's default font size and line spacing (multiple of single), from w:docDefaults."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    size, multiple = 10.5, 1.0
    if defaults is not None:
        sz = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
        if sz is not None:
            size = int(sz.get(qn("w:val"))) / 2
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None and spacing.get(qn("w:line")) and spacing.get(qn("w:lineRule"), "auto") == "auto":
            multiple = int(spacing.get(qn("w:line"))) / 240
    return size, multiple


PROPERTIES = {"size": lambda s: s.font.size, "rule": lambda s: s.paragraph_format.line_spacing_rule,
              "spacing": lambda s: s.paragraph_format.line_spacing, "before": lambda s: s.paragraph_format.space_before,
              "after": lambda s: s.paragraph_format.space_after, "indent": lambda s: s.paragraph_format.first_line_indent}


def _styled(paragraph: Paragraph, document, memo: dict) -> dict:
    """What a paragraph's style gives it (each property from the style or those it is based on) and the document's
    defaults, looked up once a style: python-docx finds a style by scanning them all."""
    key = style_id(paragraph._p)
    if key not in memo:
        if BOOK not in memo:
            memo[BOOK] = styles_by_id(document)
        book = memo[BOOK]
        found: dict = {"defaults": _defaults(document)}
        for name, read in PROPERTIES.items():
            element, value = paragraph_style(paragraph._p, book), None
            while value is None and element is not None:  # python-docx's base_style, found in the book
                value, based = read(StyleFactory(element)), element.basedOn
                element = book.get(based.val) if based is not None else None
            found[name] = value
        memo[key] = found
    return memo[key]


BOOK = ("styles by id",)  # memo's key for styles_by_id, no style's id


DIRECT = {"rule": "line_spacing_rule", "spacing": "line_spacing", "before": "space_before", "after": "space_after",
          "indent": "first_line_indent"}


def _direct(paragraph: Paragraph, memo: dict) -> dict:
    """What a paragraph sets on itself (w:pPr), read once for each distinct w:pPr: python-docx looks up each
    property by searching the XML, and a table's cells mostly share one."""
    ppr = paragraph._p.pPr
    key = ("pPr", etree.tostring(ppr) if ppr is not None else None)
    if key not in memo:
        fmt = paragraph.paragraph_format
        memo[key] = {name: getattr(fmt, attribute) for name, attribute in DIRECT.items()}
    return memo[key]


PPR, RUN, RUN_PROPERTIES, SIZE, VAL = qn("w:pPr"), qn("w:r"), qn("w:rPr"), qn("w:sz"), qn("w:val")


def measure(paragraph: Paragraph, document, memo: dict | None = None) -> Measure:
    """A paragraph's size, line height, spacing and indent: set on it directly, else by its style. `memo` keeps the
    styles' part across the paragraphs of one document, and each measure by what decides it (the paragraph's w:pPr,
    its style among them, and its runs' sizes): a table's cells mostly share one, and python-docx reads slowly."""
    memo = {} if memo is None else memo
    p = paragraph._p
    ppr = next(p.iterchildren(PPR), None)
    sizes = []
    for run in p.iterchildren(RUN):  # python-docx's run.font.size: the first w:rPr's first w:sz
        found = next(run.iterchildren(RUN_PROPERTIES), None)
        size = next(found.iterchildren(SIZE), None) if found is not None else None
        if size is not None:
            sizes.append(size.get(VAL))
    key = ("measure", etree.tostring(ppr) if ppr is not None else None, tuple(sizes))
    if key not in memo:
        memo[key] = _measured(paragraph, document, memo)
    return memo[key]


def _measured(paragraph: Paragraph, document, memo: dict) -> Measure:
    styled = _styled(paragraph, document, memo)
    default_size, default_multiple = styled["defaults"]
    direct = _direct(paragraph, memo)

    def own(name: str):
        return styled[name] if direct[name] is None else direct[name]

    sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
    size = max(sizes) if sizes else (styled["size"].pt if styled["size"] is not None else default_size)
    rule, spacing = own("rule"), own("spacing")
    if rule == WD_LINE_SPACING.EXACTLY and spacing is not None:
        line = spacing.pt
    elif rule == WD_LINE_SPACING.AT_LEAST and spacing is not None:
        line = max(spacing.pt, size * SINGLE_LINE)
    else:
        multiple = spacing if isinstance(spacing, float) else default_multiple
        line = size * SINGLE_LINE * max(multiple, 1.0)
    before, after, indent = own("before"), own("after"), own("indent")
    return Measure(size, line, before.pt if before else 0.0, after.pt if after else 0.0,
                   indent.pt / size if indent else 0.0)


def paragraph_height(paragraph: Paragraph, document, width_pt: float, memo: dict | None = None) -> float:
    """Points a paragraph takes from the page, its spacing included."""
    m = measure(paragraph, document, memo)
    text = " " * math.ceil(m.indent_em) + paragraph_text(paragraph._p)
    lines = sum(line_count(part, width_pt / m.size_pt) for part in text.split("\n"))
    return lines * m.line_pt + m.before_pt + m.after_pt


# --------------------------------------------------------------------------------------------- tables

DEFAULT_CELL_MARGIN_TWIPS = 108  # Word's own left and right cell margin (0.19 cm)
BORDER_PT = 0.75


CELL_MARGINS, GRID_COLUMN, WIDTH = qn("w:tblCellMar"), qn("w:gridCol"), qn("w:w")
EDGES = {edge: (qn(f"w:{edge}"), qn(f"w:{other}") if other else None)  # each edge and its bidirectional name
         for edge, other in (("top", None), ("bottom", None), ("left", "start"), ("right", "end"))}


def cell_margins(table) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) cell margins of a table in twips, as its properties set them."""
    found = {"top": 0, "bottom": 0, "left": DEFAULT_CELL_MARGIN_TWIPS, "right": DEFAULT_CELL_MARGIN_TWIPS}
    margins = table._tbl.tblPr.find(CELL_MARGINS)
    if margins is None:
        return found["top"], found["bottom"], found["left"], found["right"]
    for edge, (tag, other) in EDGES.items():
        element = margins.find(tag)
        if element is None and other is not None:
            element = margins.find(other)
        if element is not None and element.get(WIDTH):
            found[edge] = int(element.get(WIDTH))
    return found["top"], found["bottom"], found["left"], found["right"]


def grid_widths(table) -> list[int]:
    return [int(c.get(WIDTH, "0")) for c in table._tbl.tblGrid.findall(GRID_COLUMN)]


def cell_height(tc, table, document, column: int, memo: dict | None = None) -> float:
    """Points the text of a cell (w:tc) starting at grid column `column` takes, margins not counted."""
    _, _, left, right = cell_margins(table)
    return _text_height(tc, table, document, grid_widths(table)[column:column + grid_span(tc)], left + right, memo)


def _text_height(tc, table, document, grid: list[int], margins: int, memo: dict | None) -> float:
    """cell_height given the widths of the grid columns the cell spans and its left and right margins (twips)."""
    from docx.table import _Cell

    width_pt = (sum(grid) - margins) / TWIPS_PER_PT
    return sum(paragraph_height(p, document, width_pt, memo) for p in _Cell(tc, table).paragraphs)


def row_height(row, table, document, skip: frozenset[int] = frozenset(), memo: dict | None = None) -> float:
    """Points a table row takes: its tallest cell, or the height the row is set to, whichever is more.
    Cells in the `skip` grid columns and continuations of a vertical merge do not count."""
    top, bottom, left, right = cell_margins(table)
    grid, column, tallest = grid_widths(table), 0, 0.0
    for tc in row._tr.tc_lst:
        span = grid_span(tc)
        if column not in skip and vertical_merge(tc) != "continue":
            tallest = max(tallest, _text_height(tc, table, document, grid[column:column + span], left + right, memo))
        column += span
    height = tallest + (top + bottom) / TWIPS_PER_PT + BORDER_PT
    tr_pr = row._tr.trPr
    set_to = tr_pr.find(qn("w:trHeight")) if tr_pr is not None else None
    if set_to is not None and set_to.get(qn("w:val")):
        fixed = int(set_to.get(qn("w:val"))) / TWIPS_PER_PT
        height = fixed if set_to.get(qn("w:hRule")) == "exact" else max(height, fixed)
    return height


def plan_parts(heights: list[float], header: float, first: float, page: float,
               runs: list[tuple[int, int, float]]) -> list[list[int]]:
    """Rows (by index, the header row not counted) grouped into parts, the first fitting `first` points and
    each later one a whole `page`, every part carrying the header row. A run of merged rows (first row, rows,
    height its label needs) starts over in every part it reaches, so a part holding its tail grows to fit it."""
    parts: list[list[int]] = [[]]
    room = first
    containing: list[list[int]] = [[] for _ in heights]  # row → the runs it lies in, so a part sums only its own
    for index, (start, count, _) in enumerate(runs):
        for row in range(start, min(start + count, len(heights))):
            containing[row].append(index)
    reached: set[int] = set()  # the runs the current part reaches

    def height_of(rows: list[int], near: set[int]) -> float:
        """`rows` consecutive; the runs in the order given, so the sum is the same to the last bit."""
        total = header + sum(heights[r] for r in rows)
        for index in sorted(near):
            start, count, need = runs[index]
            inside = range(max(start, rows[0]), min(start + count, rows[-1] + 1))
            total += max(0.0, need - sum(heights[r] for r in inside))
        return total

    for row in range(len(heights)):
        if parts[-1] and height_of(parts[-1] + [row], reached.union(containing[row])) > room:
            parts.append([])
            room, reached = page, set()
        parts[-1].append(row)
        reached.update(containing[row])
    return parts


def count_lines(pieces: list[float], width_em: float) -> int:
    """line_count on text already cut into clusters; a word longer than the line breaks anywhere."""
    return filled(pieces, width_em)[0]


def filled(pieces: list[float], width_em: float) -> tuple[int, float]:
    """count_lines, and the em its last line holds."""
    width = max(width_em - LINE_SLACK_EM, 1.0)
    lines, used = 1, 0.0
    for size in pieces:
        if used + size <= width:
            used += size
            continue
        if used > 0:
            lines, used = lines + 1, 0.0
        used += size
        while used > width:
            lines, used = lines + 1, used - width
    return lines, used
