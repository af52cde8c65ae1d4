"""What scoring a leaf gives (Outcome, with the wording every output prints) and the readers every rule type shares:
a row's numbers, a measure's value, a band's range, a tier's condition. A fact a rule needs and lacks is MissingInput."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from ..errors import InputError
from ..inputs.cells import percent_text
from ..inputs.measures import source_of
from ..limits import MAX_FACT, MAX_FACT_PLACES
from ..numbers import HUNDRED, percent, plain, q2, score, with_unit
from .schema import COMPARATORS, CONDITION, Band, groups

if TYPE_CHECKING:
    from .reads import Facts, Figures, Node

ZERO = Decimal(0)
LIST_SEPARATORS = re.compile(r"[；;、,，\n]+")
ALL_ITEMS = {"全部", "全部完成", "全部达到"}
NONE = "—"
# the audit entries that say what a rule measured, first found first; and those that never do
ACTUAL_KEYS = ("实际值", "比率", "档次", "已完成项")
NOT_ACTUAL = {"目标值", "完成率", "测算指标", "自评得分", "理由"}


class MissingInput(InputError):
    """A fact the rule needs is absent or unusable; score.py turns it into a located Problem."""

    def __init__(self, column: str, message: str, value: str | None = None, hint: str = "", in_facts: bool = True,
                 row: str | None = None):
        super().__init__([])
        self.column, self.message, self.value, self.hint, self.in_facts = column, message, value, hint, in_facts
        self.row = row  # the indicators.csv row (指标编号) at fault, when not the leaf's own


@dataclass(frozen=True)
class Shown:
    """A leaf as the score table, the form and the narrative print it, worded by its rule type."""

    target: str = ""  # 指标值 (empty when there is none)
    actual: str = ""  # 实际完成值: what the rule measured
    completion: str = ""  # 完成率
    stated: str = ""  # the 实际值 the unit wrote, for the form and the narrative
    band: str = ""  # the 档次 chosen
    measure: str = ""  # the measure the points rest on, if any


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
    shown: Shown = Shown()


def actual_value(inputs: dict[str, str]) -> str:
    """实际完成值: what the rule measured, whatever rule it was (a rate, a count, a band, the items met)."""
    for key in ACTUAL_KEYS:
        if inputs.get(key):
            return inputs[key]
    if "扣分项数" in inputs:
        return f"发现问题{inputs['扣分项数']}项"
    rest = [(k, v) for k, v in inputs.items() if k not in NOT_ACTUAL and v]
    if len(rest) == 1:
        return rest[0][1]
    return "；".join(f"{k}{v}" for k, v in rest) or NONE


def worded(outcome: Outcome, actual: str | None = None) -> Shown:
    """The wording of an outcome from what it measured; a rule type passes `actual` when it says it its own way."""
    got = outcome.inputs
    return Shown(got.get("目标值", ""), actual_value(got) if actual is None else actual, got.get("完成率", ""),
                 got.get("实际值", ""), got.get("档次", ""), got.get("测算指标", ""))


def target_text(row: Facts) -> str:
    """年度指标值 as the forms write it: ≥10项, ≤50%, or the qualitative target itself."""
    if row.comparator in ("≥", "≤", "="):
        # a number typed in full-width digits (２０) is printed as the actual beside it is: 20; 100％ as 100%
        typed = unicodedata.normalize("NFKC", (row.target or "").strip())
        same = row.unit and typed.endswith(unicodedata.normalize("NFKC", row.unit))  # 100% typed with its unit %
        return f"{row.comparator}{typed if same else typed + row.unit}"
    return row.target or ""


def stated(row: Facts) -> dict[str, str]:
    """目标值 and 实际值 as the unit wrote them (the unit added to a number), for rules that score without them."""
    actual = (row.actual or "").strip()
    try:
        Decimal(actual)
        actual += row.unit
    except (InvalidOperation, ValueError):
        pass
    return {key: value for key, value in (("目标值", target_text(row)), ("实际值", actual)) if value}


def number(text: str | None, column: str) -> Decimal:
    try:
        value = Decimal(str(percent_text(text or "")))
        if not value.is_finite():
            raise InvalidOperation(text)
    except (InvalidOperation, ValueError):
        raise MissingInput(column, "需要数字" if text else "缺少数值，本指标的评分规则需要它", text,
                           "例如 98.5（百分数可写 98.5%）") from None
    # a ratio of two such numbers still fits the 28 digits Decimal computes with
    exponent = value.normalize().as_tuple().exponent  # an int: the value is finite
    if abs(value) > MAX_FACT or (value and isinstance(exponent, int) and exponent < -MAX_FACT_PLACES):
        raise MissingInput(column, f"超过上限（不超过 {MAX_FACT:,}，小数不超过 {MAX_FACT_PLACES} 位）", text, "例如 98.5")
    return value


def not_negative(text: str | None, column: str) -> Decimal:
    """A count, amount or rate a target is set in: below zero it is a typing slip, never a score."""
    value = number(text, column)
    if value < 0:
        raise MissingInput(column, "不能为负数（目标和完成值是数量、金额或比率）", text, "例如 500；下降类目标写比较符 ≤ 和正数")
    return value


def row_of(facts: Facts | None) -> Facts:
    if facts is None:
        raise MissingInput("指标编号", "缺少本指标的数据行", hint="在 indicators.csv 中为它加一行")
    return facts


def deducted(node: Node, points: Decimal, what: str) -> str:
    """Why points were lost; the row's 说明 is added once by apply()."""
    lost = node.weight - points
    return f"{what}，扣{score(lost)}分。" if lost > 0 else ""


