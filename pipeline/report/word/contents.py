"""A table of contents (目录) in the Word report: a TOC field under the 目录 heading the template writes, its
entries (the chapter headings) filled in, so every program shows them as they are; nothing updates on opening (no
w:updateFields: a document that changes itself when opened is what inert.py refuses). Where a PDF is made, the page
numbers LibreOffice laid the headings out on are written into the entries (`numbered`); Word's “更新域” adds them
otherwise."""
from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from .elements import PARAGRAPH, child, properties
from .finish import to_bytes
from .reads import paragraph_text, style_name, styles_by_id

HEADING_STYLE = "目录标题"
ENTRY_STYLE = "目录"
LEVELS = {"Heading 1": 1, "Heading 2": 2}  # chapters (一、) and sections (（一）)
INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '
INDENT_CHARS = 2  # a section entry stands this many characters in from its chapter


def _field_char(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _instruction(paragraph: Paragraph) -> None:
    text = OxmlElement("w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = INSTRUCTION
    paragraph.add_run()._r.append(text)


def table_of_contents(document) -> None:
    """Fill the 目录 heading's page with the TOC field; nothing when the report has no 目录 heading."""
    paragraphs, book = document.paragraphs, styles_by_id(document)
    named = [(style_name(p, book), p) for p in paragraphs]
    heading = next((p for name, p in named if name == HEADING_STYLE), None)
    if heading is None:
        return
    entries = [(LEVELS[name], text) for name, p in named if name in LEVELS and (text := paragraph_text(p._p).strip())]
    heading.paragraph_format.page_break_before = True
    following = heading._p.getnext()
    anchor, style = heading._p, document.styles[ENTRY_STYLE]
    style_id = document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)  # what Paragraph.style = style sets, found once
    section = document.sections[0]
    right = section.page_width - section.left_margin - section.right_margin
    for number, (level, text) in enumerate(entries or [(1, "")]):
        element = OxmlElement("w:p")
        anchor.addnext(element)
        anchor = element
        paragraph = Paragraph(element, heading._parent)
        if style_id is not None:
            child(properties(element, "w:pPr"), "w:pStyle", PARAGRAPH).set(qn("w:val"), style_id)
        paragraph.paragraph_format.left_indent = Pt(style.font.size.pt * INDENT_CHARS * (level - 1))
        paragraph.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if number == 0:
            _field_char(paragraph, "begin")
            _instruction(paragraph)
            _field_char(paragraph, "separate")
        paragraph.add_run(text)
        if number == max(len(entries), 1) - 1:
            _field_char(paragraph, "end")
    if following is not None and following.tag == qn("w:p"):
        Paragraph(following, heading._parent).paragraph_format.page_break_before = True


def has_contents(docx: bytes) -> bool:
    """Whether a Word report carries our table of contents, read without parsing the whole document."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return INSTRUCTION.encode("utf-8") in archive.read("word/document.xml")


def contents_entries(docx: bytes) -> tuple[str, list[str]]:
    """The 目录 heading's text and the text of each entry under it, in order."""
    paragraphs = Document(io.BytesIO(docx)).paragraphs
    title = next((p.text for p in paragraphs if style_name(p) == HEADING_STYLE), "")
    return title, [p.text for p in paragraphs if style_name(p) == ENTRY_STYLE]


def numbered(docx: bytes, pages: list[str]) -> bytes:
    """The report with each 目录 entry followed by its page number, behind the dotted tab."""
    document = Document(io.BytesIO(docx))
    entries = [p for p in document.paragraphs if style_name(p) == ENTRY_STYLE]
    for paragraph, page in zip(entries, pages):
        texts = [r for r in paragraph._p.r_lst if r.find(qn("w:t")) is not None]
        if not texts:
            continue
        run = OxmlElement("w:r")
        run.append(OxmlElement("w:tab"))
        number = OxmlElement("w:t")
        number.text = page
        run.append(number)
        texts[-1].addnext(run)
    return to_bytes(document)  # stable bytes, like every Word file the pipeline writes
