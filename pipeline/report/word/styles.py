"""The default Word styles (GB/T 9704-2012 body text and headings), written into pandoc's reference document."""
from __future__ import annotations

import io
import subprocess

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..pandoc import pandoc_path
from .finish import font_fallbacks, gbt_page, grid_borders, page_numbers

BODY_PT = 16
LINE_PT = 28.95  # 225 mm of A4 text height / 22 lines
TABLE_LINE_PT = 13  # table text 10.5 pt on exact lines: compact, and a row's height known before any client lays it out
LATIN = "Times New Roman"
BODY_FACE = "仿宋_GB2312"
DEFAULT_FONT = "DefaultParagraphFont"  # the empty base of character styles: left as Word defines it
# Body text is set flush left: a Chinese line fills the measure either way, and justifying a line whose next
# word is a long number (163020.69) spreads its characters apart, which reads as a mistake.
BODY_ALIGN = WD_ALIGN_PARAGRAPH.LEFT
# (style, East Asian font, size pt, bold, alignment, first-line indent in characters)
STYLES = [
    ("Normal", "仿宋_GB2312", BODY_PT, False, BODY_ALIGN, 0),
    ("Body Text", "仿宋_GB2312", BODY_PT, False, BODY_ALIGN, 2),
    ("First Paragraph", "仿宋_GB2312", BODY_PT, False, BODY_ALIGN, 2),
    ("Compact", "仿宋_GB2312", BODY_PT, False, BODY_ALIGN, 2),
    ("Title", "方正小标宋简体", 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("Heading 1", "黑体", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Heading 2", "楷体_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Heading 3", "仿宋_GB2312", BODY_PT, True, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Heading 4", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Heading 5", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Heading 6", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("Table Caption", "黑体", 14, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("Table Text", "仿宋_GB2312", 10.5, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    ("Image Caption", "黑体", 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("Figure", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("Captioned Figure", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("落款", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    ("附件说明", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    ("附件标识", "黑体", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    ("封面", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    ("目录标题", "黑体", 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("目录", "仿宋_GB2312", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    ("Footer", "宋体", 14, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
]
# single line spacing: a figure's picture would be cut to an exact line height; the annex label sits on a table page
SINGLE_SPACED = {"Table Caption", "Image Caption", "Figure", "Captioned Figure", "Footer", "附件标识"}
ANNEX_LABEL_STYLE = "附件标识"  # GB/T 9704 §8: 附件 (附件1) at the annex page's top left, 3号黑体
KEEP_WITH_NEXT = {"Title", "Table Caption", "Captioned Figure", ANNEX_LABEL_STYLE}
ANNEX_NOTE_LABEL_CHARS = 3  # “附件：”: the titles of several annexes line up after it (GB/T 9704 §7.3.4)
COVER_INDENT_CHARS = 4
SIGNATURE_SPACE_BEFORE_LINES = 2
FIGURE_GAP_PT = 6  # above a chart: LibreOffice draws a picture flush under a table over the table's last rule
SIGNATURE_RIGHT_CHARS = 2  # GB/T 9704 7.3.5.2: the 落款 stands 右空二字
COVER_SPACE_BEFORE_LINES = 3  # above the first cover line only (contextual spacing between cover lines)
# w:pPr children that follow w:contextualSpacing in the schema
AFTER_CONTEXTUAL_SPACING = ("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                            "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                            "w:pPrChange")
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
    return subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"],
                          check=True, capture_output=True).stdout


def _table_borders(document) -> None:
    """pandoc's 'Table' style has no inner borders; score tables need a full grid."""
    style = document.styles["Table"]
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    grid_borders(tbl_pr)


def _linked_character_styles(document) -> dict[str, tuple]:
    """Each of our paragraph styles' linked character style (Heading 1 Char) → (face, size, bold) to mirror."""
    linked = {}
    for name, face, size, bold, *_ in STYLES:
        link = document.styles[name].element.find(qn("w:link"))
        if link is not None:
            linked[link.get(qn("w:val"))] = (face, size, bold)
    return linked


def _every_style_east_asian(document) -> None:
    """No theme fonts anywhere, and an explicit East Asian face on every paragraph and character style.

    Word resolves a theme font before the named one, and pandoc's styles (Heading 1 Char, Title Char,
    Subtitle, Block Text, …) name theme fonts that map Chinese text to a Latin face.
    """
    ours = {name: face for name, face, *_ in STYLES}
    linked = _linked_character_styles(document)
    for style in document.styles:
        element = style.element
        for fonts in element.iter(qn("w:rFonts")):
            for attribute in THEME_ATTRIBUTES:
                fonts.attrib.pop(qn(attribute), None)
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) or style.style_id == DEFAULT_FONT:
            continue
        face = ours.get(style.name) or BODY_FACE
        if style.style_id in linked:
            face, size, bold = linked[style.style_id]
            style.font.size, style.font.bold = Pt(size), bold
        fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        latin = fonts.get(qn("w:ascii")) if fonts is not None else None
        set_fonts(style.element, face)
        if latin and latin != LATIN:  # keep a named Latin face such as Consolas for code
            for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
                style.element.rPr.rFonts.set(qn(attribute), latin)
        if style.font.color is not None and style.font.color.theme_color is not None:
            style.font.color.rgb = RGBColor(0, 0, 0)


def made_reference() -> bytes:
    """pandoc's reference document with our styles (kept by reference.reference_docx)."""
    document = Document(io.BytesIO(_pandoc_reference()))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attribute in THEME_ATTRIBUTES:
                fonts.attrib.pop(qn(attribute), None)
            fonts.set(qn("w:eastAsia"), BODY_FACE)
            fonts.set(qn("w:ascii"), LATIN)
            fonts.set(qn("w:hAnsi"), LATIN)
            fonts.set(qn("w:cs"), LATIN)
        # Chinese text tagged zh-CN: clients pick simplified-Chinese glyph forms and line breaking
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:eastAsia"), "zh-CN")
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
        fmt.left_indent = Pt(0)
        fmt.right_indent = Pt(0)
        if name in SINGLE_SPACED:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt({"Title": 36, "Table Text": TABLE_LINE_PT}.get(name, LINE_PT))
        if name.startswith("Heading") or name in KEEP_WITH_NEXT:
            fmt.keep_with_next = True
    document.styles["Title"].paragraph_format.space_after = Pt(LINE_PT)
    document.styles["Image Caption"].paragraph_format.space_after = Pt(LINE_PT / 2)
    for name in ("Figure", "Captioned Figure"):  # a picture set flush under a table covers its bottom border
        document.styles[name].paragraph_format.space_before = Pt(FIGURE_GAP_PT)
    cover = document.styles["封面"]
    cover.paragraph_format.left_indent = Pt(BODY_PT * COVER_INDENT_CHARS)
    cover.paragraph_format.space_before = Pt(LINE_PT * COVER_SPACE_BEFORE_LINES)
    _contextual_spacing(cover)
    note = document.styles["附件说明"]  # GB/T 9704 §7.3.4: one blank line under the text, 左空二字, titles lined up
    note.paragraph_format.space_before = Pt(LINE_PT)
    note.paragraph_format.left_indent = Pt(BODY_PT * (2 + ANNEX_NOTE_LABEL_CHARS))
    note.paragraph_format.first_line_indent = Pt(-BODY_PT * ANNEX_NOTE_LABEL_CHARS)
    _contextual_spacing(note)
    signature = document.styles["落款"]  # the signature stands two lines apart from the text above it
    signature.paragraph_format.space_before = Pt(LINE_PT * SIGNATURE_SPACE_BEFORE_LINES)
    signature.paragraph_format.right_indent = Pt(BODY_PT * SIGNATURE_RIGHT_CHARS)
    _contextual_spacing(signature)
    _every_style_east_asian(document)
    _table_borders(document)
    gbt_page(document.sections[0])
    page_numbers(document)
    font_fallbacks(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _contextual_spacing(style) -> None:
    """Space above and below applies only next to paragraphs of another style (w:contextualSpacing)."""
    ppr = style.element.get_or_add_pPr()
    if ppr.find(qn("w:contextualSpacing")) is None:
        ppr.insert_element_before(OxmlElement("w:contextualSpacing"), *AFTER_CONTEXTUAL_SPACING)
