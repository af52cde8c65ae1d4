"""Derived figures (DOMAIN §3): sums of the tables, every ratio the data allows, and differences from declared totals."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import codes as k
from ..inputs import models as m
from ..numbers import ratio
from .defined import measures
from .measure import Measure


@dataclass(frozen=True)
class BudgetLine:
    name: str
    initial: Decimal
    budget: Decimal
    actual: Decimal
    basic: Decimal | None
    project: Decimal | None
    rate: Decimal | None
    assumed: bool
    line: int | None = None  # row in budget.csv


@dataclass(frozen=True)
class FundLine:
    """A project's funds from one source, or their total (年度资金总额) or a subtotal by nature."""

    name: str
    initial: Decimal
    budget: Decimal
    received: Decimal
    spent: Decimal

    @property
    def received_rate(self) -> Decimal | None:
        return ratio(self.received, self.budget)

    @property
    def spent_rate(self) -> Decimal | None:
        return ratio(self.spent, self.budget)


@dataclass(frozen=True)
class Difference:
    """A declared figure that differs from the one computed from its parts."""

    what: str
    declared: Decimal
    computed: Decimal
    code: str  # the kind of difference (docs/reference.md lists the codes)
    declared_as: str = "填报数"
    computed_as: str = "按明细计算"
    declared_total: bool = True  # False where the parts need not make up the whole (main spending categories)
    line: int | None = None  # the table row the difference is on, if any
    file: str = "unit"  # the file the declared figure was entered in, as inputs.files names it
    key: str = ""  # its key path in unit.yaml, or its column in the table

    @property
    def gap(self) -> Decimal:
        return self.declared - self.computed

    @property
    def rounding_only(self) -> bool:
        return abs(self.gap) <= Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    base: dict[str, Decimal | None]
    measures: dict[str, Measure]
    budget: tuple[BudgetLine, ...]
    budget_total: BudgetLine | None
    funds: tuple[FundLine, ...]  # one line per source
    funds_total: FundLine | None
    spending: tuple[m.SpendingRow, ...]
    spending_total: Decimal | None
    quarters: tuple[Decimal, ...] | None  # cumulative execution at each quarter end, in percent
    differences: tuple[Difference, ...]


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not values or len(present) < len(values):
        return None
    return sum(present, Decimal(0))


def budget_lines(rows: tuple[m.BudgetRow, ...], numbers: tuple[int, ...] = ()) -> tuple[tuple[BudgetLine, ...], BudgetLine | None]:
    rows_at: tuple[int | None, ...] = numbers or (None,) * len(rows)
    lines = tuple(BudgetLine(r.name, r.initial, r.budget, r.actual, r.basic, r.project, ratio(r.actual, r.budget),
                             "假定" in r.source, n) for r, n in zip(rows, rows_at))
    if not lines:
        return lines, None
    initial = sum((line.initial for line in lines), Decimal(0))
    budget = sum((line.budget for line in lines), Decimal(0))
    actual = sum((line.actual for line in lines), Decimal(0))
    total = BudgetLine("合计", initial, budget, actual, _sum([line.basic for line in lines]),
                       _sum([line.project for line in lines]), ratio(actual, budget), any(line.assumed for line in lines))
    return lines, total


def fund_lines(rows: tuple[m.FundRow, ...], name: str = "合计") -> tuple[tuple[FundLine, ...], FundLine | None]:
    lines = tuple(FundLine(r.source_name, r.initial, r.budget, r.received, r.spent) for r in rows)
    if not lines:
        return lines, None
    return lines, FundLine(name, *(sum((getattr(line, f) for line in lines), Decimal(0))
                                   for f in ("initial", "budget", "received", "spent")))


def funds_by_nature(rows: tuple[m.FundRow, ...], nature: str) -> FundLine:
    """The subtotal of one nature (财政拨款/上年结转/其他资金), zero when the unit has none."""
    _, total = fund_lines(tuple(r for r in rows if r.nature == nature), nature)
    return total or FundLine(nature, Decimal(0), Decimal(0), Decimal(0), Decimal(0))


def base_figures(unit: m.Unit, total: BudgetLine | FundLine | None) -> dict[str, Decimal | None]:
    c, s = unit.controls, unit.staffing
    number = lambda v: None if v is None else Decimal(v)  # noqa: E731
    on_duty_and_contract = None if s.on_duty is None or s.contract is None else Decimal(s.on_duty + s.contract)
    spent: Decimal | None
    received: Decimal | None
    basic: Decimal | None
    project: Decimal | None
    if isinstance(total, FundLine):
        spent, received, basic, project = total.spent, total.received, None, None
    elif total is not None:
        spent, received, basic, project = total.actual, None, total.basic, total.project
    else:
        spent = received = basic = project = None
    return {
        "年初预算数": total.initial if total else None,
        "全年预算数": total.budget if total else None,
        "决算数": spent,
        "到位数": received,
        "基本支出": basic,
        "项目支出": project,
        "调剂总额": c.adjustments,
        "三公经费预算": c.three_public_budget, "三公经费支出": c.three_public_actual,
        "公用经费预算": c.public_funds_budget, "公用经费支出": c.public_funds_actual,
        "政府采购计划": c.procurement_plan, "政府采购实际": c.procurement_actual,
        "编制数": number(s.authorised), "在职人数": number(s.on_duty), "编外人数": number(s.contract),
        "在职和编外人数": on_duty_and_contract,
        "计划完成项目数": number(c.projects_planned), "按时完成项目数": number(c.projects_on_time),
    }


def differences(unit: m.Unit, lines: tuple[BudgetLine, ...], base: dict[str, Decimal | None],
                spending_total: Decimal | None) -> tuple[Difference, ...]:
    found: list[Difference] = []
    d = unit.declared
    for label, declared in (("年初预算数", d.initial_budget), ("全年预算数", d.budget), ("决算数", d.actual),
                            ("基本支出", d.basic), ("项目支出", d.project)):
        computed = base[label]
        if declared is not None and computed is not None and declared != computed:
            found.append(Difference(f"{label}合计", declared, computed, k.DECLARED_TOTAL_DIFFERS,
                                    computed_as="按各单位明细计算", key=f"声明数.{label}"))
    for line in lines:
        if line.basic is not None and line.project is not None and line.basic + line.project != line.actual:
            found.append(Difference(f"{line.name}决算数", line.actual, line.basic + line.project, k.BUDGET_LINE_PARTS_DIFFER,
                                    computed_as="基本支出与项目支出相加", line=line.line, file="budget", key="决算数"))
    if spending_total is not None and base["决算数"] is not None and spending_total != base["决算数"]:
        found.append(Difference("支出分类明细", base["决算数"], spending_total, k.SPENDING_PARTS_DIFFER,
                                declared_as="决算数合计", computed_as="各分类相加", declared_total=False, file="spending", key="金额"))
    return tuple(found)


def compute(inputs: m.Inputs) -> Figures:
    lines, total = budget_lines(inputs.budget, inputs.lines.get("budget", ()))
    funds, funds_total = fund_lines(inputs.funds)
    base = base_figures(inputs.unit, funds_total if inputs.unit.kind == "project" else total)
    spending_total = _sum([row.amount for row in inputs.spending]) if inputs.spending else None
    quarters = inputs.unit.controls.quarterly_execution
    return Figures(base, measures(inputs, base), lines, total, funds, funds_total, inputs.spending, spending_total,
                   tuple(quarters) if quarters else None, differences(inputs.unit, lines, base, spending_total))
