"""Charts placed as a typesetter floats a figure: a chart too tall for the foot of a page goes after the text that
follows it, which fills that foot, instead of leaving it blank. Where the foot is blank is read from the PDF."""
from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from .finish import to_bytes
from .layout import paragraph_height, row_height
from .reads import style_name

FIGURE_STYLES = ("Captioned Figure", "Figure")  # pandoc's paragraph holding a picture
CAPTION_STYLE = "Image Caption"
HEADINGS = "Heading"
CHAPTER = "Heading 1"  # a chart numbered in its chapter (图1-1) never floats into the next one
PARAGRAPH = qn("w:p")
TABLE = qn("w:tbl")
BOOKMARKS = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))


def _with_bookmarks(figure, caption) -> list:
    """The chart's paragraphs with the bookmarks pandoc puts around them (its label's anchor), to move as one."""
    block = [figure, caption]
    while block[0].getprevious() is not None and block[0].getprevious().tag == BOOKMARKS[0]:
        block.insert(0, block[0].getprevious())
    while block[-1].getnext() is not None and block[-1].getnext().tag == BOOKMARKS[1]:
        block.append(block[-1].getnext())
    return block


def _figures(document) -> list[tuple[Paragraph, Paragraph]]:
    """Each chart: its picture's paragraph and its caption's, next to each other."""
    paragraphs = document.paragraphs
    return [(p, q) for p, q in zip(paragraphs, paragraphs[1:])
            if style_name(p) in FIGURE_STYLES and style_name(q) == CAPTION_STYLE and p._p.find(f".//{qn('w:drawing')}") is not None]


def captions(docx: bytes) -> list[str]:
    """The caption of every chart in the report."""
    return [caption.text for _, caption in _figures(Document(io.BytesIO(docx)))]


def _movable(paragraph: Paragraph) -> bool:
    """Text the chart may let pass: a plain paragraph or a heading, not a page or section break, a table or a
    picture (the element after the chart is a w:p of body text)."""
    p = paragraph._p
    return (p.find(f".//{qn('w:drawing')}") is None and p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None
            and not paragraph.paragraph_format.page_break_before and not p.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']"))


def _text_width_pt(section) -> float:
    """The width between the margins in points; untyped as finish.text_width is: every section of our reference.docx sets
    its page size and margins, which python-docx types as possibly unset."""
    return (section.page_width - section.left_margin - section.right_margin) / 12700


def _captioned_table(paragraph):
    """The table right below the paragraph (which is then its caption), or None: a chart never comes between them."""
    node = paragraph.getnext()
    while node is not None and node.tag in BOOKMARKS:
        node = node.getnext()
    return node if node is not None and node.tag == TABLE else None


def _table_height(tbl, parent, document, memo: dict) -> float:
    table = Table(tbl, parent)
    return sum(row_height(row, table, document, memo=memo) for row in table.rows)


def flowed(docx: bytes, gaps: dict[str, float]) -> bytes:
    """The report with each chart of `gaps` (caption → blank points at the foot of the page before it) moved after
    the paragraphs that follow it, as many as fill that blank (a heading always with the paragraph after it), and
    past a table with its caption when both fit the blank; a chart stays before a break, another picture, a table
    without a caption or one too tall for the blank, and the next chapter's heading."""
    document = Document(io.BytesIO(docx))
    width = _text_width_pt(document.sections[0])
    memo: dict = {}
    for figure, caption in _figures(document):
        if caption.text not in gaps:
            continue
        block = _with_bookmarks(figure._p, caption._p)
        room, filled, after, node = gaps[caption.text], 0.0, None, block[-1].getnext()
        while node is not None and node.tag in (PARAGRAPH, *BOOKMARKS):
            if node.tag == PARAGRAPH:
                paragraph = Paragraph(node, figure._parent)
                if not _movable(paragraph) or style_name(paragraph) == CHAPTER:
                    break
                filled += paragraph_height(paragraph, document, width, memo)
                table = _captioned_table(node)
                if table is not None:  # the caption and its table pass together, or the chart stays before both
                    filled += _table_height(table, figure._parent, document, memo)
                    if filled > room:
                        break
                    node = after = table
                elif not style_name(paragraph).startswith(HEADINGS):
                    after = node  # never between a heading and its text
                if filled >= room and node is after:
                    break
            node = node.getnext()
        if after is not None:
            for element in reversed(block):
                after.addnext(element)
    return to_bytes(document)
