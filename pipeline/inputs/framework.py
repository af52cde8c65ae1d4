"""Typed shape of a scoring framework (inputs/frameworks/*.yaml): the indicator tree, its rules and grade bands."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import Field, field_validator

from .fields import GradeName, Model, Percent, Points
from .kinds import KIND_NAMES


# a tier's condition: a comparison with a decimal written in ASCII digits, as ">= 95" or "< 5"
CONDITION = re.compile(r"^\s*(>=|<=|>|<|≥|≤)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")


class Tier(Model):
    when: str | None = Field(None, alias="条件", pattern=CONDITION.pattern)
    points: Points = Field(alias="得分")


class Band(Model):
    name: str = Field(alias="名称", min_length=1)
    upper: Annotated[Percent, Field(le=100)] = Field(alias="上限")
    lower: Annotated[Percent, Field(le=100)] = Field(alias="下限")


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


class ChecklistItem(Model):
    name: str = Field(alias="名称", min_length=1)
    points: Points = Field(alias="分值")


class RatioRule(Model):
    type: Literal["ratio"] = Field(alias="类型")
    measure: str | None = Field(None, alias="测算指标")


class CompletionRule(Model):
    type: Literal["completion"] = Field(alias="类型")
    bands: tuple[Band, ...] = Field(QUALITATIVE_BANDS, alias="定性档次")


class TiersRule(Model):
    type: Literal["tiers"] = Field(alias="类型")
    measure: str | None = Field(None, alias="测算指标")
    tiers: list[Tier] = Field(alias="分档", min_length=1)


class PacingRule(Model):
    type: Literal["pacing"] = Field(alias="类型")
    pace: list[Annotated[Percent, Field(gt=0)]] = Field(
        [Decimal(25), Decimal(50), Decimal(75), Decimal(100)], alias="序时进度", min_length=4, max_length=4
    )
    per_quarter: Points = Field(Decimal(1), alias="每季分值")
    mean_points: Points = Field(Decimal(2), alias="均值分值")


class DeductionRule(Model):
    type: Literal["deduction"] = Field(alias="类型")
    per_item: Points | None = Field(None, alias="每项扣分")
    measure: str | None = Field(None, alias="测算指标")
    limit: Percent | None = Field(None, alias="上限")
    per_point: Points | None = Field(None, alias="每点扣分")


class ChecklistRule(Model):
    type: Literal["checklist"] = Field(alias="类型")
    items: list[ChecklistItem] = Field(alias="清单", min_length=1)


class BandRule(Model):
    type: Literal["band"] = Field(alias="类型")
    bands: tuple[Band, ...] = Field(DEFAULT_BANDS, alias="档次")


class ManualRule(Model):
    type: Literal["manual"] = Field(alias="类型")


Rule = Annotated[
    Union[RatioRule, CompletionRule, TiersRule, PacingRule, DeductionRule, ChecklistRule, BandRule, ManualRule],
    Field(discriminator="type"),
]
# rule type name → its model, read off the models themselves so that each name is written once
RULE_TYPES = {model.model_fields["type"].annotation.__args__[0]: model for model in Rule.__origin__.__args__}


class FromFacts(Model):
    """A place in the tree filled by the unit's own indicators of the given 一级 classes (项目支出 三级指标)."""

    classes: list[str] = Field(alias="一级指标", min_length=1)
    split: Literal["平均", "权重"] = Field("平均", alias="分配")
    rule: Rule = Field(alias="规则")


class Node(Model):
    id: str = Field(alias="编号", pattern=r"^[\w.-]+$")
    name: str = Field(alias="名称", min_length=1)
    weight: Points = Field(alias="权重")
    rule: Rule | None = Field(None, alias="规则")
    standard: str | None = Field(None, alias="评分标准")
    children: list[Node] = Field(default_factory=list, alias="下级")
    from_facts: FromFacts | None = Field(None, alias="来自指标表")


class Grade(Model):
    name: GradeName = Field(alias="等级", min_length=1)
    floor: Points = Field(alias="下限")


DEFAULT_GRADES = (
    Grade(等级="优", 下限=Decimal(90)),
    Grade(等级="良", 下限=Decimal(80)),
    Grade(等级="中", 下限=Decimal(60)),
    Grade(等级="差", 下限=Decimal(0)),
)


# the columns a score table (评分表) may have, in the words bureaus use; the first three are its levels
SCORE_COLUMNS = ("一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "完成率", "评分标准", "得分",
                 "扣分原因", "偏差原因")
ScoreColumn = Literal[SCORE_COLUMNS]
# each report kind's columns and header words when a framework names none
DEFAULT_SCORE_COLUMNS = {
    "department": ("一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "评分标准", "得分", "扣分原因"),
    "project": ("一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因"),
}
DEFAULT_SCORE_LABELS = {"department": {}, "project": {"指标值": "年度指标值", "偏差原因": "偏差原因分析"}}


class ScoreSheet(Model):
    """How the score table is laid out: its columns in order, their header words, where 评分标准 goes."""

    columns: tuple[ScoreColumn, ...] | None = Field(None, alias="列")
    labels: dict[ScoreColumn, Annotated[str, Field(min_length=1, max_length=20)]] = Field(
        default_factory=dict, alias="列名")
    standards: Literal["表内", "附注"] = Field("表内", alias="评分标准")

    @field_validator("columns")
    @classmethod
    def _levels_first(cls, columns: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if columns is not None and (columns[:3] != SCORE_COLUMNS[:3] or len(set(columns)) != len(columns)):
            raise ValueError("评分表的列应以 一级指标、二级指标、三级指标 开头，且每列只出现一次；"
                             "例如 [一级指标, 二级指标, 三级指标, 分值, 指标值, 实际完成值, 得分, 偏差原因]")
        return columns


class Framework(Model):
    name: str = Field(alias="名称", min_length=1)
    kind: Literal[KIND_NAMES] = Field(alias="适用")
    valid_from: dt.date = Field(alias="生效日期")
    source: str = Field(alias="来源", min_length=1)
    total: Points = Field(Decimal(100), alias="总分")
    grades: tuple[Grade, ...] = Field(DEFAULT_GRADES, alias="等级")
    achieved_at: Percent = Field(Decimal(80), alias="基本实现下限")
    indicators: list[Node] = Field(alias="指标", min_length=1)
    score_sheet: ScoreSheet = Field(default_factory=ScoreSheet, alias="评分表")

