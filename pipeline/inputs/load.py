"""Read a unit's files from disk: YAML with line numbers, CSV rows or workbook sheets with their line numbers."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
import yaml
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .cells import CONTROL
from ..errors import InputError, Problem

UNIT_FILE = "unit.yaml"
TABLE_FILES = {"budget": "budget.csv", "funds": "funds.csv", "spending": "spending.csv", "facts": "indicators.csv"}
NAME = re.compile(r"^[A-Za-z0-9_-]+$")
# the one workbook a unit folder may hold instead of (some of) the CSV files, and its sheet names per table
WORKBOOK_FILES = ("数据.xlsx", "data.xlsx")
SHEET_NAMES = {"budget": ("预算执行", "budget"), "funds": ("项目资金", "funds"), "spending": ("支出分类", "spending"),
               "facts": ("指标", "indicators")}
SHEET_HINT = "可用的工作表名：" + "、".join(f"{zh}（或 {en}）" for zh, en in SHEET_NAMES.values())
UNCOMPUTED = "公式没有计算结果，请在 Excel/WPS 中打开并保存后再试"


@dataclass(frozen=True)
class YamlDoc:
    path: str  # as shown to the user
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)  # key path → 1-based line


@dataclass(frozen=True)
class Table:
    path: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line number, cells by header)


@dataclass(frozen=True)
class RawInputs:
    unit: YamlDoc
    framework: YamlDoc
    tables: dict[str, Table | None]
    year: int | None = None  # the year of the unit's folder


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps decimals as text (never float) and refuses duplicate keys."""


# dates stay text too: an impossible date (2024-02-30) is then a located validation error, not a crash
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# what a YAML parser complaint means for someone editing the file by hand
YAML_HINTS = (
    ("unhashable key", "值以 { 或 {{ 开头时整段要加引号，例如 \"{{ 数.支出率 }}\""),
    ("quoted scalar", "引号没有成对闭合"),
    ("flow mapping", "花括号 { } 没有闭合，或其中少了逗号"),
    ("flow sequence", "方括号 [ ] 没有闭合，或其中少了逗号"),
    ("mapping values are not allowed", "冒号后要有空格；文字中含“: ”时整段要加引号"),
    ("block mapping", "缩进不一致：同一层的键要对齐"),
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError("while constructing a mapping", node.start_mark,
                                                    "found unhashable key", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键 {key!r}（第{seen[key]}行已出现）", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_map(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            lines.update(_line_map(value_node, path + (key_node.value,)))
            lines[path + (key_node.value,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_map(item, path + (index,)))
    return lines


def read_yaml(path: Path, shown: str) -> YamlDoc:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(shown, "", "", "文件不存在")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(shown, "", "", "不是 UTF-8 编码的文本文件", hint="请另存为 UTF-8")]) from None
    text = CONTROL.sub("", text)  # invisible control characters: YAML refuses them and Word's XML cannot hold them
    try:
        data = yaml.load(text, Loader=_Loader)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(shown, exc)]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(shown, "", "", "内容应为“键: 值”的映射", hint="参见 README 的输入格式")])
    return YamlDoc(shown, data, _line_map(node) if node else {})


def _yaml_problem(shown: str, exc: yaml.YAMLError) -> Problem:
    problem = str(getattr(exc, "problem", "") or exc)
    context = str(getattr(exc, "context", "") or "")
    # where a quote or bracket was opened tells more than where the parser gave up; a bad key is where it stands
    constructor = isinstance(exc, yaml.constructor.ConstructorError)
    mark = (getattr(exc, "problem_mark", None) if constructor else None) or getattr(exc, "context_mark", None) \
        or getattr(exc, "problem_mark", None)
    hint = next((text for key, text in YAML_HINTS if key in problem or key in context), "检查缩进、冒号和引号")
    return Problem(shown, f"第{mark.line + 1}行" if mark else "", "", f"YAML 格式错误：{hint}", hint=f"解析器的说明：{problem}")


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", raw, 0, 1, "neither UTF-8 nor GB18030")


