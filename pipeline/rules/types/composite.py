"""composite: a leaf made of parts, each with its own rule and points; the leaf scores their sum."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...inputs.fields import Model, Points
from ...numbers import plain, q2
from ..outcome import ZERO, MissingInput, Outcome, Shown, actual_value, with_note, worded
from ..schema import ZeroIf, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node
    from ..registry import Rule  # the registry's union, resolved when it rebuilds the models

POSITION = 100


class Part(Model):
    id: str | None = Field(None, alias="编号", pattern=r"^[\w.-]+$",
                           description="可选：本部分需要自己的一行数据时，indicators.csv 用这个编号")
    name: str = Field(alias="名称", min_length=1)
    points: Points = Field(alias="分值")
    rule: Rule = Field(alias="规则")


class CompositeRule(Model):
    """组合：一个末级指标由几部分组成，各部分有自己的规则和分值，得分为各部分之和，扣分原因逐部分说明。"""

    type: Literal["composite"] = Field(alias="类型")
    parts: list[Part] = Field(alias="部分", min_length=2, description="- {名称, 分值, 规则: {…}}，分值之和等于权重")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = CompositeRule
ENTRIES = (("部分 的每一部分", Part),)


def inner(rule: CompositeRule) -> list:
    return [p.rule for p in rule.parts]


def reads(rule: CompositeRule, again) -> set[str]:
    return {column for part in rule.parts if not part.id for column in again(part.rule)}


def choices(rule: CompositeRule, again) -> tuple[str, ...]:
    return tuple(name for part in rule.parts if not part.id for name in again(part.rule))


def problems(rule: CompositeRule, weight: Decimal | None, known: dict, again) -> list:
    out: list = []
    total = sum((p.points for p in rule.parts), Decimal(0))
    if weight is not None and total != weight:
        out.append(((), f"各部分分值合计 {total}，与权重 {weight} 不符", "各部分分值之和应等于权重", None))
    for i, part in enumerate(rule.parts):
        if isinstance(part.rule, CompositeRule):
            out.append((("部分", i, "规则"), "组合规则的部分不能再是组合规则", "把这一部分拆成几部分", None))
            continue
        out += [(("部分", i, "规则") + where, f"部分“{part.name}”：{text}", hint, value)
                for where, text, hint, value in again(part.rule, part.points, known)]
    return out


def wording(outcome: Outcome, weight: Decimal) -> Shown:
    """实际完成值: each part's own value under the part's name (资产使用率92.00%; 配置合规：配置标准)."""
    said = []
    for name, _, part in outcome.parts:
        value = part.inputs.get("比率") or actual_value(part.inputs)  # a part's ratio is what its name measures
        said.append(f"{name}{value}" if value[:1].isdigit() else f"{name}：{value}")
    return worded(outcome, "；".join(said))


def score(node: Node, rule: CompositeRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    results = []
    for part in rule.parts:
        own = again.rows.get(part.id) if part.id else None
        part_facts = own or (facts.model_copy(update={"name": part.name}) if facts is not None else None)
        part_node = type(node)(id=part.id or node.id, name=part.name, weight=part.points, rule=part.rule)
        try:
            outcome = again.score(part_node, part.rule, part_facts)
        except MissingInput as missing:
            raise MissingInput(missing.column, f"部分“{part.name}”：{missing.message}", missing.value, missing.hint,
                               missing.in_facts, part.id if own is not None else missing.row) from None
        if own is not None:
            outcome = with_note(outcome, own)
        results.append((part.name, part.points, outcome))
    lost = [_under(name, o.reason.rstrip('。')) for name, _, o in results if o.reason]
    return Outcome(sum((q2(o.points) for _, _, o in results), ZERO),
                   "；".join(f"{name}（{plain(points)}分）：{o.standard}" for name, points, o in results),
                   {f"{name}·{key}": value for name, _, o in results for key, value in o.inputs.items()},
                   "；".join(lost) + "。" if lost else "", parts=tuple(results))


def _under(name: str, reason: str) -> str:
    """A part's reason under the part's name, said once: 变动率3.5%…, not 变动率：变动率3.5%…."""
    return reason if reason.startswith(name) else f"{name}：{reason}"
