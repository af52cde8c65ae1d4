"""The 落款 (unit name, then date) on the page of the text above it, as GB/T 9704 sets it: never alone on a page,
never split, and never dragging more than the last paragraph with it. The Word document holds the 落款 to the
paragraph above it (line_breaks); where LibreOffice's PDF shows that this moved a heading and its text to the next
page, leaving the page before blank, the 落款 is set again: with one line above it instead of two (7.3.5.2 空一行;
7.3.5.4 adjusts spacing so that the 落款 shares the page of the text), then with the paragraph above it free to run
over the page break, so that only its last lines go with the 落款."""
from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from .finish import to_bytes
from .line_breaks import NOTE_STYLE
from .reads import style_name
from .styles import LINE_PT

STYLE = "落款"
TIGHT_LINES = 1  # GB/T 9704 7.3.5.2: the 落款 one line under the text


def _paragraphs(document) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style is not None and p.style.name == STYLE]


def signature_lines(docx: bytes) -> list[str]:
    """The 落款's lines as printed (unit name, date); empty when the report has none."""
    return [p.text for p in _paragraphs(Document(io.BytesIO(docx))) if p.text.strip()]


def _above(paragraph: Paragraph) -> Paragraph | None:
    """The paragraph of text right above the 落款 and its 附件说明 (None after a table)."""
    node = paragraph._p.getprevious()
    while node is not None and node.tag == qn("w:p") and (not "".join(node.itertext()).strip()
                                                         or style_name(Paragraph(node, paragraph._parent)) == NOTE_STYLE):
        node = node.getprevious()
    while node is not None and node.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
        node = node.getprevious()
    return Paragraph(node, paragraph._parent) if node is not None and node.tag == qn("w:p") else None


def relaid(docx: bytes) -> list[bytes]:
    """The report with its 落款 set closer, in the order to try: one line above it; then also the paragraph above it
    no longer held whole to it (LibreOffice moves a paragraph kept with the next one in one piece)."""
    out = []
    for free in (False, True):
        document = Document(io.BytesIO(docx))
        found = _paragraphs(document)
        if not found:
            return []
        found[0].paragraph_format.space_before = Pt(LINE_PT * TIGHT_LINES)
        above = _above(found[0])
        if free and above is not None:
            above.paragraph_format.keep_with_next = False
            above.paragraph_format.widow_control = True  # its last two lines at least go with the 落款
        out.append(to_bytes(document))
    return out
