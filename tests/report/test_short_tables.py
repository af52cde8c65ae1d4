"""A short table (fewer than 8 rows) is never split across pages: each row kept with the next and whole; a long one
may break between rows."""
from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline.report.word import tables
from pipeline.report.word.convert import markdown_to_docx
from tests.helpers import require_libreoffice, to_pdf


def _table(rows: int, tag: str) -> str:
    body = "".join(f"| {tag}{i} | {i}.00 |\n" for i in range(1, rows))
    return f"| 单位 | 金额 |\n|:--|--:|\n{body}"


def _kept(table) -> list[bool]:
    return [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in table.rows]


def _whole(table) -> list[bool]:
    return [row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows]


def test_short_table_rows_held_together_long_table_free():
    data = markdown_to_docx("# 报告\n\n" + _table(7, "甲") + "\n\n正文。\n\n" + _table(9, "乙") + "\n", None)
    short, long = Document(io.BytesIO(data)).tables
    assert _kept(short) == [True] * 6 + [False]  # all but the last row, which the text below need not follow
    assert all(_whole(short))
    assert not any(_kept(long))


def _pages_holding(tmp_path, markdown: str, word: str) -> list[int]:
    docx = tmp_path / "short.docx"
    docx.write_bytes(markdown_to_docx(markdown, None))
    pdf = to_pdf(docx, tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [i + 1 for i, page in enumerate(text.split("\f")) if word in "".join(page.split())]


@pytest.mark.slow
def test_short_table_at_a_page_foot_moves_whole(tmp_path, monkeypatch):
    require_libreoffice()
    filler = "\n\n".join("正文一行。" for _ in range(18))  # the table's header then stands two lines above the foot
    markdown = f"# 报告\n\n{filler}\n\n{_table(7, '甲')}\n"
    assert len(_pages_holding(tmp_path, markdown, "甲")) == 1
    monkeypatch.setattr(tables, "SHORT_TABLE_ROWS", 0)  # the same page without the rule: the table is split
    assert len(_pages_holding(tmp_path, markdown, "甲")) == 2
