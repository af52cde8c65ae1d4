"""Every figure a unit's text may quote, by a name a user can find: rates, totals, control amounts, each sub-unit's
and fund source's row, and the score, weight, 得分率, 完成率, target and actual of every indicator at every level."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .. import numbers as n
from ..inputs import models as m
from ..rules.outcome import target_text  # noqa: F401 (templates and the form name it here)
from .compute import Figures
from .quantity import MONEY, Quantity, parsed
from .score import Scored, Scores

# base figures that are head counts or project counts, not 万元
COUNTS = frozenset({"编制数", "在职人数", "编外人数", "在职和编外人数", "计划完成项目数", "按时完成项目数"})


@dataclass(frozen=True)
class Quotable:
    name: str
    text: str  # as the report prints it
    value: Decimal | None  # the number behind the text (a percentage in percent), None for words
    kind: str  # 金额 万元 / 百分比 / 分 / 人数 / 文字
    what: str  # where it comes from, for `make figures`
    unit: str = ""  # the unit `value` is in, when `kind` does not say it (a measure's own unit, an indicator's 实际值)
    subject: str = ""  # whose figure: a budget line's, fund source's or category's name, an indicator's name or id
    attribute: str = ""  # which of the subject's figures (决算数, 得分 …); with `subject`, the two parts of `name`
    indicator: bool = False  # one of an indicator's figures


# the unit each kind of figure is printed in
KIND_UNITS = {"金额（万元）": "万元", "百分比": "%", "分": "分"}


def count_unit(name: str) -> str:
    """A head count is in 人, any other count in 个."""
    return "人" if "人" in name or "编制" in name else "个"


def quantity(q: Quotable, separators: bool = False, places: int = 2) -> Quantity | None:
    """The figure as a number with its unit, or None for words."""
    unit = q.unit or KIND_UNITS.get(q.kind) or (count_unit(q.name) if q.kind == "人数或个数" else "")
    if q.value is None or not unit:
        return None
    if q.indicator and q.attribute == "实际值":  # as entered, with the unit entered
        return parsed(q.text[:-len(unit)] if q.text.endswith(unit) else q.text, unit, places, separators)
    return Quantity(q.value, unit, places if unit in MONEY else 2, separators)


def quotes(found: dict[str, Quotable], separators: bool = False, places: int = 2) -> dict[str, Quantity | str]:
    """What {{ 数.名称 }} is: a number with its unit (and last year's figure, the base of |变化), or the text of words."""
    result: dict[str, Quantity | str] = {}
    for name, q in found.items():
        value = quantity(q, separators, places)
        earlier = found.get(f"上年{name}")
        last = quantity(earlier, separators, places) if earlier is not None else None
        if value is not None and last is not None and last.unit == value.unit:
            value = replace(value, last=last)
        result[name] = value if value is not None else q.text
    return result


def _percent(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else n.q2(rate * n.HUNDRED)


def _nodes(blocks: tuple[Scored, ...]) -> list[tuple[Scored, str]]:
    """Every node of the scored tree with its path of names (一级/二级/…)."""
    found: list[tuple[Scored, str]] = []

    def walk(node: Scored, path: str) -> None:
        here = f"{path}/{node.name}" if path else node.name
        found.append((node, here))
        for child in node.children:
            walk(child, here)

    for block in blocks:
        walk(block, "")
    return found


def catalogue(inputs: m.Inputs, figures: Figures, scores: Scores) -> dict[str, Quotable]:
    """Name → figure, in the order `make figures` lists them; a name already taken keeps its first meaning."""
    separators, places = inputs.unit.money_separators, inputs.unit.money_places
    found: dict[str, Quotable] = {}

    def add(name: str, text: str, value: Decimal | None, kind: str, what: str, unit: str = "", **of: Any) -> None:
        found.setdefault(name, Quotable(name, text, value, kind, what, unit, **of))

    def money(name: str, value: Decimal | None, what: str, **of: Any) -> None:
        if value is not None:
            add(name, n.money(value, separators, places), n.to_places(value, places), "金额（万元）", what, **of)

    def percent(name: str, rate: Decimal | None, what: str, **of: Any) -> None:
        if rate is not None:
            add(name, n.percent(rate), _percent(rate), "百分比", what, **of)

    def points(name: str, value: Decimal, what: str, **of: Any) -> None:
        add(name, n.score(value), n.q2(value), "分", what, **of)

    def of_line(subject: str, attribute: str) -> dict[str, Any]:
        return {"subject": subject, "attribute": attribute}

    def node_of(subject: str, attribute: str) -> dict[str, Any]:
        return {"subject": subject, "attribute": attribute, "indicator": True}

    add("总分", n.score(scores.total), n.q2(scores.total), "分", "各一级指标得分之和")
    add("满分", n.score(scores.weight), n.q2(scores.weight), "分", "评价体系总分")
    add("等级", scores.grade, None, "文字", "按评价体系的等级区间")
    for name, measure in figures.measures.items():
        if measure.available and measure.unit == "%":
            percent(name, measure.value, f"测算指标：{measure.described}")
        elif measure.available and measure.value is not None:  # a defined measure in its own unit
            add(name, n.with_unit(n.q2(measure.value), measure.unit, separators, places), n.q2(measure.value), "文字",
                f"测算指标：{measure.described}", measure.unit)
    for name, value in figures.base.items():
        if value is None:
            continue
        if name in COUNTS:
            add(name, n.plain(value), value, "人数或个数", "unit.yaml 人员 / 控制数")
        else:
            money(name, value, "合计数或 unit.yaml 控制数")
    # each budget line's and fund source's amounts and rate: (file, name, amounts, (rate's name, rate, how))
    lines = [("budget.csv", line.name, (("年初预算数", line.initial), ("全年预算数", line.budget), ("决算数", line.actual)),
              ("执行率", line.rate, "决算数/全年预算数")) for line in figures.budget]
    lines += [("funds.csv", fund.name, (("全年预算数", fund.budget), ("到位数", fund.received), ("已支出", fund.spent)),
               ("支出率", fund.spent_rate, "已支出/全年预算数")) for fund in figures.funds]
    for source, name, amounts, (rate_name, rate, how) in lines:
        what = f"{source}：{name}"
        for attribute, amount in amounts:
            money(f"{name}{attribute}", amount, what, **of_line(name, attribute))
        percent(f"{name}{rate_name}", rate, f"{what}：{how}", **of_line(name, rate_name))
    for row in figures.spending:
        money(f"{row.category}支出", row.amount, f"spending.csv：{row.category}", **of_line(row.category, "支出"))
    if figures.spending_total is not None:
        money("支出分类合计", figures.spending_total, "spending.csv 各类之和")
    for node, path in _nodes(scores.blocks):
        for key in dict.fromkeys((node.name, node.id)):
            what = f"指标 {node.id} {path}"
            points(f"{key}得分", node.points, what, **node_of(key, "得分"))
            points(f"{key}分值", node.weight, what, **node_of(key, "分值"))
            points(f"{key}扣分", node.lost, what, **node_of(key, "扣分"))
            percent(f"{key}得分率", node.rate, what + "：得分/分值", **node_of(key, "得分率"))
            outcome, facts = node.outcome, inputs.facts.get(node.id)
            if outcome is not None and outcome.rate is not None:
                percent(f"{key}完成率", outcome.rate, what, **node_of(key, "完成率"))
            if facts is not None and facts.target:
                add(f"{key}目标值", target_text(facts), None, "文字", what + "：indicators.csv 目标值", **node_of(key, "目标值"))
            if facts is not None and facts.actual:
                entered = parsed(facts.actual, facts.unit)
                add(f"{key}实际值", f"{facts.actual}{facts.unit}", entered.amount if entered is not None else None, "文字",
                    what + "：indicators.csv 实际值", facts.unit, **node_of(key, "实际值"))
    return found


def quote(name: str) -> str:
    """How the text quotes a figure: {{ 数.名称 }}, or {{ 数["名称"] }} when the name has punctuation or spaces."""
    return f"{{{{ 数.{name} }}}}" if name.isidentifier() else f'{{{{ 数["{name}"] }}}}'


def listing(found: dict[str, Quotable], separators: bool = False, places: int = 2) -> str:
    """`make figures`: one figure a line, as text quotes it: {{ 数.名称 }} or {{ 数["名称"] }}, and as it prints."""
    lines = ["可在叙述文字中引用的数（写作 {{ 数.名称 }}；名称含标点或空格时写作 {{ 数[\"名称\"] }}；"
             "数连同单位印出，换算金额单位写作 {{ 数.名称|元 }}、|万元、|亿元，与上年比较写作 |变化、|增减）：", ""]
    for name, shown in quotes(found, separators, places).items():
        q = found[name]
        lines.append(f"{quote(name)}\t{shown}\t{q.kind}\t{q.what}")
    lines.append(f"\n共 {len(found)} 个。")
    return "\n".join(lines)
