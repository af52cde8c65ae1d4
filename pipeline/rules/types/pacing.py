"""pacing: budget execution against the time-line, quarter by quarter (序时进度)."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from ...inputs.fields import Model, Percent, Points
from ...inputs.measures import source_of
from ...numbers import plain, q2
from ...numbers import score as score_text
from ..outcome import ZERO, MissingInput, Outcome, deducted
from ..schema import ZeroIf, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node

POSITION = 50


class PacingRule(Model):
    """序时进度：每季 每季分值 × min(季末累计执行率/序时进度, 1)，另加 均值分值 × 四季平均达成比例。"""

    type: Literal["pacing"] = Field(alias="类型")
    pace: list[Annotated[Percent, Field(gt=0)]] = Field(
        [Decimal(25), Decimal(50), Decimal(75), Decimal(100)], alias="序时进度", min_length=4, max_length=4,
        description="四个季度末的序时进度（%）")
    per_quarter: Points = Field(Decimal(1), alias="每季分值", description="每个季度的分值")
    mean_points: Points = Field(Decimal(2), alias="均值分值", description="四季平均达成比例的分值")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = PacingRule
READS = ("季度累计执行率",)


def problems(rule: PacingRule, weight: Decimal | None, known: dict, again) -> list:
    if weight is not None and rule.per_quarter * 4 + rule.mean_points != weight:
        return [((), f"4×每季分值+均值分值 = {rule.per_quarter * 4 + rule.mean_points}，与权重 {weight} 不符",
                 "例如权重 6 = 4×1 + 2", None)]
    return []


def score(node: Node, rule: PacingRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    if figures.quarters is None:
        raise MissingInput("季度累计执行率", f"序时进度评分需要四个季度末的累计执行率（%）：{source_of('季度累计执行率')}",
                           in_facts=False)
    reached = [min(actual / pace, Decimal(1)) for actual, pace in zip(figures.quarters, rule.pace)]
    points = q2(sum((r * rule.per_quarter for r in reached), ZERO) + rule.mean_points * sum(reached, ZERO) / 4)
    standard = (f"各季度末累计执行率对照序时进度{'/'.join(plain(p) + '%' for p in rule.pace)}，"
                f"每季{plain(rule.per_quarter)}分×达成比例，另按四季平均达成比例×{plain(rule.mean_points)}分")
    inputs = {f"第{i}季度": f"{plain(a)}%" for i, a in enumerate(figures.quarters, 1)}
    behind = [f"第{i}季度{plain(a)}%（序时{plain(p)}%）" for i, (a, p) in enumerate(zip(figures.quarters, rule.pace), 1) if a < p]
    return Outcome(points, standard, inputs,
                   deducted(node, points, "未达序时进度：" + "、".join(behind) + f"，计得{score_text(points)}分"))
