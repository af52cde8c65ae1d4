"""What is suspicious in a unit's figures although each value is valid: totals off their parts, spending over budget."""
from __future__ import annotations

from .. import codes as k
from ..errors import Location, Problem
from ..figures.compute import Figures
from ..inputs import models as m
from ..inputs.measures import key_line
from ..numbers import money as print_money
from ..numbers import percent
from .checks import difference_place

ADJUSTMENT_CAUSE = "正文.预算调整原因"
ADJUSTMENT = "预算调整"  # in 已核实差异: the unit checked its adjustment and gives no cause (its published report gives none)
NO_BUDGET_HINT = "请核对全年预算数（含年中追加、调剂）；如属实，这一行的比率在报告中列为“—”"


def empty_tables(inputs: m.Inputs) -> list[Problem]:
    """The money table of the unit's kind with no row: the report's 预算执行情况 is written from it."""
    key = "budget" if inputs.unit.kind == "department" else "funds"
    if (inputs.budget if key == "budget" else inputs.funds) or key not in inputs.files:
        return []
    return [Problem(Location(inputs.files[key]), "数据表中没有任何数据行（只有表头）", code=k.EMPTY_TABLE, hint="至少填写一行：" + (
        "单位名称、年初预算数、全年预算数、决算数" if key == "budget" else "资金来源、资金性质、年初预算数、全年预算数、到位数、已支出"))]


def unexplained_adjustment(inputs: m.Inputs, figures: Figures) -> list[Problem]:
    """全年预算 other than 年初预算 with no cause from the unit: the report says the change and its share, a bureau
    asks why (GB practice: 调增/调减 amount, share and cause)."""
    initial, budget = figures.base.get("年初预算数"), figures.base.get("全年预算数")
    cause = inputs.unit.text.get("预算调整原因")
    if initial is None or budget is None or initial == budget or (cause and (not isinstance(cause, str) or cause.strip())):
        return []
    if ADJUSTMENT in inputs.unit.verified:
        return []
    change = budget - initial
    amount = print_money(abs(change), inputs.unit.money_separators, places=inputs.unit.money_places)
    return [Problem(Location(inputs.files["unit"], key_line(inputs.unit_lines, ADJUSTMENT_CAUSE), ADJUSTMENT_CAUSE),
                    f"全年预算数较年初预算数{'调增' if change > 0 else '调减'}{amount}万元，未写预算调整原因，"
                    "报告只写调整金额和比例", None,
                    "请在 unit.yaml 的 正文 下写明原因，例如：预算调整原因: 主要是年中追加春节慰问专项资金；"
                    f"经核实不写原因的，在 已核实差异 中列出 {ADJUSTMENT}",
                    k.BUDGET_ADJUSTMENT_UNEXPLAINED)]


def cautions(inputs: m.Inputs, figures: Figures) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings): a declared total off its parts by more than a cent is an error, a cent (尾差) a warning."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    tolerance = inputs.unit.overrun_tolerance
    # amounts in messages written as the unit prints them (金额千分位, decimals)
    money = lambda value: print_money(value, inputs.unit.money_separators, places=inputs.unit.money_places)  # noqa: E731
    for d in figures.differences:
        if not d.declared_total or d.what in inputs.unit.verified:
            continue
        place = difference_place(inputs, d)
        text = f"{d.what}{d.declared_as}{money(d.declared)}，{d.computed_as}{money(d.computed)}，相差{money(abs(d.gap))}"
        if d.rounding_only:
            warnings.append(Problem(place, text + "（尾差）", hint=f"核实后可在 unit.yaml 的 已核实差异 中列出“{d.what}”",
                                    code=k.ROUNDING_DIFFERENCE))
        else:
            errors.append(Problem(place, text, money(d.declared), "合计数应等于明细之和，请核对明细或合计", d.code))
    limit = 1 + tolerance / 100
    for line in figures.budget:
        if not line.budget and line.actual:
            warnings.append(Problem(Location(inputs.files["budget"], line.line, "决算数"), f"{line.name}全年预算数为 0，"
                                    "却有决算支出，执行率无法计算", money(line.actual), NO_BUDGET_HINT,
                                    k.ZERO_BUDGET_SPENT))
        elif line.budget and line.actual > line.budget * limit:
            warnings.append(Problem(Location(inputs.files["budget"], line.line, "决算数"),
                                    f"{line.name}决算数超过全年预算数（执行率{percent(line.rate)}）", money(line.actual),
                                    f"超预算{'超过容差 ' + str(tolerance) + '%' if tolerance else ''}；"
                                    "如属实可在 unit.yaml 设 超预算容差", k.BUDGET_OVERRUN))
    for row, number in zip(inputs.funds, inputs.lines.get("funds", ())):
        for column, value in (("到位数", row.received), ("已支出", row.spent)):
            if not row.budget and value:
                warnings.append(Problem(Location(inputs.files["funds"], number, column), f"{row.source_name}全年预算数为 0，"
                                        f"却有{column}，到位率和支出率无法计算", money(value), NO_BUDGET_HINT,
                                        k.ZERO_BUDGET_SPENT))
        if row.spent > row.received * limit:
            warnings.append(Problem(Location(inputs.files["funds"], number, "已支出"), f"{row.source_name}已支出超过到位数 "
                                    f"{money(row.received)}", money(row.spent), "请核对已支出和到位数",
                                    k.FUNDS_SPENT_OVER_RECEIVED))
        # 到位数 over 全年预算数 is the 自评表's advisory 提示 “到位资金超过预算” (recheck), told there once, not warned
    warnings += unexplained_adjustment(inputs, figures)
    return errors, warnings
