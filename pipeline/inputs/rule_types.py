"""The scoring rules a framework attaches to a leaf (DOMAIN §4): one model a type, each parameter described once.

The docstring of each model and the description of each field are what `python -m pipeline rules` prints.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import Field, model_validator

from .fields import Model, Percent, Points

# a tier's condition: a comparator and a decimal in ASCII digits, in the unit the value is written in (a rate in
# percent), as ">= 95" or "< 5"
CONDITION = re.compile(r"^\s*(>=|<=|>|<|≥|≤)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")
# a zeroing comparison: two operands (实际值, 目标值, a measure's name or a number) and a comparator
ZERO_COMPARISON = r"^\s*([^\s<>=≥≤≠]+)\s*(>=|<=|>|<|≥|≤|=|≠)\s*([^\s<>=≥≤≠]+)\s*$"
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
    return Field(default_factory=list, alias="得0分条件", description="任一条件成立时本项得 0 分（每种规则都可加）")


class _Points(Model):
    """Points of a tier: exact (得分) or a share of the weight (得分率, for weights the unit sets)."""

    points: Points | None = Field(None, alias="得分", description="本档得分")
    share: Annotated[Percent, Field(le=100)] | None = Field(None, alias="得分率", description="本档得分占权重的百分数")

    @model_validator(mode="after")
    def _one_kind(self) -> _Points:
        if (self.points is None) == (self.share is None):
            raise ValueError("每档应写“得分”或“得分率”之一，例如 {得分: 3} 或 {得分率: 80}")
        return self

    def value(self, weight: Decimal) -> Decimal:
        if self.points is not None:
            return self.points
        return (weight * self.share / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Tier(_Points):
    when: str | None = Field(None, alias="条件", pattern=CONDITION.pattern, description="如 >= 95；最后一档不写（兜底档）")
    name: str | None = Field(None, alias="名称", min_length=1,
                             description="档次名称：单位可在“档次”列按名称选档（无实测值时，须在“说明”写理由）")


class Choice(_Points):
    name: str = Field(alias="名称", min_length=1, description="档次名称，单位在“档次”列填写")


class Band(Model):
    name: str = Field(alias="名称", min_length=1)
    upper: Annotated[Percent, Field(le=100)] = Field(alias="上限", description="权重的百分数")
    lower: Annotated[Percent, Field(le=100)] = Field(alias="下限", description="权重的百分数")


DEFAULT_BANDS = (
    Band(名称="成效显著", 上限=Decimal(100), 下限=Decimal(80)),
    Band(名称="成效明显", 上限=Decimal(80), 下限=Decimal(60)),
    Band(名称="成效一般", 上限=Decimal(60), 下限=Decimal(0)),
)


# 财预〔2020〕10号: qualitative targets are scored in three bands of the weight
QUALITATIVE_BANDS = (
    Band(名称="达成预期指标", 上限=Decimal(100), 下限=Decimal(80)),
    Band(名称="部分达成预期指标", 上限=Decimal(80), 下限=Decimal(60)),
    Band(名称="未达成预期指标", 上限=Decimal(60), 下限=Decimal(0)),
)


class Discretion(Model):
    """酌情扣分: how much of an item the unit may take off when it is partly met, with a reason."""

    least: Points = Field(Decimal(0), alias="最少", description="酌情扣分的下限")
    most: Points = Field(alias="最多", description="酌情扣分的上限，不超过该项分值")

    @model_validator(mode="after")
    def _ordered(self) -> Discretion:
        if self.least > self.most:
            raise ValueError(f"酌情扣分的最少 {self.least} 大于最多 {self.most}，例如 {{最少: 0.5, 最多: 1}}")
        return self


class ChecklistItem(Model):
    name: str = Field(alias="名称", min_length=1)
    points: Points = Field(alias="分值")
    discretion: Discretion | None = Field(None, alias="酌情扣分",
                                          description="部分达到时单位可在此范围内酌情扣分，写明理由：{最少: 0, 最多: 1}")


class RatioRule(Model):
    """权重 × 比率（测算指标，或 实际值/目标值）；比率超过 100% 按 100% 计。设“及格线”时按 (比率 − 及格线)/(100% − 及格线) × 权重，低于及格线得 0 分。"""

    type: Literal["ratio"] = Field(alias="类型")
    measure: str | None = Field(None, alias="测算指标", description="按哪个测算指标计分；不写则用 实际值/目标值")
    pass_mark: PassMark | None = Field(None, alias="及格线", description="百分数，如 60（财预〔2021〕101号）")
    over: Literal["封顶", "得0分"] = Field("封顶", alias="超过100%",
                                          description="比率超过 100% 时：封顶（按 100% 计）或 得0分（如实际超过计划）")
    zero_if: list[ZeroIf] = zero_if_field()


class CompletionRule(Model):
    """三级指标：达到目标得满分，否则 权重 × 完成率（≥：实际/目标；≤：目标/实际；是否：全得或不得）；定性指标按档次在档内自评。"""

    type: Literal["completion"] = Field(alias="类型")
    bands: tuple[Band, ...] = Field(QUALITATIVE_BANDS, alias="定性档次",
                                    description="定性指标的档次，上下限为权重的百分数（默认 达成 80–100、部分达成 60–80、未达成 0–60）")
    pass_mark: PassMark | None = Field(None, alias="及格线",
                                       description="百分数，如 60：完成率低于它得 0 分，以上按 (完成率−60%)/40% × 权重（财预〔2021〕101号）")
    far_above: Annotated[Percent, Field(gt=100)] | None = Field(
        None, alias="超额说明线",
        description="完成率达到这个百分数（如 150）视为大幅超额：仍得满分，但须在“偏差原因”列写明原因（财预〔2020〕10号第十六条）")
    over_deduction: Points | None = Field(
        None, alias="超额扣分",
        description="与“超额说明线”同用：大幅超额而未在“偏差原因”写明原因的，扣这么多分（如 2），而不是退回")
    zero_if: list[ZeroIf] = zero_if_field()


class TiersRule(Model):
    """按数值分档：自上而下取第一个满足条件的档；有名称的档也可由单位在“档次”列选定（无实测值时）。"""

    type: Literal["tiers"] = Field(alias="类型")
    measure: str | None = Field(None, alias="测算指标", description="按哪个测算指标分档；不写则用 实际值")
    tiers: list[Tier] = Field(alias="分档", min_length=1, description="- {条件: \">= 95\", 得分: 6} …，最后一档不写条件")
    zero_if: list[ZeroIf] = zero_if_field()


class JudgementRule(Model):
    """定档：单位在“档次”列选定一档，得该档的分数，并在“说明”列写明理由（如 信息公开 3/2/0）。"""

    type: Literal["judgement"] = Field(alias="类型")
    choices: list[Choice] = Field(alias="档次", min_length=2,
                                  description="- {名称: 按规定公开, 得分: 3} …，最高一档等于权重")
    zero_if: list[ZeroIf] = zero_if_field()


class PacingRule(Model):
    """序时进度：每季 每季分值 × min(季末累计执行率/序时进度, 1)，另加 均值分值 × 四季平均达成比例。"""

    type: Literal["pacing"] = Field(alias="类型")
    pace: list[Annotated[Percent, Field(gt=0)]] = Field(
        [Decimal(25), Decimal(50), Decimal(75), Decimal(100)], alias="序时进度", min_length=4, max_length=4,
        description="四个季度末的序时进度（%）")
    per_quarter: Points = Field(Decimal(1), alias="每季分值", description="每个季度的分值")
    mean_points: Points = Field(Decimal(2), alias="均值分值", description="四季平均达成比例的分值")
    zero_if: list[ZeroIf] = zero_if_field()


class DeductionRule(Model):
    """扣分：从权重起扣，扣完为止；按问题项数（每项扣分），或按测算指标超过上限的百分点（每点扣分）。"""

    type: Literal["deduction"] = Field(alias="类型")
    per_item: Points | None = Field(None, alias="每项扣分", description="每发现一项问题扣几分（单位填“扣分项数”）")
    measure: str | None = Field(None, alias="测算指标", description="按点扣分时的测算指标；不写则用 实际值")
    limit: Percent | None = Field(None, alias="上限", description="百分数：超过它的部分按百分点扣分")
    per_point: Points | None = Field(None, alias="每点扣分", description="每超过一个百分点扣几分")
    zero_if: list[ZeroIf] = zero_if_field()


class ChecklistRule(Model):
    """清单：达到的各项分值之和（单位在“已完成项”列写名称，或“全部”“无”；设“酌情扣分”的项部分达到写“名称（扣0.5分）”并在“说明”写理由）。"""

    type: Literal["checklist"] = Field(alias="类型")
    items: list[ChecklistItem] = Field(alias="清单", min_length=1, description="- {名称: …, 分值: …}，分值之和等于权重")
    zero_if: list[ZeroIf] = zero_if_field()


class CapTier(Model):
    when: str = Field(alias="条件", pattern=CONDITION.pattern, description="测算指标的条件，如 < 80（百分数）")
    most: Points = Field(alias="最高", description="满足条件时得分最高为几分")


class Cap(Model):
    """封顶：按测算指标分档限定一个指标（或总分）的最高得分，自上而下取第一个满足条件的档；都不满足不封顶。"""

    measure: str = Field(alias="测算指标", description="如 预算执行率")
    tiers: list[CapTier] = Field(alias="分档", min_length=1,
                                 description="- {条件: \"< 50\", 最高: 59} …，自上而下取第一个满足条件的档")


class BandRule(Model):
    """定性档次：单位选档次并在档内自评得分，程序检查得分在档内；上下限为权重的百分数。"""

    type: Literal["band"] = Field(alias="类型")
    bands: tuple[Band, ...] = Field(DEFAULT_BANDS, alias="档次",
                                    description="- {名称, 上限, 下限}，为权重的百分数（默认 成效显著 80–100、明显 60–80、一般 0–60）")
    zero_if: list[ZeroIf] = zero_if_field()


class ManualRule(Model):
    """人工评分：单位填写“自评得分”并在“说明”写明理由；有对照规则时同时列出按规则的得分，差异写入核对报告。"""

    type: Literal["manual"] = Field(alias="类型")
    reference: Rule | None = Field(None, alias="对照规则",
                                   description="同时按这条规则计分以作对照（单位在“评分规则”列写 manual 时自动带上原规则）")
    zero_if: list[ZeroIf] = zero_if_field()


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


Rule = Annotated[
    Union[RatioRule, CompletionRule, TiersRule, JudgementRule, PacingRule, DeductionRule, ChecklistRule, BandRule,
          ManualRule, CompositeRule],
    Field(discriminator="type"),
]
for _model in (ManualRule, Part, CompositeRule):
    _model.model_rebuild()
# rule type name → its model, read off the models themselves so that each name is written once
RULE_TYPES = {model.model_fields["type"].annotation.__args__[0]: model for model in Rule.__origin__.__args__}
