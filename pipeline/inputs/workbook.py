"""A unit's workbook (数据.xlsx): each known sheet read as the Table a CSV export of it would give."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from .. import codes as k
from ..errors import InputError, Location, Problem
from ..limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_UNPACKED, size_text
from . import number_formats
from .cells import Unreadable
from .files import read_input
from .kinds import TABLES, UNIT_SHEETS, TableKind, UnitSheet
from .tables import Table
from .workbook_size import claimed, too_many


class HasPlace(Protocol):  # a dataclass with a place: a problem, a finding, a check
    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def where(self) -> Location: ...


Placed = TypeVar("Placed", bound=HasPlace)

# the one workbook a unit folder may hold instead of (some of) the CSV files, and its sheet names per table
WORKBOOK_FILES = ("数据.xlsx", "data.xlsx")
# columns the generated workbook shows for reading only (the framework's wording); the reader passes over them
SHOWN_ONLY = frozenset({"上级指标", "分值", "评分标准", "类别", "填写说明"})
SHEETS: tuple[TableKind | UnitSheet, ...] = (*TABLES.values(), *UNIT_SHEETS.values())  # the tables, and the sheets holding blocks of unit.yaml
SHEET_HINT = "可用的工作表名：" + "、".join(f"{t.sheet}（或 {t.sheet_en}）" for t in SHEETS)
UNCOMPUTED = "公式没有计算结果，请在 Excel/WPS 中打开并保存后再试"
UNREADABLE = "请确认它是 Excel/WPS 保存的 .xlsx 文件，且没有设置打开密码"


def damaged() -> tuple[type[BaseException], ...]:
    """What openpyxl raises on a damaged file: a broken zip, truncated or invalid XML, a part or shared string missing
    (a function: an except clause evaluates it only when something was raised, so openpyxl and lxml are imported only
    then)."""
    from xml.etree.ElementTree import ParseError

    from lxml.etree import LxmlError
    from openpyxl.utils.exceptions import InvalidFileException
    return (InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, IndexError, ValueError, TypeError,
            AttributeError, ParseError, LxmlError, OSError)


def _plain(number: Decimal) -> str:
    """A decimal as plain text, without exponent or trailing zeros: 98.2200 → 98.22, 1E+2 → 100."""
    number = number.normalize()
    return "0" if number == 0 else format(number, "f")


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A workbook cell as the text it shows, as a CSV export would hold it, so that validation sees the same thing.

    Numbers keep at most 15 significant digits, the precision Excel shows and stores, so a formula's 0.1+0.2 reads
    as 0.3. The number format's own text comes along: Excel's percent format shows 0.9822 as 98.22% (scaled), a
    literal "%" or 万元 in the format shows 85 as 85% (not scaled); the readers then accept % only where a rate
    belongs. A format whose percent sign is unclear raises Unreadable.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        number = Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))
        look = number_formats.shown(number_format, number < 0)
        return f"{look.prefix}{_plain(number * 100 if look.percent else number)}{look.suffix}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def sheet_key(title: str) -> str | None:
    """The table a sheet holds, by its name: Chinese exactly, English in any case."""
    name = title.strip()
    return next((t.key for t in SHEETS if name == t.sheet or name.casefold() == t.sheet_en), None)


def find_workbook(folder: Path, shown: str) -> Path | None:
    """The unit's workbook (数据.xlsx or data.xlsx, in any letter case), if it has one."""
    names = {name.casefold() for name in WORKBOOK_FILES}
    if not folder.is_dir():
        return None
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.name.casefold() in names)
    old = sorted(p for p in folder.iterdir() if p.is_file() and p.name.casefold() + "x" in names)
    if len(found) > 1:
        raise InputError([Problem(Location(f"{shown}/{found[1].name}"), f"一个单位只能有一个工作簿，已有 {shown}/{found[0].name}",
                                  hint="把各张表放进同一个工作簿，删除另一个", code=k.FILLED_TWICE)])
    if not found and old:
        raise InputError([Problem(Location(f"{shown}/{old[0].name}"), "无法读取旧版 .xls 工作簿",
                                  hint="请在 Excel/WPS 中另存为 .xlsx 格式（Excel 工作簿）", code=k.BAD_WORKBOOK)])
    return found[0] if found else None


