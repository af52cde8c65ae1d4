"""The 目录's page numbers: found in a PDF by the headings' text and footers, written behind each entry."""
from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from pipeline.report.pdf_pages import heading_pages
from pipeline.report.word.contents import contents_entries, has_contents, numbered
from pipeline.report.word.finish import FIXED_TIME

ENTRIES = ["一、基本情况", "（一）职能", "二、评价结论", "附件：部门整体支出绩效自评评分表"]


def pdf_of(pages: list[list[str]]) -> bytes:
    """A PDF whose pages hold these lines, one text block each (PyMuPDF, an optional package, writes it)."""
    pymupdf = pytest.importorskip("pymupdf")
    document = pymupdf.open()
    for lines in pages:
        page = document.new_page()
        for row, line in enumerate(lines):
            page.insert_text((72, 72 + 40 * row), line, fontname="china-s")
    return document.tobytes()


def test_pages_read_from_footers_after_the_contents_pages():
    cover = ["某单位2024年度绩效自评报告"]
    contents = ["目　录", *ENTRIES, "— 2 —"]
    body = [["一、基本情况", "（一）职能", "正文提到二、评价结论的一句话", "— 3 —"], ["正文", "— 4 —"],
            ["二、评价结论", "— 5 —"], ["附件：部门整体", "— 6 —"],
            ["附件：部门整体支出", "绩效自评评分表", "— 7 —"]]  # wrapped on two lines
    assert heading_pages(pdf_of([cover, contents, *body]), "目　录", ENTRIES) == ["3", "3", "5", "7"]


def test_a_contents_on_two_pages_and_pages_without_footers():
    entries = [f"{n}、第{n}章" for n in "一二三四五六"]
    first, second = ["目录", *entries[:4]], entries[4:]
    body = [[entry] for entry in entries]  # no footer: the page's place in the file
    assert heading_pages(pdf_of([first, second, *body]), "目录", entries) == ["3", "4", "5", "6", "7", "8"]


def test_a_heading_missing_from_the_pdf_leaves_the_numbers_to_word():
    pages = [["目录", *ENTRIES], ["一、基本情况"], ["（一）职能"]]
    assert heading_pages(pdf_of(pages), "目录", ENTRIES) is None
    assert heading_pages(pdf_of([["没有目录"], *[[e] for e in ENTRIES]]), "目录", ENTRIES) is None


def test_numbers_written_behind_each_entry(built):
    """huadu's Word report given a 目录 heading: each entry gets a tab and its number, its text unchanged."""
    from pipeline.report.word.contents import table_of_contents

    plain = (built["huadu"][1] / "report.docx").read_bytes()
    document = Document(io.BytesIO(plain))
    first = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    first.insert_paragraph_before("目　录", style="目录标题")
    table_of_contents(document)
    out = io.BytesIO()
    document.save(out)
    docx = out.getvalue()
    assert has_contents(docx) and not has_contents(plain)
    title, entries = contents_entries(docx)
    assert title == "目　录" and entries[0] == "一、部门基本情况" and len(entries) > 5
    pages = [str(n) for n in range(3, 3 + len(entries))]
    assert contents_entries(numbered(docx, pages))[1] == [f"{entry}\t{page}" for entry, page in zip(entries, pages)]
    # the numbered report is saved like every other Word file: fixed dates, so the same input gives the same bytes
    with zipfile.ZipFile(io.BytesIO(numbered(docx, pages))) as archive:
        assert {info.date_time for info in archive.infolist()} == {FIXED_TIME}
