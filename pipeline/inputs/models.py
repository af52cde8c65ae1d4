"""Typed shapes of a unit's data (unit.yaml and its tables) and of everything validated; input keys are Chinese aliases."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, get_args

from pydantic import Field, field_validator, model_validator

from ..errors import Problem
from .cells import Unreadable, percent_text
from .fields import Amount, Count, Flag, Model, Percent, Places, Points, Year, no_items
from .framework import *  # noqa: F401,F403 (one namespace for the stages: m.Node, m.Framework, m.RatioRule …)
from .framework import Framework, Node
from .kinds import KindName
from .measures import MeasureDef

# ---------- the unit: profile, control figures and narrative (unit.yaml) ----------


class Staffing(Model):
    authorised: Count | None = Field(None, alias="编制数")
    on_duty: Count | None = Field(None, alias="在职人数")
    contract: Count | None = Field(None, alias="编外人数")
    retired: Count | None = Field(None, alias="离退休人数")
    retired_note: str = Field("", alias="离退休说明")


class Controls(Model):
    """Control figures a department-wide framework scores against (DOMAIN §2)."""

    three_public_budget: Amount | None = Field(None, alias="三公经费预算")
    three_public_actual: Amount | None = Field(None, alias="三公经费支出")
    public_funds_budget: Amount | None = Field(None, alias="公用经费预算")
    public_funds_actual: Amount | None = Field(None, alias="公用经费支出")
    procurement_plan: Amount | None = Field(None, alias="政府采购计划")
    procurement_actual: Amount | None = Field(None, alias="政府采购实际")
    quarterly_execution: list[Percent] | None = Field(None, alias="季度累计执行率", min_length=4, max_length=4)
    projects_planned: Count | None = Field(None, alias="计划完成项目数")
    projects_on_time: Count | None = Field(None, alias="按时完成项目数")
    adjustments: Amount | None = Field(None, alias="调剂总额")


class Declared(Model):
    """Totals as printed elsewhere (决算报表, the published report), checked against the parts."""

    initial_budget: Amount | None = Field(None, alias="年初预算数")
    budget: Amount | None = Field(None, alias="全年预算数")
    actual: Amount | None = Field(None, alias="决算数")
    basic: Amount | None = Field(None, alias="基本支出")
    project: Amount | None = Field(None, alias="项目支出")


class Published(Model):
    """What the unit printed or entered by hand, for the check report."""

    total: Points | None = Field(None, alias="总分")
    grade: str | None = Field(None, alias="等级")
    blocks: dict[str, Points] = Field(default_factory=dict, alias="一级得分")
    rates: dict[str, Percent] = Field(default_factory=dict, alias="比率")  # percent, as printed
    score_rates: dict[str, Percent] = Field(default_factory=dict, alias="得分率")  # percent, by 一级指标
    nodes: dict[str, Points] = Field(default_factory=dict, alias="指标得分")  # any indicator, by 编号 or 名称


class Issue(Model):
    """A problem the unit reports, with why the target was missed (项目支出: 存在问题 / 未达标原因)."""

    title: str = Field(alias="标题", min_length=1)
    detail: str = Field("", alias="说明")
    cause: str = Field("", alias="未达标原因")
    measure: str = Field("", alias="改进措施")
    indicator: str = Field("", alias="指标")  # the indicator it concerns, by 编号 or 名称: its 分值 and 得分 are said


class Unit(Model):
    name: str = Field(alias="单位名称", min_length=1)
    kind: KindName = Field(alias="报告类型")
    year: Year = Field(alias="年度")
    framework: str = Field(alias="评价体系", pattern=r"^[\w-]+$")
    title: str | None = Field(None, alias="报告标题")
    notice: str = Field("", alias="评价通知")
    filler: str = Field("", alias="填报人")
    head: str = Field("", alias="单位负责人")
    phone: str = Field("", alias="联系电话")
    filled_on: dt.date | None = Field(None, alias="填报日期")
    money_separators: Flag = Field(False, alias="金额千分位")
    money_places: Places = Field(2, alias="金额小数位")  # amounts are printed, added up and divided at this precision
    charts: Flag = Field(True, alias="图表")
    template_group: str | None = Field(None, alias="模板组", pattern=r"^[\w-]+$")  # inputs/templates/<组>/
    overrun_tolerance: Percent = Field(Decimal(0), alias="超预算容差")  # % a 决算数 may exceed its budget unwarned
    verified: list[str] = Field(default_factory=no_items, alias="已核实差异")  # differences the unit checked and keeps
    staffing: Staffing = Field(default_factory=Staffing, alias="人员")
    controls: Controls = Field(default_factory=Controls, alias="控制数")
    declared: Declared = Field(default_factory=Declared, alias="声明数")
    published: Published = Field(default_factory=Published, alias="已公布")
    text: dict[str, str | dict[str, str]] = Field(default_factory=dict, alias="正文")
    # a project (项目支出) report names its project and who runs it
    project: str = Field("", alias="项目名称")
    department: str = Field("", alias="主管部门")
    implementer: str = Field("", alias="实施单位")
    leader: str = Field("", alias="项目负责人")
    issues: list[Issue] = Field(default_factory=no_items, alias="问题清单")
    # the document's outline: a table of contents; problems and measures in two chapters or paired
    toc: bool = Field(False, alias="目录")
    pairing: Literal["分章", "逐项"] = Field("分章", alias="问题与措施")
    # last year's key figures, for 同比 when last year's folder is not there (名称 as `make figures` lists them)
    last_year: dict[str, Amount] = Field(default_factory=dict, alias="上年")
    # figures of the unit's own that its or its framework's measures name (上年结余 …), and measures of its own
    own_figures: dict[str, Amount] = Field(default_factory=dict, alias="自定数据")
    measures: dict[str, MeasureDef] = Field(default_factory=dict, alias="测算指标")

    @field_validator("last_year", "own_figures", mode="before")
    @classmethod
    def _left_empty(cls, given: Any) -> Any:
        """A key `make new` wrote for a figure the framework's measures need and nobody filled yet: not entered
        (Inputs.left_empty names it)."""
        return {k: v for k, v in given.items() if v is not None} if isinstance(given, dict) else given


# ---------- the unit's tables (CSV) ----------


class BudgetRow(Model):
    name: str = Field(alias="单位名称", min_length=1)
    initial: Amount = Field(alias="年初预算数")
    budget: Amount = Field(alias="全年预算数")
    actual: Amount = Field(alias="决算数")
    basic: Amount | None = Field(None, alias="基本支出")
    project: Amount | None = Field(None, alias="项目支出")
    source: str = Field("", alias="来源")


# a fund's nature as funds.csv takes it, and the row the 自评表 (财预〔2020〕10号) prints for it under 年度资金总额
Nature = Literal["财政拨款", "上年结转", "其他资金"]
NATURES: tuple[Nature, ...] = get_args(Nature)
FORM_FUND_LABELS = {"财政拨款": "当年财政拨款", "上年结转": "上年结转资金", "其他资金": "其他资金"}
FORM_FUNDS_TOTAL = "年度资金总额"


class FundRow(Model):
    """One source of a project's funds (项目支出: 预算安排, 到位/拨付, 已支出)."""

    source_name: str = Field(alias="资金来源", min_length=1)
    nature: Nature = Field("财政拨款", alias="资金性质")
    initial: Amount = Field(alias="年初预算数")
    budget: Amount = Field(alias="全年预算数")
    received: Amount = Field(alias="到位数")
    spent: Amount = Field(alias="已支出")
    source: str = Field("", alias="来源")