def _open_workbook(raw: bytes, shown_as: str, data_only: bool) -> Any:
    import openpyxl  # 0.2 s to import: paid only by a unit that has a workbook
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_WORKBOOK_UNPACKED:
                raise InputError([Problem(Location(shown_as), f"工作簿解压后超过 {size_text(MAX_WORKBOOK_UNPACKED)} 的上限",
                                          hint="单位的工作簿通常只有几十 KB；请检查是否放错了文件", code=k.OVER_LIMIT)])
            problem = too_many(claimed(archive), shown_as, (MAX_ROWS + 1) * MAX_COLUMNS)
        if problem is not None:
            raise InputError([problem])
        return openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except damaged():
        raise InputError([Problem(Location(shown_as), "无法读取工作簿", hint=UNREADABLE, code=k.BAD_WORKBOOK)]) from None


def _rows(sheet: Any, table_shown: str) -> Any:
    """The sheet's rows numbered from 1, stopping with a message past the row or column budget."""
    for r, row in enumerate(sheet.iter_rows(min_row=1), 1):
        if r > MAX_ROWS + 1:
            raise InputError([Problem(Location(table_shown, r), f"超过 {MAX_ROWS} 行的上限",
                                      hint="请删除多余的行（包括设置了格式的空行），或检查是否放错了文件", code=k.OVER_LIMIT)])
        if len(row) > MAX_COLUMNS:
            raise InputError([Problem(Location(table_shown, r), f"超过 {MAX_COLUMNS} 列的上限", hint="请删除多余的列",
                                      code=k.OVER_LIMIT)])
        yield r, row


def _formulas(raw: bytes, shown_as: str) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet title → (row, column) → formula text, read without the cached results."""
    book = _open_workbook(raw, shown_as, data_only=False)
    try:
        found: dict[str, dict[tuple[int, int], str]] = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            found[sheet.title] = {(r, c): str(getattr(cell.value, "text", cell.value))
                                  for r, row in _rows(sheet, f"{shown_as}[{sheet.title}]")
                                  for c, cell in enumerate(row, 1) if cell.data_type == "f"}
        return found
    except damaged():
        raise InputError([Problem(Location(shown_as), "工作簿已损坏，无法读取", hint=UNREADABLE, code=k.BAD_WORKBOOK)]) from None
    finally:
        book.close()


def read_workbook(path: Path, shown_as: str, base: Path | None = None) -> dict[str, Table]:
    """Table key → Table for every sheet of the unit's workbook; InputError for anything that cannot be read."""
    tables, problems = workbook_tables(read_input(path, shown_as, base or path.parent, MAX_WORKBOOK_BYTES), shown_as)
    if problems:
        raise InputError(problems)
    return tables


