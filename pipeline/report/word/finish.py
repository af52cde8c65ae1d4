"""Finishing any Word document the pipeline writes: GB/T 9704 pages, page numbers, font fallbacks, stable bytes."""
from __future__ import annotations

import datetime
import functools
import io
import zipfile
from copy import deepcopy
from typing import Any, cast

from docx.blkcntnr import BlockItemContainer
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart
from docx.shared import Mm, Pt
from lxml import etree

from ...limits import MAX_REMEMBERED_FOOTERS
from .elements import PARAGRAPH, RUN, child, properties
from .reads import style_named

FIXED_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_DATE = datetime.datetime(2000, 1, 1)


def zipped(members: dict[str, bytes]) -> bytes:
    """Same content, same bytes: fixed timestamps and order in the .docx zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(members, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, members[name])
    return out.getvalue()


class _Members:
    """What python-docx's package writer would put in the zip, kept by member name: compressed once, by zipped()."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def write(self, uri, blob: bytes) -> None:
        self.files[uri.membername] = blob


def to_bytes(document) -> bytes:
    """The document saved with fixed dates, so the same inputs give the same file."""
    document.core_properties.created = document.core_properties.modified = FIXED_DATE
    package = document.part.package
    for part in package.parts:  # as OpcPackage.save does, with the members kept instead of zipped twice
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, package.parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(cast(PhysPkgWriter, members), package.parts)  # it calls write() only
    return zipped(members.files)


# ---------------------------------------------------------------------------------------------
# GB/T 9704-2012 page finishing, shared by every Word document the pipeline writes.

PORTRAIT_MARGINS_MM = (37, 35, 28, 26)  # top, bottom, left, right
HEADER_MM = 15
FOOTER_UNDER_TEXT_MM = 10  # footer edge this far under the text block puts the "— N —" line about 7 mm under it
PAGE_NUMBER_FONT = ("Times New Roman", "宋体")  # Latin, East Asian
PAGE_NUMBER_PT = 14  # 4号
DASH = "\u2014"  # 一字线
# Fallbacks for the Chinese faces the styles name: (name, altName, panose1, family, pitch).
# w:charset 86 is GB2312: with altName, charset and family Word and WPS substitute a Chinese face
# when the named one is not installed, instead of a Latin default.
CJK_FONTS = (
    ("仿宋_GB2312", "仿宋", "02010609030101010101", "modern", "fixed"),
    ("楷体_GB2312", "楷体", "02010609030101010101", "modern", "fixed"),
    ("方正小标宋简体", "宋体", "02000000000000000000", "roman", "variable"),
    ("黑体", "SimHei", "02010609060101010101", "modern", "fixed"),
    ("宋体", "SimSun", "02010600030101010101", "roman", "variable"),
)
FONT_CHILD_ORDER = ("altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig",
                    "embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
EMPTY_FONT_TABLE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')


def gbt_page(section, landscape: bool = False) -> None:
    """A4 with the GB/T 9704 margins; landscape turns the portrait page a quarter turn (binding edge on top)."""
    top, bottom, left, right = PORTRAIT_MARGINS_MM
    if landscape:
        top, bottom, left, right = left, right, top, bottom
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(HEADER_MM), Mm(bottom - FOOTER_UNDER_TEXT_MM)
    section.gutter = 0


def landscape_text_width() -> int:
    """The width between the margins of a landscape page (gbt_page), in twips."""
    top, bottom, _, _ = PORTRAIT_MARGINS_MM
    return int(Mm(297 - top - bottom) / 635)


def text_width(section) -> int:
    """The width between the margins in twips, the unit of w:tblGrid."""
    return int((section.page_width - section.left_margin - section.right_margin) / 635)


def _page_run(paragraph, text: str | None = None, *, east_asian: bool = False):
    """A run in 4号 宋体 (Times New Roman for Latin); `east_asian` draws ambiguous characters (—) in 宋体."""
    run = paragraph.add_run(text)
    properties = run._r.get_or_add_rPr()
    child(properties, "w:sz", RUN).set(qn("w:val"), str(int(Pt(PAGE_NUMBER_PT).pt * 2)))  # half points, as python-docx
    fonts = child(properties, "w:rFonts", RUN)
    latin, chinese = PAGE_NUMBER_FONT
    for attribute, face in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", chinese), ("w:cs", latin)):
        fonts.set(qn(attribute), face)
    if east_asian:
        fonts.set(qn("w:hint"), "eastAsia")
    return run


def page_field(paragraph) -> None:
    """PAGE as a complex field: begin, instruction, separate, the value shown until updated, end."""
    for kind in ("begin", "instr", "separate", "value", "end"):
        run = _page_run(paragraph, "1" if kind == "value" else None)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind != "value":
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _footer_style_id(document) -> str | None:
    """The id of the Footer paragraph style when the document has one (python-docx scans every style to find it)."""
    if style_named(document, "Footer") is None:
        return None
    return document.part.get_style_id(document.styles["Footer"], WD_STYLE_TYPE.PARAGRAPH)


def _footer_content(footer, side: str | None, style_id: str | None) -> None:
    """The footer's whole content: one paragraph with "— N —" on `side` ("right"/"left"), or an empty one."""
    root = footer._element
    for element in list(root):
        root.remove(element)
    root.append(deepcopy(_footer_paragraph(side, style_id)))


@functools.lru_cache(maxsize=MAX_REMEMBERED_FOOTERS)
def _footer_paragraph(side: str | None, style_id: str | None):
    """_footer_content's paragraph, made once a process for each side and style (a report has five to nine footers),
    in a footer as python-docx makes one."""
    footer = BlockItemContainer(parse_xml(FooterPart._default_footer_xml()), cast(Any, None))
    _new_footer_paragraph(footer, side, style_id)
    return footer._element[-1]


def _new_footer_paragraph(footer, side: str | None, style_id: str | None) -> None:
    paragraph = footer.add_paragraph()
    if style_id is not None:
        child(properties(paragraph._p, "w:pPr"), "w:pStyle", PARAGRAPH).set(qn("w:val"), style_id)
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = fmt.left_indent = fmt.right_indent = Pt(0)
    if side is None:
        return
    if side == "right":  # 单页码居右空一字
        fmt.alignment, fmt.right_indent = WD_ALIGN_PARAGRAPH.RIGHT, Pt(PAGE_NUMBER_PT)
    else:  # 双页码居左空一字
        fmt.alignment, fmt.left_indent = WD_ALIGN_PARAGRAPH.LEFT, Pt(PAGE_NUMBER_PT)
    _page_run(paragraph, DASH, east_asian=True)
    _page_run(paragraph, " ")
    page_field(paragraph)
    _page_run(paragraph, " ")
    _page_run(paragraph, DASH, east_asian=True)


def page_numbers(document, *, blank_first_page: bool = True) -> None:
    """GB/T 9704 page numbers: "— N —" in 4号宋体, odd pages right and even pages left, one character in.

    The first section owns the footers (its first page, the cover or title page, gets an empty one);
    later sections link to them, so the numbers run on through a landscape annex.
    """
    document.settings.odd_and_even_pages_header_footer = True
    first, *later = document.sections
    first.different_first_page_header_footer = blank_first_page
    style_id = _footer_style_id(document)
    for footer, side in ((first.footer, "right"), (first.even_page_footer, "left"), (first.first_page_footer, None)):
        footer.is_linked_to_previous = False
        _footer_content(footer, side, style_id)
    for section in later:  # linked to the first section's footers ("link to previous")
        section.different_first_page_header_footer = False
        for reference in section._sectPr.findall(qn("w:footerReference")):
            section._sectPr.remove(reference)


def _font_table_part(document, create: bool):
    main = document.part
    part = next((rel.target_part for rel in main.rels.values()
                 if rel.reltype == RT.FONT_TABLE and not rel.is_external), None)
    if part is None and create:
        part = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, EMPTY_FONT_TABLE, main.package)
        main.relate_to(part, RT.FONT_TABLE)
    return part