class SpendingRow(Model):
    category: str = Field(alias="支出分类", min_length=1)
    amount: Amount = Field(alias="金额")
    source: str = Field("", alias="来源")


Comparator = Literal["≥", "≤", "=", "是否", "定性"]


class IndicatorFacts(Model):
    """What the unit reports for one leaf indicator; which columns matter depends on its rule."""

    id: str = Field(alias="指标编号", pattern=r"^[\w.-]+$")
    name: str = Field("", alias="指标名称")
    target: str | None = Field(None, alias="目标值")
    comparator: Comparator | None = Field(None, alias="比较符")
    unit: str = Field("", alias="计量单位")
    actual: str | None = Field(None, alias="实际值")
    failed_items: Count | None = Field(None, alias="扣分项数")
    met_items: str | None = Field(None, alias="已完成项")
    band: str | None = Field(None, alias="档次")
    score: Points | None = Field(None, alias="自评得分")
    note: str = Field("", alias="说明")
    source: str = Field("", alias="来源")
    # a project's own 三级 indicators carry their class and, optionally, their weight
    level1: str = Field("", alias="一级指标")
    level2: str = Field("", alias="二级指标")
    weight: Points | None = Field(None, alias="权重")
    shortfall: str = Field("", alias="偏差原因")
    # an indicator that does not apply (no points; the total brought from those that do), with why
    not_applicable: str = Field("", alias="不适用原因")
    rule_choice: str = Field("", alias="评分规则")  # manual, or a rule the framework offers by name
    situations: str | None = Field(None, alias="发生情形")  # which of a rule's zeroing situations occurred, or 无

    @model_validator(mode="before")
    @classmethod
    def _percent_values(cls, data: object) -> object:
        """A target or actual written as a rate (98.5%, or a workbook cell shown as 98.5%) is the number 98.5 with
        the unit %, whichever way it was typed; a rate in a row of another unit is refused."""
        if not isinstance(data, dict):
            return data
        data, unit = dict(data), str(data.get("计量单位", "")).strip()
        for column in ("目标值", "实际值"):
            text = data.get(column)
            if not isinstance(text, str) or not text.strip().replace("％", "%").endswith("%"):
                continue
            try:
                data[column] = percent_text(text)
            except Unreadable:
                continue  # not a number: the rule that needs it says so, at its cell
            if unit not in ("", "%"):
                raise ValueError(f"{column}带 %，但计量单位是“{unit}”：请去掉 % 或把计量单位改为 %")
            data["计量单位"] = unit = "%"
        return data



# ---------- everything validated, handed to compute ----------


@dataclass(frozen=True)
class Inputs:
    """What checked() assembles from the models above, already validated: a plain record, not validated again."""

    unit: Unit
    framework: Framework
    tree: tuple[Node, ...]  # the framework's indicators with the unit's own indicators filled in
    budget: tuple[BudgetRow, ...]
    funds: tuple[FundRow, ...]
    spending: tuple[SpendingRow, ...]
    facts: dict[str, IndicatorFacts]
    fact_lines: dict[str, int]  # indicator id → its line in indicators.csv
    unit_lines: dict[str, int]  # dotted key path in unit.yaml → its line
    lines: dict[str, tuple[int, ...]]  # table → the line of each of its rows, for messages
    files: dict[str, str]  # table name → file shown in messages
    unfilled: tuple[Problem, ...] = ()  # Problems of what is not filled yet: warnings for a check, errors for a report
    # figures whose key is written with no value (上年.三公经费支出, 自定数据.重点项目支出), in unit.yaml or its sheet
    left_empty: frozenset[str] = frozenset()


# the table of tables' row models: table key (kinds.TABLES) → the model of one row
ROW_MODELS: dict[str, type[Model]] = {"budget": BudgetRow, "funds": FundRow, "spending": SpendingRow,
                                      "facts": IndicatorFacts}
