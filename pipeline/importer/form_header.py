"""The labelled cells around a 自评表's tables: 项目名称 | …, 项目负责人：罗建　财务负责人：陈芳, 自评等级：优, 单位：万元."""
from __future__ import annotations

import re

from ..errors import Location
from .columns import header_text
from .grid import Row, plain, tidy
from .wording import HEADER_KEYS, SUBTOTAL_WORDS, TOTAL_WORDS

SIGNERS = ("填报人", "单位负责人", "填报日期")
# key：value, the next key starting after white space (full-width spaces too): 项目负责人：罗建　　财务负责人：陈芳
INLINE = re.compile(r"([^\s:：]{1,16}?)\s*[:：]\s*(.*?)(?=\s+[^\s:：]{1,16}\s*[:：]|$)", re.S)
KNOWN = {n for names in HEADER_KEYS.values() for n in names}


def inline_pairs(text: str) -> list[tuple[str, str]]:
    """(key words, value as written) of each key：value in one cell; the value keeps its characters."""
    return [(header_text(key), " ".join(value.split())) for key, value in INLINE.findall(tidy(text))]


def pairs(row: Row) -> list[tuple[str, str, int]]:
    """(key words, value, how many cells it took) for each labelled cell: 项目名称 | 高水平医院建设, or 项目名称：… in one cell."""
    cells = [t for _, t in row.distinct() if t]
    out, skip = [], False
    for i, text in enumerate(cells):
        if skip:
            skip = False
            continue
        inline = inline_pairs(text) if re.search(r"[:：]\s*\S", text) else []
        if inline:
            out += [(key, value, 1) for key, value in inline]
        elif i + 1 < len(cells) and not re.search(r"[:：]\s*\S", cells[i + 1]):
            out.append((header_text(text), tidy(cells[i + 1]), 2))
            skip = True
        else:
            out.append((header_text(text), "", 1))
    return out


def read_labels(form, row_or_text: Row | str, where: Location | str) -> None:
    """Header keys, signers, the grade and the money unit taken from a row (or a line under the tables); what is
    labelled but has no place in the unit is listed as not imported."""
    found = pairs(row_or_text) if isinstance(row_or_text, Row) else [(k, v, 1) for k, v in inline_pairs(row_or_text)]
    for words, value, _ in found:
        if words.startswith(TOTAL_WORDS + SUBTOTAL_WORDS):
            continue  # the total row's figures are read by the form
        key = next((k for k, names in HEADER_KEYS.items() if words in names), None)
        if key is not None:
            if value and key not in form.header and header_text(value) not in KNOWN:
                form.header[key] = value
        elif words in SIGNERS:
            form.signer.setdefault(words, value)
        elif words.endswith("等级") and 0 < len(plain(value)) <= 4:
            form.grade = form.grade or plain(value)
        elif words in ("单位", "金额单位") and plain(value) in ("万元", "元"):
            form.in_yuan = plain(value) == "元"
        elif value:  # 财务负责人 and the like: read, but the unit has no place for them
            form.unread.append(f"{where}：{words}“{value}”")
