"""One function per rule type on figures (DOMAIN §4): facts in, points between 0 and the weight out, with the reason.

Rules the unit chooses or states are in rules_chosen; rules_apply picks the function, zeroes and combines.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..errors import InputError
from ..inputs import models as m
from ..inputs.cells import percent_text
from ..inputs.measures import SOURCES, source_of
from ..limits import MAX_FACT, MAX_FACT_PLACES
from .compute import Figures
from .numbers import CENT, HUNDRED, RATE_STEP, percent, plain, q2, ratio, score

ZERO = Decimal(0)
LIST_SEPARATORS = re.compile(r"[；;、,，\n]+")
SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "≥": "≥", "≤": "≤"}
ALL_ITEMS = {"全部", "全部完成", "全部达到"}


class MissingInput(InputError):
    """A fact the rule needs is absent or unusable; score.py turns it into a located Problem."""

    def __init__(self, column: str, message: str, value: str | None = None, hint: str = "", in_facts: bool = True,
                 row: str | None = None):
        super().__init__([])
        self.column, self.message, self.value, self.hint, self.in_facts = column, message, value, hint, in_facts
        self.row = row  # the indicators.csv row (指标编号) at fault, when not the leaf's own


def target_text(row: m.IndicatorFacts) -> str:
    """年度指标值 as the forms write it: ≥10项, ≤50%, or the qualitative target itself."""
    if row.comparator in ("≥", "≤", "="):
        typed = (row.target or "").strip()  # 100% typed with the unit % stays 100% (also typed 100％)
        same = row.unit and unicodedata.normalize("NFKC", typed).endswith(unicodedata.normalize("NFKC", row.unit))
        return f"{row.comparator}{typed if same else typed + row.unit}"
    return row.target or ""


def stated(row: m.IndicatorFacts) -> dict[str, str]:
    """目标值 and 实际值 as the unit wrote them (the unit added to a number), for rules that score without them."""
    actual = (row.actual or "").strip()
    try:
        Decimal(actual)
        actual += row.unit
    except (InvalidOperation, ValueError):
        pass
    return {key: value for key, value in (("目标值", target_text(row)), ("实际值", actual)) if value}


@dataclass(frozen=True)
class Outcome:
    points: Decimal
    standard: str  # 评分标准 as printed in the score table
    inputs: dict[str, str] = field(default_factory=dict)  # what was scored, for audit
    reason: str = ""  # why points were lost; empty at full marks
    rate: Decimal | None = None  # the rate the score rests on (fraction), if any
    status: str = ""  # 实现 / 基本实现 / 未实现 for completion targets
    parts: tuple[tuple[str, Decimal, Outcome], ...] = ()  # a composite leaf: each part's name, points and outcome
    reference: Outcome | None = None  # a hand score kept (manual): what the framework's rule gives
    reference_gap: str = ""  # why the rule could not be applied beside a hand score


def _number(text: str | None, column: str) -> Decimal:
    try:
        number = Decimal(str(percent_text(text or "")))
        if not number.is_finite():
            raise InvalidOperation(text)
    except (InvalidOperation, ValueError):
        raise MissingInput(column, "需要数字" if text else "缺少数值，本指标的评分规则需要它", text,
                           "例如 98.5（百分数可写 98.5%）") from None
    # a ratio of two such numbers still fits the 28 digits Decimal computes with
    if abs(number) > MAX_FACT or (number and number.normalize().as_tuple().exponent < -MAX_FACT_PLACES):
        raise MissingInput(column, f"超过上限（不超过 {MAX_FACT:,}，小数不超过 {MAX_FACT_PLACES} 位）", text, "例如 98.5")
    return number


def _not_negative(text: str | None, column: str) -> Decimal:
    """A count, amount or rate a target is set in: below zero it is a typing slip, never a score."""
    number = _number(text, column)
    if number < 0:
        raise MissingInput(column, "不能为负数（目标和完成值是数量、金额或比率）", text, "例如 500；下降类目标写比较符 ≤ 和正数")
    return number


def _facts(facts: m.IndicatorFacts | None) -> m.IndicatorFacts:
    if facts is None:
        raise MissingInput("指标编号", "缺少本指标的数据行", hint="在 indicators.csv 中为它加一行")
    return facts


def _deducted(node: m.Node, points: Decimal, what: str) -> str:
    """Why points were lost; the row's 说明 is added once by apply()."""
    lost = node.weight - points
    return f"{what}，扣{score(lost)}分。" if lost > 0 else ""


def scaled(weight: Decimal, rate: Decimal, pass_mark: Decimal | None) -> Decimal:
    """weight × rate; with a pass mark p (财预〔2021〕101号): 0 below p, else weight × (rate − p)/(1 − p)."""
    if pass_mark is None:
        return q2(weight * rate)
    p = pass_mark / HUNDRED
    return ZERO if rate < p else q2(weight * (rate - p) / (1 - p))


