"""Markdown to Word through pandoc, then the finishing pandoc cannot do: merged score cells, table layout,
GB/T 9704 page numbers, a landscape section for the score table, font fallbacks, stable bytes."""
from __future__ import annotations

import re
from copy import deepcopy
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from ..markdown_ast import MissingImage, Written, write_documents  # noqa: F401 (MissingImage: raised from here)
from .contents import table_of_contents
from .finish import font_fallbacks, gbt_page, page_numbers, to_bytes
from .line_breaks import ANNEX_PREFIXES, line_breaks
from .merged import is_indicator_table
from .reads import style_named, style_names
from .reference import reference_docx
from .styles import ANNEX_LABEL_STYLE, set_fonts
from .tables import layout_tables, style_tables
from .turned import turned_page_numbers

COVER_TITLE_DROP_LINES = 4  # on a cover page the title stands this many title lines lower
BOOKMARKS = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
PICTURE_PROPERTIES = qn("pic:cNvPr")


def annex_start(document):
    """The body element where the landscape annex begins: the Heading 1 (附件：…/附表：…) above the last
    score table; without one, a score table closing the document starts it (at its caption); else None."""
    tables = [table for table in document.tables if is_indicator_table(table)]
    if not tables:
        return None
    table = tables[-1]._tbl
    node, name_of = table.getprevious(), style_names(document)
    while node is not None and node.tag != qn("w:tbl"):
        if node.tag == qn("w:p") and name_of(node) == "Heading 1":
            if Paragraph(node, document._body).text.strip().startswith(ANNEX_PREFIXES):
                return node
            break
        node = node.getprevious()
    after = table.getnext()
    while after is not None and (after.tag in BOOKMARKS or after.tag == qn("w:sectPr") or (
            after.tag == qn("w:p") and not Paragraph(after, document._body).text.strip())):
        after = after.getnext()
    if after is not None:  # the table sits inside the report: it stays on the portrait pages
        return None
    caption = table.getprevious()
    while caption is not None and caption.tag in BOOKMARKS:
        caption = caption.getprevious()
    if caption is not None and caption.tag == qn("w:p") and style_names(document)(caption) == "Table Caption":
        return caption
    return table


def _only_page_break(paragraph) -> bool:
    runs = paragraph.findall(qn("w:r"))
    breaks = paragraph.findall(".//" + qn("w:br"))
    return bool(breaks) and all(b.get(qn("w:type")) == "page" for b in breaks) and not "".join(
        t.text or "" for t in paragraph.iter(qn("w:t"))) and len(runs) == len(breaks)


def landscape_annex(document) -> None:
    """End the portrait section just before the annex; the annex and all after it go on landscape A4."""
    start = annex_start(document)
    if start is None:
        return
    body_sect_pr = document.element.body.sectPr
    holder = start.getprevious()
    while holder is not None and holder.tag in BOOKMARKS:
        holder = holder.getprevious()
    if holder is None:
        return  # the annex is the whole document: one section, as it is
    if holder.tag != qn("w:p") or holder.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
        holder = OxmlElement("w:p")  # after a table: a paragraph of its own for the break, one point high
        start.addprevious(holder)
        fmt = Paragraph(holder, document._body).paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)
    elif _only_page_break(holder):  # the section break starts a new page already
        for run in holder.findall(qn("w:r")):
            holder.remove(run)
    holder.get_or_add_pPr()._insert_sectPr(deepcopy(body_sect_pr))
    landscape = document.sections[-1]
    gbt_page(landscape, landscape=True)


ANNEX_HEADING = re.compile(r"^((?:附件|附表)[0-9]*)\s*[：:]\s*(.+)$", re.S)


def annex_label(document) -> None:
    """GB/T 9704 §8: the annex page begins with its label (附件, 附件1) alone at the top left in 3号黑体, no punctuation
    after it, and its title centred on the next line; the Markdown heading “附件：…” carries both."""
    start = annex_start(document)
    if start is None or start.tag != qn("w:p") or style_names(document)(start) != "Heading 1":
        return  # a score table closing the document without caption starts the annex itself
    heading = Paragraph(start, document._body)
    found = ANNEX_HEADING.match(heading.text.strip())
    if found is None:
        return
    label = OxmlElement("w:p")
    start.addprevious(label)
    paragraph = Paragraph(label, document._body)
    run = paragraph.add_run(found.group(1))
    if style_named(document, ANNEX_LABEL_STYLE) is not None:
        paragraph.style = document.styles[ANNEX_LABEL_STYLE]
    else:  # a unit's own reference.docx without the style: the same face and size, set on the run
        run.font.size = Pt(16)
        set_fonts(run._r, "黑体")
        paragraph.paragraph_format.keep_with_next = True
    runs = start.findall(qn("w:r"))
    for run in runs[1:]:
        start.remove(run)
    if runs:
        Paragraph(start, document._body).runs[0].text = found.group(2).strip()
    fmt = heading.paragraph_format
    fmt.alignment, fmt.first_line_indent, fmt.page_break_before = WD_ALIGN_PARAGRAPH.CENTER, Pt(0), False


def cover_title(document) -> None:
    """With a cover block (style 封面), the title stands lower on its own page, as covers have it."""
    body = document.element.body
    paragraphs = body.findall(qn("w:p"))
    name_of = style_names(document)
    if not any(name_of(p) == "封面" for p in paragraphs[:40]):
        return
    for p in paragraphs[:3]:
        if name_of(p) == "Title":
            size = document.styles["Title"].font.size or Pt(22)
            Paragraph(p, document._body).paragraph_format.space_before = Pt(size.pt * COVER_TITLE_DROP_LINES)
            return


def page_breaks(document) -> None:
    """A paragraph holding only a page break (the raw one after the cover) leaves an empty line on top of
    the next page: the next paragraph starts the page instead (w:pageBreakBefore)."""
    for paragraph in document.element.body.findall(qn("w:p")):
        if not _only_page_break(paragraph) or paragraph.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
            continue
        following = paragraph.getnext()
        while following is not None and following.tag in BOOKMARKS:
            following = following.getnext()
        if following is None or following.tag != qn("w:p"):
            continue
        Paragraph(following, document._body).paragraph_format.page_break_before = True
        paragraph.getparent().remove(paragraph)


def finish_document(document) -> None:
    style_tables(document)
    table_of_contents(document)
    page_breaks(document)
    cover_title(document)
    landscape_annex(document)
    annex_label(document)
    line_breaks(document)
    layout_tables(document)
    page_numbers(document)
    turned_page_numbers(document)
    font_fallbacks(document)


def _picture_names(document, names: dict[str, str]) -> None:
    """pandoc writes an image's source into the picture's description: the file name, not the data: URI."""
    for properties in document.element.body.iter(PICTURE_PROPERTIES):
        source = properties.get("descr", "")
        if source.startswith("data:"):
            properties.set("descr", names.get(source, ""))


def markdown_to_docx(markdown: str, reference: Path | None, *, resources: dict[str, bytes] | None = None,
                     written: Written | None = None) -> bytes:
    """The report as .docx bytes; `resources` maps the file names images use (chart-budget.png) to their bytes;
    `written` is write_documents' answer for them when the caller has it already (the page made in the same pass)."""
    if written is None:
        written = write_documents(markdown, dict(resources or {}), reference=reference or reference_docx())
    if written.docx is None:
        raise ValueError("pandoc wrote no .docx: write_documents was asked for the page alone")
    document = Document(BytesIO(written.docx))
    _picture_names(document, written.names)
    finish_document(document)
    return to_bytes(document)
