"""`make template`: the unit's workbook (数据.xlsx) generated from its framework, keeping what was already filled.

What was filled is read from the unit's workbook or its CSV files, through the same readers as a report run, and
matched by 指标编号 (and a line's name), never by position: a leaf the framework adds gets an empty row, a leaf it drops
is named in the notes. The previous workbook and the CSV files taken in are moved to 原数据/, never deleted.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem
from ..inputs import models as m
from ..inputs.files import present, read_input
from ..inputs.formulas import LAST_YEAR, names, parse
from ..inputs.framework_checks import check_file, walk
from ..inputs.kinds import KINDS, SAMPLE_SOURCE, TABLES, UNIT_SHEETS
from ..inputs.load import UNIT_FILE, _framework, resolve, unit_dir
from ..inputs.measures import unit_figures
from ..inputs.parse import parse_yaml
from ..inputs.tables import Table, read_csv
from ..inputs.unit_sheets import sheet_entries
from ..inputs.workbook import SHOWN_ONLY, WORKBOOK_FILES, find_workbook, workbook_tables
from ..inputs.yaml_files import parse_text, read_yaml
from ..limits import MAX_WORKBOOK_BYTES
from .figure_sheets import figures_sheet, last_year_sheet
from .sheet_layout import INDICATOR_COLUMNS, indicator_rows, indicator_sheet, line_sheet, needs, sheet_keys
from .workbook_writer import workbook_bytes

KEPT = "原数据"  # where the files the workbook replaces are moved


@dataclass(frozen=True)
class Written:
    path: Path
    moved: list[Path]  # files moved to 原数据/
    notes: list[str]


def unit_framework(root: Path, folder: Path) -> tuple[str, m.Framework]:
    """The unit's report kind and the version of its framework in force for its year, read from unit.yaml."""
    shown = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    unit = read_yaml(folder / UNIT_FILE, shown(folder / UNIT_FILE), root / "inputs")
    doc = _framework(root, folder, unit, shown)
    file, problems = parse_yaml(doc, m.FrameworkFile)
    if file is None:
        raise InputError(problems)
    versions, problems = check_file(doc, file)
    if problems:
        raise InputError(problems)
    kind, year = str(unit.data.get("报告类型", "")), str(unit.data.get("年度", ""))
    if kind not in KINDS:
        raise InputError([Problem(Location(unit.path, key="报告类型"), "应为 " + " 或 ".join(KINDS), kind)])
    chosen = m.in_force(versions, int(year)) if year.isdigit() else max(versions, key=lambda v: v.valid_from)
    if chosen is None:
        raise InputError([Problem(Location(doc.path, key="生效日期"), f"没有适用于 {year} 年度的版本")])
    return kind, chosen


def filled_tables(root: Path, folder: Path) -> tuple[dict[str, Table], list[Path]]:
    """What the unit has filled, table by table: its workbook's sheets first, then its CSV files; and those files.
    A workbook or file that cannot be read stops the rewrite: rewriting it would lose what it holds."""
    shown = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    base = root / "inputs"
    tables: dict[str, Table] = {}
    sources: list[Path] = []
    book = find_workbook(folder, shown(folder))
    if book is not None:
        tables, problems = workbook_tables(read_input(book, shown(book), base, MAX_WORKBOOK_BYTES), shown(book))
        if problems:
            raise InputError(problems)
        sources.append(book)
    for key, spec in TABLES.items():
        path = folder / spec.file
        if key not in tables and present(path):
            tables[key] = read_csv(path, shown(path), base)
            sources.append(path)
    return tables, sources


def table_rows(table: Table | None) -> list[dict[str, str]]:
    return [dict(cells) for _, cells in table.rows] if table is not None else []


# the blocks of unit.yaml the workbook holds, each on its sheet
MOVED = tuple(block for spec in UNIT_SHEETS.values() for block in spec.blocks)


def blocks_held(tables: dict[str, Table]) -> tuple[str, ...]:
    """The blocks of unit.yaml a workbook's sheets hold, so that they are taken out of unit.yaml when it is placed."""
    return tuple(block for key, spec in UNIT_SHEETS.items() if key in tables for block in spec.blocks)


def filled_blocks(root: Path, folder: Path, tables: dict[str, Table]) -> dict[str, Any]:
    """人员, 控制数 and 上年 as filled: the workbook's sheets first, then unit.yaml's blocks for keys they lack."""
    blocks: dict[str, Any] = {}
    for spec in UNIT_SHEETS.values():
        if spec.key in tables:
            found, _, problems = sheet_entries(tables[spec.key], spec)
            if problems:
                raise InputError(problems)
            for block, entries in found.items():
                blocks.setdefault(block, {}).update(entries)
    unit = read_yaml(folder / UNIT_FILE, (folder / UNIT_FILE).relative_to(root).as_posix(), root / "inputs")
    for block in MOVED:
        if isinstance(unit.data.get(block), dict):
            for key, value in unit.data[block].items():
                blocks.setdefault(block, {}).setdefault(key, value)
    return blocks


