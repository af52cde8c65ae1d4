"""A unit's workbook written from its layout: dropdowns, number formats, a note on each column, the header row and
the read-only cells locked, panes frozen and widths that show the text. Values are kept as the officer wrote them."""
from __future__ import annotations

import io
import unicodedata
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..inputs.cells import Unreadable, decimal_text, money_text, percent_text
from ..inputs.workbook import SHOWN_ONLY
from ..limits import MAX_DROPDOWN_CHARS, MAX_PROMPT_CHARS
from ..report.spreadsheet import writable
from .sheet_layout import COUNT, MONEY, POINTS, VALUE, Column, Row, Sheet

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SHOWN_FILL = PatternFill("solid", fgColor="F2F2F2")  # read-only: what the framework says
CLOSED_FILL = PatternFill("solid", fgColor="D9D9D9")  # not used by this row's rule
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {MONEY: "0.00", POINTS: "0.00", COUNT: "0"}
PERCENT = "0.00%"


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _sheet(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, sheet: Sheet) -> None:
    ws = book.create_sheet(writable(sheet.title))
    columns = sheet.columns
    for c, column in enumerate(columns, 1):
        cell = ws.cell(1, c, writable(column.header))
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    prompts: dict[tuple[str, str], DataValidation] = {}
    lists: dict[tuple[str, tuple[str, ...]], DataValidation] = {}
    for r, row in enumerate(sheet.rows, 2):
        for c, column in enumerate(columns, 1):
            cell = ws.cell(r, c)
            _fill(cell, column, row)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=column.width >= 20)
            if column.header in SHOWN_ONLY:
                cell.fill = SHOWN_FILL
                continue
            if column.header not in row.open:
                cell.fill = CLOSED_FILL
                continue
            cell.protection = Protection(locked=False)
            choices = row.choices.get(column.header) or column.choices
            listed = ",".join(choices)
            if choices and len(listed) + 2 <= MAX_DROPDOWN_CHARS and not any(ch in listed for ch in '"'):
                key = (column.header, choices)
                if key not in lists:
                    lists[key] = _validation(column, "list", f'"{writable(listed)}"')
                lists[key].add(cell.coordinate)
            else:
                kind = row.kinds.get(column.header, column.kind)
                if (column.header, kind) not in prompts:
                    prompts[column.header, kind] = _validation(column, *_number_rule(kind))
                prompts[column.header, kind].add(cell.coordinate)
    for validation in [*prompts.values(), *lists.values()]:
        ws.add_data_validation(validation)
    widths = [_width(column, sheet.rows) for column in columns]
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[1].height = 30
    for r, row in enumerate(sheet.rows, 2):  # Excel and WPS do not grow a row for wrapped text written by a program
        lines = max((-(-_span(str(row.values.get(column.header, ""))) // int(width - 1))
                     for column, width in zip(columns, widths) if column.width >= 20), default=1)
        if lines > 1:
            ws.row_dimensions[r].height = 15 * min(lines, 8)
    ws.freeze_panes = sheet.frozen
    # printed: landscape A4, the header row and the naming columns repeated on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    ws.print_title_cols = f"A:{get_column_letter(max(1, column_index_from_string(sheet.frozen[0]) - 1))}"
    # the header and the framework's cells are locked, the cells to fill are not; no password: a guard, not a lock
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False
    ws.protection.autoFilter = ws.protection.sort = False


def _validation(column: Column, kind: str | None, formula: str | None = None, upper: str | None = None) -> DataValidation:
    rule = DataValidation(type=kind, formula1=formula, formula2=upper, operator="between" if upper else None,
                          allow_blank=True, showInputMessage=True, showErrorMessage=kind is not None)
    rule.promptTitle = writable(column.header[:32])
    rule.prompt = writable(column.prompt[:MAX_PROMPT_CHARS])
    rule.errorTitle = writable(f"{column.header}填写有误"[:32])
    rule.error = writable(("请从下拉列表中选择" if kind == "list" else column.prompt)[:MAX_PROMPT_CHARS])
    return rule


def _number_rule(kind: str) -> tuple[str | None, str | None, str | None]:
    if kind in (MONEY, POINTS):
        return "decimal", "0", "1000000000000"
    if kind == COUNT:
        return "whole", "0", "1000000000"
    return None, None, None


def _fill(cell, column: Column, row: Row) -> None:  # noqa: ANN001 (an openpyxl cell)
    text = str(row.values.get(column.header, "") or "").strip()
    percent = row.percent and column.header in ("目标值", "实际值")
    kind = row.kinds.get(column.header, column.kind)
    cell.number_format = PERCENT if percent else FORMATS.get(kind, "General")
    if not text:
        return
    number = _number(text, kind, percent)
    if number is None:
        cell.value = writable(text)
        cell.data_type = "s"  # text is text: “=…” typed into a cell is never turned into a formula
        return
    cell.value = number / 100 if percent else number


def _number(text: str, kind: str, percent: bool) -> Decimal | None:
    """The number a cell holds, when the text is one that reads back the same; otherwise the text stays text."""
    if kind not in (MONEY, POINTS, COUNT, VALUE):
        return None
    try:
        plain = (percent_text if percent else money_text if kind == MONEY else decimal_text)(text)
        number = Decimal(str(plain))
    except (Unreadable, InvalidOperation, ValueError):
        return None
    if kind == VALUE and not percent and _shown(number) != text:
        return None  # 目标值 and 实际值 are also read as text: 100.0 stays 100.0
    return number


def _shown(number: Decimal) -> str:
    number = number.normalize()
    return "0" if number == 0 else format(number, "f")


def _width(column: Column, rows: tuple[Row, ...]) -> float:
    """Wide enough for the header and the values (a Chinese character takes two), within a sensible range."""
    longest = max([_span(column.header) + 2] + [_span(str(row.values.get(column.header, ""))) for row in rows])
    return float(min(max(column.width, longest + 1) if column.width < 20 else column.width, 60))


def _span(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
