"""One import, read as a table of contents: read the document → recognise it → draft the unit → check it → put it in place."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Location, Problem, raise_if
from ..inputs import models as m
from ..inputs.framework_checks import check_file
from ..inputs.parse import parse_yaml
from ..inputs.yaml_files import read_yaml
from ..limits import MAX_FORM_UNPACKED
from ..run import Result
from .columns import find_columns
from .convert import CONVERTED, converted, scratch
from .docx_tables import read_docx
from .form import is_indicator_header, no_header, read_form
from .form_funds import is_funds_header
from .form_unit import form_unit
from .grid import Grid, Row, plain
from .pdf_tables import read_pdf
from .score_table import read_score_table, score_header
from .sheet_unit import sheet_unit
from .wording import FUNDS_COLUMNS, INDICATOR_COLUMNS
from .write_unit import Draft, check_target, put_in_place, readable, trial
from .xlsx_tables import read_xlsx

READERS = {".docx": read_docx, ".xlsx": read_xlsx, ".pdf": read_pdf, **{suffix: None for suffix in CONVERTED}}
FORM, SCORE_TABLE = "自评表", "评分表"
DEFAULT_FRAMEWORK = "national-project-2020"


@dataclass
class Imported:
    kind: str  # 自评表 or 评分表
    draft: Draft
    result: Result | None  # the unit checked and scored (a 评分表's skeleton is scored once its facts are entered)
    todo: list[Problem] = field(default_factory=list)  # facts still to enter before the unit can be scored
    written: list[Path] = field(default_factory=list)
    part: str = ""  # the sheet it was read from, where a workbook holds several forms


def read_grid(path: Path) -> Grid:
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise InputError([Problem(Location(path.name), "只能导入 Word（.docx、.doc、.wps）、Excel（.xlsx、.xls、.et）或 PDF 文件",
                                  path.suffix or path.name, "其他格式请在 Word/WPS、Excel 中另存为 .docx、.xlsx")])
    if not path.is_file():
        raise InputError([Problem(Location(path.name, key="FILE"), "找不到这个文件", str(path), "FILE=路径/自评表.docx")])
    if suffix in CONVERTED:
        with scratch() as folder:
            made = converted(path, Path(folder))
            return _read(made, path.name, READERS[made.suffix])
    return _read(path, path.name, READERS[suffix])


def _read(path: Path, name: str, reader) -> Grid:
    if path.suffix != ".pdf" and unpacked_size(path) > MAX_FORM_UNPACKED:
        raise InputError([Problem(Location(name), f"文件解压后超过 {MAX_FORM_UNPACKED // 2**20} MB，不像一份自评表或评分表",
                                  hint="请只保留表格所在的内容后另存")])
    return reader(path, name)


def unpacked_size(path: Path) -> int:
    """What a .docx or .xlsx (both zip packages) claims to hold once unpacked; 0 when it is no zip (its reader says so)."""
    try:
        with zipfile.ZipFile(path) as package:
            return sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0


def sheets(grid: Grid) -> list[tuple[str, Grid]]:
    """A workbook's sheets as grids of their own (each may hold one form); a Word document is one."""
    parts: dict[str, list[Row]] = {}
    for row in grid.rows:
        parts.setdefault(row.where.sheet, []).append(row)
    if len(parts) <= 1:
        return [("", grid)]
    return [(name, Grid(grid.name, tuple(rows), grid.lines)) for name, rows in parts.items()]


def recognise(grid: Grid, kind: str | None = None) -> str:
    """自评表 when a row reads like its indicator or scored funds header; 评分表 when one names 评分标准 (or, for a
    department, has the levels with 分值 and 得分 and no 指标值)."""
    department = kind == "department" or any("部门整体" in plain(t) for t in grid.lines[:5])
    for row in grid.rows:
        if score_header(row, loose=department) is not None:
            return SCORE_TABLE
        department = department or any("部门整体" in plain(t) for _, t in row.distinct())
        found = find_columns(row, INDICATOR_COLUMNS)
        funds = find_columns(row, FUNDS_COLUMNS)
        if is_indicator_header(found) or (is_funds_header(funds) and ("weight" in funds or "points" in funds)):
            return FORM
    raise InputError([no_header(grid, "没有找到自评表或评分表的表头")])


def framework_file(name: str) -> Path | None:
    """FRAMEWORK= given as a framework file of its own (a province's, say) rather than the name of a shared one."""
    return Path(name) if name.lower().endswith((".yaml", ".yml")) else None


