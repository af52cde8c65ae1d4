"""One import, read as a table of contents: read the document → recognise it → draft the unit → check it → put it in place."""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import InputError, Problem, raise_if
from ...inputs import models as m
from ...inputs.framework_checks import check_file
from ...inputs.parse import parse_yaml
from ...inputs.yaml_files import read_yaml
from ...run import Result
from .columns import find_columns
from .docx_tables import read_docx
from .form import FUNDS_COLUMNS, INDICATOR_COLUMNS, read_form
from .form_unit import form_unit
from .grid import Grid
from .score_table import SCORE_COLUMNS, read_score_table
from .sheet_unit import sheet_unit
from .write_unit import Draft, check_target, put_in_place, trial
from .xlsx_tables import read_xlsx

READERS = {".docx": read_docx, ".xlsx": read_xlsx}
FORM, SCORE_TABLE = "自评表", "评分表"
DEFAULT_FRAMEWORK = "national-project-2020"
MAX_UNPACKED = 64 * 2**20  # a filled form with a picture or two is a few MB; more is refused before it is parsed


@dataclass
class Imported:
    kind: str  # 自评表 or 评分表
    draft: Draft
    result: Result | None  # the unit checked and scored (a 评分表's skeleton is scored once its facts are entered)
    todo: list[Problem] = field(default_factory=list)  # facts still to enter before the unit can be scored
    written: list[Path] = field(default_factory=list)


def read_grid(path: Path) -> Grid:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError([Problem(path.name, "", "", "只能导入 Word（.docx）或 Excel（.xlsx）文件", path.suffix or path.name,
                                  "旧版 .doc、.xls 请在 Word/WPS、Excel 中另存为 .docx、.xlsx")])
    if not path.is_file():
        raise InputError([Problem(path.name, "", "FILE", "找不到这个文件", str(path), "FILE=路径/自评表.docx")])
    if unpacked_size(path) > MAX_UNPACKED:
        raise InputError([Problem(path.name, "", "", f"文件解压后超过 {MAX_UNPACKED // 2**20} MB，不像一份自评表或评分表",
                                  hint="请只保留表格所在的内容后另存")])
    return reader(path, path.name)


def unpacked_size(path: Path) -> int:
    """What a .docx or .xlsx (both zip packages) claims to hold once unpacked; 0 when it is no zip (its reader says so)."""
    try:
        with zipfile.ZipFile(path) as package:
            return sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0


def recognise(grid: Grid) -> str:
    """自评表 when a row reads like its indicator or scored funds header; 评分表 when one names 评分标准."""
    for row in grid.rows:
        if "criteria" in find_columns(row, SCORE_COLUMNS):
            return SCORE_TABLE
        found = find_columns(row, INDICATOR_COLUMNS) | {f"f.{k}": v for k, v in find_columns(row, FUNDS_COLUMNS).items()}
        # a report's budget table has the amounts too; a form's scores them
        scored = "f.weight" in found or "f.points" in found
        if ("name" in found and "target" in found) or ("f.initial" in found and "f.budget" in found and scored):
            return FORM
    raise InputError([Problem(grid.name, "", "", "没有找到自评表或评分表的表头",
                              hint="自评表应有“三级指标、年度指标值、实际完成值、分值、得分”等列，"
                                   "评分表应有“一级指标、二级指标、三级指标、分值、评分标准、得分”等列")])


def framework(root: Path, name: str) -> m.Framework:
    path = root / "inputs" / "frameworks" / f"{name}.yaml"
    if not path.is_file():
        found = sorted(p.stem for p in (root / "inputs" / "frameworks").glob("*.yaml"))
        raise InputError([Problem("FRAMEWORK", "", "", "找不到这个评价体系", name, "现有评价体系：" + "、".join(found))])
    doc = read_yaml(path, f"inputs/frameworks/{path.name}")
    file, problems = parse_yaml(doc, m.FrameworkFile)
    raise_if(problems)
    versions, problems = check_file(doc, file)
    raise_if(problems)
    # a file of dated versions: the latest (the year imported is not known before the document is read)
    return max(versions, key=lambda v: v.valid_from)


def draft_grid(root: Path, grid: Grid, dept: str, year: int | None, kind: str | None, framework_name: str | None,
               fallback_year: int | None = None) -> Draft:
    """The unit's files for this document, in memory, with every unreadable row reported at once."""
    what = recognise(grid)
    if what == FORM:
        form = read_form(grid)
        fw = framework(root, framework_name or DEFAULT_FRAMEWORK)
        year = year or form.year or fallback_year
        problems = list(form.problems)
        if fw.kind != "project":
            problems.append(Problem(grid.name, "", "FRAMEWORK", f"自评表是项目支出的表，评价体系“{fw.name}”适用于 {fw.kind}",
                                    framework_name, "选用适用于 project 的评价体系"))
        if kind not in (None, "project"):
            problems.append(Problem(grid.name, "", "KIND", "自评表只能导入为项目支出单位", kind, "KIND=project 或不写"))
        if year is None:
            raise InputError(problems + [Problem(grid.name, "", "YEAR", "表中没有写明年度", hint="请指定 YEAR=2024")])
        unit = Draft(grid.name, dept, year, framework_name or DEFAULT_FRAMEWORK)
        if fw.kind == "project":
            problems += form_unit(form, fw, unit)
        raise_if(problems)
        return unit
    sheet = read_score_table(grid)
    year = year or sheet.year or fallback_year
    if year is None:
        raise InputError(sheet.problems + [Problem(grid.name, "", "YEAR", "表中没有写明年度", hint="请指定 YEAR=2024")])
    unit = Draft(grid.name, dept, year, f"{dept}-{year}")
    raise_if(sheet.problems + sheet_unit(sheet, unit, kind))
    return unit


def import_document(root: Path, path: Path, dept: str, year: int | None = None, kind: str | None = None,
                    framework_name: str | None = None) -> Imported:
    if year is not None:
        check_target(root, dept, year)
    grid = read_grid(path)
    what, unit = recognise(grid), draft_grid(root, grid, dept, year, kind, framework_name)
    check_target(root, dept, unit.year)
    if what == FORM:
        imported = Imported(what, unit, trial(root, unit))
    else:
        trial(root, unit, scored=False)
        imported = Imported(what, unit, None)
        try:
            imported.result = trial(root, unit)
        except InputError as error:
            imported.todo = error.problems
    imported.written = put_in_place(root, unit)
    return imported
