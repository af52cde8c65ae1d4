"""One function per rule type (DOMAIN §4): facts in, points between 0 and the weight out, with the reason."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..errors import InputError
from ..inputs import models as m
from ..inputs.cells import percent_text
from ..inputs.measures import SOURCES
from .compute import Figures
from .numbers import HUNDRED, percent, plain, q2, ratio, score

ZERO = Decimal(0)
LIST_SEPARATORS = re.compile(r"[；;、,，\n]+")
SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "≥": "≥", "≤": "≤"}
ALL_ITEMS = {"全部", "全部完成", "全部达到"}


class MissingInput(InputError):
    """A fact the rule needs is absent or unusable; score.py turns it into a located Problem."""

    def __init__(self, column: str, message: str, value: str | None = None, hint: str = "", in_facts: bool = True):
        super().__init__([])
        self.column, self.message, self.value, self.hint, self.in_facts = column, message, value, hint, in_facts


@dataclass(frozen=True)
class Outcome:
    points: Decimal
    standard: str  # 评分标准 as printed in the score table
    inputs: dict[str, str] = field(default_factory=dict)  # what was scored, for audit
    reason: str = ""  # why points were lost; empty at full marks
    rate: Decimal | None = None  # the rate the score rests on (fraction), if any
    status: str = ""  # 实现 / 基本实现 / 未实现 for completion targets


def _number(text: str | None, column: str) -> Decimal:
    try:
        number = Decimal(str(percent_text(text or "")))
        if not number.is_finite():
            raise InvalidOperation(text)
        return number
    except (InvalidOperation, ValueError):
        raise MissingInput(column, "需要数字" if text else "缺少数值，本指标的评分规则需要它", text,
                           "例如 98.5（百分数可写 98.5%）") from None


def _facts(facts: m.IndicatorFacts | None) -> m.IndicatorFacts:
    if facts is None:
        raise MissingInput("指标编号", "缺少本指标的数据行", hint="在 indicators.csv 中为它加一行")
    return facts


def _deducted(node: m.Node, points: Decimal, what: str, facts: m.IndicatorFacts | None) -> str:
    lost = node.weight - points
    if lost <= 0:
        return ""
    note = f"{facts.note.rstrip('。')}。" if facts is not None and facts.note else ""
    return f"{what}，扣{score(lost)}分。{note}"


def _measure_value(rule_measure: str, figures: Figures) -> tuple[Decimal | None, str]:
    measure = figures.measures[rule_measure]
    for part, value in ((measure.numerator, measure.numerator_value), (measure.denominator, measure.denominator_value)):
        if value is None:
            raise MissingInput(part, f"测算“{rule_measure}”需要{SOURCES.get(part, part)}，但未填写", in_facts=False)
    return measure.value, rule_measure


def ratio_rule(node: m.Node, rule: m.RatioRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    if rule.measure:
        rate, label = _measure_value(rule.measure, figures)
        inputs = {"测算指标": label, "比率": percent(rate)}
    else:
        f = _facts(facts)
        actual, target = _number(f.actual, "实际值"), _number(f.target, "目标值")
        rate, label = ratio(actual, target), "实际值/目标值"
        inputs = {"实际值": plain(actual), "目标值": plain(target), "比率": percent(rate)}
    standard = f"{label}×{plain(node.weight)}分，最高{plain(node.weight)}分"
    points = ZERO if rate is None else q2(node.weight * min(rate, Decimal(1)))
    what = f"{label}{percent(rate)}" + ("（分母为0，无法计算）" if rate is None else "") + f"，按“{standard}”计得{score(points)}分"
    return Outcome(points, standard, inputs, _deducted(node, points, what, facts), rate)


def _qualitative(node: m.Node, bands: tuple[m.Band, ...], f: m.IndicatorFacts) -> tuple[Decimal, m.Band]:
    if not f.band:
        raise MissingInput("档次", "定性指标需要选择档次", hint="可选：" + "、".join(b.name for b in bands))
    band = next((b for b in bands if b.name == f.band), None)
    if band is None:
        raise MissingInput("档次", "档次不在评分规则之列", f.band, "可选：" + "、".join(b.name for b in bands))
    if f.score is None:
        raise MissingInput("自评得分", "定性指标需要在所选档次内填写自评得分",
                           hint=f"“{band.name}”档应在 {_band_range(node, band)} 分之间")
    low, high = node.weight * band.lower / HUNDRED, node.weight * band.upper / HUNDRED
    if not low <= f.score <= high:
        raise MissingInput("自评得分", f"得分不在“{band.name}”档的范围内", plain(f.score),
                           f"应在 {_band_range(node, band)} 分之间")
    return f.score, band


def _band_range(node: m.Node, band: m.Band) -> str:
    return f"{score(node.weight * band.lower / HUNDRED)}–{score(node.weight * band.upper / HUNDRED)}"


def _bands_text(bands: tuple[m.Band, ...]) -> str:
    return "；".join(f"{b.name}得{plain(b.lower)}%–{plain(b.upper)}%分值" for b in bands)


def _status(met: bool, rate: Decimal | None, fw: m.Framework) -> str:
    """实现 when the target is met; 基本实现 from the framework's threshold (80% by default); else 未实现."""
    if met:
        return "实现"
    return "基本实现" if rate is not None and rate * HUNDRED >= fw.achieved_at else "未实现"


