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


def text_cells(sheet, values: list, formats: dict[int, str] | None = None) -> list:
    """A row for a write-only sheet with its text kept as text ("=…" typed by a unit must not become a formula)
    and the number format of its column (index → format) on every cell of that column, empty ones too."""
    from openpyxl.cell import WriteOnlyCell
    row = []
    for column, value in enumerate(values):
        number = formats.get(column) if formats else None
        if isinstance(value, str) or number:
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
    from openpyxl.styles import Alignment, Font, PatternFill
    cells = text_cells(sheet, names)
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
