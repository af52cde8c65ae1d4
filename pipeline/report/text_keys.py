"""The 正文 keys a unit's report template reads, found in the template itself (and the templates it imports), so a
key the report would never print — a typo, a key of another template or framework — is refused, not dropped."""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
import jinja2.meta
from jinja2 import nodes

from ..codes import UNREAD_TEXT_KEY
from ..errors import Location, Problem
from ..inputs import models as m
from ..inputs.parse import nearest
from ..limits import MAX_REMEMBERED_TEMPLATES
from .compiled import kept
from .template_files import DEFAULTS

TEXT = "text"  # the name the report templates see the narrative under (context.py)
FORM_TEXT_KEYS = ("年度总体目标", "总体目标完成情况")  # the 正文 keys the 自评表 shows: 年度总体目标, 实际完成情况


@dataclass(frozen=True)
class Reads:
    keys: frozenset[str] = frozenset()  # text.get("前言"), text["前言"], a key of a literal loop
    suffixes: frozenset[str] = frozenset()  # text.get(b.name ~ "说明"): a 一级指标 name and the suffix
    by_block: frozenset[str] = frozenset()  # text.get("指标分析", {}).get(b.name): sub-keys are 一级 names
    anything: bool = False  # the template reads text some other way (text.items(), text passed whole): any key


@dataclass
class _Found:
    """What the walk over one template's tree has found so far, as Reads holds it once the walk ends."""

    keys: set[str] = field(default_factory=set)
    suffixes: set[str] = field(default_factory=set)
    by_block: set[str] = field(default_factory=set)
    anything: bool = False


def _is_text(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == TEXT


def _key(node: nodes.Node, loops: dict[str, list[str]], reads: _Found) -> list[str] | None:
    """The keys an index expression may take: a string, a loop variable over strings, or None when unknown."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.Name) and node.name in loops:
        return loops[node.name]
    if isinstance(node, nodes.Concat) and node.nodes and isinstance(node.nodes[-1], nodes.Const):
        reads.suffixes.add(str(node.nodes[-1].value))
        return []
    return None


def _text_lookup(node: nodes.Node) -> nodes.Node | None:
    """The key of text.get(key, …) or text[key]."""
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr == "get" \
            and _is_text(node.node.node) and node.args:
        return node.args[0]
    if isinstance(node, nodes.Getitem) and _is_text(node.node):
        return node.arg
    return None


def _walk(node: nodes.Node, loops: dict[str, list[str]], reads: _Found) -> None:
    if isinstance(node, nodes.For) and isinstance(node.target, nodes.Name) \
            and isinstance(node.iter, (nodes.Tuple, nodes.List)):
        names = [x.value for x in node.iter.items if isinstance(x, nodes.Const) and isinstance(x.value, str)]
        if len(names) == len(node.iter.items):
            loops = {**loops, node.target.name: names}
    key = _text_lookup(node)
    if key is not None and isinstance(node, (nodes.Call, nodes.Getitem)):
        found = _key(key, loops, reads)
        if found is None:
            reads.anything = True
        reads.keys.update(found or ())
        for child in node.iter_child_nodes():
            if child is not node.node:  # the text.get / text itself, read for this key only
                _walk(child, loops, reads)
        return
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr == "get":
        inner = _text_lookup(node.node.node)
        if inner is not None and node.args and not isinstance(node.args[0], nodes.Const):
            reads.by_block.update(_key(inner, loops, reads) or ())
    if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
        outer = _text_lookup(node.node)
        if outer is not None:
            reads.by_block.update(_key(outer, loops, reads) or ())
    if _is_text(node):  # text used whole: any key may be read
        reads.anything = True
    for child in node.iter_child_nodes():
        _walk(child, loops, reads)


def template_reads(env: jinja2.Environment, name: str) -> Reads:
    """Every 正文 key the template and the templates it imports or includes read."""
    if env.loader is None:  # no template to read: any key may be read
        return Reads(anything=True)
    reads, seen, todo = Reads(), set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source, filename, _ = env.loader.get_source(env, current)
            shipped = filename is not None and Path(filename).resolve().is_relative_to(DEFAULTS.resolve())
            found = _shipped_reads(source) if shipped else _source_reads(source)
        except jinja2.TemplateError:
            found = None
        if found is None:  # rendering names what is wrong with the template, at its line
            reads = replace(reads, anything=True)
            continue
        one, referenced = found
        reads = Reads(reads.keys | one.keys, reads.suffixes | one.suffixes, reads.by_block | one.by_block,
                      reads.anything or one.anything)
        todo += referenced
    return reads


@functools.lru_cache(maxsize=MAX_REMEMBERED_TEMPLATES)
def _source_reads(source: str) -> tuple[Reads, tuple[str, ...]] | None:
    """What one template's text reads and the templates it names, once per text (a preview after each edit of the
    narrative reads the same templates again); None when it does not parse."""
    from .jinja import SYNTAX
    from .sandbox import sandbox
    try:
        tree = sandbox(**SYNTAX).parse(source)
    except jinja2.TemplateError:
        return None
    found = _Found()
    _walk(tree, {}, found)
    return (Reads(frozenset(found.keys), frozenset(found.suffixes), frozenset(found.by_block), found.anything),
            tuple(f for f in jinja2.meta.find_referenced_templates(tree) if f))


def _shipped_reads(source: str) -> tuple[Reads, tuple[str, ...]] | None:
    """What a shipped template reads, kept in the user's cache folder by its text and this module's code: a fresh
    process does not parse the shipped report templates again (a thirtieth of a second). A unit's own templates are
    read in memory only: a batch of thousands of units leaves nothing behind."""
    digest = hashlib.sha256(source.encode("utf-8") + _code()).hexdigest()[:24]
    try:
        found = json.loads(kept(f"reads-{digest}.json", lambda: json.dumps(_plain(_source_reads(source))).encode()))
        return None if found is None else (Reads(frozenset(found["keys"]), frozenset(found["suffixes"]),
                                                 frozenset(found["by_block"]), bool(found["anything"])),
                                           tuple(found["referenced"]))
    except (ValueError, KeyError, TypeError):  # a file garbled in the cache: read from the template itself
        return _source_reads(source)


@functools.cache
def _code() -> bytes:
    """What a template's reads depend on besides its text: this module's code, the sandbox's syntax and Jinja."""
    here = Path(__file__).parent
    return jinja2.__version__.encode() + b"".join((here / name).read_bytes() for name in ("text_keys.py", "jinja.py", "sandbox.py"))


