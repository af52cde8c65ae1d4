"""Workbooks for a bureau: text from units and forms stays text, and the same rows give the same bytes."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from typing import Any

from .word.finish import FIXED_TIME

CHUNK = 1 << 20  # bytes copied at a time from one zip to the other


HEADER_COLOUR = "DDEBF7"
A4 = 9  # the paper size code Excel and LibreOffice print on
LINE_HEIGHT = 15  # points a line of 11-point text takes


def printed(sheet, columns: int, rows: int, freeze: str = "A2") -> None:
    """A table as finance staff print it: a filter over the header, the header frozen and repeated on every page,
    landscape A4, all columns on the width of one page. `rows` counts the header; a streamed sheet takes this
    before its first row."""
    from openpyxl.utils import get_column_letter
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def width(value) -> int:
    """A column as wide as its text: a Chinese character takes two widths of a digit."""
    text = "" if value is None else str(value)
    if text.isascii():  # codes, numbers and dates: most cells of a large summary
        return len(text)
    return max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in text.splitlines()), default=0)


def row_height(line: list, wrapped, widths) -> int:
    """Points a row takes when its wrapped columns' text runs over several lines (a margin of one character in each):
    a streamed sheet's rows are as high as set, as LibreOffice does not grow them to their text."""
    needed = [sum(max(1, -(-width(part) // max(widths[i] - 1, 1))) for part in str(line[i]).splitlines() or [""])
              for i in wrapped if i < len(line) and isinstance(line[i], str)]
    return LINE_HEIGHT * max(needed, default=1)


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet's name from any text: Excel's forbidden characters replaced, 31 characters at most, never repeated."""
    base = "".join("_" if ch in "[]:*?/\\'" else ch for ch in text).strip() or "表"
    name, n = base[:31], 1
    while name in taken:
        n += 1
        name = f"{base[:31 - len(str(n)) - 1]}_{n}"
    taken.add(name)
    return name


def text_cells(sheet, values: list, formats: dict[int, str] | None = None) -> list:
    """A row for a write-only sheet with its text kept as text ("=…" typed by a unit must not become a formula)
    and the number format of its column (index → format) on every cell of that column, empty ones too."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    row = []
    for column, value in enumerate(values):
        number = formats.get(column) if formats else None
        # only text openpyxl would store as a formula (=…) or an error (#N/A) needs a cell of its own: most do not,
        # and a cell object for each costs a large summary a third of its time
        typed = isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES)
        if typed or number:
            cell = WriteOnlyCell(sheet, value)
            if isinstance(value, str):
                cell.data_type = "s"
            if number:
                cell.number_format = number
            value = cell
        row.append(value)
    return row


def header_cells(sheet, names: list[str], centred: bool = False, fill: bool = True) -> list:
    """A header row for a write-only sheet: bold, shaded, centred and wrapped where asked."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    cells = [cell if hasattr(cell, "font") else WriteOnlyCell(sheet, cell) for cell in text_cells(sheet, names)]
    for cell in cells:
        cell.font = Font(bold=True)
        if fill:
            cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        if centred:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cells


def workbook_bytes(book: Any) -> bytes:
    """The .xlsx bytes without the time of saving, so a re-run over the same data writes the same file; each member
    is copied in pieces, so a streamed sheet of 100,000 rows is never held unpacked."""
    from openpyxl.writer.excel import ExcelWriter  # openpyxl is imported only by the commands that write workbooks
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    stream, out = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not book.save(), which stamps the time of saving
    with zipfile.ZipFile(stream) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with source.open(name) as member, target.open(info, "w") as copy:
                shutil.copyfileobj(member, copy, CHUNK)
    return out.getvalue()
