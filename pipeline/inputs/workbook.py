"""A unit's workbook (数据.xlsx): each known sheet read as the Table a CSV export of it would give."""
from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import InputError, Problem, nth_line
from .kinds import TABLES
from .tables import Table

# the one workbook a unit folder may hold instead of (some of) the CSV files, and its sheet names per table
WORKBOOK_FILES = ("数据.xlsx", "data.xlsx")
SHEET_HINT = "可用的工作表名：" + "、".join(f"{t.sheet}（或 {t.sheet_en}）" for t in TABLES.values())
UNCOMPUTED = "公式没有计算结果，请在 Excel/WPS 中打开并保存后再试"


def _plain(number: Decimal) -> str:
    """A decimal as plain text, without exponent or trailing zeros: 98.2200 → 98.22, 1E+2 → 100."""
    number = number.normalize()
    return "0" if number == 0 else format(number, "f")


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A workbook cell as the text a CSV export would hold, so that validation sees the same thing.

    Numbers keep at most 15 significant digits, the precision Excel shows and stores, so a formula's
    0.1+0.2 reads as 0.3; a number shown as a percentage is given in percent, as users type rates
    (0.9822 shown as 98.22% → "98.22").
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return _plain(Decimal(value) * 100) if "%" in (number_format or "") else str(value)
    if isinstance(value, float):
        number = Decimal(format(value, ".15g"))
        return _plain(number * 100 if "%" in (number_format or "") else number)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def sheet_key(title: str) -> str | None:
    """The table a sheet holds, by its name: Chinese exactly, English in any case."""
    name = title.strip()
    return next((t.key for t in TABLES.values() if name == t.sheet or name.casefold() == t.sheet_en), None)


def find_workbook(folder: Path, shown: str) -> Path | None:
    """The unit's workbook (数据.xlsx or data.xlsx, in any letter case), if it has one."""
    names = {name.casefold() for name in WORKBOOK_FILES}
    if not folder.is_dir():
        return None
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.name.casefold() in names)
    old = sorted(p for p in folder.iterdir() if p.is_file() and p.name.casefold() + "x" in names)
    if len(found) > 1:
        raise InputError([Problem(f"{shown}/{found[1].name}", "", "", f"一个单位只能有一个工作簿，已有 {shown}/{found[0].name}",
                                  hint="把各张表放进同一个工作簿，删除另一个")])
    if not found and old:
        raise InputError([Problem(f"{shown}/{old[0].name}", "", "", "无法读取旧版 .xls 工作簿",
                                  hint="请在 Excel/WPS 中另存为 .xlsx 格式（Excel 工作簿）")])
    return found[0] if found else None


def _open_workbook(path: Path, shown: str, data_only: bool) -> Any:
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, ParseError, OSError):
        raise InputError([Problem(shown, "", "", "无法读取工作簿",
                                  hint="请确认它是 Excel/WPS 保存的 .xlsx 文件，且没有设置打开密码")]) from None


def _formulas(path: Path, shown: str) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet title → (row, column) → formula text, read without the cached results."""
    book = _open_workbook(path, shown, data_only=False)
    try:
        found: dict[str, dict[tuple[int, int], str]] = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            found[sheet.title] = {(r, c): str(getattr(cell.value, "text", cell.value))
                                  for r, row in enumerate(sheet.iter_rows(min_row=1), 1)
                                  for c, cell in enumerate(row, 1) if cell.data_type == "f"}
        return found
    finally:
        book.close()


def workbook_tables(path: Path, shown: str) -> tuple[dict[str, Table], list[Problem]]:
    """Each known sheet of the workbook as a Table shown as '<file>[<sheet>]', and every problem found."""
    book = _open_workbook(path, shown, data_only=True)
    tables: dict[str, Table] = {}
    titles: dict[str, str] = {}
    problems: list[Problem] = []
    # cells with no value that may be formulas Excel never computed: (sheet, table shown, row, column, field)
    suspects: list[tuple[str, str, int, int, str]] = []
    try:
        for sheet in book.worksheets:  # chart sheets hold no table and are left alone
            key = sheet_key(sheet.title)
            if key is None:
                problems.append(Problem(shown, "", "工作表", "未知的工作表名", sheet.title, SHEET_HINT))
                continue
            if key in titles:
                problems.append(Problem(shown, "", "工作表", f"与工作表“{titles[key]}”是同一张表，只能保留一个",
                                        sheet.title, SHEET_HINT))
                continue
            titles[key] = sheet.title
            table_shown = f"{shown}[{sheet.title}]"
            sheet.reset_dimensions()  # some programs write a wrong size into the file; read what is there
            grid: list[tuple[int, list[str], list[Any]]] = []
            for r, row in enumerate(sheet.iter_rows(min_row=1), 1):
                grid.append((r, [cell_text(cell.value, cell.number_format) for cell in row], list(row)))
            if not grid:
                problems.append(Problem(table_shown, "", "", "工作表为空，缺少表头行"))
                continue
            headers = tuple(grid[0][1])
            while headers and not headers[-1]:
                headers = headers[:-1]
            rows = []
            for r, texts, cells in grid:
                for c, cell in enumerate(cells[:len(headers)] if r > 1 else cells, 1):
                    field = headers[c - 1] if r > 1 and headers[c - 1] else f"{get_column_letter(c)}列"
                    if cell.data_type == "e":
                        problems.append(Problem(table_shown, nth_line(r), field, "单元格是错误值，请检查公式或数据",
                                                str(cell.value)))
                    elif cell.value is None and isinstance(cell, ReadOnlyCell) and cell.data_type == "n":
                        # an empty cell, or a formula without a cached result ("str" marks a computed "")
                        suspects.append((sheet.title, table_shown, r, c, field))
                if r == 1 or not any(texts):
                    continue
                rows.append((r, {h: (texts[i] if i < len(texts) else "") for i, h in enumerate(headers)}))
            tables[key] = Table(table_shown, headers, tuple(rows))
    finally:
        book.close()
    if suspects:
        formulas = _formulas(path, shown)
        problems += [Problem(table_shown, nth_line(r), field, UNCOMPUTED, formulas[title][(r, c)])
                     for title, table_shown, r, c, field in suspects if (r, c) in formulas.get(title, {})]
    return tables, problems


def read_workbook(path: Path, shown: str) -> dict[str, Table]:
    """Table key → Table for every sheet of the unit's workbook; InputError for anything that cannot be read."""
    tables, problems = workbook_tables(path, shown)
    if problems:
        raise InputError(problems)
    return tables

