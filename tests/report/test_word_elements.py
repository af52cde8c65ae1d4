"""The shortcuts past python-docx's lookups give what python-docx itself gives: a property added where its
get_or_add_* puts it, a paragraph's style as Paragraph.style finds it, a score table's level cells merged as its
merge() merges them."""
from __future__ import annotations

import io
from copy import deepcopy

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

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
from pipeline.report.word.finish import _merge_spanned, merge_hierarchy
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
    _, theirs = _score_table(rows)
    merge_hierarchy(ours)
    _merge_spanned(theirs)  # python-docx's merge() over its own span geometry
    assert ours._tbl.xml == theirs._tbl.xml
    assert ours._tbl.find(".//" + qn("w:vMerge")) is not None


def test_a_table_with_a_span_is_merged_by_python_docx():
    document, table = _score_table([["一级指标", "二级指标", "分值"], ["产出", "数量", "1"], ["产出", "数量", "2"],
                                    ["合计", "", "3"]])
    table.cell(3, 0).merge(table.cell(3, 1))  # the total row's name across two columns
    copy = Document(io.BytesIO(_saved(document))).tables[0]
    merge_hierarchy(table)
    _merge_spanned(copy)
    assert table._tbl.xml == copy._tbl.xml
    assert [Paragraph(p, None).text for p in table._tbl.iter(qn("w:p"))][:2] == ["一级指标", "二级指标"]


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
