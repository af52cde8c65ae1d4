"""Find and read a unit's files: unit.yaml, its framework, and each table from CSV or the workbook."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import codes as k
from ..errors import InputError, Location, Problem
from ..limits import MAX_WORKBOOK_BYTES
from .files import area, present, read_input
from .kinds import TABLES, UNIT_SHEETS
from .tables import Table, read_csv
from .unit_sheets import merged, sheet_entries
from .workbook import find_workbook, workbook_tables
from .yaml_files import YamlDoc, read_yaml

UNIT_FILE = "unit.yaml"
NAME = re.compile(r"[A-Za-z0-9_-]+")  # a unit or framework name, matched whole (fullmatch: no trailing newline)
YEAR = re.compile(r"[0-9]{4}")  # a year folder: ASCII digits only ("2024²" is not a year, and int() would choke)
YEARS = range(2000, 2101)  # the years a unit's folder may be for


@dataclass(frozen=True)
class RawInputs:
    unit: YamlDoc
    framework: YamlDoc
    tables: dict[str, Table | None]
    year: int | None = None  # the year of the unit's folder
    problems: tuple[Problem, ...] = ()  # files that could not be read at all, reported with validation's findings
    unreadable: frozenset[str] = frozenset()  # tables among them, so that validation does not call them missing
    cells: dict[str, Location] = field(default_factory=dict)  # unit.yaml keys the workbook gave (人员.编制数) → their cell

def unit_dir(root: Path, dept: str, year: int) -> Path:
    return root / "inputs" / dept / str(year)


def available_units(root: Path) -> dict[str, list[int]]:
    """Every unit folder under inputs/ with the years that have a unit.yaml."""
    base = root / "inputs"
    found = {p.name: _years(p) for p in sorted(base.iterdir()) if _unit_folder(p)} if base.exists() else {}
    return {name: years for name, years in found.items() if years}


def unit_years(root: Path, dept: str) -> list[int]:
    """available_units(root).get(dept, []) without listing every unit: each of a batch's 10,000 units asks for its own."""
    if not dept or "/" in dept or "\0" in dept:  # one folder's name, as listing inputs/ could give it
        return []
    folder = root / "inputs" / dept
    return _years(folder) if _unit_folder(folder) else []


def _unit_folder(path: Path) -> bool:
    """A folder of inputs/ that may hold a unit (not the shared frameworks, nothing hidden)."""
    return path.name != "frameworks" and not path.name.startswith(".") and path.is_dir()


def _years(folder: Path) -> list[int]:
    return sorted(int(p.name) for p in folder.iterdir() if YEAR.fullmatch(p.name) and present(p / UNIT_FILE))


def framework_path(root: Path, folder: Path, name: str) -> Path:
    """A unit's own framework first, then the bureau-wide ones in inputs/frameworks/."""
    own = folder / "frameworks" / f"{name}.yaml"
    return own if present(own) else root / "inputs" / "frameworks" / f"{name}.yaml"


def load(root: Path, dept: str, year: int) -> RawInputs:
    """Every file of the unit, each read on its own so that one unreadable file does not hide the others' problems."""
    shown = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    folder = base = area(root / "inputs", dept, str(year))  # the unit's own folder only: no link leads out of it
    problems: list[Problem] = []

    def attempt(read: Callable[..., Any], *args: Any) -> Any:
        try:
            return read(*args)
        except InputError as error:
            problems.extend(error.problems)
            return None

    unit = attempt(read_yaml, folder / UNIT_FILE, shown(folder / UNIT_FILE), base)
    framework = attempt(_framework, root, folder, unit, shown) if unit is not None else None
    before = len(problems)
    book = attempt(find_workbook, folder, shown(folder))
    raw = attempt(read_input, book, shown(book), base, MAX_WORKBOOK_BYTES) if book is not None else None
    sheets, more = workbook_tables(raw, shown(book)) if raw is not None else ({}, [])
    problems += more
    broken_book = len(problems) > before
    if broken_book:  # a workbook with problems gives no tables: its cells would be reported a second time
        sheets = {}
    problems += [Problem(Location(shown(folder / file)), f"同一张表不能既有 CSV 又有工作表：{shown(folder / file)} 与 "
                         f"{sheets[key].path}", hint="请删除 CSV 文件或该工作表，只保留一处",
                         code=k.FILLED_TWICE)
                 for key, file in ((t.key, t.file) for t in TABLES.values()) if key in sheets and present(folder / file)]
    tables: dict[str, Table | None] = {}
    unreadable = set()
    for spec in TABLES.values():
        path = folder / spec.file
        tables[spec.key] = sheets.get(spec.key) or (attempt(read_csv, path, shown(path), base) if present(path) else None)
        if tables[spec.key] is None and (present(path) or broken_book):
            unreadable.add(spec.key)
    cells: dict[str, Location] = {}
    for block in UNIT_SHEETS.values():
        if block.key in sheets:
            data, places, found = sheet_entries(sheets[block.key], block)
            cells.update(places)
            problems += found
            if unit is not None:
                unit, found = merged(unit, data, places)
                problems += found
    if unit is None or framework is None:
        raise InputError(problems)
    return RawInputs(unit, framework, tables, year, tuple(problems), frozenset(unreadable), cells)


