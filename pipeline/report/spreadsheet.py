"""Workbooks for a bureau: text from units and forms stays text, and the same rows give the same bytes."""
from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

CHUNK = 1 << 20  # bytes copied at a time from one zip to the other
ROWS_AT_ONCE = 1000  # streamed rows turned into bytes at a time
ESCAPED = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))  # as openpyxl's XML writer escapes text
EXCEL_CELL_TEXT = 32767  # characters of text Excel keeps in a cell; openpyxl cuts the rest, and so does rows_xml
WIDE = re.compile("[\u2e80-\U0010ffff]")  # characters as wide as two digits: CJK and all after it
# what XML cannot hold: control characters (openpyxl refuses them), lone surrogates (a file name's undecodable bytes)
# and the two non-characters
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PICTURES = 0x2400  # Unicode's visible picture of each control character: \x07 → ␇, \x0b → ␋


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
    return max((len(line) + len(WIDE.findall(line)) for line in text.splitlines()), default=0)


def row_height(line: list, wrapped, widths) -> int:
    """Points a row takes when its wrapped columns' text runs over several lines (a margin of one character in each):
    a streamed sheet's rows are as high as set, as LibreOffice does not grow them to their text."""
    needed = [sum(max(1, -(-width(part) // max(widths[i] - 1, 1))) for part in str(line[i]).splitlines() or [""])
              for i in wrapped if i < len(line) and isinstance(line[i], str)]
    return LINE_HEIGHT * max(needed, default=1)


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet's name from any text: Excel's forbidden characters replaced, 31 characters at most, never repeated."""
    base = "".join("_" if ch in "[]:*?/\\'" else ch for ch in writable(text)).strip() or "表"
    name, n = base[:31], 1
    while name in taken:
        n += 1
        name = f"{base[:31 - len(str(n)) - 1]}_{n}"
    taken.add(name)
    return name


def writable(text: str) -> str:
    """Text any workbook can hold, for every text cell and sheet name the project writes: a control character shown as
    its picture (a reader sees one was there, and which), anything else XML cannot hold as �. Dropping them would hide
    that the unit's text differs from what it looks like."""
    if not UNWRITABLE.search(text):
        return text
    return UNWRITABLE.sub(lambda m: chr(PICTURES + ord(m[0])) if m[0] < " " else "\ufffd", text)


def text_cells(sheet, values: list, formats: dict[int, str] | None = None) -> list:
    """A row for a write-only sheet with its text kept as text ("=…" typed by a unit must not become a formula)
    and the number format of its column (index → format) on every cell of that column, empty ones too."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    row = []
    for column, value in enumerate(values):
        value = writable(value) if isinstance(value, str) else value
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


def cell_style(sheet, number_format: str | None = None, alignment=None) -> str:
    """The style attribute of a streamed row's cell (rows_xml): registered with the workbook as openpyxl registers a
    cell's style, once for all the cells that share it."""
    from openpyxl.cell import WriteOnlyCell
    cell = WriteOnlyCell(sheet)
    if number_format:
        cell.number_format = number_format
    if alignment is not None:
        cell.alignment = alignment
    return f' s="{cell.style_id}"' if cell.has_style else ""


def rows_xml(lines: Iterable[list], styles: list[str], first: int = 2, wraps: dict[int, str] | None = None,
             height: Callable[[list], float] | None = None) -> Iterator[bytes]:
    """A sheet's rows from row `first` on as the XML openpyxl writes for them, made here: openpyxl's cell objects cost
    a summary of 100,000 units most of its time. `styles`: each column's cell_style; `wraps`: the style of a column's
    wrapped text when there is some, and its row as high as `height` says (rows keep Excel's height without it).
    Text stays text ("=…" is no formula)."""
    from openpyxl.utils import get_column_letter
    letters = [get_column_letter(column) for column in range(1, len(styles) + 1)]
    wraps = wraps or {}
    chunk: list[str] = []
    for number, line in enumerate(lines, first):
        shown = styles
        if height is not None and any(line[i] for i in wraps):
            shown = [wraps[i] if i in wraps and line[i] else style for i, style in enumerate(styles)]
            chunk.append(f'<row r="{number}" ht="{height(line):.16g}" customHeight="1">')
        else:
            chunk.append(f'<row r="{number}">')
        chunk += [_cell(f"{letter}{number}", style, value) for letter, style, value in zip(letters, shown, line)]
        chunk.append("</row>")
        if number % ROWS_AT_ONCE == 0:
            yield _ascii(chunk)
            chunk = []
    if chunk:
        yield _ascii(chunk)


def _ascii(parts: list[str]) -> bytes:
    # openpyxl's writer stores every character past ASCII as a character reference: the same bytes as before
    return "".join(parts).encode("ascii", "xmlcharrefreplace")


def _cell(ref: str, style: str, value) -> str:
    """One cell's XML as openpyxl writes it: a value none, text inline, a number in 16 significant digits."""
    if isinstance(value, str):
        if not value:
            return f'<c r="{ref}"{style} t="inlineStr"></c>'
        value = writable(value[:EXCEL_CELL_TEXT])
        space = ' xml:space="preserve"' if value != value.strip() else ""
        for character, reference in ESCAPED:
            if character in value:
                value = value.replace(character, reference)
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'
    if value is None:
        return f'<c r="{ref}"{style} t="n"></c>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{value:d}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        digits = f"{number:.16g}" if math.isfinite(number) else ""  # as openpyxl writes a number
        return f'<c r="{ref}"{style} t="n"><v>{digits}</v></c>'
    raise TypeError(f"a streamed cell holds text, a number or nothing, not {type(value).__name__}")


def workbook_bytes(book: Any, bodies: Iterable[tuple[Any, Iterable[bytes]]] = ()) -> bytes:
    return b"".join(workbook_pieces(book, bodies))


def workbook_pieces(book: Any, bodies: Iterable[tuple[Any, Iterable[bytes]]] = ()) -> Iterator[bytes]:
    """The .xlsx file in pieces, without the time of saving, so a re-run over the same data writes the same file; each
    member is copied in pieces, so a streamed sheet of 100,000 rows is never held unpacked, and the file is made in a
    nameless temporary file, so it is never held whole either. `bodies`: a sheet and its rows after the header
    (rows_xml), written into it as it is copied."""
    from openpyxl.writer.excel import ExcelWriter  # openpyxl is imported only by the commands that write workbooks

    from .word.finish import FIXED_TIME  # python-docx with it: a workbook alone need not load it until it is saved
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    # openpyxl's own file (a streamed sheet's rows in it) is made on disk too: a season's review is never held whole
    stream, out = tempfile.TemporaryFile(prefix="selfeval-workbook-"), tempfile.TemporaryFile(prefix="selfeval-workbook-")
    with stream:
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(book, archive).save()  # not book.save(), which stamps the time of saving
        rows = {sheet.path.lstrip("/"): body for sheet, body in bodies}  # the sheets' paths are set by saving
        with zipfile.ZipFile(stream) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                with source.open(name) as member, target.open(info, "w") as copy:
                    if name in rows:  # a sheet of a header alone: its rows go before the end of its data
                        sheet = member.read()
                        end = sheet.rindex(b"</sheetData>")
                        copy.write(sheet[:end])
                        for chunk in rows[name]:
                            copy.write(chunk)
                        copy.write(sheet[end:])
                    else:
                        shutil.copyfileobj(member, copy, CHUNK)
    with out:
        out.seek(0)
        yield from iter(lambda: out.read(CHUNK), b"")
