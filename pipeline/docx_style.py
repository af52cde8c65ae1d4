"""The default Word styles (GB/T 9704-2012 body text and headings), written into pandoc's reference document."""
from __future__ import annotations

import io
import subprocess

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BODY_PT = 16
LINE_PT = 28.95  # 225 mm of A4 text height / 22 lines
LATIN = "Times New Roman"
# (style, East Asian font, size pt, bold, alignment, first-line indent in characters)
STYLES = [
    ("Normal", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 0),
    ("Body Text", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    ("First Paragraph", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    ("Compact", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    ("Title", "方正小标宋简体", 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("Heading 1", "黑体", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Heading 2", "楷体_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Heading 3", "仿宋_GB2312", BODY_PT, True, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Heading 4", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Table Caption", "黑体", 14, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("Table Text", "仿宋_GB2312", 10.5, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    ("落款", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
]
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr_parent, east_asian: str) -> None:
    """Name the Latin and the East Asian face explicitly; theme fonts would override both."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute, face in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:eastAsia", east_asian), ("w:cs", LATIN)):
        fonts.set(qn(attribute), face)


def _pandoc_reference() -> bytes:
    return subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                          check=True, capture_output=True).stdout


def _table_borders(document) -> None:
    """pandoc's 'Table' style has no inner borders; score tables need a full grid."""
    style = document.styles["Table"]
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    # schema order: tblBorders comes before shd, tblLayout, tblCellMar and tblLook
    later = [child for child in tbl_pr if child.tag in {qn(f"w:{t}") for t in ("shd", "tblLayout", "tblCellMar", "tblLook")}]
    if later:
        later[0].addprevious(borders)
    else:
        tbl_pr.append(borders)


def reference_docx() -> bytes:
    document = Document(io.BytesIO(_pandoc_reference()))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attribute in THEME_ATTRIBUTES:
                fonts.attrib.pop(qn(attribute), None)
            fonts.set(qn("w:eastAsia"), "仿宋_GB2312")
            fonts.set(qn("w:ascii"), LATIN)
            fonts.set(qn("w:hAnsi"), LATIN)
    names = {s.name for s in document.styles}
    for name, face, size, bold, align, indent in STYLES:
        style = document.styles[name] if name in names else document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if name not in names:
            style.base_style = document.styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(style.element, face)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(size * indent) if indent else Pt(0)
        if name in ("Table Text", "Table Caption"):
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(LINE_PT if name != "Title" else 36)
        if name.startswith("Heading") or name == "Title":
            fmt.keep_with_next = True
    document.styles["Title"].paragraph_format.space_after = Pt(LINE_PT)
    _table_borders(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
