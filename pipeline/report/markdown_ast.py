"""The report as pandoc reads it, made safe before any writer sees it, whatever a unit's template or text holds:
pictures only from the charts we drew, links only to web addresses, attributes only for layout, raw Word XML only
for layout (no fields, links, pictures or objects), no raw HTML or TeX. The documents written from this tree read no
file, open no address and carry nothing a reader's program would run."""
from __future__ import annotations

import base64
import json
import mimetypes
import re
from typing import Any

from lxml import etree

from ..errors import TemplateError
from ..limits import MAX_MARKDOWN_NESTING, MAX_MARKDOWN_TREE_DEPTH
from .markdown_text import PANDOC_MARKDOWN
from .pandoc import pandoc

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML = "http://www.w3.org/XML/1998/namespace"
# the Word elements a template may write raw (```{=openxml}): paragraphs, runs, text, breaks, page and section layout
RAW_WORD_ELEMENTS = frozenset("""
    p pPr r rPr t tab br cr sectPr pgSz pgMar pgNumType cols col docGrid titlePg type jc spacing ind pStyle rStyle
    keepNext keepLines pageBreakBefore widowControl b bCs i iCs u sz szCs rFonts color lang noProof vanish vAlign
    textDirection bookmarkStart bookmarkEnd lastRenderedPageBreak""".split())
_SIZE = re.compile(r"\d+(?:\.\d+)?(?:cm|mm|in|pt|px|em|%)?")
LAYOUT_ATTRIBUTES = {"custom-style": re.compile(r"[^<>\"]{1,100}"), "width": _SIZE, "height": _SIZE}
# how deep pandoc's syntax tree may nest: a real report nests some 20 levels (a list in a list adds about three),
# and reading or walking a deeper one would exhaust Python's stack
WEB_LINK = re.compile(r"(?:https?://|mailto:|#)\S*", re.IGNORECASE)
QUOTES = re.compile(r"^(?:[ \t]{0,3}>)+")
LIST_INDENT = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]")
BRACKETS = re.compile(r"\\.|[\[\]]")  # an escaped character, or a bracket
FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


class UnsafeMarkdown(TemplateError):
    """The report's Markdown, as the templates wrote it, holds something a document may not carry."""


class MissingImage(UnsafeMarkdown):
    """The Markdown shows an image that was not handed over in `resources`."""


