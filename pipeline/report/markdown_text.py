"""Markdown as these reports need it: escaping data, Chinese heading numbers, numbered table captions."""
from __future__ import annotations

import re

from ..errors import TemplateError
from ..inputs.cells import CONTROL

# characters pandoc's Markdown reads as syntax inside running text
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~^$@#{}])")
_LINE_START = re.compile(r"^(\s*)([+\-=>:]|\d+[.)]|\(\w+\)|Table:)(\s|$)", re.MULTILINE)

# The Markdown we read. Off: everything that would let text act as something other than text — raw HTML and TeX,
# math, YAML metadata and title blocks, citations, notes, definition and example lists, line blocks, super- and
# subscripts, task lists. Raw blocks (```{=openxml}) stay for templates; markdown_ast checks what they hold.
PANDOC_MARKDOWN = ("markdown+east_asian_line_breaks-smart-raw_html-raw_tex-tex_math_dollars-latex_macros"
                   "-yaml_metadata_block-pandoc_title_block-citations-footnotes-inline_notes-example_lists"
                   "-definition_lists-line_blocks-superscript-subscript-task_lists-native_divs-native_spans"
                   "-markdown_in_html_blocks")

# narrative text: what a unit types in unit.yaml is text; only lists, *emphasis*, ###, #### and ##### headings, pipe tables
# and [[表:key]] references are read as Markdown, every other mark is escaped
_NARRATIVE_SPECIAL = re.compile(r"(\[\[(?:表|图):[\w-]+\]\])|([\\`$<>&\[\]{}~^@_])")
_NARRATIVE_HEADING = re.compile(r"^ {0,3}(#{3,5})[ \t]+(.*?)(\s*\{-\})?\s*$")
_RULE = re.compile(r"^\s*([-=*_])(?:\s*\1)*\s*$")  # a rule, or the underline that makes the line above a heading
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]|\(\d+\)|[a-zA-Z][.)])\s")

CN_DIGITS = "零一二三四五六七八九"
HEADING = re.compile(r"^(#{2,5}) (.*?)(\s*\{-\})?$")
CAPTION = re.compile(r"^Table: (.*?)(?:\s*\[\[#([\w-]+)\]\])?$")
FIGURE = re.compile(r"^!\[(.*?)(?:\s*\[\[#([\w-]+)\]\])?\](\(.*)$")
REFERENCE = re.compile(r"\[\[(表|图):([\w-]+)\]\]")


class UnknownReference(TemplateError):
    """Text refers to a table or figure that the report does not have."""


def escape(text: object) -> str:
    """Data put into Markdown stays literal text: no emphasis, no table split, no raw HTML, no attributes."""
    value = CONTROL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    value = _SPECIAL.sub(r"\\\1", value)
    value = _LINE_START.sub(lambda m: m.group(1) + _escaped_mark(m.group(2)) + m.group(3), value)
    return value.replace("\n", " ")


def _escaped_mark(mark: str) -> str:
    return "Table\\:" if mark == "Table:" else "\\" + mark


def narrative_text(text: str) -> str:
    """A unit's text as Markdown that shows exactly what it typed, with only the documented subset read as Markdown:
    paragraphs, lists, *emphasis*, ### to ##### headings, pipe tables and [[表:key]]. Backslashes, backticks, $,
    <, &, brackets, braces and the like stay characters (no raw blocks, TeX, links, images or attributes)."""
    lines = CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    out: list[str] = []
    in_list = False
    for number, line in enumerate(lines):
        after_blank = number == 0 or not lines[number - 1].strip()
        in_list = bool(_LIST_ITEM.match(line)) or (in_list and not (after_blank and line[:1] not in (" ", "")))
        if after_blank and not in_list and line.startswith("    "):
            line = line.lstrip()  # not a code block: the text of a paragraph that happens to be indented
        out.append(_narrative_line(line))
    return "\n".join(out)


def _narrative_line(line: str) -> str:
    heading = _NARRATIVE_HEADING.match(line)
    if heading:
        marks, title, unnumbered = heading.groups()
        return f"{marks} {_narrative_inline(title)}{' {-}' if unnumbered else ''}"
    line = _narrative_inline(line)
    if _RULE.match(line):
        return re.sub(r"^(\s*)(\S)", r"\1\\\2", line)
    # '#' (a heading of another level), ':' (a caption or definition) and 'Table:' (a caption) at the start are text
    return re.sub(r"^(\s*)(#|:|Table:)", lambda m: m.group(1) + _escaped_mark(m.group(2)), line)


