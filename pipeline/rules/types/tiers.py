"""tiers: the first tier whose condition the value meets, top down; a named tier may be chosen without a value."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...inputs.fields import Model
from ...numbers import HUNDRED, plain
from ...numbers import score as score_text
from ..outcome import MissingInput, Outcome, deducted, matches, measured
from ..schema import COMPARATORS, CONDITION, TierPoints, ZeroIf, groups, unreachable, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node

POSITION = 30


class Tier(TierPoints):
    when: str | None = Field(None, alias="条件", pattern=CONDITION.pattern, description="如 >= 95；最后一档不写（兜底档）")
    name: str | None = Field(None, alias="名称", min_length=1,
                             description="档次名称：单位可在“档次”列按名称选档（无实测值时，须在“说明”写理由）")


class TiersRule(Model):
    """按数值分档：自上而下取第一个满足条件的档；有名称的档也可由单位在“档次”列选定（无实测值时）。"""

    type: Literal["tiers"] = Field(alias="类型")
    measure: str | None = Field(None, alias="测算指标", description="按哪个测算指标分档；不写则用 实际值")
    tiers: list[Tier] = Field(alias="分档", min_length=1, description="- {条件: \">= 95\", 得分: 6} …，最后一档不写条件")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = TiersRule
ENTRIES = (("分档 的每一档", Tier),)


def reads(rule: TiersRule, again) -> set[str]:
    return (set() if rule.measure else {"实际值", "计量单位"}) | ({"档次", "说明"} if any(t.name for t in rule.tiers) else set())


def choices(rule: TiersRule, again) -> tuple[str, ...]:
    return tuple(t.name for t in rule.tiers if t.name)


def problems(rule: TiersRule, weight: Decimal | None, known: dict, again) -> list:
    out: list = []

    def add(text: str, hint: str, value: str | None = None, where: tuple = ()) -> None:
        out.append((where, text, hint, value))

    top = max(tier.value(weight if weight is not None else Decimal(100)) for tier in rule.tiers)
    for tier in rule.tiers:
        if weight is not None and tier.value(weight) > weight:
            add(f"分档得分超过权重 {weight}", "每档得分应在 0 与权重之间", str(tier.value(weight)))
    if weight is not None and top < weight:
        add(f"最高一档得分 {top}，达不到权重 {weight}", "最高一档应等于权重（满分）", str(top))
    if rule.tiers[-1].when is not None:
        add("最后一档应不设条件（兜底档）", "例如 - {得分: 0}")
    for i in unreachable([t.when for t in rule.tiers]):
        add(f"第{i + 1}档（{(rule.tiers[i].when or '').strip()}）永远取不到：满足它的值都已落在前面的档次",
            "分档自上而下取第一个满足条件的档，应从高到低排列，例如 >= 95、>= 90、>= 80", rule.tiers[i].when,
            ("分档", i, "条件"))
    for i, tier in enumerate(rule.tiers[:-1]):
        if tier.when is None and tier.name is None:
            add("只有最后一档可以不设条件；中间不设条件的档须有名称（由单位在“档次”列选定）",
                "例如 - {名称: 未开展满意度调查, 得分: 3}", where=("分档", i))
    names = Counter(t.name for t in rule.tiers if t.name)
    return out + [((), f"档次名称“{name}”重复", "每档名称应不同", name) for name, n in names.items() if n > 1]


def standard_text(rule: TiersRule, weight: Decimal, unit: str) -> str:
    def one(tier: Tier, last: bool) -> str:
        got = f"得{plain(tier.value(weight))}分"
        if tier.when is not None:
            op, bound = groups(CONDITION, tier.when)
            return f"{COMPARATORS[op][1]}{bound}{unit}{got}"
        return f"其余{got}" if last else f"{tier.name}{got}"
    return "；".join(one(tier, i == len(rule.tiers) - 1) for i, tier in enumerate(rule.tiers))


def score(node: Node, rule: TiersRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    named = [t for t in rule.tiers if t.name]
    names = "、".join(t.name for t in rule.tiers if t.name)
    picked = (facts.band or "").strip() if facts is not None else ""
    if picked and not named:
        raise MissingInput("档次", "本指标按数值分档，档次不由单位选择", picked, "清空“档次”列，填写实际值")
    tier_named = next((t for t in named if t.name == picked), None)
    if picked and tier_named is None:
        raise MissingInput("档次", "档次不在评分规则之列", picked, "可选：" + names)
    if not rule.measure and not (facts is not None and (facts.actual or "").strip()):
        if tier_named is None or facts is None:  # without facts nothing is picked
            raise MissingInput("实际值", "缺少实际值" + ("；没有实测值时可在“档次”列选择有名称的档次" if named else ""),
                               hint="例如 98.5" + ("；档次可选：" + names if named else ""))
        if not facts.note.strip():
            raise MissingInput("说明", f"选定“{tier_named.name}”档须写明理由", hint="在“说明”列写出依据")
        points = tier_named.value(node.weight)
        standard = standard_text(rule, node.weight, facts.unit)
        return Outcome(points, standard, {"档次": picked, "理由": facts.note},
                       deducted(node, points, f"无实测值，选定“{tier_named.name}”档，得{score_text(points)}分"))
    value, label, unit, shown = measured(rule.measure, facts, figures)
    # a tier without a condition is chosen by name only, except the last one: it takes every value left
    chosen = next((t for i, t in enumerate(rule.tiers) if (t.when is None and i == len(rule.tiers) - 1)
                   or (t.when is not None and matches(t.when, value))), None)
    if tier_named is not None and tier_named is not chosen:
        raise MissingInput("档次", f"所选档次与{label}{shown}不符" + (f"（应为“{chosen.name}”档）" if chosen and chosen.name else ""),
                           picked, "有实测值时按数值分档，清空“档次”列")
    points = chosen.value(node.weight) if chosen else Decimal(0)
    standard = standard_text(rule, node.weight, unit)
    return Outcome(points, standard, {label: shown},
                   deducted(node, points, f"{label}{shown}，按“{standard}”得{score_text(points)}分"),
                   value / HUNDRED if unit == "%" else None)
