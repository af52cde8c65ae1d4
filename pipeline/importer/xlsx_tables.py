"""An Excel workbook (.xlsx) as a Grid: every sheet's rows, merged ranges repeated, numbers as exact text."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import InputError, Location, Problem
from ..inputs.cells import Unreadable
from ..inputs.workbook import cell_text
from ..inputs.workbook_size import claimed
from ..limits import MAX_FORM_CELLS
from .grid import Grid, Row, tidy


def _text(cell) -> str:
    """As the form shows it: a number in percent format as a percent (0.9548 → 95.48%)."""
    try:
        return tidy(cell_text(cell.value, cell.number_format))
    except Unreadable:  # a number format too odd to say what it shows: the number itself
        return tidy(cell_text(cell.value))


def claimed_cells(path: Path) -> int:
    """Cells the sheets hold or merge, counted in their XML: openpyxl makes an object of each merged cell as it loads."""
    with zipfile.ZipFile(path) as package:
        found = claimed(package)
    return found.cells + found.merged


def read_xlsx(path: Path, name: str) -> Grid:
    try:
        claimed = claimed_cells(path)
    except (zipfile.BadZipFile, OSError):
        claimed = 0  # not a workbook: openpyxl says so below
    if claimed > MAX_FORM_CELLS:
        raise InputError([Problem(Location(name), f"工作簿有 {claimed} 个单元格（含合并的），不像一份自评表或评分表",
                                  hint="自评表或评分表应只有几百个单元格，请删除多余的行列和合并")])
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, ParseError, OSError):
        raise InputError([Problem(Location(name), "无法读取工作簿",
                                  hint="请确认它是 Excel/WPS 保存的 .xlsx 文件（旧版 .xls 请另存为 .xlsx），且没有设置打开密码")]) from None
    rows: list[Row] = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_FORM_CELLS:
            raise InputError([Problem(Location(name, key=sheet.title), f"工作表过大（{sheet.max_row} 行 × {sheet.max_column} 列）",
                                      hint="自评表或评分表应只有几百个单元格，请删除多余的行列")])
        merged: dict[tuple[int, int], tuple[object, str]] = {}
        for region in sheet.merged_cells.ranges:
            text = _text(sheet.cell(region.min_row, region.min_col))
            for r in range(region.min_row, region.max_row + 1):
                for c in range(region.min_col, region.max_col + 1):
                    merged[(r, c)] = ((sheet.title, region.coord), text)
        for r in range(1, sheet.max_row + 1):
            texts, spans = [], []
            for c in range(1, sheet.max_column + 1):
                region, shared = merged.get((r, c), ((sheet.title, r, c), None))
                texts.append(_text(sheet.cell(r, c)) if shared is None else shared)
                spans.append(region)
            rows.append(Row(Location("", r, sheet=sheet.title), tuple(texts), tuple(spans)))
    book.close()
    return Grid(name, tuple(rows), ())
