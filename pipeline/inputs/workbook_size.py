"""How many cells a workbook's sheets hold and merge, read from their XML before openpyxl loads them: openpyxl makes
an object of every merged cell, so one <mergeCell ref='A200:XFD1048576'/> would take gigabytes of memory."""
from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from .. import codes as k
from ..errors import Location, Problem
from ..limits import MAX_MERGED_CELLS

SHEETS = "xl/worksheets/"


@dataclass(frozen=True)
class Claimed:
    cells: int = 0  # <c> elements, all sheets together
    merged: int = 0  # cells the merged ranges cover, all sheets together
    largest: str = ""  # the largest merged range, as the file writes it


def _area(ref: str) -> int:
    """Cells a range covers: A1:C3 → 9, B2 → 1; 0 for a reference openpyxl refuses on its own."""
    from openpyxl.utils import range_boundaries  # only a workbook's size is checked here, never a CSV unit's
    low, _, high = ref.strip().replace("$", "").partition(":")
    try:
        left, top, right, bottom = range_boundaries(f"{low}:{high or low}")
    except (ValueError, TypeError):
        return 0
    return (right - left + 1) * (bottom - top + 1)


class _Counter:
    """An lxml parser target: sees each element's start and builds no tree, so a sheet of any size costs no memory."""

    def __init__(self) -> None:
        self.cells = self.merged = self.biggest = 0
        self.largest = ""

    def start(self, tag: str, attrib: dict) -> None:
        name = tag.rpartition("}")[2]
        if name == "c":
            self.cells += 1
        elif name == "mergeCell":
            ref = attrib.get("ref", "")
            area = _area(ref)
            self.merged += area
            if area > self.biggest:
                self.biggest, self.largest = area, ref

    def close(self) -> None:
        return None


def _sheet(stream: IO[bytes]) -> _Counter:
    """One sheet's cells and merges, parsed as XML: any quotes, attribute order, prefix or character reference."""
    from lxml import etree  # a workbook unit's check only: a CSV unit never loads lxml for this
    counter = _Counter()
    parser = etree.XMLParser(target=counter, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    while chunk := stream.read(2**20):
        parser.feed(chunk)
    parser.close()
    return counter


def claimed(archive: zipfile.ZipFile) -> Claimed:
    """Cells and merged area over every worksheet of an open workbook package; XML errors are left to openpyxl."""
    from lxml import etree
    cells = merged = biggest = 0
    largest = ""
    for member in archive.namelist():
        if not (member.startswith(SHEETS) and member.endswith(".xml")):
            continue
        try:
            with archive.open(member) as stream:
                sheet = _sheet(stream)
        except (etree.LxmlError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
            continue  # a damaged part: openpyxl says the workbook is damaged
        cells, merged = cells + sheet.cells, merged + sheet.merged
        if sheet.biggest > biggest:
            biggest, largest = sheet.biggest, sheet.largest
    return Claimed(cells, merged, largest)


def too_many(found: Claimed, shown: str, max_cells: int) -> Problem | None:
    """The problem with a workbook past the budget of cells or merged cells, or None."""
    if found.merged > MAX_MERGED_CELLS:
        return Problem(Location(shown, key="合并单元格"), f"合并区域共覆盖 {found.merged} 个单元格，超过 {MAX_MERGED_CELLS} 个的上限",
                       found.largest, "请取消整行、整列或大片区域的合并（例如 A1:D2 这样只合并表格内需要的单元格）", k.OVER_LIMIT)
    if found.cells > max_cells:
        return Problem(Location(shown), f"工作簿有 {found.cells} 个单元格，超过 {max_cells} 个的上限",
                       hint="请删除多余的行列（包括设置了格式的空单元格），或检查是否放错了文件", code=k.OVER_LIMIT)
    return None
