"""Typed shape of a scoring framework (inputs/frameworks/*.yaml): the indicator tree, grade bands and dated versions."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, field_validator, model_validator

from .fields import Flag, GradeName, Model, Percent, Points, no_items
from .kinds import KindName
from .measures import MeasureDef
from .review_rules import Review
from .rule_types import *  # noqa: F401,F403 (the rule models belong to the framework's namespace: m.RatioRule …)
from .rule_types import Cap, Rule

# each level of the tree by the name score tables give its column, defined once: a deeper tree is refused at validation
LevelName = Literal["一级指标", "二级指标", "三级指标", "四级指标", "五级指标", "六级指标"]
LEVEL_NAMES: tuple[str, ...] = get_args(LevelName)


class FromFacts(Model):
    """A place in the tree filled by the unit's own indicators of the given 一级 classes (项目支出 三级指标); with
    单位自设一级 the place is a total the unit spreads over 一级 categories of its own, which stand in its stead."""

    classes: list[str] = Field(default_factory=no_items, alias="一级指标")  # empty: any class (单位自设一级 only)
    split: Literal["平均", "权重"] = Field("平均", alias="分配")
    rule: Rule = Field(alias="规则")
    # rules a unit may choose for one of its indicators in the 评分规则 column, by the name given here
    choices: dict[str, Rule] = Field(default_factory=dict, alias="可选规则")
    # Sichuan's 10 + 90: the unit's own 一级 (产出 60, 效益 30) replace this node, each weighing what its rows add up to
    own_level1: Flag = Field(False, alias="单位自设一级")

    @model_validator(mode="after")
    def _classes_named(self) -> FromFacts:
        if not self.classes and not self.own_level1:
            raise ValueError("“来自指标表”应列出接收的“一级指标”，例如 {一级指标: [产出指标], 分配: 权重, 规则: {类型: completion}}；"
                             "由单位自设一级指标时写 单位自设一级: true")
        return self

    def accepts(self, level1: str) -> bool:
        return level1 in self.classes if self.classes else bool(level1)


class Node(Model):
    id: str = Field(alias="编号", pattern=r"^[\w.-]+$")
    name: str = Field(alias="名称", min_length=1)
    weight: Points = Field(alias="权重")
    rule: Rule | None = Field(None, alias="规则")
    standard: str | None = Field(None, alias="评分标准")
    children: list[Node] = Field(default_factory=no_items, alias="下级")
    from_facts: FromFacts | None = Field(None, alias="来自指标表")
    cap: Cap | None = Field(None, alias="封顶")  # its points at most a tier's figure, by a measure


def depth(nodes: list[Node] | tuple[Node, ...]) -> int:
    """How many levels the deepest leaf sits at; 来自指标表 adds at most two (二级 groups, then the unit's indicators).
    On a tree with the unit's indicators filled in (no 来自指标表 left): the levels its score table needs."""
    return max((1 + max(depth(n.children) if n.children else 0, 2 if n.from_facts is not None else 0)
                for n in nodes), default=0)


def holds_facts(node: Node) -> bool:
    """Whether the unit's own indicators (来自指标表) fill this node or a node below it."""
    return node.from_facts is not None or any(holds_facts(child) for child in node.children)


def own_blocks(framework_nodes: list[Node], tree: tuple[Node, ...] | list[Node]) -> list[str]:
    """The 一级 of the filled-in tree that hold the unit's own indicators: framework blocks with 来自指标表 below,
    and the unit's own 一级 categories that stand in a 单位自设一级 place."""
    framework = {node.id: node for node in framework_nodes}
    return [node.id for node in tree if node.id not in framework or holds_facts(framework[node.id])]


class Grade(Model):
    name: GradeName = Field(alias="等级", min_length=1)
    floor: Points = Field(alias="下限")


DEFAULT_GRADES = (
    Grade(name="优", floor=Decimal(90)),
    Grade(name="良", floor=Decimal(80)),
    Grade(name="中", floor=Decimal(60)),
    Grade(name="差", floor=Decimal(0)),
)


# the columns a score table (评分表) may have, in the words bureaus use: first its levels, as deep as the framework
ScoreColumn = Literal[LevelName, "分值", "指标值", "实际完成值", "完成率", "评分标准", "得分", "扣分原因", "偏差原因"]
SCORE_COLUMNS: tuple[str, ...] = get_args(ScoreColumn)
# each report kind's columns after the levels, and its header words, when a framework names none
DEFAULT_SCORE_COLUMNS = {
    "department": ("分值", "指标值", "实际完成值", "评分标准", "得分", "扣分原因"),
    "project": ("指标值", "实际完成值", "分值", "得分", "偏差原因"),
}
DEFAULT_SCORE_LABELS: dict[str, dict[str, str]] = {"department": {}, "project": {"指标值": "年度指标值", "偏差原因": "偏差原因分析"}}


def level_columns(count: int) -> str:
    """“一级指标、二级指标、三级指标”: the level columns a score table of this many levels starts with."""
    return "、".join(LEVEL_NAMES[:count])


class ScoreSheet(Model):
    """How the score table is laid out: its columns in order, their header words, where 评分标准 goes."""

    columns: tuple[ScoreColumn, ...] | None = Field(None, alias="列")
    labels: dict[ScoreColumn, Annotated[str, Field(min_length=1, max_length=20)]] = Field(
        default_factory=dict, alias="列名")
    standards: Literal["表内", "附注"] = Field("表内", alias="评分标准")

    @field_validator("columns")
    @classmethod
    def _levels_first(cls, columns: tuple[str, ...] | None) -> tuple[str, ...] | None:
        levels = sum(c in LEVEL_NAMES for c in columns or ())
        if columns is not None and (columns[:levels] != LEVEL_NAMES[:levels] or len(set(columns)) != len(columns)):
            raise ValueError(f"评分表的列应先按层级列出指标名称（{level_columns(len(LEVEL_NAMES))}，"
                             "列到评价体系最深的一级为止），再列其他列，且每列只出现一次；"
                             "例如 [一级指标, 二级指标, 三级指标, 分值, 指标值, 实际完成值, 得分, 偏差原因]")
        return columns

    @field_validator("labels")
    @classmethod
    def _levels_keep_their_words(cls, labels: dict[str, str]) -> dict[str, str]:
        renamed = [key for key in labels if key in LEVEL_NAMES]
        if renamed:  # merged cells and the names repeated on a continued page are found by these header words
            raise ValueError(f"指标层级的列（{'、'.join(renamed)}）不能改表头；列名只用于其他列，例如 {{指标值: 年度指标值}}")
        return labels

    def level_count(self) -> int | None:
        """How many level columns 列 names (None: 列 not given, the framework's depth decides)."""
        return None if self.columns is None else sum(c in LEVEL_NAMES for c in self.columns)


NOTICE = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号")
TITLED_NOTICE = re.compile(r"《[^《》]+》[（(]" + NOTICE.pattern + r"[）)]")  # 《关于…的通知》（廉财绩〔2025〕6号）
INFERRED = "推断"  # a 来源 that says its notice or indicators were inferred cites no 文号 for the unit


class Framework(Model):
    """One version of a framework, as a unit is scored on it."""

    name: str = Field(alias="名称", min_length=1)
    kind: KindName = Field(alias="适用")
    valid_from: dt.date = Field(alias="生效日期")
    source: str = Field(alias="来源", min_length=1)
    total: Points = Field(Decimal(100), alias="总分")
    grades: tuple[Grade, ...] = Field(DEFAULT_GRADES, alias="等级")
    achieved_at: Percent = Field(Decimal(80), alias="基本实现下限")
    indicators: list[Node] = Field(alias="指标", min_length=1)
    versions: int = 1  # how many dated versions its file holds
    score_sheet: ScoreSheet = Field(default_factory=ScoreSheet, alias="评分表")
    cap: Cap | None = Field(None, alias="总分封顶")  # the total at most a tier's figure (执行率 70–80% → 89)
    measures: dict[str, MeasureDef] = Field(default_factory=dict, alias="测算指标")  # the bureau's own, by name
    review: Review = Field(default_factory=Review, alias="复核规则")  # the review rule sets it follows

    @property
    def depth(self) -> int:
        """Levels of the deepest leaf: the level columns of its score table."""
        return depth(self.indicators)

    @property
    def notices(self) -> tuple[str, ...]:
        """The document numbers (文号) its 来源 cites, as a report cites them: 财预〔2020〕10号."""
        return tuple(dict.fromkeys(NOTICE.findall(self.source)))

    @property
    def notice(self) -> str:
        """The notice a preface cites, 《title》（文号） or “文号文件” as its 来源 gives it; "" when the 来源 cites
        none or says it was inferred (推断)."""
        if INFERRED in self.source:
            return ""
        if found := TITLED_NOTICE.search(self.source):
            return found.group(0).replace("(", "（").replace(")", "）")
        return f"{found.group(0)}文件" if (found := NOTICE.search(self.source)) else ""


class Version(Model):
    """A dated version inside a framework file; keys it leaves out are taken from the top of the file."""

    valid_from: dt.date = Field(alias="生效日期")
    name: str | None = Field(None, alias="名称", min_length=1)
    source: str | None = Field(None, alias="来源", min_length=1)
    total: Points | None = Field(None, alias="总分")
    grades: tuple[Grade, ...] | None = Field(None, alias="等级")
    achieved_at: Percent | None = Field(None, alias="基本实现下限")
    indicators: list[Node] = Field(alias="指标", min_length=1)
    score_sheet: ScoreSheet | None = Field(None, alias="评分表")
    cap: Cap | None = Field(None, alias="总分封顶")
    measures: dict[str, MeasureDef] | None = Field(None, alias="测算指标")


class FrameworkFile(Model):
    """A framework file: one version (生效日期 and 指标 at the top), or several under 版本, each with its 生效日期."""

    name: str = Field(alias="名称", min_length=1)
    kind: KindName = Field(alias="适用")
    valid_from: dt.date | None = Field(None, alias="生效日期")
    source: str | None = Field(None, alias="来源", min_length=1)
    total: Points = Field(Decimal(100), alias="总分")
    grades: tuple[Grade, ...] = Field(DEFAULT_GRADES, alias="等级")
    achieved_at: Percent = Field(Decimal(80), alias="基本实现下限")
    indicators: list[Node] | None = Field(None, alias="指标", min_length=1)
    versions: list[Version] | None = Field(None, alias="版本", min_length=1)
    score_sheet: ScoreSheet = Field(default_factory=ScoreSheet, alias="评分表")
    cap: Cap | None = Field(None, alias="总分封顶")
    measures: dict[str, MeasureDef] = Field(default_factory=dict, alias="测算指标")  # the bureau's own, by name
    review: Review = Field(default_factory=Review, alias="复核规则")  # the review rule sets it follows (全国)


def dated(file: FrameworkFile) -> list[tuple[tuple, Framework | None, list[tuple[tuple, str]]]]:
    """Each version as a whole framework, with the YAML path of its keys and what it lacks (path, key)."""
    versions: list[tuple[tuple[str | int, ...], Version | None]] = (
        [((), None)] if file.versions is None else [(("版本", i), v) for i, v in enumerate(file.versions)])
    out = []
    for path, v in versions:
        fields: dict[str, Any] = {
            "name": file.name, "kind": file.kind, "valid_from": file.valid_from, "source": file.source,
            "total": file.total, "grades": file.grades, "achieved_at": file.achieved_at, "indicators": file.indicators,
            "versions": len(versions), "score_sheet": file.score_sheet, "cap": file.cap, "measures": file.measures,
            "review": file.review}
        if v is not None:  # a dated version: its own keys over the top of the file's
            fields |= {"name": v.name or file.name, "valid_from": v.valid_from, "source": v.source or file.source,
                       "total": file.total if v.total is None else v.total, "grades": v.grades or file.grades,
                       "achieved_at": file.achieved_at if v.achieved_at is None else v.achieved_at,
                       "indicators": v.indicators, "score_sheet": v.score_sheet or file.score_sheet,
                       "cap": v.cap or file.cap, "measures": file.measures if v.measures is None else v.measures}
        missing = [(path, key) for key, value in (("生效日期", fields["valid_from"]), ("来源", fields["source"]),
                                                  ("指标", fields["indicators"])) if value is None]
        out.append((path, None if missing else Framework.model_validate(fields), missing))
    return out


def in_force(versions: list[Framework], year: int) -> Framework | None:
    """The version in force at the end of the year evaluated: the latest whose 生效日期 is on or before 31 December."""
    known = [v for v in versions if v.valid_from <= dt.date(year, 12, 31)]
    return max(known, key=lambda v: v.valid_from) if known else None
