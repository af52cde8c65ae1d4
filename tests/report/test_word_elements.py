"""The shortcuts past python-docx's lookups give what python-docx itself gives: a property added where its
get_or_add_* puts it, a paragraph's style as Paragraph.style finds it, a score table's level cells merged as its
merge() merges them."""
from __future__ import annotations

import io
import zipfile
from copy import deepcopy

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.exceptions import InvalidSpanError
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.limits import REMEMBERED_SCAN_BYTES
from pipeline.report.hierarchy import merge_runs, merged_columns
from pipeline.report.word.elements import (
    CELL,
    CELL_ORDER,
    PARAGRAPH,
    PARAGRAPH_ORDER,
    RUN,
    RUN_ORDER,
    child,
    grid_span,
    properties,
    vertical_merge,
)
from pipeline.report.word.finish import _footer_content, _new_footer_paragraph
from pipeline.report.word.inert import inert_docx
from pipeline.report.word.merged import _merge_spanned, merge_hierarchy
from pipeline.report.word.reads import paragraph_style, style_id, style_name, styles_by_id

KINDS = [("w:tcPr", CELL_ORDER, CELL), ("w:pPr", PARAGRAPH_ORDER, PARAGRAPH), ("w:rPr", RUN_ORDER, RUN)]
# the properties python-docx itself can add (a get_or_add_ for each), by the element holding them
ADDABLE = {"w:tcPr": ("w:tcW", "w:gridSpan", "w:vMerge", "w:vAlign"),
           "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl", "w:spacing",
                     "w:ind", "w:jc", "w:sectPr"),
           "w:rPr": ("w:rStyle", "w:rFonts", "w:b", "w:i", "w:caps", "w:color", "w:sz", "w:highlight", "w:u",
                     "w:vertAlign", "w:rtl")}


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_property_goes_where_python_docx_puts_it(data):
    kind, order, table = data.draw(st.sampled_from(KINDS))
    present = data.draw(st.lists(st.sampled_from(order), unique=True, max_size=8))
    present = sorted(present, key=order.index)  # as Word, pandoc and python-docx write them: in schema order
    name = data.draw(st.sampled_from(ADDABLE[kind]))
    ours = parse_xml(f"<{kind} {nsdecls('w')}>" + "".join(f"<{p}/>" for p in present) + f"</{kind}>")
    theirs = deepcopy(ours)
    found = child(ours, name, table)
    expected = getattr(theirs, f"get_or_add_{name.split(':')[1]}")()
    assert found.tag == expected.tag == qn(name)
    assert [c.tag for c in ours] == [c.tag for c in theirs]


def test_properties_come_first_and_spans_read_as_python_docx_reads_them():
    tc = parse_xml(f'<w:tc {nsdecls("w")}><w:p/></w:tc>')
    assert grid_span(tc) == tc.grid_span == 1 and vertical_merge(tc) is tc.vMerge is None
    cell = properties(tc, "w:tcPr")
    assert tc[0] is cell and properties(tc, "w:tcPr") is cell
    tc.grid_span, tc.vMerge = 3, "continue"
    assert grid_span(tc) == tc.grid_span == 3 and vertical_merge(tc) == tc.vMerge == "continue"
    tc.vMerge = "restart"
    assert vertical_merge(tc) == tc.vMerge == "restart"


def _styles_document():
    """A document whose paragraphs name: a paragraph style, a character style, an id no style has, a style without
    w:type (python-docx's Paragraph.style then gives the default), nothing; and two styles sharing an id."""
    document = Document()
    styles = document.styles.element
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:styleId="Untyped"><w:name w:val="untyped"/></w:style>'))
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Heading1">'
                            '<w:name w:val="second of the id"/></w:style>'))
    for style in ("Heading1", "DefaultParagraphFont", "NoSuchStyle", "Untyped", None):
        paragraph = document.add_paragraph("x")
        if style is not None:
            paragraph._p.get_or_add_pPr().style = style
    return document


def test_a_paragraph_style_is_the_one_python_docx_finds():
    document = _styles_document()
    book = styles_by_id(document)
    for paragraph in document.paragraphs:
        assert style_id(paragraph._p) == paragraph._p.style
        assert paragraph_style(paragraph._p, book) is paragraph.style.element
        assert style_name(paragraph, book) == style_name(paragraph) == paragraph.style.name
    assert [style_name(p, book) for p in document.paragraphs] == [
        "Heading 1", "Normal", "Normal", "Normal", "Normal"]  # a stored "heading 1" shown as python-docx names it
    assert book[None] is document.styles.default(WD_STYLE_TYPE.PARAGRAPH).element


def _score_table(rows: list[list[str]]):
    document = Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for tr, texts in zip(table._tbl.tr_lst, rows):
        for tc, text in zip(tr.tc_lst, texts):
            tc.p_lst[0].append(OxmlElement("w:r"))
            tc.p_lst[0].r_lst[0].text = text
    return document, table


