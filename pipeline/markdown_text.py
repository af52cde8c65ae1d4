"""Markdown as these reports need it: escaping data, Chinese heading numbers, numbered table captions."""
from __future__ import annotations

import re

# characters pandoc's Markdown reads as syntax inside running text
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~^$@#])")
_LINE_START = re.compile(r"^(\s*)([+\-=>]|\d+[.)])(\s)", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

CN_DIGITS = "零一二三四五六七八九"
HEADING = re.compile(r"^(#{2,5}) (.*?)(\s*\{-\})?$")
CAPTION = re.compile(r"^Table: (.*)$")


def escape(text: object) -> str:
    """Data put into Markdown stays literal text: no emphasis, no table split, no raw HTML."""
    value = _CONTROL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    value = _SPECIAL.sub(r"\\\1", value)
    value = _LINE_START.sub(r"\1\\\2\3", value)
    return value.replace("\n", " ")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (headings rarely pass 99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def _prefix(level: int, n: int) -> str:
    return {2: f"{chinese_number(n)}、", 3: f"（{chinese_number(n)}）", 4: f"{n}.", 5: f"（{n}）"}[level]


def number_headings(text: str) -> str:
    """## → 一、, ### → （一）, #### → 1., ##### → （1）; a heading ending in {-} is left unnumbered.

    Table captions ("Table: 名称") are numbered 表<chapter>-<n> within numbered chapters, 附表<n> elsewhere.
    """
    counters = {2: 0, 3: 0, 4: 0, 5: 0}
    chapter, tables, annex_tables, in_annex = 0, 0, 0, False
    out = []
    for line in text.split("\n"):
        heading = HEADING.match(line)
        caption = CAPTION.match(line)
        if heading:
            marks, title, unnumbered = heading.groups()
            level = len(marks)
            if unnumbered:
                out.append(f"{marks} {title}")
                if level == 2:
                    in_annex = True
                continue
            counters[level] += 1
            for deeper in range(level + 1, 6):
                counters[deeper] = 0
            if level == 2:
                chapter, tables, in_annex = counters[2], 0, False
            out.append(f"{marks} {_prefix(level, counters[level])}{title}")
        elif caption:
            if in_annex or chapter == 0:
                annex_tables += 1
                label = f"附表{annex_tables}"
            else:
                tables += 1
                label = f"表{chapter}-{tables}"
            out.append(f"Table: {label} {caption.group(1)}")
        else:
            out.append(line)
    return "\n".join(out)


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
    """The .md a person reads: a caption as a bold line rather than pandoc's 'Table:' syntax."""
    return re.sub(r"^Table: (.*)$", r"**\1**", text, flags=re.MULTILINE)