def unit_workbook(kind: str, framework: m.Framework, tables: dict[str, Table],
                  blocks: dict[str, Any] | None = None) -> tuple[bytes, list[str]]:
    """The workbook's bytes and what the officer should know: rows or columns that had no place in it."""
    sheets, notes = [], []
    for key in sheet_keys(kind):
        if key == "facts":
            sheet, dropped = indicator_sheet(framework, table_rows(tables.get(key)))
            if dropped:
                notes.append("评价体系中已没有这些指标，其数据未写入工作簿（原文件保存在 原数据/ 中）："
                             + "、".join(dropped))
        else:
            sheet = line_sheet(key, table_rows(tables.get(key)))
        known = {c.header for c in sheet.columns}
        lost = [h for h in (tables[key].headers if key in tables else ()) if h and h not in known
                and any(cells.get(h) for _, cells in tables[key].rows)]
        if lost:
            notes.append(f"“{sheet.title}”表中这些列不属于该表，未写入：" + "、".join(lost))
        sheets.append(sheet)
    sheets += [figures_sheet(kind, framework, blocks or {}), last_year_sheet(kind, blocks or {})]
    extra = [TABLES[k].sheet for k in tables if k in TABLES and k not in sheet_keys(kind) and tables[k].rows]
    if extra:
        notes.append(f"{KINDS[kind].label}不用这些表，未写入：" + "、".join(extra))
    return workbook_bytes(sheets), notes


# the skeleton's own rows explain what its sample figures cost, as a unit must; rows made for another framework alike
SAMPLE_NOTE = "示例：未得满分的原因（按本单位实际情况改写）"


def sample_rows(framework: m.Framework) -> Table:
    """The sample 说明 of each leaf scored from the unit's figures alone (its rule reads no column of its row): the
    sample budget may cost it points, and a deduction without its reason is an error."""
    rows = [{"指标编号": node.id, "说明": SAMPLE_NOTE, "来源": SAMPLE_SOURCE} for _, node in walk(framework.indicators)
            if not node.children and node.from_facts is None and node.rule is not None and not needs(node.rule)]
    return Table("", ("指标编号", "说明", "来源"), tuple(enumerate(rows, 2)))


# columns a row may take but no rule needs: left for the officer to add, not written into a fresh file
OPTIONAL = frozenset({"不适用原因", "评分规则"})


def indicator_csv(framework: m.Framework, filled: list[dict[str, str]]) -> bytes:
    """indicators.csv: a row per leaf of the framework (and per part with its own 编号) keeping what was filled, in the
    columns some row's rule reads; the unit's own indicators are rows it adds below."""
    rows, _ = indicator_rows(framework, filled)
    opened = {h for row in rows for h in row.open} - OPTIONAL - SHOWN_ONLY
    headers = [c.header for c in INDICATOR_COLUMNS if c.header in opened | {"指标编号", "指标名称"}]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([row.values.get(h, "") for h in headers] for row in rows if row.values.get("指标编号"))
    return out.getvalue().encode("utf-8")


# the skeleton's narrative keyed by its own framework's 一级 names: 指标分析 of a department, 预算执行说明 of a project
BY_BLOCK = re.compile(r"^  (指标分析:|预算执行说明: \|)\n(?:    .*\n)*", re.MULTILINE)


def by_blocks(text: str, blocks: list[str]) -> str:
    """The skeleton's unit.yaml with the text it keys by 一级 name turned into comments naming this framework's 一级."""
    def commented(found: re.Match) -> str:
        if found.group(1) == "指标分析:":
            return "  指标分析: {}\n" + "".join(f"  #   {name}: |\n  #     {name}各项指标的得分分析\n" for name in blocks)
        return "".join(f"  # {name}说明: |\n  #   {name}的得分情况说明\n" for name in blocks)
    return BY_BLOCK.sub(commented, text, count=1)


def with_unit_figures(text: str, defs: dict[str, m.MeasureDef]) -> str:
    """The skeleton's unit.yaml with a key, left empty, for each figure the framework's measures need of the unit
    (自定数据, 上年), so that its check counts those leaves 0 with a warning until they are filled."""
    own, last = unit_figures(defs)
    def entry(key: str, figure: str) -> str:
        users = "”“".join(n for n, d in defs.items() if figure in names(parse(d.formula)))
        return f"  {key}:    # 评价体系的测算指标“{users}”用到，请填写\n"
    if own:
        text = text.replace("# 自定数据:\n#   上年结余: 50.00\n",
                            "自定数据:\n" + "".join(entry(f, f) for f in own), 1)
    if last:
        text = text.replace("# 上年:\n", "上年:\n" + "".join(entry(f, f"{LAST_YEAR}.{f}") for f in last) + "# 上年:\n", 1)
    return text