def framework(root: Path, name: str) -> m.Framework:
    own = framework_file(name)
    path = own or root / "inputs" / "frameworks" / f"{name}.yaml"
    if own is not None and (not own.is_file() or not re.fullmatch(r"[\w-]+", own.stem)):
        raise InputError([Problem(Location("FRAMEWORK"), "找不到这个评价体系文件，或文件名不只由字母、数字、-、_ 组成", name,
                                  "FRAMEWORK=sichuan-project-2023.yaml")])
    if not path.is_file():
        found = sorted(p.stem for p in (root / "inputs" / "frameworks").glob("*.yaml"))
        raise InputError([Problem(Location("FRAMEWORK"), "找不到这个评价体系", name, "现有评价体系：" + "、".join(found))])
    doc = read_yaml(path, path.name if own else f"inputs/frameworks/{path.name}")
    file, problems = parse_yaml(doc, m.FrameworkFile)
    raise_if(problems)
    versions, problems = check_file(doc, file)
    raise_if(problems)
    # a file of dated versions: the latest (the year imported is not known before the document is read)
    return max(versions, key=lambda v: v.valid_from)


def draft_grid(root: Path, grid: Grid, dept: str, year: int | None, kind: str | None, framework_name: str | None,
               fallback_year: int | None = None) -> Draft:
    """The unit's files for this document, in memory, with every unreadable row reported at once."""
    what = recognise(grid, kind)
    if what == FORM:
        form = read_form(grid)
        name = framework_name or DEFAULT_FRAMEWORK
        fw = framework(root, name)
        year = year or form.year or fallback_year
        problems = list(form.problems)
        if fw.kind != "project":
            problems.append(Problem(Location(grid.name, key="FRAMEWORK"), f"自评表是项目支出的表，评价体系“{fw.name}”适用于 {fw.kind}",
                                    framework_name, "选用适用于 project 的评价体系"))
        if kind not in (None, "project"):
            problems.append(Problem(Location(grid.name, key="KIND"), "这是一份项目支出绩效自评表（有年度指标值、实际完成值列），"
                                    "只能导入为项目支出单位", kind, "不写 KIND 或写 KIND=project；部门整体的评分表应有一级指标、"
                                    "分值、得分（和评分标准）列，没有年度指标值、实际完成值列"))
        if year is None:
            raise InputError(problems + [Problem(Location(grid.name, key="YEAR"), "表中没有写明年度", hint="请指定 YEAR=2024")])
        own = framework_file(name)
        unit = Draft(grid.name, dept, year, own.stem if own else name)
        if own is not None:
            unit.files[f"frameworks/{own.stem}.yaml"] = own.read_bytes()
        if fw.kind == "project":
            problems += form_unit(form, fw, unit)
        raise_if(problems)
        return unit
    sheet = read_score_table(grid, loose=kind == "department")
    year = year or sheet.year or fallback_year
    if year is None:
        raise InputError(sheet.problems + [Problem(Location(grid.name, key="YEAR"), "表中没有写明年度", hint="请指定 YEAR=2024")])
    unit = Draft(grid.name, dept, year, f"{dept}-{year}")
    raise_if(sheet.problems + sheet_unit(sheet, unit, kind))
    unit.unread += sheet.unread
    return unit


def form_files(folder: Path) -> list[Path]:
    """The files of a folder that may be forms, by name, in name order: Office's lock files (~$…) and hidden ones left out."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in READERS and not p.name.startswith(("~$", ".")))


def forms_in(grid: Grid) -> tuple[list[tuple[str, Grid]], list[str]]:
    """The sheets holding a form or 评分表, and notes on those that hold neither; the whole grid's problem when none does."""
    found: list[tuple[str, Grid]] = []
    skipped: list[str] = []
    errors: list[InputError] = []
    for name, part in sheets(grid):
        try:
            recognise(part)
            found.append((name, part))
        except InputError as error:
            errors.append(error)
            skipped.append(f"工作表“{name}”中没有自评表或评分表，未导入")
    if not found:
        raise errors[0]  # sheets() gives at least one part: every one failed
    return found, skipped


def import_document(root: Path, path: Path, dept: str, year: int | None = None, kind: str | None = None,
                    framework_name: str | None = None) -> list[Imported]:
    """One unit for each form in the document: a workbook of several forms, a sheet each, gives DEPT-1, DEPT-2, …"""
    grid = read_grid(path)
    parts, skipped = forms_in(grid)
    depts = [dept] if len(parts) == 1 else [f"{dept}-{i}" for i in range(1, len(parts) + 1)]
    for code in depts:
        if year is not None:
            check_target(root, code, year)
    done: list[Imported] = []
    problems: list[Problem] = []
    for code, (sheet, part) in zip(depts, parts):
        try:
            what, unit = recognise(part, kind), draft_grid(root, part, code, year, kind, framework_name)
            check_target(root, code, unit.year)
            unit.unread += skipped
            done.append(_trial(root, what, unit, sheet))
        except InputError as error:
            problems += error.problems
    raise_if(problems)  # nothing is written while any of the forms cannot be imported
    for imported in done:
        imported.written = put_in_place(root, imported.draft)
    return done


def _trial(root: Path, what: str, unit: Draft, sheet: str) -> Imported:
    if what == FORM:
        return Imported(what, unit, trial(root, unit), part=sheet)
    readable(root, unit)
    imported = Imported(what, unit, None, part=sheet)
    try:
        imported.result = trial(root, unit)
    except InputError as error:
        imported.todo = error.problems
    return imported