def scaled(weight: Decimal, rate: Decimal, pass_mark: Decimal | None) -> Decimal:
    """weight × rate; with a pass mark p (财预〔2021〕101号): 0 below p, else weight × (rate − p)/(1 − p)."""
    if pass_mark is None:
        return q2(weight * rate)
    p = pass_mark / HUNDRED
    return ZERO if rate < p else q2(weight * (rate - p) / (1 - p))


def scaled_text(label: str, weight: Decimal, pass_mark: Decimal | None) -> str:
    if pass_mark is None:
        return f"{label}×{plain(weight)}分"
    p = plain(pass_mark)
    return f"（{label}−{p}%）÷（100%−{p}%）×{plain(weight)}分，{label}低于{p}%不得分"


def measure_value(rule_measure: str, figures: Figures) -> tuple[Decimal | None, str]:
    measure = figures.measures[rule_measure]
    for part, value in ((measure.numerator, measure.numerator_value), (measure.denominator, measure.denominator_value)):
        if value is None:
            raise MissingInput(part, f"测算“{rule_measure}”需要{source_of(part)}，但未填写", in_facts=False)
    return measure.value, rule_measure


def measured(rule_measure: str | None, facts: Facts | None, figures: Figures) -> tuple[Decimal, str, str, str]:
    """The value tier and point conditions are tested on, in the unit people write it in (a rate in percent), and as
    printed: the measure's, or the row's 实际值."""
    if rule_measure:
        rate, label = measure_value(rule_measure, figures)
        if rate is None:
            raise MissingInput(figures.measures[rule_measure].denominator,
                               f"“{rule_measure}”的分母为0，无法计算", "0", in_facts=False)
        unit = figures.measures[rule_measure].unit
        if unit != "%":  # a defined measure in its own unit (万元, 人 …): tiers are written in that unit
            return q2(rate), label, unit, with_unit(q2(rate), unit)
        return q2(rate * HUNDRED), label, "%", percent(rate)
    f = row_of(facts)
    value = number(f.actual, "实际值")
    return value, f.name or "实际值", f.unit, f"{plain(value)}{f.unit}"


def matches(when: str, value: Decimal) -> bool:
    op, bound = groups(CONDITION, when)
    return COMPARATORS[op][0](value, Decimal(bound))


def qualitative(node: Node, bands: tuple[Band, ...], f: Facts) -> tuple[Decimal, Band]:
    if not f.band:
        raise MissingInput("档次", "定性指标需要选择档次", hint="可选：" + "、".join(b.name for b in bands))
    band = next((b for b in bands if b.name == f.band), None)
    if band is None:
        raise MissingInput("档次", "档次不在评分规则之列", f.band, "可选：" + "、".join(b.name for b in bands))
    if f.score is None:
        raise MissingInput("自评得分", "定性指标需要在所选档次内填写自评得分",
                           hint=f"“{band.name}”档应在 {band_range(node, band)} 分之间")
    low, high = node.weight * band.lower / HUNDRED, node.weight * band.upper / HUNDRED
    if not low <= f.score <= high:
        raise MissingInput("自评得分", f"得分不在“{band.name}”档的范围内", plain(f.score),
                           f"应在 {band_range(node, band)} 分之间")
    return f.score, band


def band_range(node: Node, band: Band) -> str:
    return f"{score(node.weight * band.lower / HUNDRED)}–{score(node.weight * band.upper / HUNDRED)}"


def bands_text(bands: tuple[Band, ...]) -> str:
    return "；".join(f"{b.name}得{plain(b.lower)}%–{plain(b.upper)}%分值" for b in bands)


def stated_names(text: str, allowed: list[str], column: str) -> set[str]:
    """Names a unit lists in one cell (“全部”, “无”, or names separated by ；、，), each one of those allowed."""
    text = text.strip()
    names = set(allowed) if text in ALL_ITEMS else (
        set() if text == "无" else {n.strip() for n in LIST_SEPARATORS.split(text) if n.strip()})
    unknown = names - set(allowed)
    if unknown:
        raise MissingInput(column, "不在可选之列：" + "、".join(sorted(unknown)), text, "可选：" + "；".join(allowed))
    return names


def with_note(outcome: Outcome, facts: Facts | None) -> Outcome:
    """The row's 说明 added once to the reason points were lost for."""
    if not outcome.reason or facts is None or not facts.note:
        return outcome
    return replace(outcome, reason=f"{outcome.reason}{facts.note.rstrip('。')}。")
