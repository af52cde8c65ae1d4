"""deduction: from the weight down, by the problems found or by the points a measure exceeds a limit."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...inputs.fields import Model, Percent, Points
from ...numbers import plain, q2
from ..outcome import ZERO, MissingInput, Outcome, deducted, measured, row_of
from ..schema import ZeroIf, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node

POSITION = 60


class DeductionRule(Model):
    """扣分：从权重起扣，扣完为止；按问题项数（每项扣分），或按测算指标超过上限的百分点（每点扣分）。"""

    type: Literal["deduction"] = Field(alias="类型")
    per_item: Points | None = Field(None, alias="每项扣分", description="每发现一项问题扣几分（单位填“扣分项数”）")
    measure: str | None = Field(None, alias="测算指标", description="按点扣分时的测算指标；不写则用 实际值")
    limit: Percent | None = Field(None, alias="上限", description="百分数：超过它的部分按百分点扣分")
    per_point: Points | None = Field(None, alias="每点扣分", description="每超过一个百分点扣几分")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = DeductionRule


def reads(rule: DeductionRule, again) -> set[str]:
    return {"扣分项数"} if rule.per_item is not None else set() if rule.measure else {"实际值", "计量单位"}


def problems(rule: DeductionRule, weight: Decimal | None, known: dict, again) -> list:
    by_item = rule.per_item is not None
    by_point = rule.limit is not None and rule.per_point is not None
    if by_item == by_point:
        return [((), "扣分规则应二选一：“每项扣分”，或“上限”+“每点扣分”（按测算指标或实际值）", "例如 {类型: deduction, 每项扣分: 1}",
                 None)]
    return []


def score(node: Node, rule: DeductionRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    if rule.per_item is not None:
        f = row_of(facts)
        if f.failed_items is None:
            raise MissingInput("扣分项数", "缺少扣分项数（没有问题填 0）", hint="例如 0")
        deduction = f.failed_items * rule.per_item
        standard = f"每发现一项问题扣{plain(rule.per_item)}分，扣完为止"
        inputs = {"扣分项数": str(f.failed_items)}
        what = f"发现{f.failed_items}项问题"
    elif rule.limit is not None and rule.per_point is not None:
        value, label, unit, shown = measured(rule.measure, facts, figures)
        over = max(value - rule.limit, ZERO)
        deduction = over * rule.per_point
        standard = f"{label}超过{plain(rule.limit)}%的部分，每个百分点扣{plain(rule.per_point)}分，扣完为止"
        inputs = {label: shown}
        what = f"{label}{shown}，超过{plain(rule.limit)}%的部分为{plain(over)}个百分点"
    else:
        raise ValueError("a deduction rule needs 每项扣分, or 上限 and 每点扣分: problems() refuses it before scoring")
    points = q2(max(node.weight - deduction, ZERO))
    return Outcome(points, standard, inputs, deducted(node, points, what))
