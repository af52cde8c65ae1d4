"""Workbooks for a bureau: text from units and forms stays text, and the same rows give the same bytes."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from .word.finish import FIXED_TIME, stable_zip


def text_row(sheet, values: list) -> None:
    """A row appended with its text kept as text: "=…" typed by a unit must not become a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def workbook_bytes(book: Any) -> bytes:
    """The .xlsx bytes without the time of saving, so a re-run over the same data writes the same file."""
    from openpyxl.writer.excel import ExcelWriter  # openpyxl is imported only by the commands that write workbooks
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not book.save(), which stamps the time of saving
    return stable_zip(stream.getvalue())
