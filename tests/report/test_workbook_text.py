"""Every workbook the project writes takes any text: a control character (which XML cannot hold, and openpyxl refuses)
is shown as its visible picture, so the reader sees one was there and which; a lone surrogate or a non-character
becomes �. The rest of the text is kept as it was."""
from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from pipeline.importer import review_book
from pipeline.report.spreadsheet import sheet_name, workbook_bytes, writable
from pipeline.report.summary import failed_row, summary_xlsx
from pipeline.tools import workbook_writer
from pipeline.tools.sheet_layout import Column, Row, Sheet
from tools.bench_scale import made_row

# \x07 BEL → U+2407 ␇, \x0b VT → U+240B ␋, \x00 NUL → U+2400 ␀, \x1f US → U+241F ␟ (Unicode's Control Pictures)
HOSTILE = "引用\x07文本\x0b与\x00和\x1f，\t\n留下"
SHOWN = "引用\u2407文本\u240b与\u2400和\u241f，\t\n留下"


def test_writable_shows_each_control_character_and_keeps_the_rest():
    assert writable(HOSTILE) == SHOWN
    assert writable("a\ud800b\ufffec\uffff") == "a\ufffdb\ufffdc\ufffd"
    plain = "=SUM(A1) 全角，emoji 🙂"
    assert writable(plain) is plain


def test_the_summary_takes_a_failed_units_reason_and_a_name_with_control_characters():
    rows = [failed_row("bad\x07unit", HOSTILE), made_row(1)]
    rows[1] = type(rows[1])(**{**vars(rows[1]), "name": "示例\x0b单位", "framework": "fw\x07"})
    book = load_workbook(io.BytesIO(b"".join(summary_xlsx(rows))))
    sheet = book["汇总表"]
    header = [c.value for c in sheet[1]]
    first, second = (dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True))
    assert (first["代号"], first["未生成的原因"]) == ("bad\u2407unit", SHOWN)
    assert second["单位名称"] == "示例\u240b单位" and "得分_fw\u2407" in book.sheetnames


def test_the_review_workbooks_rows_take_control_characters():
    book = Workbook(write_only=True)
    review_book._rows(book.create_sheet("问题明细"), ["文件", "说明"], [["表\x07.xlsx", HOSTILE]], {1}, (10, 50))
    sheet = load_workbook(io.BytesIO(workbook_bytes(book)))["问题明细"]
    assert [c.value for c in sheet[2]] == ["表\u2407.xlsx", SHOWN]


def test_a_units_workbook_takes_control_characters_in_values_headers_and_prompts():
    column = Column("名称\x07", "text", "提示\x0b")
    sheet = Sheet("t", "表\x07", (column,), (Row({"名称\x07": "值\x01"}, frozenset({"名称\x07"})),))
    book = load_workbook(io.BytesIO(workbook_writer.workbook_bytes([sheet])))
    written = book["表\u2407"]
    assert [written["A1"].value, written["A2"].value] == ["名称\u2407", "值\u2401"]
    assert written.data_validations.dataValidation[0].prompt == "提示\u240b"


def test_a_sheet_name_from_text_with_control_characters_is_writable():
    assert sheet_name("得分_\x07体系", set()) == "得分_\u2407体系"