def read_markdown(markdown: str) -> dict[str, Any]:
    """pandoc's syntax tree of the report (level-1 heading as the title); pandoc reads no file and opens no URL."""
    refuse_deep_nesting(markdown)
    tree = pandoc(markdown, PANDOC_MARKDOWN, "json", ["--shift-heading-level-by=-1"])
    if nesting(tree) > MAX_MARKDOWN_TREE_DEPTH:
        raise UnsafeMarkdown(f"报告的 Markdown 嵌套层次过多（列表、引用等一层套一层，超过了 {MAX_MARKDOWN_TREE_DEPTH // 3} 层左右）；"
                             "请检查模板或叙述文字中是否有大量重复的“- ”“> ”“1. ”等标记")
    return json.loads(tree)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting(tree: str) -> int:
    """How deep the JSON text `tree` nests its lists and objects (strings skipped), counted without parsing it."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", tree))
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def refuse_deep_nesting(markdown: str) -> None:
    """pandoc's time grows exponentially with nested [ ] (links, spans) and quadratically with nested quotes and lists:
    deeper than MAX_MARKDOWN_NESTING is refused, at its line, before pandoc sees it (one pass over the text)."""
    depth, fence = 0, None
    for number, line in enumerate(markdown.split("\n"), 1):
        opened = FENCE.match(line)
        if fence is not None or opened:  # a code block's text is literal: its brackets nest nothing
            if opened and (fence is None or opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence)):
                fence = opened.group(1) if fence is None else None
            continue
        if not line.strip():
            depth = 0  # a paragraph ends: pandoc does not look for the closing ] past it
            continue
        quotes = QUOTES.match(line)
        listed = LIST_INDENT.match(line)
        what = ("引用（>）" if quotes and quotes.group(0).count(">") > MAX_MARKDOWN_NESTING else
                "列表" if listed and len(listed.group(1).expandtabs(4)) > 4 * MAX_MARKDOWN_NESTING else None)
        for mark in BRACKETS.findall(line):
            depth = depth + 1 if mark == "[" else max(0, depth - 1) if mark == "]" else depth
            if depth > MAX_MARKDOWN_NESTING:
                what = what or "方括号（[ ]，链接或文字标记）"
        if what:
            shown = " ".join(line.split())[:60]
            raise UnsafeMarkdown(f"报告第{number}行：{what}嵌套超过 {MAX_MARKDOWN_NESTING} 层（“{shown}”）；"
                                 "嵌套越深转换越慢，请减少嵌套（若这段文字来自 unit.yaml 的 正文，请在那里修改）")


def safe_tree(markdown: str, resources: dict[str, bytes]) -> tuple[dict[str, Any], dict[str, str]]:
    """The checked syntax tree, images inlined from `resources` as data: URIs, and data: URI → file name
    (to name the pictures of a .docx by their file again)."""
    tree = read_markdown(markdown)
    names: dict[str, str] = {}
    missing: list[str] = []
    tree["blocks"] = _clean(tree["blocks"], resources, names, missing)
    tree["meta"] = _clean(tree["meta"], resources, names, missing)
    if missing:
        raise MissingImage("报告引用了没有生成的图片：" + "、".join(dict.fromkeys(missing))
                           + "；报告只能显示程序生成的图表：" + ("、".join(sorted(resources)) or "无"))
    return tree, names


def _clean(node: Any, resources: dict[str, bytes], names: dict[str, str], missing: list[str]) -> Any:
    if isinstance(node, list):
        if _is_attr(node):
            return _layout_attr(node)
        return [_clean(item, resources, names, missing) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("t")
    if kind in ("RawBlock", "RawInline"):
        return _raw(node)
    if kind == "Math":
        return {"t": "Str", "c": node["c"][1]}
    if kind == "Link" and not WEB_LINK.fullmatch(node["c"][2][0].strip()):
        attr, inlines, _ = node["c"]  # javascript:, file:, a local path: the text stays, the link goes
        return {"t": "Span", "c": [_layout_attr(attr), _clean(inlines, resources, names, missing)]}
    if kind == "Image":
        attr, inlines, (source, title) = node["c"]
        if source not in resources:
            missing.append(source)
            return node
        uri = f"data:{mimetypes.guess_type(source)[0] or 'image/png'};base64,"
        uri += base64.b64encode(resources[source]).decode("ascii")
        names[uri] = source
        return {"t": "Image", "c": [_layout_attr(attr), _clean(inlines, resources, names, missing), [uri, title]]}
    return {key: _clean(value, resources, names, missing) for key, value in node.items()}


def _is_attr(node: list) -> bool:
    """pandoc's Attr: [identifier, [classes], [[key, value]]]."""
    return (len(node) == 3 and isinstance(node[0], str) and isinstance(node[1], list) and isinstance(node[2], list)
            and all(isinstance(c, str) for c in node[1])
            and all(isinstance(kv, list) and len(kv) == 2 and all(isinstance(s, str) for s in kv) for kv in node[2]))


def _layout_attr(attr: list) -> list:
    """Identifier and classes stay; of the key=value pairs only custom-style, width and height (onclick, style … go)."""
    identifier, classes, pairs = attr
    kept = [[key, value] for key, value in pairs
            if key in LAYOUT_ATTRIBUTES and LAYOUT_ATTRIBUTES[key].fullmatch(value)]
    return [identifier, classes, kept]


def _raw(node: dict) -> dict:
    fmt, text = node["c"]
    if fmt == "openxml" and _layout_only(text):
        return node
    shown = " ".join(text.split())[:80]
    raise UnsafeMarkdown(f"报告模板中有不允许的原始 {fmt} 内容：“{shown}”；模板只能写 Markdown，原始 Word XML"
                        "（```{=openxml}）只能含段落、文字、分页、分节等版式元素，不能含域代码、超链接、图片或对象")


def _layout_only(text: str) -> bool:
    """Raw Word XML of the layout elements only, in the w: namespace, with no relationship ids."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(f'<raw xmlns:w="{W}">{text}</raw>'.encode(), parser)
    except (etree.XMLSyntaxError, ValueError):
        return False
    for element in root.iterdescendants():
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Comment):
                continue
            return False
        name = etree.QName(element)
        if name.namespace != W or name.localname not in RAW_WORD_ELEMENTS:
            return False
        if any(etree.QName(attribute).namespace not in (W, XML) for attribute in element.attrib):
            return False
    return True