def _scaled_text(label: str, weight: Decimal, pass_mark: Decimal | None) -> str:
    if pass_mark is None:
        return f"{label}×{plain(weight)}分"
    p = plain(pass_mark)
    return f"（{label}−{p}%）÷（100%−{p}%）×{plain(weight)}分，{label}低于{p}%不得分"


def _measure_value(rule_measure: str, figures: Figures) -> tuple[Decimal | None, str]:
    measure = figures.measures[rule_measure]
    for part, value in ((measure.numerator, measure.numerator_value), (measure.denominator, measure.denominator_value)):
        if value is None:
            raise MissingInput(part, f"测算“{rule_measure}”需要{source_of(part)}，但未填写", in_facts=False)
    return measure.value, rule_measure


def ratio_rule(node: m.Node, rule: m.RatioRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    if rule.measure:
        rate, label = _measure_value(rule.measure, figures)
        inputs = {"测算指标": label, "比率": percent(rate)}
    else:
        f = _facts(facts)
        actual, target = _not_negative(f.actual, "实际值"), _not_negative(f.target, "目标值")
        rate, label = ratio(actual, target), "实际值/目标值"
        inputs = {"实际值": plain(actual), "目标值": plain(target), "比率": percent(rate)}
    standard = f"{_scaled_text(label, node.weight, rule.pass_mark)}，最高{plain(node.weight)}分" + (
        f"；{label}超过100%不得分" if rule.over == "得0分" else "")
    over = rate is not None and rate > 1 and rule.over == "得0分"
    points = ZERO if rate is None or over else scaled(node.weight, min(rate, Decimal(1)), rule.pass_mark)
    what = f"{label}{percent(rate)}" + ("（分母为0，无法计算）" if rate is None else "") + f"，按“{standard}”计得{score(points)}分"
    return Outcome(points, standard, inputs, _deducted(node, points, what), rate)


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
    standard = f"完成目标得满分；未完成按{_scaled_text('完成率', node.weight, rule.pass_mark)}计分"
    if f.comparator == "定性":
        points, band = _qualitative(node, rule.bands, f)
        rate = points / node.weight if node.weight else None
        status = _status(points == node.weight, rate, fw)
        return Outcome(points, "定性指标按档次计分：" + _bands_text(rule.bands),
                       {"目标值": f.target or "", "实际值": f.actual or "", "档次": band.name, "自评得分": score(points)},
                       _deducted(node, points, f"自评为“{band.name}”档，得{score(points)}分"), rate, status)
    if f.comparator == "是否":
        expected, actual = (f.target or "是").strip(), (f.actual or "").strip()
        if actual not in ("是", "否"):
            raise MissingInput("实际值", "是否类指标的实际值应为“是”或“否”", f.actual)
        met = actual == expected
        rate = Decimal(1) if met else ZERO
        points = node.weight if met else ZERO
        return Outcome(points, f"达到得{plain(node.weight)}分，未达到不得分", {"目标值": expected, "实际值": actual},
                       _deducted(node, points, f"目标为“{expected}”，实际为“{actual}”"), rate,
                       "实现" if met else "未实现")
    target, actual = _not_negative(f.target, "目标值"), _not_negative(f.actual, "实际值")
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
    if not met and rate >= 1:  # 499.98 of ≥ 500 rounds to 100.00%: a missed target never prints as complete
        rate = Decimal(1) - RATE_STEP
    points = node.weight if met else max(min(scaled(node.weight, rate, rule.pass_mark), node.weight - CENT), ZERO)
    status = _status(met, rate, fw)
    inputs = {"目标值": f"{f.comparator}{plain(target)}{f.unit}", "实际值": f"{plain(actual)}{f.unit}", "完成率": percent(rate)}
    far = _far_above(rule, f, actual, target)
    inputs.update(far)
    what = f"目标{f.comparator}{plain(target)}{f.unit}，实际{plain(actual)}{f.unit}，完成率{percent(rate)}，计得{score(points)}分"
    if "超额扣分" in far:
        points = max(points - rule.over_deduction, ZERO)
        standard += (f"；完成程度达到{plain(rule.far_above)}%而未说明原因的，扣{plain(rule.over_deduction)}分")
        what = (f"目标{f.comparator}{plain(target)}{f.unit}，实际{plain(actual)}{f.unit}，完成程度{far['超额完成']}，"
                f"达到{plain(rule.far_above)}%而未说明超额原因，扣{plain(rule.over_deduction)}分")
    elif rule.over_deduction is not None:
        standard += (f"；完成程度达到{plain(rule.far_above)}%而未说明原因的，扣{plain(rule.over_deduction)}分")
    return Outcome(points, standard, inputs, _deducted(node, points, what), rate, status)


def _far_above(rule: m.CompletionRule, f: m.IndicatorFacts, actual: Decimal, target: Decimal) -> dict[str, str]:
    """财预〔2020〕10号 Art. 16: a target far exceeded keeps full points, but the reason must be stated; where the
    framework says so (超额扣分, the provinces' 一体化 systems), an unexplained one costs points instead."""
    above = ratio(actual, target) if f.comparator == "≥" else ratio(target, actual) if f.comparator == "≤" else None
    if rule.far_above is None or above is None or above * HUNDRED < rule.far_above:
        return {}
    if f.shortfall.strip():
        return {"超额完成": percent(above), "超额原因": f.shortfall}
    if rule.over_deduction is not None:
        return {"超额完成": percent(above), "超额扣分": plain(rule.over_deduction)}
    raise MissingInput("偏差原因", f"完成程度{percent(above)}，达到{plain(rule.far_above)}%，属大幅超额完成，须说明原因",
                       hint="在“偏差原因”列写明超出目标的原因（如目标设定偏低），财预〔2020〕10号第十六条")


def _tier_value(rule: m.TiersRule | m.DeductionRule, facts: m.IndicatorFacts | None,
                figures: Figures) -> tuple[Decimal, str, str, str]:
    """The value conditions are tested on, in the unit people write it in (a rate in percent), and as printed."""
    if rule.measure:
        rate, label = _measure_value(rule.measure, figures)
        if rate is None:
            raise MissingInput(figures.measures[rule.measure].denominator,
                               f"“{rule.measure}”的分母为0，无法计算", "0", in_facts=False)
        unit = figures.measures[rule.measure].unit
        if unit != "%":  # a defined measure in its own unit (万元, 人 …): tiers are written in that unit
            return q2(rate), label, unit, f"{plain(q2(rate))}{unit}"
        return q2(rate * HUNDRED), label, "%", percent(rate)
    f = _facts(facts)
    value = _number(f.actual, "实际值")
    return value, f.name or "实际值", f.unit, f"{plain(value)}{f.unit}"


def _matches(when: str, value: Decimal) -> bool:
    op, bound = m.CONDITION.match(when).groups()
    b = Decimal(bound)
    return {">=": value >= b, "≥": value >= b, "<=": value <= b, "≤": value <= b, ">": value > b, "<": value < b}[op]


def _tiers_text(rule: m.TiersRule, weight: Decimal, unit: str) -> str:
    def one(tier: m.Tier, last: bool) -> str:
        got = f"得{plain(tier.value(weight))}分"
        if tier.when is not None:
            op, bound = m.CONDITION.match(tier.when).groups()
            return f"{SYMBOL[op]}{bound}{unit}{got}"
        return f"其余{got}" if last else f"{tier.name}{got}"
    return "；".join(one(tier, i == len(rule.tiers) - 1) for i, tier in enumerate(rule.tiers))


def tiers_rule(node: m.Node, rule: m.TiersRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework) -> Outcome:
    named = [t for t in rule.tiers if t.name]
    picked = (facts.band or "").strip() if facts is not None else ""
    if picked and not named:
        raise MissingInput("档次", "本指标按数值分档，档次不由单位选择", picked, "清空“档次”列，填写实际值")
    tier_named = next((t for t in named if t.name == picked), None)
    if picked and tier_named is None:
        raise MissingInput("档次", "档次不在评分规则之列", picked, "可选：" + "、".join(t.name for t in named))
    if not rule.measure and not (facts is not None and (facts.actual or "").strip()):
        if tier_named is None:
            raise MissingInput("实际值", "缺少实际值" + ("；没有实测值时可在“档次”列选择有名称的档次" if named else ""),
                               hint="例如 98.5" + ("；档次可选：" + "、".join(t.name for t in named) if named else ""))
        if not facts.note.strip():
            raise MissingInput("说明", f"选定“{tier_named.name}”档须写明理由", hint="在“说明”列写出依据")
        points = tier_named.value(node.weight)
        standard = _tiers_text(rule, node.weight, facts.unit)
        return Outcome(points, standard, {"档次": tier_named.name, "理由": facts.note},
                       _deducted(node, points, f"无实测值，选定“{tier_named.name}”档，得{score(points)}分"))
    value, label, unit, shown = _tier_value(rule, facts, figures)
    # a tier without a condition is chosen by name only, except the last one: it takes every value left
    chosen = next((t for i, t in enumerate(rule.tiers) if (t.when is None and i == len(rule.tiers) - 1)
                   or (t.when is not None and _matches(t.when, value))), None)
    if tier_named is not None and tier_named is not chosen:
        raise MissingInput("档次", f"所选档次与{label}{shown}不符" + (f"（应为“{chosen.name}”档）" if chosen and chosen.name else ""),
                           picked, "有实测值时按数值分档，清空“档次”列")
    points = chosen.value(node.weight) if chosen else ZERO
    standard = _tiers_text(rule, node.weight, unit)
    return Outcome(points, standard, {label: shown},
                   _deducted(node, points, f"{label}{shown}，按“{standard}”得{score(points)}分"),
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
                   _deducted(node, points, "未达序时进度：" + "、".join(behind) + f"，计得{score(points)}分"))


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
    return Outcome(points, standard, inputs, _deducted(node, points, what))
