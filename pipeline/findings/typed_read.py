"""Numbers as people write them in a report's narrative: 3,000.00 万元, 36000元, 1.5亿元, 98.22%, 百分之五十六,
一百二十人, 11.85万名; each with its unit, whether it is a condition (超过10%、不低于90%、10%以上、5-10人) rather
than a value, and the direction of a change written before it (增长/下降 12%). One pass over the text: linear in
its length and in the number of numbers. And the text without its quotations ({{ … }}, {% … %}): they state
figures from data and are not checked."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..figures.quantity import MONEY
from .chinese_numerals import read_chinese_number

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
SCALE = {"": Decimal(1), **{unit[:-1]: factor for unit, factor in MONEY.items() if unit != "元"}}  # 3.6万 元
PERCENT = ("%", "‰")
POINTS = ("个百分点", "百分点")
COUNTS = ("人次", "剂次", "人", "名", "位", "个", "项", "次", "家", "所", "篇", "台", "张", "例", "份", "场", "户", "套", "间")
# kinds of count written with different words for the same thing
SAME_COUNT = ({"人", "名", "位"}, {"个", "项"})
UNIT = "|".join(sorted([*MONEY, *PERCENT, *POINTS, "分", *COUNTS], key=len, reverse=True))
TOKEN = re.compile(
    r"(?P<percent>百分之)?"
    r"(?P<num>(?<![\dA-Za-z.,_])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,.]\d)|[" + CN_DIGITS + r"]+(?:点[" + CN_DIGITS + r"]+)?)"
    r"\s*(?P<scale>[千万亿](?!元))?\s*(?P<unit>" + UNIT + r")?")
# a number that is a date, an ordinal or a label, never a quantity
NOT_QUANTITY_AFTER = re.compile(r"\s*(?:年(?!度)|月|日|号|时|岁|级|期|届|版|楼|[A-Za-z])")
CONDITION_BEFORE = re.compile(r"(?:超过|不低于|不少于|不高于|不超过|不足|高于|低于|大于|小于|多于|少于|至少|最多|最高|最低|"
                              r"力争|争取|约|近|逾|超|将近|接近|≥|≤|>|<|＞|＜|±)\s*$")
CONDITION_AFTER = re.compile(r"\s*(?:以上|以下|以内|之内|左右|上下|余|多|不等|[-—–~～至到]\s*[\d" + CN_DIGITS + r"])")
RANGE_BEFORE = re.compile(r"[\d" + CN_DIGITS + r"%]\s*[-—–~～至到]\s*$")
# 增长12% is a change; 增长到/至/为12% is the level reached
CHANGE_BEFORE = re.compile(r"(增长|增加|提高|上升|提升|增|下降|减少|降低|下滑|回落|减)(?:了|达)?\s*$")
QUOTES = {"{{": "}}", "{%": "%}"}  # what opens a quotation of a figure or a template tag → what closes it
FALLING = ("下降", "减少", "降低", "下滑", "回落", "减")


@dataclass(frozen=True)
class Typed:
    text: str  # as written, with its unit
    number: Decimal  # the number as written, before its unit
    places: int  # decimals written
    kind: str  # 金额 / 百分比 / 百分点 / 分 / 个数 / "" (no unit)
    unit: str  # the unit as written: 万元, %, 人, …
    factor: Decimal  # how many of the base unit (元 for money, 1 otherwise) one written unit is
    start: int
    end: int
    condition: bool  # a threshold or a range bound, not a value
    direction: int  # +1 after 增长/提高…, -1 after 下降/减少…, 0 otherwise

    def in_base(self) -> Decimal:
        """The value in 元 for money, as written otherwise."""
        return self.number * self.factor


def normal(text: str) -> str:
    """Full-width digits, ％ and spaces as the ASCII a number reader expects."""
    return unicodedata.normalize("NFKC", text)


def _kind(unit: str, percent: bool) -> str:
    if percent or unit in PERCENT:
        return "百分比"
    if unit in POINTS:
        return "百分点"
    if unit in MONEY:
        return "金额"
    if unit == "分":
        return "分"
    return "个数" if unit in COUNTS else ""


def numbers(text: str) -> list[Typed]:
    """Every quantity written in text (already normal()), in order."""
    found: list[Typed] = []
    for match in TOKEN.finditer(text):
        written, percent, unit = match.group("num"), bool(match.group("percent")), match.group("unit") or ""
        scale = match.group("scale") or ""
        arabic = written[0].isdigit()
        if not arabic and not (percent or unit):
            continue  # 一是、统一、三驾马车: words, not numbers
        if NOT_QUANTITY_AFTER.match(text, match.end("num")) and not (scale or unit) or text[:match.start()].endswith("第"):
            continue
        number: Decimal | None
        if arabic:
            number = Decimal(written.replace(",", ""))
        else:
            number = read_chinese_number(written)
            if number is None and written[-1] in "千万亿" and unit and not scale:
                written, scale = written[:-1], written[-1]  # 三点六万元: 三点六 of 万元
                number = read_chinese_number(written)
            if number is None:
                continue
        if unit in MONEY and scale:
            unit = scale + unit  # 3.6万 元
        factor = MONEY.get(unit, SCALE[scale] if unit not in MONEY else Decimal(1))
        places = len(written.split(".")[1]) if arabic and "." in written else _decimals(number)
        before = text[:match.start()]
        condition = bool(CONDITION_BEFORE.search(before[-6:]) or RANGE_BEFORE.search(before[-8:])
                         or CONDITION_AFTER.match(text, match.end()))
        change = CHANGE_BEFORE.search(before[-4:])
        direction = 0 if change is None else (-1 if change.group(1) in FALLING else 1)
        found.append(Typed(match.group(0).strip(), number, places, _kind(unit, percent), "%" if percent else unit,
                           factor, match.start(), match.end(), condition, direction))
    return found


def _decimals(number: Decimal) -> int:
    """The decimals a number read from text was written with: 3.60 → 2, 三点六 → 1."""
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def same_count(a: str, b: str) -> bool:
    """人 and 名 count the same thing; 人 and 人次 do not."""
    return a == b or any(a in group and b in group for group in SAME_COUNT)


def unquoted(text: str) -> str:
    """The text without its {{ … }} and {% … %}, in one pass: a regex would scan to the end from every unclosed {{."""
    parts, kept = [], 0
    starts = {mark: text.find(mark) for mark in QUOTES}  # the next of each kind, found again only once passed
    while True:
        starts = {mark: start if start >= kept else text.find(mark, kept) for mark, start in starts.items()}
        starts = {mark: start for mark, start in starts.items() if start >= 0}
        if not starts:
            break
        mark = min(starts, key=starts.__getitem__)
        end = text.find(QUOTES[mark], starts[mark] + 2)
        if end < 0:  # never closed: no later one of this kind is either
            del starts[mark]
            continue
        parts.append(text[kept:starts[mark]])
        kept = end + 2
    return "".join(parts) + text[kept:]