def workbook_tables(raw: bytes, shown: str) -> tuple[dict[str, Table], list[Problem]]:
    """Each known sheet of the workbook as a Table shown as '<file>[<sheet>]', and every problem found."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.utils import get_column_letter
    book = _open_workbook(raw, shown, data_only=True)
    tables: dict[str, Table] = {}
    titles: dict[str, str] = {}
    problems: list[Problem] = []
    # cells with no value that may be formulas Excel never computed: (sheet, the cell as shown, row, column)
    suspects: list[tuple[str, Location, int, int]] = []
    try:
        for sheet in book.worksheets:  # chart sheets hold no table and are left alone
            key = sheet_key(sheet.title)
            if key is None:
                problems.append(Problem(Location(shown, key="工作表"), "未知的工作表名", sheet.title, SHEET_HINT,
                                        k.BAD_WORKBOOK))
                continue
            if key in titles:
                problems.append(Problem(Location(shown, key="工作表"), f"与工作表“{titles[key]}”是同一张表，只能保留一个",
                                        sheet.title, SHEET_HINT, k.FILLED_TWICE))
                continue
            titles[key] = sheet.title
            table_shown = f"{shown}[{sheet.title}]"
            sheet.reset_dimensions()  # some programs write a wrong size into the file; read what is there
            grid: list[tuple[int, list[str | Unreadable], list[Any]]] = []
            for r, row in _rows(sheet, table_shown):
                grid.append((r, [_text(cell) for cell in row], list(row)))
            if not grid:
                problems.append(Problem(Location(table_shown), "工作表为空，缺少表头行", code=k.BAD_WORKBOOK))
                continue
            headers = tuple(t if isinstance(t, str) else "" for t in grid[0][1])
            while headers and not headers[-1]:
                headers = headers[:-1]
            read = [i for i, h in enumerate(headers) if h not in SHOWN_ONLY]
            rows = []
            for r, texts, cells in grid:
                for c, cell in enumerate(cells[:len(headers)] if r > 1 else cells, 1):
                    if c - 1 < len(headers) and headers[c - 1] in SHOWN_ONLY:
                        continue
                    at = cell_place(shown, sheet.title, r, c, headers[c - 1] if r > 1 and c <= len(headers) else "")
                    text = texts[c - 1]
                    if isinstance(text, Unreadable):
                        problems.append(Problem(at, str(text), str(cell.value)[:100], text.hint, text.code))
                    elif cell.data_type == "e":
                        problems.append(Problem(at, "单元格是错误值，请检查公式或数据", str(cell.value), code=k.BAD_CELL))
                    elif cell.value is None and isinstance(cell, ReadOnlyCell) and cell.data_type == "n":
                        # an empty cell, or a formula without a cached result ("str" marks a computed "")
                        suspects.append((sheet.title, at, r, c))
                read_texts = [t if isinstance(t, str) else "" for t in texts]
                if r == 1 or not any(read_texts[i] for i in read if i < len(read_texts)):
                    continue
                rows.append((r, {headers[i]: (read_texts[i] if i < len(read_texts) else "") for i in read}))
            tables[key] = Table(table_shown, tuple(headers[i] for i in read), tuple(rows),
                                tuple(get_column_letter(i + 1) for i in read))
    except damaged():  # a shared string or a sheet's XML broken, found only while its rows are read
        raise InputError([Problem(Location(shown), "工作簿已损坏，无法读取", hint=UNREADABLE, code=k.BAD_WORKBOOK)]) from None
    finally:
        book.close()
    if suspects:
        formulas = _formulas(raw, shown)
        problems += [Problem(at, UNCOMPUTED, formulas[title][(r, c)], code=k.BAD_CELL)
                     for title, at, r, c in suspects if (r, c) in formulas.get(title, {})]
    return tables, problems


def _text(cell: Any) -> str | Unreadable:
    """The cell's text, or why it cannot be read (an unclear number format, a text over the cell budget)."""
    try:
        text = cell_text(cell.value, getattr(cell, "number_format", None))
    except Unreadable as refused:
        return refused
    if len(text) > MAX_CELL_CHARS:
        return Unreadable(f"单元格超过 {MAX_CELL_CHARS} 个字符的上限", code=k.OVER_LIMIT, hint="请把长段文字写在 unit.yaml 的 正文 中")
    return text


def cell_place(book: str, sheet: str, row: int | None, column: int | None = None, header: str = "") -> Location:
    """A place in the workbook as Excel shows it: 数据.xlsx 工作表“指标”第5行 E列（目标值，单元格 E5）."""
    if column is None:
        return Location(book, row, header, sheet=sheet)
    from openpyxl.utils import get_column_letter  # reached only once a workbook was read
    return Location(book, row, header, sheet=sheet, column=get_column_letter(column))


def in_excel_terms(problems: list[Placed], tables: dict[str, Table | None], unit_file: str = "",
                   cells: dict[str, Location] | None = None) -> list[Placed]:
    """Problems (or findings, checks: anything with a `where`) found in a sheet's rows, located as Excel shows them
    (sheet, row, column letter and header); a key of unit.yaml the workbook gave (cells: 人员.编制数 → its cell) is
    told by its cell."""
    sheets = {t.path: t for t in tables.values() if t is not None and t.letters}
    return [replace(p, where=_excel_place(p.where, sheets, unit_file, cells or {})) for p in problems]


def _excel_place(where: Location, sheets: dict[str, Table], unit_file: str, cells: dict[str, Location]) -> Location:
    if where.file == unit_file and where.key in cells:
        return cells[where.key]
    table = sheets.get(where.file)
    if table is None:
        return where
    book, sheet = table.path[:-1].split("[", 1)
    column = table.letters[table.headers.index(where.key)] if where.key in table.headers else ""
    return Location(book, where.line, where.key, sheet=sheet, column=column)
