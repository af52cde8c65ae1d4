"""Read a unit's files from disk: YAML with line numbers, CSV rows with their line numbers."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

UNIT_FILE = "unit.yaml"
TABLE_FILES = {"budget": "budget.csv", "funds": "funds.csv", "spending": "spending.csv", "facts": "indicators.csv"}
NAME = re.compile(r"^[A-Za-z0-9_-]+$")


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


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps decimals as text (never float) and refuses duplicate keys."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:float"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
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
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise InputError([Problem(shown, where, "", f"YAML 格式错误：{reason}")]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(shown, "", "", "内容应为“键: 值”的映射", hint="参见 README 的输入格式")])
    return YamlDoc(shown, data, _line_map(node) if node else {})


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
    reader = csv.reader(io.StringIO(text, newline=""))
    records = [(reader.line_num, row) for row in reader]
    if not records:
        raise InputError([Problem(shown, "", "", "文件为空，缺少表头行")])
    headers = tuple(cell.strip() for cell in records[0][1])
    while headers and not headers[-1]:
        headers = headers[:-1]
    rows = []
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((line, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers)}))
    return Table(shown, headers, tuple(rows))


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
    framework = read_yaml(fw_path, shown(fw_path))
    tables = {key: read_csv(folder / file, shown(folder / file)) if (folder / file).exists() else None
              for key, file in TABLE_FILES.items()}
    return RawInputs(unit, framework, tables)
