"""YAML as a person types it: safe, every value kept as text for the one number reader, duplicate keys refused,
every key's line kept, and a budget on nesting and aliases so that no file can exhaust the machine."""
from __future__ import annotations

import copy
import functools
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import yaml

from .. import codes as k
from ..errors import InputError, Location, Problem
from ..limits import MAX_TEXT_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES
from .cells import CONTROL, SURROGATE
from .files import read_input


@dataclass(frozen=True)
class YamlDoc:
    path: str  # as shown to the user
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)  # key path → 1-based line


# libyaml's parser where PyYAML was built with it (its wheels are): ten times faster than the pure Python one
if TYPE_CHECKING:  # both loaders share one interface; a checker reads the pure Python one
    _SafeLoader: TypeAlias = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """Safe YAML that reads every plain value as text and refuses duplicate keys."""


# YAML 1.1 reads 045 as octal, 47:40 as base 60, 0x1F as hex, yes/on as true, 12.30 as a binary float and 2024-02-30
# as a crash: every value stays text (null aside) and the models read it as the people who typed it meant it
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

LONE_SURROGATE = "含有无法保存的字符（孤立的 UTF-16 代理项，多由“\\ud800”一类转义写出）"
SURROGATE_HINT = "请直接写出这个字，或删除这个转义"
# what a YAML parser complaint means for someone editing the file by hand
YAML_HINTS = (
    ("invalid Unicode character escape", f"{LONE_SURROGATE}；{SURROGATE_HINT}"),  # libyaml's word for it
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
    return _SafeLoader.construct_mapping(loader, node, deep=deep)


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


def read_yaml(path: Path, shown: str, base: Path | None = None) -> YamlDoc:
    """A YAML file that must lie inside `base` (default: its own folder), as a YamlDoc."""
    return yaml_doc(read_input(path, shown, base or path.parent, MAX_TEXT_BYTES), shown)


def yaml_doc(raw: bytes, shown: str) -> YamlDoc:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(Location(shown), "不是 UTF-8 编码的文本文件", hint="请另存为 UTF-8", code=k.BAD_ENCODING)]) from None
    text = CONTROL.sub("", text)  # invisible control characters: YAML refuses them and Word's XML cannot hold them
    try:
        data, lines, surrogates = parse_text(text, shown)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(shown, exc)]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(Location(shown), "内容应为“键: 值”的映射", hint="参见 docs/guide.md 的“输入的组织”",
                                  code=k.BAD_YAML)])
    problems = [Problem(Location(shown, line), LONE_SURROGATE, hint=SURROGATE_HINT, code=k.BAD_YAML)
                for line in surrogates]
    if problems:
        raise InputError(problems)
    return YamlDoc(shown, copy.deepcopy(data), dict(lines))


@functools.lru_cache(maxsize=32)
def parse_text(text: str, shown: str) -> tuple[Any, dict[tuple, int], tuple[int, ...]]:
    """Parsed once per text: every unit under a bureau reads the same framework file (callers get a copy)."""
    loader = _Loader(text)
    try:
        _within_budget(text, shown)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    if node is None:
        return data, {}, ()
    return data, _line_map(node), tuple(_surrogate_lines(node))


def _within_budget(text: str, shown: str) -> None:
    """Refuse nesting deeper than MAX_YAML_DEPTH, and more than MAX_YAML_NODES values once aliases are expanded
    (a 'billion laughs' file is a few hundred bytes), and an alias that refers to itself; before anything is built."""
    sizes: dict[str, int] = {}  # anchor → how many values it stands for
    open_: list[list] = []  # [values so far, anchor] of each collection being read

    def refuse(event: yaml.Event, message: str, hint: str, code: str = k.BAD_YAML) -> None:
        raise InputError([Problem(Location(shown, event.start_mark.line + 1), message, hint=hint, code=code)])

    for event in yaml.parse(text, Loader=_Loader):
        if getattr(event, "tag", None) and event.tag != "!":  # "!" alone only forces text, as quotes do
            refuse(event, f"不支持 YAML 标签 {_tag(event.tag)}（值前的 ! 或 !! 类型标记）",
                   "请去掉标签，直接写出值，例如 金额: 12.30；文字以 ! 开头时整段加引号，例如 备注: \"!重要\"")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_.append([1, event.anchor])
            if len(open_) > MAX_YAML_DEPTH:
                refuse(event, f"嵌套层数超过 {MAX_YAML_DEPTH} 层", "单位和评价体系文件通常只有几层缩进，请检查文件", k.OVER_LIMIT)
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            count, anchor = open_.pop()
            if anchor:
                sizes[anchor] = count
        elif isinstance(event, yaml.ScalarEvent):
            count = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:
                cycle = any(anchor == event.anchor for _, anchor in open_)
                refuse(event, f"别名 *{event.anchor} 引用了包含它自己的内容（循环引用）" if cycle else
                       f"别名 *{event.anchor} 没有对应的锚点 &{event.anchor}", "删除这个别名，直接写出内容")
            count = sizes[event.anchor]
        else:
            continue
        if open_:
            open_[-1][0] += count
            if open_[-1][0] > MAX_YAML_NODES:
                refuse(event, f"展开别名（*）后超过 {MAX_YAML_NODES} 个值", "别名层层引用会使内容成倍增长；请直接写出内容",
                       k.OVER_LIMIT)


def _tag(tag: str) -> str:
    """A tag as it was typed: tag:yaml.org,2002:float is !!float."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _surrogate_lines(node: yaml.Node) -> list[int]:
    found: list[int] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, yaml.ScalarNode):
            if SURROGATE.search(item.value):
                found.append(item.start_mark.line + 1)
        elif isinstance(item, yaml.MappingNode):
            stack.extend(part for pair in item.value for part in pair)
        else:
            stack.extend(item.value)
    return sorted(found)


def _yaml_problem(shown: str, exc: yaml.YAMLError) -> Problem:
    problem = str(getattr(exc, "problem", "") or exc)
    context = str(getattr(exc, "context", "") or "")
    # where a quote or bracket was opened tells more than where the parser gave up; a bad key is where it stands
    constructor = isinstance(exc, yaml.constructor.ConstructorError)
    mark = (getattr(exc, "problem_mark", None) if constructor else None) or getattr(exc, "context_mark", None) \
        or getattr(exc, "problem_mark", None)
    hint = next((text for key, text in YAML_HINTS if key in problem or key in context), "检查缩进、冒号和引号")
    return Problem(Location(shown, mark.line + 1 if mark else None), f"YAML 格式错误：{hint}", hint=f"解析器的说明：{problem}",
                   code=k.BAD_YAML)