def _narrative_inline(line: str) -> str:
    return _NARRATIVE_SPECIAL.sub(lambda m: m.group(1) or "\\" + m.group(2), line)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (headings rarely pass 99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def chinese_count(n: int) -> str:
    """A count as written before a measure word: 2 个 → 两个, otherwise as chinese_number."""
    return "两" if n == 2 else chinese_number(n)


def heading_prefix(level: int, n: int) -> str:
    """The number a heading of this Markdown level carries: 2 → 一、, 3 → （一）, 4 → 1., 5 → （1）."""
    return {2: f"{chinese_number(n)}、", 3: f"（{chinese_number(n)}）", 4: f"{n}.", 5: f"（{n}）"}[level]


def number_headings(text: str) -> str:
    """## → 一、, ### → （一）, #### → 1., ##### → （1）; a heading ending in {-} is left unnumbered.

    Table captions ("Table: 名称 [[#key]]") and figures ("![名称 [[#key]]](file)") are numbered 表<chapter>-<n> and
    图<chapter>-<n> in numbered chapters, 附表<n>/附图<n> elsewhere; [[表:key]] and [[图:key]] in the text become
    those numbers. A table without a name under an annex heading (附件：评分表) is the annex itself: it prints no
    caption, and the text refers to it by the annex's label (附件).
    """
    text = drop_empty_headings(text)
    counters = {2: 0, 3: 0, 4: 0, 5: 0}
    chapter, in_annex = 0, False
    per_chapter = {"表": 0, "图": 0}
    annex = {"表": 0, "图": 0}
    labels: dict[tuple[str, str], str] = {}
    out = []
    annex_label = ""  # 附件 of “附件：评分表”, the unnumbered chapter heading above

    def label(kind: str, key: str | None) -> str:
        if in_annex or chapter == 0:
            annex[kind] += 1
            name = f"附{kind}{annex[kind]}"
        else:
            per_chapter[kind] += 1
            name = f"{kind}{chapter}-{per_chapter[kind]}"
        if key:
            labels[(kind, key)] = name
        return name

    for line in text.split("\n"):
        heading, caption, figure = HEADING.match(line), CAPTION.match(line), FIGURE.match(line)
        if heading:
            marks, title, unnumbered = heading.groups()
            level = len(marks)
            if unnumbered:
                out.append(f"{marks} {title}")
                in_annex = in_annex or level == 2
                if level == 2:
                    annex_label = re.split("[：:]", title, maxsplit=1)[0].strip() if re.search("[：:]", title) else ""
                continue
            counters[level] += 1
            for deeper in range(level + 1, 6):
                counters[deeper] = 0
            if level == 2:
                chapter, in_annex = counters[2], False
                per_chapter = {"表": 0, "图": 0}
            out.append(f"{marks} {heading_prefix(level, counters[level])}{title}")
        elif caption and in_annex and annex_label and not caption.group(1).strip():
            if caption.group(2):
                labels[("表", caption.group(2))] = annex_label
        elif caption:
            out.append(f"Table: {label('表', caption.group(2))} {caption.group(1)}")
        elif figure:  # a paragraph of its own: pandoc makes it a figure with its caption under it
            out.extend(["", f"![{label('图', figure.group(2))} {figure.group(1)}]{figure.group(3)}", ""])
        else:
            out.append(line)

    def resolve(match: re.Match) -> str:
        found = labels.get((match.group(1), match.group(2)))
        if found is None:
            raise UnknownReference(f"引用了报告中没有的{match.group(1)}：{match.group(2)}；现有："
                                   + "、".join(f"{k}:{v}" for k, v in labels) )
        return found

    return REFERENCE.sub(resolve, "\n".join(out))


def drop_empty_headings(text: str) -> str:
    """Without a heading that has nothing under it (no text, no deeper heading kept) before the next one of its
    level or higher: a chapter left empty by missing data leaves no numbered title behind."""
    kept: list[str] = []
    content, next_level = False, 1  # the end of the document closes every level
    for line in reversed(text.split("\n")):
        heading = HEADING.match(line)
        if heading is None:
            content = content or bool(line.strip())
            kept.append(line)
            continue
        level = len(heading.group(1))
        if content or next_level > level:
            kept.append(line)
            content, next_level = False, level
    return "\n".join(reversed(kept))


def tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line == "" and (not kept or kept[-1] == ""):
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n") + "\n"


def for_readers(text: str) -> str:
    """The .md a person reads: captions as bold lines, no Word-only markup (custom styles, page breaks)."""
    text = re.sub(r"^```\{=openxml\}\n.*?\n```\n?", "", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"^::: \{custom-style=\"[^\"]*\"\}\n|^:::\n", "", text, flags=re.MULTILINE)
    return tidy(re.sub(r"^Table: (.*)$", r"**\1**", text, flags=re.MULTILINE))