def _plain(found: tuple[Reads, tuple[str, ...]] | None) -> dict | None:
    if found is None:
        return None
    reads, referenced = found
    return {"keys": sorted(reads.keys), "suffixes": sorted(reads.suffixes), "by_block": sorted(reads.by_block),
            "anything": reads.anything, "referenced": list(referenced)}


def unread_keys(inputs: m.Inputs, reads: Reads, form_keys: tuple[str, ...] = ()) -> list[Problem]:
    """A problem for each 正文 key no part of the report prints, with the nearest key it does."""
    if reads.anything:
        return []
    blocks = [node.name for node in inputs.tree]
    valid = sorted(reads.keys | set(form_keys)) + [b + s for s in sorted(reads.suffixes) for b in blocks]
    problems = []
    for key, value in inputs.unit.text.items():
        path = f"正文.{key}"
        if key not in valid:
            problems.append(Problem(Location(inputs.files["unit"], inputs.unit_lines.get(path), path),
                                    "报告模板不读这个键，内容不会出现在报告中", None,
                                    nearest(key, valid) + "；模板自己的键写在单位的模板里即可读到", UNREAD_TEXT_KEY))
        elif key in reads.by_block and isinstance(value, dict):
            for sub in value:
                if sub not in blocks:
                    problems.append(Problem(Location(inputs.files["unit"], inputs.unit_lines.get(f"{path}.{sub}"), f"{path}.{sub}"),
                                            "评价体系中没有这个一级指标，内容不会出现在报告中", None,
                                            nearest(sub, blocks, "一级指标"), UNREAD_TEXT_KEY))
    return problems
