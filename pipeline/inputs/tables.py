"""CSV files as Excel and WPS save them: UTF-8 with or without BOM, or GBK; each row with its line number."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .. import codes as k
from ..errors import InputError, Location, Problem
from ..limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT_BYTES
from .files import read_input


@dataclass(frozen=True)
class Table:
    path: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line number, cells by header)
    letters: tuple[str, ...] = ()  # a workbook sheet's column letter of each header (none for a CSV file)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", raw, 0, 1, "neither UTF-8 nor GB18030")


def read_csv(path: Path, shown: str, base: Path | None = None) -> Table:
    """A CSV file that must lie inside `base` (default: its own folder), as a Table."""
    return csv_table(read_input(path, shown, base or path.parent, MAX_TEXT_BYTES), shown)


def csv_table(raw: bytes, shown: str) -> Table:
    try:
        text = _decode(raw)
    except UnicodeDecodeError:
        raise InputError([Problem(Location(shown), "无法识别文件编码", hint="请另存为 UTF-8 或 GBK 编码的 CSV",
                                  code=k.BAD_ENCODING)]) from None
    # a file passed twice through a BOM-adding program keeps a second BOM that would stick to the first header
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    records = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
            size_problem = _over_budget(shown, reader.line_num, len(records), cells)
            if size_problem:
                raise InputError([size_problem])
    except csv.Error as exc:  # a field over the csv module's own limit (131,072 characters), or a stray quote
        too_long = "field limit" in str(exc)
        message = f"单元格超过 {MAX_CELL_CHARS} 个字符的上限" if too_long else "无法读取这一行"
        raise InputError([Problem(Location(shown, reader.line_num), message,
                                  hint="请把长段文字写在 unit.yaml 的 正文 中；文字中的引号要成对",
                                  code=k.OVER_LIMIT if too_long else k.BAD_CSV)]) from None
    if not records:
        raise InputError([Problem(Location(shown), "文件为空，缺少表头行", code=k.BAD_CSV)])
    headers = tuple(cell.strip() for cell in records[0][1])
    while headers and not headers[-1]:
        headers = headers[:-1]
    problems = [Problem(Location(shown, 1, h), "列名重复", hint="每列的表头应不同", code=k.DUPLICATE_COLUMN) for i, h in enumerate(headers)
                if h and h in headers[:i]]
    rows = []
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        used = len(cells)
        while used and not cells[used - 1].strip():
            used -= 1
        if used > len(headers):
            problems.append(Problem(Location(shown, line), f"这一行有 {used} 格，比表头多 {used - len(headers)} 格",
                                    hint="数字中的千分位逗号要加引号（如 \"1,775.96\"）或去掉，文字中的逗号也要加引号",
                                    code=k.BAD_CSV))
        rows.append((line, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers)}))
    if problems:
        raise InputError(problems)
    return Table(shown, headers, tuple(rows))


def _over_budget(shown: str, line: int, count: int, cells: list[str]) -> Problem | None:
    """The first way this record breaks the table budget (rows, columns, characters in a cell), if any."""
    if count > MAX_ROWS + 1:
        return Problem(Location(shown, line), f"超过 {MAX_ROWS} 行的上限", hint="请检查文件是否放错，或删除多余的行",
                       code=k.OVER_LIMIT)
    if len(cells) > MAX_COLUMNS:
        return Problem(Location(shown, line), f"超过 {MAX_COLUMNS} 列的上限", hint="请删除多余的列", code=k.OVER_LIMIT)
    long = next((i for i, cell in enumerate(cells) if len(cell) > MAX_CELL_CHARS), None)
    if long is not None:
        return Problem(Location(shown, line, f"第{long + 1}列"), f"单元格超过 {MAX_CELL_CHARS} 个字符的上限",
                       hint="请把长段文字写在 unit.yaml 的 正文 中", code=k.OVER_LIMIT)
    return None

