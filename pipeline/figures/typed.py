"""Numbers typed by hand in the narrative, tied by the words before them to the figure they claim, and compared
with it; and 同比 percentages compared with the two figures they are said to follow from."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from ..errors import nth_line
from ..inputs import models as m
from ..limits import MAX_SENTENCE_NUMBERS
from . import numbers as n
from .catalogue import Quotable
from .recheck import ERROR, HINT, Finding

QUOTES = {"{{": "}}", "{%": "%}"}  # what opens a quotation of a figure or a template tag → what closes it
SENTENCE = re.compile(r"[^。；;！？!?\n]+")
# a number as typed in running text: not part of a longer word, a date or a version number
NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d年月日号.,A-Za-z])\s*(%|％|分|万元|人|个|项)?")
CHANGE = re.compile(r"(增长|下降|增加|减少|提高|降低|上升)了?\s*(\d+(?:\.\d+)?)\s*[%％]")
# the unit written after a number → the kinds of figure it can be
UNIT_KINDS = {"%": ("百分比",), "％": ("百分比",), "分": ("分",), "万元": ("金额（万元）",), "人": ("人数或个数",),
              "个": ("人数或个数",), "项": ("人数或个数",), None: ("金额（万元）",)}
# the last words of a figure's name, as a person writes them around the number
ATTRIBUTES = ("得分率", "完成率", "得分", "分值", "扣分", "执行率", "支出率", "控制率", "到位率", "全年预算数",
              "年初预算数", "决算数", "到位数", "已支出")
RULE = "叙述中手写的数与计算结果不符"
RULE_CHANGE = "同比增减率与两年数字不符"


def _subject(name: str) -> tuple[str, str]:
    """A figure's name split into what it is about and which of its figures: 资金支出率得分 → (资金支出率, 得分)."""
    for attribute in ATTRIBUTES:
        if name.endswith(attribute) and len(name) > len(attribute):
            return name[: -len(attribute)], attribute
    return name, ""


def _claim(window: str, kinds: tuple[str, ...], found: dict[str, Quotable]) -> Quotable | None:
    """The figure the words before a number speak of: the longest subject named, its attribute named too."""
    best: tuple[int, Quotable] | None = None
    for q in found.values():
        if q.value is None or q.kind not in kinds:
            continue
        subject, attribute = _subject(q.name)
        if subject not in window or (attribute and attribute not in window and not (attribute == "得分" and "得" in window)):
            continue
        weight = len(subject) + len(attribute)
        if best is None or weight > best[0]:
            best = (weight, q)
    return best[1] if best else None


def _number(whole: str, fraction: str | None) -> Decimal:
    return Decimal(whole.replace(",", "") + (fraction or ""))


def _texts(unit: m.Unit) -> Iterator[tuple[str, str]]:
    for key, value in unit.text.items():
        if isinstance(value, str):
            yield f"正文.{key}", value
        else:
            yield from ((f"正文.{key}.{k}", v) for k, v in value.items())
    for i, issue in enumerate(unit.issues, 1):
        yield f"问题清单[{i}].说明", issue.detail
        yield f"问题清单[{i}].未达标原因", issue.cause


def _place(inputs: m.Inputs, key: str) -> str:
    dotted = key.replace("[", ".").replace("]", "")
    return " ".join(p for p in (inputs.files["unit"], nth_line(inputs.unit_lines.get(dotted)), key) if p)


def _unquoted(text: str) -> str:
    """The text without its {{ … }} and {% … %}, in one pass: a regex would scan to the end from every unclosed {{."""
    parts, kept = [], 0
    starts = {mark: text.find(mark) for mark in QUOTES}  # the next of each kind, found again only once passed
    while True:
        starts = {mark: start if start >= kept else text.find(mark, kept) for mark, start in starts.items()}
        starts = {mark: start for mark, start in starts.items() if start >= 0}
        if not starts:
            break
        mark = min(starts, key=starts.get)
        end = text.find(QUOTES[mark], starts[mark] + 2)
        if end < 0:  # never closed: no later one of this kind is either
            del starts[mark]
            continue
        parts.append(text[kept:starts[mark]])
        kept = end + 2
    return "".join(parts) + text[kept:]


