"""What a form's cells say: a number, a label with its weight (产出指标（50分）), a target with comparator and unit."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..inputs.cells import decimal_text
from .grid import plain

LEADING_NUMBER = re.compile(r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?")  # a number followed by its unit: 126,540剂次
EMPTY = {"", "—", "-", "–", "/", "／", "无", "——", "\\"}
WEIGHT_IN_LABEL = re.compile(r"^(.*?)[(（【\[]?(?:分值|权重)?[:：]?(\d+(?:\.\d+)?)分[)）】\]]?$")
CONTINUED = re.compile(r"[(（\[【]续表?[)）\]】]$")  # 产出指标（续）: the label printed again after a page break
ORDINAL = re.compile(r"^(?:指标)?\d+(?:[:：、]|\.(?!\d))\s*|^[(（]\d+[)）]\s*")
# a comparator written before the value, longest first; > and < are read as ≥ and ≤ (a form has no strict target)
BEFORE = (("大于或等于", "≥"), ("小于或等于", "≤"), ("大于等于", "≥"), ("小于等于", "≤"), (">=", "≥"), ("<=", "≤"),
          ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"), ("不高于", "≤"), ("不超过", "≤"),
          ("不多于", "≤"), ("不大于", "≤"), ("≥", "≥"), ("≧", "≥"), ("≤", "≤"), ("≦", "≤"), ("=", "="), ("等于", "="),
          (">", "≥"), ("<", "≤"), ("大于", "≥"), ("高于", "≥"), ("小于", "≤"), ("低于", "≤"), ("达到", "≥"))
AFTER = (("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"))
YES_NO = {"是", "否"}
YUAN = Decimal(10000)


def number(text: str) -> Decimal | None:
    """A plain number, or None for an empty cell ("", —, /); ValueError for anything else. 10分 and 12.5% read as 10, 12.5."""
    value = plain(text)
    if value in EMPTY:
        return None
    for suffix in ("分", "%"):
        value = value.removesuffix(suffix)
    return Decimal(decimal_text(value))  # the reader of every typed number; ValueError (Unreadable) when it refuses


def amount(text: str, in_yuan: bool = False) -> Decimal | None:
    """An amount in 万元, whatever unit it is written in: 150万 and 150万元 are 150, 1,500元 is 0.15; a bare number is
    in the table's unit (元 where in_yuan). None for an empty cell; ValueError for anything else."""
    value = plain(text)
    if value in EMPTY:
        return None
    for suffix, scale in (("万元", 1), ("万", 1), ("元", YUAN), ("", YUAN if in_yuan else 1)):
        if value.endswith(suffix) and value != suffix:
            return Decimal(decimal_text(value[: len(value) - len(suffix)])) / scale
    raise ValueError(text)


def filled(text: str) -> bool:
    """Whether a cell holds something, a number or not: not blank, —, / and the like."""
    return plain(text) not in EMPTY


def _folded(text: str) -> tuple[str, list[int]]:
    """The text as plain() compares it, and for each of its characters the position of the one it came from."""
    folded, origin = [], []
    for position, character in enumerate(text):
        for part in plain(character):
            folded.append(part)
            origin.append(position)
    return "".join(folded), origin


def label(text: str) -> tuple[str, Decimal | None]:
    """An indicator's name and the weight printed inside it: 产出指标（50分） → (产出指标, 50); 指标1：… loses its ordinal, （续） its
    mark. The name keeps its own characters (full-width （，） stay full-width); only the marks around it are dropped."""
    original = " ".join(text.split())
    folded, origin = _folded(original)
    start, end, weight = 0, len(folded), None
    if match := CONTINUED.search(folded):
        end = match.start()
    if (match := WEIGHT_IN_LABEL.match(folded[:end])) and match.group(1):
        end, weight = match.end(1), Decimal(match.group(2))
    if match := ORDINAL.match(folded[:end]):
        start = match.end()
    while end > start and folded[end - 1] in ":：":
        end -= 1
    if start >= end:
        return "", weight
    return original[origin[start]: origin[end - 1] + 1].strip(), weight


@dataclass(frozen=True)
class Target:
    comparator: str  # ≥ ≤ = 是否 定性, as indicators.csv takes it
    value: str  # the number as text, 是/否, or the qualitative target itself
    unit: str = ""
    assumed: bool = False  # a number printed without a comparator, read as ≥


def target(text: str) -> Target | None:
    """年度指标值 as printed: ≥95%, 不少于10项, 100%, 是, 明显提升; None for an empty cell."""
    value = plain(text)
    if value in EMPTY:
        return None
    if value in YES_NO:
        return Target("是否", value)
    word, comparator = next(((w, symbol) for w, symbol in BEFORE if value.startswith(w)), ("", None))
    rest = value[len(word):]
    for word, symbol in AFTER:
        if comparator is None and rest.endswith(word):
            comparator, rest = symbol, rest[: -len(word)]
    match = LEADING_NUMBER.match(rest)
    if match is None:
        return Target("定性", tidy_text(text))
    unit = rest[match.end():]
    if any(ch.isdigit() for ch in unit):
        return Target("定性", tidy_text(text))
    return Target(comparator or "≥", match.group().replace(",", ""), unit, comparator is None)


def actual(text: str, unit: str) -> str:
    """实际完成值 as indicators.csv takes it: 126,540剂次 → 126540 where the number leads; other text kept."""
    value = plain(text)
    if value in EMPTY:
        return ""
    match = LEADING_NUMBER.match(value)
    if match is None:
        return tidy_text(text)
    rest = value[match.end():]
    if rest == "" or rest == unit or rest in ("%", "分") or not any(ch.isdigit() for ch in rest):
        return match.group().replace(",", "")
    return tidy_text(text)


def tidy_text(text: str) -> str:
    return " ".join(text.split())
