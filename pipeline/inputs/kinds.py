"""Each report kind and each table a unit may supply, defined once and read by every stage."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class TableKind:
    key: str
    file: str  # the CSV file
    sheet: str  # the sheet of 数据.xlsx that may hold it instead
    sheet_en: str  # its English sheet name, matched in any letter case
    carried: tuple[str, ...] = ()  # columns next year's table starts from (make next); the others are this year's facts


KindName = Literal["department", "project"]  # the report kinds below, for the models' 报告类型 and 适用


@dataclass(frozen=True)
class ReportKind:
    name: KindName
    label: str
    tables: tuple[str, ...]  # the tables a unit of this kind must supply
    execution: str  # the measure its reports call the execution rate

    @property
    def template(self) -> str:
        return f"{self.name}/report.md.j2"

    @property
    def form(self) -> str:
        return f"{self.name}/自评表.docx"


# the 来源 of the sample rows make new writes: the review tells a unit whose rows still say it (数据仍是示例)
SAMPLE_SOURCE = "示例数据，请改为实际来源"
TABLES = {t.key: t for t in (
    TableKind("budget", "budget.csv", "预算执行", "budget", ("单位名称",)),
    TableKind("funds", "funds.csv", "项目资金", "funds", ("资金来源", "资金性质")),
    TableKind("spending", "spending.csv", "支出分类", "spending", ("支出分类",)),
    TableKind("facts", "indicators.csv", "指标", "indicators",
              ("指标编号", "指标名称", "一级指标", "二级指标", "权重", "目标值", "比较符", "计量单位")),
)}


@dataclass(frozen=True)
class UnitSheet:
    """A sheet of 数据.xlsx holding blocks of unit.yaml, a row per key: 名称 (the key) and 数值."""

    key: str
    sheet: str
    sheet_en: str
    blocks: tuple[str, ...]  # the unit.yaml blocks its rows fill


UNIT_SHEETS = {t.key: t for t in (
    UnitSheet("figures", "人员与控制数", "staffing", ("人员", "控制数")),
    UnitSheet("last_year", "上年数", "last-year", ("上年",)),
)}

KINDS: dict[str, ReportKind] = {k.name: k for k in (  # looked up by the name a unit wrote
    ReportKind("department", "部门整体支出", ("budget", "facts"), "预算执行率"),
    ReportKind("project", "项目支出", ("funds", "facts"), "支出率"),
)}
KIND_CHOICES = "或".join(f"{k.name}（{k.label}）" for k in KINDS.values())
