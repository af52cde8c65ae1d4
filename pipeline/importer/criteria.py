"""A 评分标准 as printed, read into a rule where it states one the tool knows: ×分值 → ratio, 每…扣…分 → deduction, tiers."""
from __future__ import annotations

import re
from decimal import Decimal

from pydantic import ValidationError

from ..inputs import models as m
from ..inputs.framework_checks import rule_problems
from ..inputs.measures import MEASURES
from .grid import plain

N = r"(\d+(?:\.\d+)?)"
POINTS = re.compile(r"(?:得|计|给|记|赋)?" + N + r"分")
PER_POINT = re.compile(r"超(?:过|出)" + N + r"%?的?部分?,?每(?:超过|超出|超)?(?:1|一)?个?百分点扣(?:减|除)?" + N + "分")
PER_ITEM = re.compile(r"(?:每|(?:一|1)(?:项|个|次|处|例|起|件|份|条|人次))[^扣;。]{0,24}扣(?:减|除)?" + N + "分")
RATIO = re.compile(r"[×xX*]|乘以")
RATIO_BASE = re.compile(r"分值|权重|满分|本项分|该项分|该指标分|" + N + "分?$")
RANGE = re.compile(N + r"%?(\(含\)|\(不含\))?(?:-|~|～|—|–|至|到)" + N + r"%?(\(含\)|\(不含\))?")
GE = re.compile(r"(大于或等于|大于等于|不低于|不少于|不小于|≥|>=|≧|达到|高于|大于|超过|>)" + N)
LE = re.compile(r"(小于或等于|小于等于|不高于|不超过|不多于|不大于|≤|<=|≦|低于|小于|不足|未达到|<)" + N)
GE_AFTER = re.compile(N + r"%?(?:\(含\))?(?:及以上|以上)")
LE_AFTER = re.compile(N + r"%?(?:\(含\))?(?:及以下|以下|以内)")
OTHERWISE = ("其余", "其他", "其它", "否则", "未达到", "不达标", "未完成", "不满足")
STRICT = {"高于", "大于", "超过", ">", "低于", "小于", "不足", "未达到", "<"}


def measure_named(text: str) -> str | None:
    """The longest measure name the text mentions (预算执行率 rather than 执行率)."""
    found = [name for name in MEASURES if name in text]
    return max(found, key=len) if found else None


def _condition(chunk: str):
    """(kind, bounds) of a tier's condition: ge/le with (value, strict), range with (low, low excluded, high, high included)."""
    if match := RANGE.search(chunk):
        low, low_mark, high, high_mark = match.groups()
        return "range", (Decimal(low), low_mark == "(不含)", Decimal(high), high_mark == "(含)")
    found = [(match.start(), kind, match) for pattern, kind in ((GE, "ge"), (LE, "le")) if (match := pattern.search(chunk))]
    if found:  # the earlier word wins: 不超过 is ≤ although it holds 超过
        _, kind, match = min(found, key=lambda f: f[0])
        return kind, (Decimal(match.group(2)), match.group(1) in STRICT)
    for pattern, kind in ((GE_AFTER, "ge"), (LE_AFTER, "le")):
        if match := pattern.search(chunk):
            return kind, (Decimal(match.group(1)), False)
    return None


def _chunks(text: str) -> list[tuple[str, Decimal]]:
    """Pieces of the text that each end in a number of points: (what comes before, the points)."""
    out, current = [], ""
    for piece in re.split(r"[;。\n,]", text):
        current += piece
        found = list(POINTS.finditer(current))
        if found:
            out.append((current[: found[-1].start()], Decimal(found[-1].group(1))))
            current = ""
    return out


def _tiers(text: str) -> list[dict] | None:
    parsed = []
    for before, points in _chunks(text):
        condition = _condition(before)
        if condition is None and not any(word in before for word in OTHERWISE):
            return None
        parsed.append((condition, points))
    if len(parsed) < 2 or any(c is None for c, _ in parsed[:-1]):
        return None
    # where two bounds are equal (≤10% then >10%) the ≤ side is the lower
    middle = [(b[0] if k != "range" else (b[0] + b[2]) / 2, {"le": 0, "range": 1, "ge": 2}[k])
              for (k, b), _ in (p for p in parsed if p[0] is not None)]
    falling = all(a > b for a, b in zip(middle, middle[1:]))
    if not falling and not all(a < b for a, b in zip(middle, middle[1:])):
        return None
    tiers = []
    for i, ((kind, bounds), points) in enumerate(parsed[:-1]):
        if falling and kind == "ge":
            tiers.append({"条件": f"{'>' if bounds[1] else '>='} {bounds[0]}", "得分": points})
        elif falling and kind == "range":
            tiers.append({"条件": f"{'>' if bounds[1] else '>='} {bounds[0]}", "得分": points})
        elif not falling and kind == "le":
            tiers.append({"条件": f"{'<' if bounds[1] else '<='} {bounds[0]}", "得分": points})
        elif not falling and kind == "range":
            following = parsed[i + 1][0]
            closed = bounds[3] or (following is not None and following[0] == "ge" and following[1][1])
            tiers.append({"条件": f"{'<=' if closed else '<'} {bounds[2]}", "得分": points})
        else:
            return None
    last, points = parsed[-1]
    complement = last is None or (last[0] == "le" if falling else last[0] == "ge")
    if complement:
        tiers.append({"得分": points})
    else:
        tiers += _tiers_tail(last, points, falling)
    return tiers


def _tiers_tail(last, points: Decimal, falling: bool) -> list[dict]:
    """A last tier that is not the rest (≥80%–90% and no word of below): kept with its bound, and nothing below it scores."""
    kind, bounds = last
    bound = bounds[0] if falling else (bounds[2] if kind == "range" else bounds[0])
    op = (">" if bounds[1] else ">=") if falling else ("<=" if kind == "range" and bounds[3] or kind == "le" and not bounds[1] else "<")
    return [{"条件": f"{op} {bound}", "得分": points}, {"得分": Decimal(0)}]


def rule_for(text: str, weight: Decimal) -> dict | None:
    """The rule the 评分标准 states, as a framework writes it, if it fits the weight; None where it states none the tool knows."""
    words = plain(text).replace("不得分", "得0分").replace("满分", f"{weight}分")
    measure = measure_named(words)
    rule: dict | None = None
    if (match := PER_POINT.search(words)) and measure:
        rule = {"类型": "deduction", "测算指标": measure, "上限": Decimal(match.group(1)), "每点扣分": Decimal(match.group(2))}
    elif tiers := _tiers(words):
        rule = {"类型": "tiers", **({"测算指标": measure} if measure else {}), "分档": tiers}
    elif "百分点" not in words and (match := PER_ITEM.search(words)):  # per point without a measure and limit: manual
        rule = {"类型": "deduction", "每项扣分": Decimal(match.group(1))}
    elif RATIO.search(words) and any(RATIO_BASE.search(part) for part in RATIO.split(words)[1:]):
        rule = {"类型": "ratio", **({"测算指标": measure} if measure else {})}
    if rule is None:
        return None
    try:
        node = m.Node.model_validate({"编号": "x", "名称": "x", "权重": weight, "规则": rule})
    except ValidationError:
        return None
    return None if node.rule is None or rule_problems(node.rule, node.weight) else rule
