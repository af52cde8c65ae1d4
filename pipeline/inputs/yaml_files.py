"""YAML as a person types it: safe, decimals kept as text, duplicate keys refused, every key's line kept."""
from __future__ import annotations

import copy
import functools
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem, nth_line
from .cells import CONTROL


@dataclass(frozen=True)
class YamlDoc:
    path: str  # as shown to the user
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)  # key path → 1-based line




class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser where PyYAML was built with it
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
        data, lines = parse_text(text)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(shown, exc)]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(shown, "", "", "内容应为“键: 值”的映射", hint="参见 README 的输入格式")])
    return YamlDoc(shown, copy.deepcopy(data), dict(lines))


@functools.lru_cache(maxsize=32)
def parse_text(text: str) -> tuple[Any, dict[tuple, int]]:
    """Parsed once per text: every unit under a bureau reads the same framework file (callers get a copy)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, (_line_map(node) if node else {})


def _yaml_problem(shown: str, exc: yaml.YAMLError) -> Problem:
    problem = str(getattr(exc, "problem", "") or exc)
    context = str(getattr(exc, "context", "") or "")
    # where a quote or bracket was opened tells more than where the parser gave up; a bad key is where it stands
    constructor = isinstance(exc, yaml.constructor.ConstructorError)
    mark = (getattr(exc, "problem_mark", None) if constructor else None) or getattr(exc, "context_mark", None) \
        or getattr(exc, "problem_mark", None)
    hint = next((text for key, text in YAML_HINTS if key in problem or key in context), "检查缩进、冒号和引号")
    return Problem(shown, nth_line(mark.line + 1) if mark else "", "", f"YAML 格式错误：{hint}", hint=f"解析器的说明：{problem}")

