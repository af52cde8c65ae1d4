"""The report as pandoc reads it, made safe before any writer sees it, whatever a unit's template or text holds:
pictures only from the charts we drew, links only to web addresses, attributes only for layout (safe_tree.lua, inside
the one pandoc process that reads and writes), raw Word XML only for layout (no fields, links, pictures or objects),
no raw HTML or TeX, no tree too deep (checked here on what the filter found). The documents written from this tree
read no file, open no address and carry nothing a reader's program would run."""
from __future__ import annotations

import base64
import mimetypes
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TemplateError
from ..limits import MAX_MARKDOWN_NESTING, MAX_MARKDOWN_TREE_DEPTH
from .markdown_text import PANDOC_MARKDOWN
from .pandoc import convert, start_early

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML = "http://www.w3.org/XML/1998/namespace"
# the Word elements a template may write raw (```{=openxml}): paragraphs, runs, text, breaks, page and section layout
RAW_WORD_ELEMENTS = frozenset("""
    p pPr r rPr t tab br cr sectPr pgSz pgMar pgNumType cols col docGrid titlePg type jc spacing ind pStyle rStyle
    keepNext keepLines pageBreakBefore widowControl b bCs i iCs u sz szCs rFonts color lang noProof vanish vAlign
    textDirection bookmarkStart bookmarkEnd lastRenderedPageBreak""".split())
QUOTES = re.compile(r"^(?:[ \t]{0,3}>)+")
LIST_INDENT = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]")
BRACKETS = re.compile(r"\\.|[\[\]]")  # an escaped character, or a bracket
FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
EAST_ASIAN = "+east_asian_line_breaks" in PANDOC_MARKDOWN  # pandoc joins such lines after reading: the worker too


class UnsafeMarkdown(TemplateError):
    """The report's Markdown, as the templates wrote it, holds something a document may not carry."""


class MissingImage(UnsafeMarkdown):
    """The Markdown shows an image that was not handed over in `resources`."""


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


@dataclass(frozen=True)
class Written:
    """What the one pandoc process wrote, before our finishing: the .docx, the page, and data: URI → picture file name
    (to name the pictures of a .docx by their file again)."""
    docx: bytes | None
    html: str | None
    names: dict[str, str]


def write_documents(markdown: str, resources: dict[str, bytes], *, word: bool = True, html: bool = False,
                    reference: Path | bytes | None = None) -> Written:
    """The report as .docx (`word`, styled by `reference`) and as a page (`html`), from one pass of this process's
    pandoc, which reads the Markdown once (level-1 heading as the title) and makes its tree safe with safe_tree.lua
    before either writer sees it; pictures come from `resources` (file name → bytes) as data: URIs, nothing else is
    read."""
    refuse_deep_nesting(markdown)
    uris = {name: f"data:{mimetypes.guess_type(name)[0] or 'image/png'};base64,{base64.b64encode(data).decode('ascii')}"
            for name, data in resources.items()}
    with tempfile.TemporaryDirectory() as tmp:
        if word and not isinstance(reference, Path):
            (Path(tmp) / "reference.docx").write_bytes(reference or b"")
            reference = Path(tmp) / "reference.docx"
        facts, docx = convert(_request(markdown, uris, word, html, str(reference) if word else None))
    _refuse(facts["facts"], resources)
    return Written(docx if word else None, facts.get("html") if html else None, {uri: name for name, uri in uris.items()})


def _request(markdown: str, uris: dict[str, str], word: bool, html: bool, reference: str | None) -> dict[str, Any]:
    """What pandoc_worker.lua is asked: the Markdown, how to read it, the pictures and which documents to write."""
    return {"markdown": markdown, "from": PANDOC_MARKDOWN, "east_asian": EAST_ASIAN, "images": uris,
            "depth": MAX_MARKDOWN_TREE_DEPTH, "word": word, "html": html} | ({"reference": reference} if reference else {})


def warm_up(word: bool, html: bool) -> None:
    """This process's pandoc started now and given a line of text to write as the report will be written (pandoc's
    own styles): a one-unit command calls it first, so that pandoc's start and its first-conversion set-up overlap the
    program's loading (its answer is let go)."""
    start_early(_request("预热", {}, word, html, None))


def _refuse(facts: dict[str, Any], resources: dict[str, bytes]) -> None:
    """What safe_tree.lua found and Python decides: a tree too deep, raw content that is not layout, missing pictures."""
    if facts["depth"] > MAX_MARKDOWN_TREE_DEPTH:
        raise UnsafeMarkdown(f"报告的 Markdown 嵌套层次过多（列表、引用等一层套一层，超过了 {MAX_MARKDOWN_TREE_DEPTH // 3} 层左右）；"
                             "请检查模板或叙述文字中是否有大量重复的“- ”“> ”“1. ”等标记")
    for fmt, text in facts["raw"] or ():
        _raw(fmt, text)
    if facts["attributes"]:  # safe_tree.lua drops them where Markdown can set them: this is the check that it did
        raise UnsafeMarkdown("报告的 Markdown 中有不允许的属性：" + "、".join(dict.fromkeys(facts["attributes"]))
                             + "；只能使用 custom-style、width、height")
    if facts["missing"]:
        raise MissingImage("报告引用了没有生成的图片：" + "、".join(dict.fromkeys(facts["missing"]))
                           + "；报告只能显示程序生成的图表：" + ("、".join(sorted(resources)) or "无"))


def _raw(fmt: str, text: str) -> None:
    if fmt == "openxml" and _layout_only(text):
        return
    shown = " ".join(text.split())[:80]
    raise UnsafeMarkdown(f"报告模板中有不允许的原始 {fmt} 内容：“{shown}”；模板只能写 Markdown，原始 Word XML"
                        "（```{=openxml}）只能含段落、文字、分页、分节等版式元素，不能含域代码、超链接、图片或对象")


def _layout_only(text: str) -> bool:
    """Raw Word XML of the layout elements only, in the w: namespace, with no relationship ids."""
    from lxml import etree  # only a template that writes raw Word XML needs it
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