def typed_figures(inputs: m.Inputs, found: dict[str, Quotable]) -> list[Finding]:
    findings: list[Finding] = []
    for key, text in _texts(inputs.unit):
        for sentence in SENTENCE.finditer(_unquoted(text)):
            findings += _sentence(sentence.group(0), found, _place(inputs, key))
    return findings


def _sentence(sentence: str, found: dict[str, Quotable], where: str) -> list[Finding]:
    findings: list[Finding] = []
    numbers = list(NUMBER.finditer(sentence))
    changes = {m.start(2) for m in CHANGE.finditer(sentence)}
    start = 0
    for number in numbers:
        window, start = sentence[start:number.start()], number.end()
        if number.start() in changes or not window.strip():
            continue
        typed = _number(number.group(1), number.group(2))
        claim = _claim(window, UNIT_KINDS.get(number.group(3), ()), found)
        if claim is not None and typed != claim.value:
            quote = f"数.{claim.name}" if claim.name.isidentifier() else f'数["{claim.name}"]'
            findings.append(Finding(ERROR, RULE, f"写作“{number.group(0).strip()}”，计算的{claim.name}为{claim.text}；"
                                    f"改为引用 {{{{ {quote} }}}}", where))
    if len(numbers) > MAX_SENTENCE_NUMBERS:  # its rates are tried on every pair of its numbers: the square of them
        return findings + ([Finding(HINT, RULE_CHANGE, f"句中有 {len(numbers)} 个数字，超过 {MAX_SENTENCE_NUMBERS} 个，"
                                    "其中的增减率未核对；请把句子拆短", where)] if CHANGE.search(sentence) else [])
    for change in CHANGE.finditer(sentence):
        findings += _named_change(sentence, change, found, where) or _change(sentence, change, numbers, where)
    return findings


def _named_change(sentence: str, change: re.Match, found: dict[str, Quotable], where: str) -> list[Finding] | None:
    """增长 12% said of a figure the sentence names (决算数较上年增长12%): compared with its computed 增减率;
    None when the sentence names no figure with a known rate of change."""
    window = sentence[:change.start()]
    named = [q for q in found.values() if q.name.endswith("增减率") and q.value is not None and q.name[:-3] in window]
    if not named:
        return None
    claim = max(named, key=lambda q: len(q.name))
    typed = Decimal(change.group(2)) * (-1 if change.group(1) in ("下降", "减少", "降低") else 1)
    places = max(0, -typed.as_tuple().exponent) if isinstance(typed.as_tuple().exponent, int) else 0
    if claim.value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP") == typed:
        return []
    quote = f"数.{claim.name}" if claim.name.isidentifier() else f'数["{claim.name}"]'
    return [Finding(ERROR, RULE_CHANGE, f"写作“{change.group(0)}”，按两年数字{claim.name}为{claim.text}；"
                    f"改为引用 {{{{ {quote} }}}}", where)]


def _change(sentence: str, change: re.Match, numbers: list[re.Match], where: str) -> list[Finding]:
    """下降 56% beside 1,255 and 61: does any pair of the sentence's other figures give 56%?"""
    typed = Decimal(change.group(2))
    places = -typed.as_tuple().exponent if isinstance(typed.as_tuple().exponent, int) else 0
    step = Decimal(1).scaleb(-places)
    others = [_number(m.group(1), m.group(2)) for m in numbers
              if m.start() != change.start(2) and m.group(3) not in ("%", "％")]
    rates = []
    for a in others:
        for b in others:
            if a is b or b == 0:
                continue
            for rate in (abs(a - b) / b, a / b):
                try:
                    rates.append((rate * n.HUNDRED).quantize(step, rounding="ROUND_HALF_UP"))
                except InvalidOperation:
                    continue
    if len(others) < 2 or typed in rates:
        return []
    closest = min(rates, key=lambda r: abs(r - typed)) if rates else None
    return [Finding(ERROR, RULE_CHANGE, f"写作“{change.group(0)}”，但句中的数字给出的是{closest}%" if closest is not None
                    else f"写作“{change.group(0)}”，句中的数字算不出这一比率", where)]
