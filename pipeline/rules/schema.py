"""The parameter models more than one rule type shares: tier conditions, zeroing conditions, a tier's points, bands;
and the caps a framework may put on any node or its total."""
from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import Field, model_validator

from ..inputs.fields import Model, Percent, Points, no_items

# the comparators of a condition or a comparison, what each means, and how it is printed (symbol, in words)
COMPARATORS: dict[str, tuple[Callable[[Any, Any], bool], str, str]] = {
    ">=": (operator.ge, "≥", "不低于"), "≥": (operator.ge, "≥", "不低于"), "<=": (operator.le, "≤", "不高于"),
    "≤": (operator.le, "≤", "不高于"), ">": (operator.gt, ">", "高于"), "<": (operator.lt, "<", "低于"),
    "=": (operator.eq, "=", "等于"), "≠": (operator.ne, "≠", "不等于")}
_OPS = "|".join(sorted(COMPARATORS, key=len, reverse=True))  # >= before >
# a tier's condition: a comparator and a decimal in ASCII digits, in the unit the value is written in (a rate in
# percent), as ">= 95", "< 5" or "= 0"
CONDITION = re.compile(rf"^\s*({_OPS})\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")
# a zeroing comparison: two operands (实际值, 目标值, a measure's name or a number) and a comparator
ZERO_COMPARISON = rf"^\s*([^\s<>=≥≤≠]+)\s*({_OPS})\s*([^\s<>=≥≤≠]+)\s*$"
PassMark = Annotated[Percent, Field(lt=100)]


class ZeroIf(Model):
    """A condition under which the leaf scores 0: “发生违规支出的，本项指标得0分”."""

    situation: str | None = Field(None, alias="情形", min_length=1,
                                  description="单位在 indicators.csv 的“发生情形”列声明是否发生的情形，如 发生违规支出")
    compare: str | None = Field(None, alias="比较", pattern=ZERO_COMPARISON,
                                description="比较式，两边为 实际值、目标值、测算指标名或数字，如 实际值 > 目标值、三公经费控制率 > 100")
    text: str | None = Field(None, alias="说明", min_length=1, description="写进评分标准的说法，如 实际金额超过计划金额")

    @model_validator(mode="after")
    def _one_kind(self) -> ZeroIf:
        if (self.situation is None) == (self.compare is None):
            raise ValueError("得0分条件应写“情形”或“比较”之一，例如 {情形: 发生违规支出} 或 {比较: 实际值 > 目标值}")
        return self


def zero_if_field() -> Any:
    """The parameter every rule type takes last: conditions that zero the leaf."""
    return Field(default_factory=no_items, alias="得0分条件", description="任一条件成立时本项得 0 分（每种规则都可加）")


class TierPoints(Model):
    """Points of a tier: exact (得分) or a share of the weight (得分率, for weights the unit sets)."""

    points: Points | None = Field(None, alias="得分", description="本档得分")
    share: Annotated[Percent, Field(le=100)] | None = Field(None, alias="得分率", description="本档得分占权重的百分数")

    @model_validator(mode="after")
    def _one_kind(self) -> TierPoints:
        if (self.points is None) == (self.share is None):
            raise ValueError("每档应写“得分”或“得分率”之一，例如 {得分: 3} 或 {得分率: 80}")
        return self

    def value(self, weight: Decimal) -> Decimal:
        if self.points is not None:
            return self.points
        assert self.share is not None  # _one_kind sets one of the two
        return (weight * self.share / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Band(Model):
    name: str = Field(alias="名称", min_length=1)
    upper: Annotated[Percent, Field(le=100)] = Field(alias="上限", description="权重的百分数")
    lower: Annotated[Percent, Field(le=100)] = Field(alias="下限", description="权重的百分数")


DEFAULT_BANDS = (
    Band(name="成效显著", upper=Decimal(100), lower=Decimal(80)),
    Band(name="成效明显", upper=Decimal(80), lower=Decimal(60)),
    Band(name="成效一般", upper=Decimal(60), lower=Decimal(0)),
)


# 财预〔2020〕10号: qualitative targets are scored in three bands of the weight
QUALITATIVE_BANDS = (
    Band(name="达成预期指标", upper=Decimal(100), lower=Decimal(80)),
    Band(name="部分达成预期指标", upper=Decimal(80), lower=Decimal(60)),
    Band(name="未达成预期指标", upper=Decimal(60), lower=Decimal(0)),
)


def groups(pattern: str | re.Pattern[str], text: str) -> tuple[str, ...]:
    """The parts of a condition its model's pattern already accepted: (comparator, bound) or (left, op, right)."""
    found = re.match(pattern, text)
    if found is None:
        raise ValueError(f"{text!r} does not match {pattern!r}, which its model checks")
    return found.groups()


def unreachable(conditions: list[str | None]) -> list[int]:
    """Tiers (by index) that no value can reach because earlier tiers take every value they would (tiers are tried
    top down): an earlier ≥ 80 hides a later ≥ 90; ≥ 60 and < 60 before any tier hide all the rest; = 0 after ≤ 0."""
    up: tuple[Decimal, bool] | None = None  # the widest earlier “≥/>” ray: its bound and whether the bound is in it
    down: tuple[Decimal, bool] | None = None  # the widest earlier “≤/<” ray
    points: set[Decimal] = set()  # values an earlier “=” takes
    hidden = []
    for i, when in enumerate(conditions):
        if when is None:
            continue
        op, bound = groups(CONDITION, when)
        b, closed = Decimal(bound), op in (">=", "≥", "<=", "≤", "=")
        everything = up is not None and down is not None and (
            down[0] > up[0] or (down[0] == up[0] and (down[1] or up[1] or down[0] in points)))
        above = up is not None and (up[0] < b or (up[0] == b and (up[1] or not closed)))
        below = down is not None and (down[0] > b or (down[0] == b and (down[1] or not closed)))
        covered = (above if op in (">=", "≥", ">") else below if op in ("<=", "≤", "<")
                   else above or below or b in points if op == "=" else False)
        if everything or covered:
            hidden.append(i)
        if op == "=":
            points.add(b)
        elif op == "≠":  # every value but b: both rays open at b
            up = (b, False) if up is None or b < up[0] or (b == up[0] and not up[1]) else up
            down = (b, False) if down is None or b > down[0] or (b == down[0] and not down[1]) else down
        elif op in (">=", "≥", ">"):
            if up is None or b < up[0] or (b == up[0] and closed):
                up = (b, closed)
        elif down is None or b > down[0] or (b == down[0] and closed):
            down = (b, closed)
    return hidden


def band_problems(bands: tuple[Band, ...]) -> list[tuple[tuple, str, str, str | None]]:
    return [((), f"档次“{band.name}”下限大于上限", "上下限为权重的百分比，例如 上限 100、下限 80", None)
            for band in bands if band.lower > band.upper]


class CapTier(Model):
    when: str = Field(alias="条件", pattern=CONDITION.pattern, description="测算指标的条件，如 < 80（百分数）")
    most: Points = Field(alias="最高", description="满足条件时得分最高为几分")


class Cap(Model):
    """封顶：按测算指标分档限定一个指标（或总分）的最高得分，自上而下取第一个满足条件的档；都不满足不封顶。"""

    measure: str = Field(alias="测算指标", description="如 预算执行率")
    tiers: list[CapTier] = Field(alias="分档", min_length=1,
                                 description="- {条件: \"< 50\", 最高: 59} …，自上而下取第一个满足条件的档")
