"""judgement: the unit chooses one of the framework's tiers and says why (信息公开 3/2/0)."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...inputs.fields import Model
from ...numbers import plain
from ...numbers import score as score_text
from ..outcome import MissingInput, Outcome, deducted, row_of
from ..schema import TierPoints, ZeroIf, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node

POSITION = 40


class Choice(TierPoints):
    name: str = Field(alias="名称", min_length=1, description="档次名称，单位在“档次”列填写")


class JudgementRule(Model):
    """定档：单位在“档次”列选定一档，得该档的分数，并在“说明”列写明理由（如 信息公开 3/2/0）。"""

    type: Literal["judgement"] = Field(alias="类型")
    choices: list[Choice] = Field(alias="档次", min_length=2,
                                  description="- {名称: 按规定公开, 得分: 3} …，最高一档等于权重")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = JudgementRule
ENTRIES = (("judgement 档次 的每一档", Choice),)


def reads(rule: JudgementRule, again) -> set[str]:
    return {"档次"}


def choices(rule: JudgementRule, again) -> tuple[str, ...]:
    return tuple(c.name for c in rule.choices)


def problems(rule: JudgementRule, weight: Decimal | None, known: dict, again) -> list:
    names = Counter(c.name for c in rule.choices)
    out: list = [((), f"档次名称“{name}”重复", "每档名称应不同", name) for name, n in names.items() if n > 1]
    if weight is not None:
        values = [c.value(weight) for c in rule.choices]
        if max(values) > weight:
            out.append(((), f"档次得分超过权重 {weight}", "每档得分应在 0 与权重之间", str(max(values))))
        elif max(values) != weight:
            out.append(((), f"最高一档得分 {max(values)}，达不到权重 {weight}", "最高一档应等于权重（满分）", str(max(values))))
    return out


def score(node: Node, rule: JudgementRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    f = row_of(facts)
    names = "、".join(c.name for c in rule.choices)
    band = (f.band or "").strip()
    if not band:
        raise MissingInput("档次", "本指标须由单位选定档次", hint="可选：" + names)
    choice = next((c for c in rule.choices if c.name == band), None)
    if choice is None:
        raise MissingInput("档次", "档次不在评分规则之列", f.band, "可选：" + names)
    if not f.note.strip():
        raise MissingInput("说明", f"选定“{choice.name}”档须写明理由", hint="在“说明”列写出依据")
    points = choice.value(node.weight)
    standard = "；".join(f"{c.name}得{plain(c.value(node.weight))}分" for c in rule.choices)
    return Outcome(points, standard, {"档次": choice.name, "理由": f.note},
                   deducted(node, points, f"选定“{choice.name}”档，得{score_text(points)}分"))