@pytest.mark.parametrize("rows", [
    [["一级指标", "二级指标", "三级指标", "分值"],
     ["产出", "数量", "甲", "10"], ["产出", "数量", "乙", "10"], ["产出", "质量", "丙", "5"],
     ["效益", "社会", "丁", "5"], ["效益", "社会", "戊", "5"], ["合计", "", "", "35"]],
    [["一级指标", "二级指标", "分值"], ["产出", "数量", "1"], ["产出", "数量", "2"], ["产出", "数量", "3"]],
])
def test_level_cells_merge_as_python_docx_merges_them(rows):
    _, ours = _score_table(rows)
    _, spanned = _score_table(rows)
    _, theirs = _score_table(rows)
    merge_hierarchy(ours)
    _merge_spanned(spanned)
    _merged_by_python_docx(theirs)
    assert ours._tbl.xml == spanned._tbl.xml == theirs._tbl.xml
    assert ours._tbl.find(".//" + qn("w:vMerge")) is not None


def _merged_by_python_docx(table) -> None:
    """The reference: every run merged by python-docx's own merge() over its grid of cells, read once."""
    grid, width = table._cells, table._column_count
    rows = [[cell.text for cell in grid[i:i + width]] for i in range(0, len(grid), width)]
    for column, first, count in merge_runs(rows[1:], merged_columns(rows[0])):
        merged = grid[(first + 1) * width + column].merge(grid[(first + count) * width + column])
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)


def test_a_table_with_a_span_is_merged_by_python_docx():
    document, table = _score_table([["一级指标", "二级指标", "分值"], ["产出", "数量", "1"], ["产出", "数量", "2"],
                                    ["合计", "", "3"]])
    table.cell(3, 0).merge(table.cell(3, 1))  # the total row's name across two columns
    copy = Document(io.BytesIO(_saved(document))).tables[0]
    merge_hierarchy(table)
    _merged_by_python_docx(copy)
    assert table._tbl.xml == copy._tbl.xml
    assert [Paragraph(p, None).text for p in table._tbl.iter(qn("w:p"))][:2] == ["一级指标", "二级指标"]


NAMES = st.sampled_from(["产出", "效益", "数量", "质量", "甲", ""])


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(NAMES, min_size=4, max_size=4), min_size=2, max_size=7),
       spans=st.lists(st.tuples(st.integers(1, 7), st.integers(0, 2), st.integers(1, 3)), max_size=3),
       merged=st.lists(st.tuples(st.integers(1, 7), st.integers(0, 3), st.integers(1, 3)), max_size=2),
       shifted=st.booleans())
def test_a_table_with_spans_merges_as_python_docx_merges_it(rows, spans, merged, shifted):
    """Cells spanning columns (the national form's), cells merged down already, a row starting later in the grid
    (w:gridBefore): the same XML as python-docx's own merge() of each run, or the same error."""
    texts = [["一级指标", "二级指标", "三级指标", "分值"]] + rows
    results = []
    for merge in (merge_hierarchy, _merged_by_python_docx):
        _, table = _score_table(texts)
        try:
            for row, column, width in spans:  # a cell across grid columns, its text the first one's
                if row < len(texts) and column + width < 4:
                    table.cell(row, column).merge(table.cell(row, column + width))
            for row, column, height in merged:  # a cell merged down already
                if row + height < len(texts):
                    table.cell(row, column).merge(table.cell(row + height, column))
        except (InvalidSpanError, ValueError):
            assume(False)  # not a table python-docx can make
        if shifted:
            tr_pr = table._tbl.tr_lst[-1].get_or_add_trPr()
            tr_pr.append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
        try:
            merge(table)
            results.append(table._tbl.xml)
        except Exception as error:  # noqa: BLE001 (the same failure on both sides is the same behaviour)
            results.append(type(error).__name__)
    assert results[0] == results[1]


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("side", ["right", "left", None])
@pytest.mark.parametrize("style_id", [None, "Footer", "页脚"])
def test_a_page_number_footer_made_once_is_the_one_made_in_place(side, style_id):
    """The footer's paragraph, made once a process and copied, is the XML python-docx makes in the footer itself."""
    made = []
    for fill in (_footer_content, _footer_content, _made_in_place):
        footer = Document().sections[0].footer
        footer.is_linked_to_previous = False
        fill(footer, side, style_id)
        made.append(footer._element.xml)
    assert made[0] == made[1] == made[2]
    assert ("PAGE" in made[0]) == (side is not None)


def _made_in_place(footer, side, style_id) -> None:
    for element in list(footer._element):
        footer._element.remove(element)
    _new_footer_paragraph(footer, side, style_id)


def _package(document: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def _with_field(code: str, filler: int) -> bytes:
    return (f'<w:document {nsdecls("w")}><w:body><w:p><w:r><w:t>{"x" * filler}</w:t></w:r>'
            f'<w:fldSimple w:instr="{code}"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:body></w:document>').encode()


@pytest.mark.parametrize("filler", [10, REMEMBERED_SCAN_BYTES])
def test_a_part_found_clean_before_is_looked_at_again_when_it_differs(filler):
    """inert_docx remembers what it found in a big part by the part's whole content: the same part met again is kept
    as it is, and a part of the same size with a field that loads a file still loses the field, every time."""
    clean, hostile = _with_field("PAGE", filler + 20), _with_field("INCLUDEPICTURE http://x/", filler)
    for _ in range(2):
        assert inert_docx(_package(clean)) == _package(clean)
        with zipfile.ZipFile(io.BytesIO(inert_docx(_package(hostile)))) as archive:
            assert b"INCLUDEPICTURE" not in archive.read("word/document.xml")
