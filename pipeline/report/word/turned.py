"""Page numbers of a landscape section where GB/T 9704 §10 puts them: in the portrait position, the page turned a
quarter back — on the left of the landscape page, an odd page's number at its foot (左下角), an even page's at its
head (左上角), reading top to bottom. Word's way: in the section's own footers, a one-cell table positioned on the page
whose cell turns its text (w:textDirection tbRl). A DrawingML text box would do in Word, but LibreOffice drops its
position in an even page's footer."""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt

from .finish import FOOTER_UNDER_TEXT_MM, PAGE_NUMBER_PT, PORTRAIT_MARGINS_MM, _footer_content, _footer_style_id

BOX_ALONG_MM = 30  # the box's length along the left edge: "— 123 —" in 4号 is about 25 mm
BOX_ACROSS_MM = 8  # one line of 4号 and its leading
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def twips(length: int) -> int:
    return int(length / 635)  # EMU per twip


def _box(paragraph_xml: str, left: int, top: int) -> str:
    """A borderless one-cell table standing at (left, top) twips from the page's corner, its text turned a quarter
    clockwise."""
    along, across = twips(Mm(BOX_ALONG_MM)), twips(Mm(BOX_ACROSS_MM))
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblpPr w:leftFromText="0" w:rightFromText="0" w:horzAnchor="page" '
        f'w:vertAnchor="page" w:tblpX="{left}" w:tblpY="{top}"/><w:tblW w:w="{across}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{across}"/></w:tblGrid><w:tr><w:trPr><w:trHeight w:val="{along}" w:hRule="exact"/>'
        f'</w:trPr><w:tc><w:tcPr><w:tcW w:w="{across}" w:type="dxa"/><w:textDirection w:val="tbRl"/>'
        f'<w:vAlign w:val="center"/></w:tcPr>{paragraph_xml}</w:tc></w:tr></w:tbl>')


def _number_paragraph(footer, side: str, style_id: str | None):
    """The "— N —" paragraph as the portrait footer has it (one character in from its side), built in the footer
    and taken out again for the text box."""
    _footer_content(footer, side, style_id)
    paragraph = footer.paragraphs[0]
    paragraph._p.getparent().remove(paragraph._p)
    return paragraph


def turned_page_numbers(document) -> None:
    """Each landscape section gets footers of its own: an empty line, and the page number turned, where the
    portrait page has it — odd pages near the foot of the left edge, even pages near its head."""
    _, bottom, left, right = PORTRAIT_MARGINS_MM
    across = Mm(bottom - FOOTER_UNDER_TEXT_MM)  # the number's line as far from the edge as on a portrait page
    style_id = _footer_style_id(document)
    for section in document.sections[1:]:
        if section.page_width <= section.page_height:
            continue
        # portrait x becomes landscape y: the odd number ends one character inside the right margin, the even
        # number starts one character inside the left one
        places = (("right", section.footer, Mm(210 - right) - Pt(PAGE_NUMBER_PT) - Mm(BOX_ALONG_MM)),
                  ("left", section.even_page_footer, Mm(left) + Pt(PAGE_NUMBER_PT)))
        for side, footer, along in places:
            footer.is_linked_to_previous = False
            number = _number_paragraph(footer, side, style_id)
            number.paragraph_format.left_indent = number.paragraph_format.right_indent = Pt(0)
            number.alignment = WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT
            _footer_content(footer, None, style_id)
            footer.paragraphs[0]._p.addprevious(parse_xml(_box(number._p.xml, twips(across), twips(along))))
        section.first_page_footer.is_linked_to_previous = True