def completion_rule(node: m.Node, rule: m.CompletionRule, facts: m.IndicatorFacts | None, figures: Figures,
                    fw: m.Framework) -> Outcome:
    f = _facts(facts)
    if f.comparator is None:
        raise MissingInput("比较符", "缺少比较符", hint="可选：≥、≤、=、是否、定性")
    standard = f"完成目标得满分；未完成按完成率×{plain(node.weight)}分计分"
    if f.comparator == "定性":
        points, band = _qualitative(node, rule.bands, f)
        rate = points / node.weight if node.weight else None
        status = _status(points == node.weight, rate, fw)
        return Outcome(points, "定性指标按档次计分：" + _bands_text(rule.bands),
                       {"目标值": f.target or "", "实际值": f.actual or "", "档次": band.name, "自评得分": score(points)},
                       _deducted(node, points, f"自评为“{band.name}”档，得{score(points)}分", f), rate, status)
    if f.comparator == "是否":
        expected, actual = (f.target or "是").strip(), (f.actual or "").strip()
        if actual not in ("是", "否"):
            raise MissingInput("实际值", "是否类指标的实际值应为“是”或“否”", f.actual)
        met = actual == expected
        rate = Decimal(1) if met else ZERO
        points = node.weight if met else ZERO
        return Outcome(points, f"达到得{plain(node.weight)}分，未达到不得分", {"目标值": expected, "实际值": actual},
                       _deducted(node, points, f"目标为“{expected}”，实际为“{actual}”", f), rate,
                       "实现" if met else "未实现")
    target, actual = _number(f.target, "目标值"), _number(f.actual, "实际值")
    if f.comparator == "≥":
        met, rate = actual >= target, ratio(actual, target)
    elif f.comparator == "≤":
        # a reverse target met is complete: target/actual would grow without bound as actual nears 0
        met = actual <= target
        rate = Decimal(1) if met else ratio(target, actual)
    else:
        met = actual == target
        rate = ratio(min(actual, target), max(actual, target)) if actual != target else Decimal(1)
    if rate is None:  # a zero base: met targets are complete, others score nothing
        rate = Decimal(1) if met else ZERO
    points = node.weight if met else q2(node.weight * min(rate, Decimal(1)))
    status = _status(met, rate, fw)
    inputs = {"目标值": f"{f.comparator}{plain(target)}{f.unit}", "实际值": f"{plain(actual)}{f.unit}", "完成率": percent(rate)}
    what = f"目标{f.comparator}{plain(target)}{f.unit}，实际{plain(actual)}{f.unit}，完成率{percent(rate)}，计得{score(points)}分"
    return Outcome(points, standard, inputs, _deducted(node, points, what, f), rate, status)


def _tier_value(rule: m.TiersRule | m.DeductionRule, facts: m.IndicatorFacts | None,
                figures: Figures) -> tuple[Decimal, str, str, str]:
    """The value conditions are tested on, in the unit people write it in (a rate in percent), and as printed."""
    if rule.measure:
        rate, label = _measure_value(rule.measure, figures)
        if rate is None:
            raise MissingInput(figures.measures[rule.measure].denominator,
                               f"“{rule.measure}”的分母为0，无法计算", "0", in_facts=False)
        return q2(rate * HUNDRED), label, "%", percent(rate)
    f = _facts(facts)
    value = _number(f.actual, "实际值")
    return value, f.name or "实际值", f.unit, f"{plain(value)}{f.unit}"