def _no_year(folder: Path) -> str:
    """Why none of a unit's folders counts as a year: a name that is not four ASCII digits, or no unit.yaml in it."""
    said = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        typed = unicodedata.normalize("NFKC", sub.name).strip()
        if YEAR.fullmatch(sub.name):
            said.append(f"{sub.name}/ 中没有 {UNIT_FILE}")
        elif YEAR.fullmatch(typed):
            said.append(f"文件夹名“{sub.name}”含全角或其他非半角数字，应改为 {typed}")
        else:
            said.append(f"文件夹名“{sub.name}”不是年度")
    return "；".join(said or ["其中没有任何文件夹"]) + f"；年度文件夹的名称是四位半角数字，例如 inputs/{folder.name}/2024/，其中放 {UNIT_FILE}"


def _framework(root: Path, folder: Path, unit: YamlDoc, shown: Callable[[Path], str]) -> YamlDoc:
    name = unit.data.get("评价体系")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise InputError([Problem(Location(unit.path, unit.lines.get(('评价体系',), 1), "评价体系"),
                                  "应为评价体系文件名（不含 .yaml）", None if name is None else str(name),
                                  "例如 huadu-2023，对应 inputs/frameworks/huadu-2023.yaml", k.BAD_FORMAT)])
    fw_path = framework_path(root, folder, name)
    if not present(fw_path):
        found = sorted(p.stem for p in (root / "inputs" / "frameworks").glob("*.yaml"))
        raise InputError([Problem(Location(unit.path, unit.lines.get(('评价体系',), 1), "评价体系"),
                                  f"找不到评价体系文件 {shown(fw_path)}", name, "现有评价体系：" + "、".join(found),
                                  k.MISSING_FILE)])
    shared = fw_path.parent != folder / "frameworks"
    return read_yaml(fw_path, shown(fw_path), area(root / "inputs", "frameworks") if shared else folder)


def resolve(root: Path, dept: str, year: int | None) -> int:
    """Check DEPT and YEAR against what exists under inputs/, so no other path is ever read or written."""
    years = unit_years(root, dept)
    folder = root / "inputs" / dept
    if not years and NAME.fullmatch(dept) and folder.is_dir():
        raise InputError([Problem(Location(f"inputs/{dept}/"), "单位文件夹中没有可用的年度文件夹", None, _no_year(folder),
                                  k.UNKNOWN_YEAR)])
    if not years:
        units = available_units(root)  # every unit, only to say which there are
        listing = "、".join(f"{name}（{'/'.join(map(str, years))}）" for name, years in units.items()) or "无"
        raise InputError([Problem(Location("inputs/", key="DEPT"), "没有这个单位", dept, f"现有单位：{listing}",
                                  k.UNKNOWN_UNIT)])
    if year is None:
        return years[-1]
    if year not in years:
        raise InputError([Problem(Location(f"inputs/{dept}/", key="YEAR"), "没有这一年度的数据", str(year),
                                  "现有年度：" + "、".join(map(str, years)), k.UNKNOWN_YEAR)])
    return year