def read_csv(path: Path, shown: str) -> Table:
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        raise InputError([Problem(shown, "", "", "无法识别文件编码", hint="请另存为 UTF-8 或 GBK 编码的 CSV")]) from None
    # a file passed twice through a BOM-adding program keeps a second BOM that would stick to the first header
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    records = [(reader.line_num, row) for row in reader]
    if not records:
        raise InputError([Problem(shown, "", "", "文件为空，缺少表头行")])
    headers = tuple(cell.strip() for cell in records[0][1])
    while headers and not headers[-1]:
        headers = headers[:-1]
    problems = [Problem(shown, "第1行", h, "列名重复", hint="每列的表头应不同") for i, h in enumerate(headers)
                if h and h in headers[:i]]
    rows = []
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        used = len(cells)
        while used and not cells[used - 1].strip():
            used -= 1
        if used > len(headers):
            problems.append(Problem(shown, f"第{line}行", "", f"这一行有 {used} 格，比表头多 {used - len(headers)} 格",
                                    hint="数字中的千分位逗号要加引号（如 \"1,775.96\"）或去掉，文字中的逗号也要加引号"))
        rows.append((line, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers)}))
    if problems:
        raise InputError(problems)
    return Table(shown, headers, tuple(rows))


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
    return next((key for key, (zh, en) in SHEET_NAMES.items() if name == zh or name.casefold() == en), None)


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


def _workbook_tables(path: Path, shown: str) -> tuple[dict[str, Table], list[Problem]]:
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
                        problems.append(Problem(table_shown, f"第{r}行", field, "单元格是错误值，请检查公式或数据",
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
        problems += [Problem(table_shown, f"第{r}行", field, UNCOMPUTED, formulas[title][(r, c)])
                     for title, table_shown, r, c, field in suspects if (r, c) in formulas.get(title, {})]
    return tables, problems


def read_workbook(path: Path, shown: str) -> dict[str, Table]:
    """Table key → Table for every sheet of the unit's workbook; InputError for anything that cannot be read."""
    tables, problems = _workbook_tables(path, shown)
    if problems:
        raise InputError(problems)
    return tables


def unit_dir(root: Path, dept: str, year: int) -> Path:
    return root / "inputs" / dept / str(year)


def available_units(root: Path) -> dict[str, list[int]]:
    """Every unit folder under inputs/ with the years that have a unit.yaml."""
    units: dict[str, list[int]] = {}
    base = root / "inputs"
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and p.name != "frameworks") if base.exists() else []:
        years = sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit() and (p / UNIT_FILE).exists())
        if years:
            units[folder.name] = years
    return units


def framework_path(root: Path, folder: Path, name: str) -> Path:
    """A unit's own framework first, then the bureau-wide ones in inputs/frameworks/."""
    own = folder / "frameworks" / f"{name}.yaml"
    return own if own.exists() else root / "inputs" / "frameworks" / f"{name}.yaml"


def load(root: Path, dept: str, year: int) -> RawInputs:
    folder = unit_dir(root, dept, year)
    shown = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    unit = read_yaml(folder / UNIT_FILE, shown(folder / UNIT_FILE))
    name = unit.data.get("评价体系")
    if not isinstance(name, str) or not NAME.match(name):
        raise InputError([Problem(unit.path, f"第{unit.lines.get(('评价体系',), 1)}行", "评价体系",
                                  "应为评价体系文件名（不含 .yaml）", None if name is None else str(name),
                                  "例如 huadu-2023，对应 inputs/frameworks/huadu-2023.yaml")])
    fw_path = framework_path(root, folder, name)
    if not fw_path.exists():
        found = sorted(p.stem for p in (root / "inputs" / "frameworks").glob("*.yaml"))
        raise InputError([Problem(unit.path, f"第{unit.lines.get(('评价体系',), 1)}行", "评价体系",
                                  f"找不到评价体系文件 {shown(fw_path)}", name, "现有评价体系：" + "、".join(found))])
    framework = read_yaml(fw_path, shown(fw_path))
    book = find_workbook(folder, shown(folder))
    sheets, problems = _workbook_tables(book, shown(book)) if book is not None else ({}, [])
    problems += [Problem(shown(folder / file), "", "", f"同一张表不能既有 CSV 又有工作表：{shown(folder / file)} 与 "
                         f"{sheets[key].path}", hint="请删除 CSV 文件或该工作表，只保留一处")
                 for key, file in TABLE_FILES.items() if key in sheets and (folder / file).exists()]
    if problems:
        raise InputError(problems)
    tables = {key: sheets[key] if key in sheets else
              read_csv(folder / file, shown(folder / file)) if (folder / file).exists() else None
              for key, file in TABLE_FILES.items()}
    return RawInputs(unit, framework, tables, year)