def tiers_rule(node: m.Node, rule: m.TiersRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    value, label, unit, shown = _tier_value(rule, facts, figures)
    parts, chosen = [], None
    for tier in rule.tiers:
        if tier.when is None:
            parts.append(f"其余得{plain(tier.points)}分")
            matched = True
        else:
            op, bound = m.CONDITION.match(tier.when).groups()
            parts.append(f"{SYMBOL[op]}{bound}{unit}得{plain(tier.points)}分")
            b = Decimal(bound)
            matched = {">=": value >= b, "≥": value >= b, "<=": value <= b, "≤": value <= b,
                       ">": value > b, "<": value < b}[op]
        if matched and chosen is None:
            chosen = tier
    points = chosen.points if chosen else ZERO
    standard = "；".join(parts)
    return Outcome(points, standard, {label: shown},
                   _deducted(node, points, f"{label}{shown}，按“{standard}”得{score(points)}分", facts),
                   value / HUNDRED if unit == "%" else None)


def pacing_rule(node: m.Node, rule: m.PacingRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    if figures.quarters is None:
        raise MissingInput("季度累计执行率", f"序时进度评分需要{SOURCES['季度累计执行率']}（四个季度末的累计执行率，%）",
                           in_facts=False)
    reached = [min(actual / pace, Decimal(1)) for actual, pace in zip(figures.quarters, rule.pace)]
    points = q2(sum((r * rule.per_quarter for r in reached), ZERO) + rule.mean_points * sum(reached, ZERO) / 4)
    standard = (f"各季度末累计执行率对照序时进度{'/'.join(plain(p) + '%' for p in rule.pace)}，"
                f"每季{plain(rule.per_quarter)}分×达成比例，另按四季平均达成比例×{plain(rule.mean_points)}分")
    inputs = {f"第{i}季度": f"{plain(a)}%" for i, a in enumerate(figures.quarters, 1)}
    behind = [f"第{i}季度{plain(a)}%（序时{plain(p)}%）" for i, (a, p) in enumerate(zip(figures.quarters, rule.pace), 1) if a < p]
    return Outcome(points, standard, inputs,
                   _deducted(node, points, "未达序时进度：" + "、".join(behind) + f"，计得{score(points)}分", facts))


def deduction_rule(node: m.Node, rule: m.DeductionRule, facts: m.IndicatorFacts | None, figures: Figures,
                   fw: m.Framework) -> Outcome:
    if rule.per_item is not None:
        f = _facts(facts)
        if f.failed_items is None:
            raise MissingInput("扣分项数", "缺少扣分项数（没有问题填 0）", hint="例如 0")
        deduction = f.failed_items * rule.per_item
        standard = f"每发现一项问题扣{plain(rule.per_item)}分，扣完为止"
        inputs = {"扣分项数": str(f.failed_items)}
        what = f"发现{f.failed_items}项问题"
    else:
        value, label, unit, shown = _tier_value(rule, facts, figures)
        over = max(value - rule.limit, ZERO)
        deduction = over * rule.per_point
        standard = f"{label}超过{plain(rule.limit)}%的部分，每个百分点扣{plain(rule.per_point)}分，扣完为止"
        inputs = {label: shown}
        what = f"{label}{shown}，超过{plain(rule.limit)}%的部分为{plain(over)}个百分点"
    points = q2(max(node.weight - deduction, ZERO))
    return Outcome(points, standard, inputs, _deducted(node, points, what, facts))


def checklist_rule(node: m.Node, rule: m.ChecklistRule, facts: m.IndicatorFacts | None, figures: Figures,
                   fw: m.Framework) -> Outcome:
    f = _facts(facts)
    if f.met_items is None:
        raise MissingInput("已完成项", "缺少已完成项（全部达到可写“全部”，均未达到写“无”）",
                           hint="可选：" + "；".join(i.name for i in rule.items))
    text = f.met_items.strip()
    names = {i.name for i in rule.items} if text in ALL_ITEMS else (
        set() if text == "无" else {n.strip() for n in LIST_SEPARATORS.split(text) if n.strip()})
    unknown = names - {i.name for i in rule.items}
    if unknown:
        raise MissingInput("已完成项", "清单中没有这些项：" + "、".join(sorted(unknown)), f.met_items,
                           "可选：" + "；".join(i.name for i in rule.items))
    points = sum((i.points for i in rule.items if i.name in names), ZERO)
    missed = [f"{i.name}（{plain(i.points)}分）" for i in rule.items if i.name not in names]
    standard = "；".join(f"{i.name}{plain(i.points)}分" for i in rule.items)
    return Outcome(points, standard, {"已完成项": "；".join(i.name for i in rule.items if i.name in names) or "无"},
                   _deducted(node, points, "未达到：" + "、".join(missed), f))


def band_rule(node: m.Node, rule: m.BandRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    f = _facts(facts)
    points, band = _qualitative(node, rule.bands, f)
    return Outcome(points, _bands_text(rule.bands), {"档次": band.name, "自评得分": score(points)},
                   _deducted(node, points, f"自评为“{band.name}”档，得{score(points)}分", f))


def manual_rule(node: m.Node, rule: m.ManualRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    f = _facts(facts)
    if f.score is None:
        raise MissingInput("自评得分", "人工评分指标需要填写自评得分", hint=f"0–{plain(node.weight)} 之间")
    if f.score > node.weight:
        raise MissingInput("自评得分", f"得分超过权重 {plain(node.weight)}", plain(f.score), f"0–{plain(node.weight)} 之间")
    if not f.note.strip():
        raise MissingInput("说明", "人工评分必须写明理由", hint="在“说明”列写出依据")
    return Outcome(f.score, "按评价小组认定计分（附理由）", {"自评得分": score(f.score), "理由": f.note},
                   _deducted(node, f.score, f"评价小组认定得{score(f.score)}分", f))


RULES = {
    m.RatioRule: ratio_rule, m.CompletionRule: completion_rule, m.TiersRule: tiers_rule, m.PacingRule: pacing_rule,
    m.DeductionRule: deduction_rule, m.ChecklistRule: checklist_rule, m.BandRule: band_rule, m.ManualRule: manual_rule,
}


def apply(node: m.Node, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    outcome = RULES[type(node.rule)](node, node.rule, facts, figures, fw)
    return Outcome(q2(outcome.points), node.standard or outcome.standard, outcome.inputs, outcome.reason,
                   outcome.rate, outcome.status)
