"""manual: a hand score with its reason; the framework's own rule, when kept beside it, scored for comparison."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...inputs.fields import Model
from ...numbers import plain
from ...numbers import score as shown_score
from ..outcome import MissingInput, Outcome, deducted, row_of, stated
from ..schema import ZeroIf, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node
    from ..registry import Rule  # the registry's union, resolved when it rebuilds the models

POSITION = 90


class ManualRule(Model):
    """人工评分：单位填写“自评得分”并在“说明”写明理由；有对照规则时同时列出按规则的得分，差异写入核对报告。"""

    type: Literal["manual"] = Field(alias="类型")
    reference: Rule | None = Field(None, alias="对照规则",
                                   description="同时按这条规则计分以作对照（单位在“评分规则”列写 manual 时自动带上原规则）")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = ManualRule


def inner(rule: ManualRule) -> list:
    return [rule.reference] if rule.reference is not None else []


def reads(rule: ManualRule, again) -> set[str]:
    return {"自评得分"} | (again(rule.reference) if rule.reference is not None else set())


def choices(rule: ManualRule, again) -> tuple[str, ...]:
    return again(rule.reference) if rule.reference is not None else ()


def problems(rule: ManualRule, weight: Decimal | None, known: dict, again) -> list:
    if rule.reference is None:
        return []
    return [(("对照规则",) + where, text, hint, value) for where, text, hint, value in again(rule.reference, weight, known)]


def score(node: Node, rule: ManualRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    f = row_of(facts)
    if f.score is None:
        raise MissingInput("自评得分", "人工评分指标需要填写自评得分", hint=f"0–{plain(node.weight)} 之间")
    if f.score > node.weight:
        raise MissingInput("自评得分", f"得分超过权重 {plain(node.weight)}", plain(f.score), f"0–{plain(node.weight)} 之间")
    if not f.note.strip():
        raise MissingInput("说明", "人工评分必须写明理由", hint="在“说明”列写出依据")
    outcome = Outcome(f.score, "按评价小组认定计分（附理由）", {**stated(f), "自评得分": shown_score(f.score), "理由": f.note},
                      deducted(node, f.score, f"评价小组认定得{shown_score(f.score)}分"))
    if rule.reference is None:
        return outcome
    try:
        reference = again.score(node, rule.reference, facts)
    except MissingInput as missing:
        return replace(outcome, standard=f"{outcome.standard}；无法按评分标准对照计分（{missing.message}）",
                       reference_gap=missing.message)
    return replace(outcome, standard=f"{outcome.standard}；对照评分标准（{reference.standard}）计得"
                   f"{shown_score(reference.points)}分", rate=reference.rate, status=reference.status, reference=reference)