def write_template(root: Path, dept: str, year: int | None = None) -> Written:
    """inputs/<dept>/<year>/数据.xlsx rewritten from the framework with what was filled; replaced files kept aside."""
    year = resolve(root, dept, year)
    folder = unit_dir(root, dept, year)
    kind, framework = unit_framework(root, folder)
    tables, sources = filled_tables(root, folder)
    data, notes = unit_workbook(kind, framework, tables, filled_blocks(root, folder, tables))
    book = next((p for p in sources if p.suffix.lower() == ".xlsx"), folder / WORKBOOK_FILES[0])
    return Written(book, place(folder, book, data, sources, MOVED), notes)


def unit_yaml_moved(folder: Path) -> None:
    """make new: the skeleton's 人员, 控制数 and 上年 taken out of unit.yaml once its workbook holds them."""
    _move_blocks(folder, MOVED, None)


def without_blocks(text: str, lines: dict[tuple, int], blocks: tuple[str, ...]) -> str | None:
    """unit.yaml's text with these top-level blocks replaced by a line saying where they are filled now (comments
    and the other keys kept as they were); None when it has none of them."""
    starts = sorted(line for path, line in lines.items() if len(path) == 1)
    rows = text.splitlines(keepends=True)
    end_of_line = "\r\n" if rows and rows[0].endswith("\r\n") else "\n"
    cut = []
    for block in blocks:
        if (block,) not in lines:
            continue
        start = lines[(block,)]
        end = next((line for line in starts if line > start), len(rows) + 1)
        while end - 1 > start and (not rows[end - 2].strip() or rows[end - 2].startswith("#")):
            end -= 1  # blank lines and comments at the margin belong to the next key
        sheet = next(s.sheet for s in UNIT_SHEETS.values() if block in s.blocks)
        cut.append((start, end, f"# {block}：在 {WORKBOOK_FILES[0]} 的工作表“{sheet}”中填写{end_of_line}"))
    for start, end, note in sorted(cut, reverse=True):
        rows[start - 1:end - 1] = [note]
    return "".join(rows) if cut else None


def _move_blocks(folder: Path, blocks: tuple[str, ...], kept: Path | None) -> Path | None:
    """unit.yaml without the blocks the workbook now holds, rewritten whole; the previous one copied to kept."""
    path = folder / UNIT_FILE
    doc = read_yaml(path, UNIT_FILE, folder)
    text = without_blocks(path.read_text(encoding="utf-8-sig"), doc.lines, blocks)
    if text is None:
        return None
    after = parse_text(text, UNIT_FILE)[0]
    if after != {k: v for k, v in doc.data.items() if k not in blocks}:  # a layout the cut misread: told, not guessed
        raise InputError([Problem(Location(UNIT_FILE, key="、".join(blocks)), "无法自动移出这些项",
                                  hint=f"请手工删除 unit.yaml 中的 {'、'.join(blocks)}，它们已写入 {WORKBOOK_FILES[0]}")])
    if kept is not None:
        kept.mkdir(parents=True, exist_ok=True)
        (kept / UNIT_FILE).write_bytes(path.read_bytes())
    handle, temporary = tempfile.mkstemp(prefix=".unit-", suffix=".yaml", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:  # its own line ends, as they were
        out.write(text)
    os.replace(temporary, path)
    return kept / UNIT_FILE if kept is not None else None


def place(folder: Path, book: Path, data: bytes, replaced: list[Path], blocks: tuple[str, ...] = ()) -> list[Path]:
    """The workbook written whole (a temporary file renamed over it), the files it replaces moved to 原数据/; the
    blocks of unit.yaml it now holds taken out of unit.yaml (the previous unit.yaml kept there too)."""
    handle, temporary = tempfile.mkstemp(prefix=".数据-", suffix=".xlsx", dir=folder)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    moved: list[Path] = []
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        if blocks:
            unit = _move_blocks(folder, blocks, folder / KEPT / stamp)
            moved += [unit] if unit else []
        if replaced:
            kept = folder / KEPT / stamp
            kept.mkdir(parents=True, exist_ok=True)
            for path in replaced:
                target = kept / path.name
                (target.write_bytes(path.read_bytes()) if path == book else os.replace(path, target))
                moved.append(target)
        os.replace(temporary, book)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return moved


def template_help(root: Path, written: Written, dept: str) -> str:
    shown = written.path.relative_to(root).as_posix()
    lines = [f"已写入 {shown}。"]
    lines += [f"  原文件已移到 {p.relative_to(root).as_posix()}" for p in written.moved]
    lines += [f"注意：{note}" for note in written.notes]
    lines += ["下一步：",
              f"  1. 用 Excel 或 WPS 打开 {shown}，在白色单元格中填写（灰色的不用填；选中单元格可看到该列的说明，"
              "有下拉箭头的从列表中选择）；保存；",
              f"  2. make check DEPT={dept}：校验并显示得分，出错时指明工作表、行和列（如 工作表“指标”第5行 E列）；",
              f"  3. 评价体系改了以后再运行 make template DEPT={dept}，已填的数据按指标编号保留。",
              "  人员、控制数和上年数也在工作簿中填写；单位信息和叙述文字仍在 unit.yaml 中填写。"]
    return "\n".join(lines)
