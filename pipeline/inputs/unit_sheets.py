"""The workbook's sheets for what unit.yaml otherwise holds (人员 and 控制数, 上年): a row per key, read into the same
data unit.yaml gives and checked by the same model; a problem with one of these keys is told by its cell."""
from __future__ import annotations

import copy
from typing import Any, get_args

from .. import codes as k
from ..errors import Location, Problem
from . import models as m
from .kinds import UNIT_SHEETS, UnitSheet
from .parse import nearest
from .tables import Table
from .workbook import cell_place
from .yaml_files import YamlDoc

NAME, VALUE = "名称", "数值"
LAST_YEAR = "上年"


def block_model(block: str) -> Any:
    """The model that validates a block of unit.yaml (Staffing for 人员 …), None for a free mapping (上年)."""
    info = next(f for f in m.Unit.model_fields.values() if f.alias == block)
    return info.annotation if isinstance(info.annotation, type) and issubclass(info.annotation, m.Model) else None


def block_keys(block: str) -> tuple[str, ...]:
    model = block_model(block)
    return tuple(f.alias for f in model.model_fields.values()) if model else ()


def listed(block: str, key: str) -> int:
    """How many rows a key takes: a list of n (季度累计执行率: 4), else 1."""
    model = block_model(block)
    info = next((f for f in model.model_fields.values() if f.alias == key), None) if model else None
    if info is None or list not in {getattr(a, "__origin__", a) for a in (info.annotation, *get_args(info.annotation))}:
        return 1
    return next((x.max_length for x in info.metadata if hasattr(x, "max_length")), 1)


def block_of(spec: UnitSheet, key: str) -> str | None:
    """The block a key of this sheet belongs to; any name is a key of a free mapping (上年)."""
    return next((b for b in spec.blocks if key in block_keys(b) or block_model(b) is None), None)


def _place(table: Table, row: int, header: str) -> Location:
    from openpyxl.utils import column_index_from_string  # reached only once a workbook was read
    book, sheet = table.path[:-1].split("[", 1)
    column = column_index_from_string(table.letters[table.headers.index(header)]) if header in table.headers else None
    return cell_place(book, sheet, row, column, header)


def sheet_entries(table: Table, spec: UnitSheet) -> tuple[dict[str, dict[str, Any]], dict[str, Location], list[Problem]]:
    """The sheet's keys by block ({"人员": {"编制数": "50"}}), where each key's value cell is (dotted key → place,
    an empty cell too, so that a figure left out is told there), and the rows that name no key."""
    missing = [h for h in (NAME, VALUE) if h not in table.headers]
    if missing:
        return {}, {}, [Problem(Location(table.path, 1, h), "缺少必需的列", hint=f"表头应包含：{NAME}、{VALUE}",
                                code=k.MISSING_COLUMN) for h in missing]
    data: dict[str, dict[str, Any]] = {}
    cells: dict[str, Location] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    valid = [k for b in spec.blocks for k in block_keys(b)]
    for row, values in table.rows:
        key, value = values.get(NAME, "").strip(), values.get(VALUE, "").strip()
        block = block_of(spec, key) if key else None
        if block is None:
            problems.append(Problem(_place(table, row, NAME), "不是本表可填的名称" if key else "填了数值，没有写名称",
                                    key, nearest(key, valid, "名称") if valid else "例如 决算数",
                                    k.UNKNOWN_KEY if key else k.MISSING_VALUE))
            continue
        count = listed(block, key)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > count:
            problems.append(Problem(_place(table, row, NAME), f"名称重复，只能有 {count} 行", key,
                                    "删除重复的行" if count == 1 else "每个季度一行，按季度顺序", k.DUPLICATE_ROW))
            continue
        dotted = f"{block}.{key}" + (f"[{seen[key]}]" if count > 1 else "")
        cells[dotted] = _place(table, row, VALUE)
        cells.setdefault(f"{block}.{key}", cells[dotted])
        if value:
            entries = data.setdefault(block, {})
            if count > 1:
                entries.setdefault(key, []).append(value)
            else:
                entries[key] = value
    return data, cells, problems


def merged(doc: YamlDoc, data: dict[str, dict[str, Any]], cells: dict[str, Location]) -> tuple[YamlDoc, list[Problem]]:
    """unit.yaml's data with the sheets' keys added; a key given in both is refused at its cell."""
    if not data:
        return doc, []
    whole = copy.deepcopy(doc.data) if isinstance(doc.data, dict) else {}
    problems = []
    for block, entries in data.items():
        mine = whole.setdefault(block, {})
        if not isinstance(mine, dict):
            continue  # told by the model, at unit.yaml's line
        for key, value in entries.items():
            if key in mine:
                problems.append(Problem(cells[f"{block}.{key}"], f"unit.yaml 中也填写了 {block}.{key}，只能保留一处",
                                        str(value), f"删除 {doc.path} 中的 {block}.{key}，或清空这个单元格", k.FILLED_TWICE))
                continue
            mine[key] = value
    return YamlDoc(doc.path, whole, doc.lines), problems


def sheet_names() -> tuple[str, ...]:
    return tuple(s.sheet for s in UNIT_SHEETS.values())
