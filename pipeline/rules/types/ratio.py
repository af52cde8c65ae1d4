"""ratio: weight × a rate (a measure, or 实际值/目标值), capped at 100%, optionally from a pass mark."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...inputs.fields import Model
from ...numbers import percent, plain, ratio
from ...numbers import score as score_text
from ..outcome import ZERO, Outcome, deducted, measure_value, not_negative, row_of, scaled, scaled_text
from ..schema import PassMark, ZeroIf, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node

POSITION = 10


class RatioRule(Model):
    """权重 × 比率（测算指标，或 实际值/目标值）；比率超过 100% 按 100% 计。
    设“及格线”时按 (比率 − 及格线)/(100% − 及格线) × 权重，低于及格线得 0 分。"""

    type: Literal["ratio"] = Field(alias="类型")
    measure: str | None = Field(None, alias="测算指标", description="按哪个测算指标计分；不写则用 实际值/目标值")
    pass_mark: PassMark | None = Field(None, alias="及格线", description="百分数，如 60（财预〔2021〕101号）")
    over: Literal["封顶", "得0分"] = Field("封顶", alias="超过100%",
                                          description="比率超过 100% 时：封顶（按 100% 计）或 得0分（如实际超过计划）")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = RatioRule


def reads(rule: RatioRule, again) -> set[str]:
    return set() if rule.measure else {"目标值", "实际值", "计量单位"}


def score(node: Node, rule: RatioRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    if rule.measure:
        rate, label = measure_value(rule.measure, figures)
        inputs = {"测算指标": label, "比率": percent(rate)}
    else:
        f = row_of(facts)
        actual, target = not_negative(f.actual, "实际值"), not_negative(f.target, "目标值")
        rate, label = ratio(actual, target), "实际值/目标值"
        inputs = {"实际值": plain(actual), "目标值": plain(target), "比率": percent(rate)}
    standard = f"{scaled_text(label, node.weight, rule.pass_mark)}，最高{plain(node.weight)}分" + (
        f"；{label}超过100%不得分" if rule.over == "得0分" else "")
    over = rate is not None and rate > 1 and rule.over == "得0分"
    points = ZERO if rate is None or over else scaled(node.weight, min(rate, Decimal(1)), rule.pass_mark)
    # a rate of the row's own figures is said in words, as a reader says it (实际值为目标值的92.00%)
    said = f"{label}无法计算（分母为0）" if rate is None else \
        ("实际值为目标值的" if label == "实际值/目标值" else label) + percent(rate)
    what = f"{said}，按“{standard}”计得{score_text(points)}分"
    return Outcome(points, standard, inputs, deducted(node, points, what), rate)