def font_fallbacks(document) -> None:
    """Entries in word/fontTable.xml for the Chinese faces: altName, GB2312 charset, family and pitch."""
    part = _font_table_part(document, create=True)
    root = etree.fromstring(part.blob)
    order = {tag: i for i, tag in enumerate(FONT_CHILD_ORDER)}
    for name, alt, panose, family, pitch in CJK_FONTS:
        font = next((f for f in root.findall(qn("w:font")) if f.get(qn("w:name")) == name), None)
        if font is None:
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
        for tag, value in (("altName", alt), ("panose1", panose), ("charset", "86"), ("family", family),
                           ("pitch", pitch)):
            child = font.find(qn(f"w:{tag}"))
            if child is None:
                child = etree.SubElement(font, qn(f"w:{tag}"))
            child.set(qn("w:val"), value)
        font[:] = sorted(font, key=lambda c: order.get(etree.QName(c).localname, len(order)))
    # python-docx keeps parts it has no class for (the font table is one) as plain bytes
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    # theme fonts, should anything still use them, resolve to the Chinese theme face
    settings = document.settings.element
    language = settings.find(qn("w:themeFontLang"))
    if language is not None:
        language.set(qn("w:eastAsia"), "zh-CN")


def font_table(document) -> dict[str, dict[str, str]]:
    """name → {altName, charset, family, …} as word/fontTable.xml lists them."""
    part = _font_table_part(document, create=False)
    if part is None:
        return {}
    root = etree.fromstring(part.blob)
    return {f.get(qn("w:name")): {etree.QName(c).localname: c.get(qn("w:val")) for c in f}
            for f in root.findall(qn("w:font"))}


# w:trPr children in schema (ECMA-376) order
ROW_PROPERTIES = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
                  "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
# w:tblPr children that come after w:tblBorders
AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                 "w:tblPrChange")


def row_flag(row, name: str):
    """Switch on a row property (w:cantSplit, w:tblHeader) where the schema wants it; returns the element."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = tr_pr.find(qn(name))
    if flag is None:
        flag = OxmlElement(name)
        tr_pr.insert_element_before(flag, *ROW_PROPERTIES[ROW_PROPERTIES.index(name) + 1:])
    flag.attrib.pop(qn("w:val"), None)  # on
    return flag


def grid_borders(tbl_pr) -> None:
    """Single black lines on every edge and between all cells, replacing any borders the table properties had."""
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for attribute, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(attribute), value)
        borders.append(line)
    tbl_pr.insert_element_before(borders, *AFTER_BORDERS)

