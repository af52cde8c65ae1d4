"""Review findings on what would otherwise pass without a word: pacing figures that cannot be cumulative rates,
form fields and sections left blank, last year's narrative carried into a new year. Each check takes the re-check
context (review_context.Context) and yields (message, place)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from .. import numbers as n
from ..errors import Location
from .review_context import Context

PACING = "控制数.季度累计执行率"
# a year at the start of a sentence, as its subject (2023年度对34家…, 2023年，我局…); not 2023年底/年末 balances
YEAR_AS_SUBJECT = re.compile(r"(?:^|[。！？；\n])\s*(20\d\d)\s*年度?(?![底末]|结转|同期|相比|\d)")
SAME_PARAGRAPH = 20  # characters from which a paragraph word for word as last year's is worth a look


def pacing_not_plausible(c: Context) -> Iterator[tuple[str, Location]]:
    """季度累计执行率: cumulative, so never falling; at most 100; Q4 the year's own rate; percents, not fractions."""
    rates = c.inputs.unit.controls.quarterly_execution
    if not rates:
        return
    where, shown = c.unit_place(PACING), "、".join(n.plain(r) for r in rates)
    if all(r <= 1 for r in rates) and any(rates):
        yield (f"季度累计执行率 {shown} 都不超过 1，像是写成了小数：应写百分数，例如 30 表示 30%", where)
        return
    for quarter, (before, after) in enumerate(zip(rates, rates[1:]), 2):
        if after < before:
            yield (f"季度累计执行率 {shown} 中第{quarter}季度（{n.plain(after)}%）低于第{quarter - 1}季度"
                   f"（{n.plain(before)}%）：累计执行率不会下降", where)
    for quarter, rate in enumerate(rates, 1):
        if rate > n.HUNDRED:
            yield f"第{quarter}季度累计执行率 {n.plain(rate)}% 超过 100%", where


def pacing_year_end_differs(c: Context) -> Iterator[tuple[str, Location]]:
    """The fourth quarter's cumulative rate is the year's: it should be the 预算执行率 the data give."""
    rates = c.inputs.unit.controls.quarterly_execution
    measure = c.figures.measures.get("预算执行率")
    if rates and not all(r <= 1 for r in rates) and measure is not None and measure.value is not None:
        where = c.unit_place(PACING)
        computed = measure.value * n.HUNDRED
        written = rates[3]
        places = written.as_tuple().exponent
        exponent = Decimal(1).scaleb(min(places, 0) if isinstance(places, int) else 0)  # compared at the precision written
        if computed.quantize(exponent, ROUND_HALF_UP) != written.quantize(exponent, ROUND_HALF_UP):
            yield (f"第4季度累计执行率 {n.plain(written)}% 与计算的全年预算执行率 {n.percent(measure.value)} 不符", where)


FORM_FIELDS = (("项目名称", "project", "城乡居民基本医疗保险补助"), ("主管部门", "department", "某县卫生健康局"),
               ("项目负责人", "leader", "张三"), ("联系电话", "phone", "0838-1234567"))
FORM_SECTIONS = (("年度总体目标", "年度总体目标"), ("总体目标完成情况", "实际完成情况"))


def form_fields_empty(c: Context) -> Iterator[tuple[str, Location]]:
    """The 自评表's required fields, and its goal sections once points were lost, left blank."""
    unit = c.inputs.unit
    for key, attribute, example in FORM_FIELDS:
        if not str(getattr(unit, attribute)).strip():
            yield f"自评表的必填项“{key}”为空：请在 unit.yaml 填写，如“{key}: {example}”", c.unit_place(key)
    lost = c.scores.weight - c.scores.total
    if lost <= 0:
        return
    for key, label in FORM_SECTIONS:
        written = c.text((key,))
        if written is None or not written[1].strip():
            yield f"共扣{n.score(lost)}分，自评表的“{label}”为空", c.unit_place(f"正文.{key}" if written else "正文")


def _paragraphs(value: object) -> Iterator[str]:
    texts = value.values() if isinstance(value, dict) else (value,)
    for text in texts:
        yield from (p.strip() for p in str(text).splitlines() if p.strip())


def narrative_carried_over(c: Context) -> Iterator[tuple[str, Location]]:
    """A sentence whose subject is an earlier year, or a paragraph word for word as last year's."""
    year = c.inputs.unit.year
    last = {p for value in c.last_text.values() for p in _paragraphs(value) if len(p) >= SAME_PARAGRAPH}
    for key, value in c.inputs.unit.text.items():
        where, same = c.unit_place(f"正文.{key}"), []
        for paragraph in _paragraphs(value):
            early = [int(found.group(1)) for found in YEAR_AS_SUBJECT.finditer(paragraph) if int(found.group(1)) < year]
            if early and str(year) not in paragraph:  # an earlier year as background to this year's work is fine
                yield (f"“{paragraph[:30]}…”以{early[0]}年开头，而本报告评价{year}年度：是否沿用了上年的叙述", where)
            elif paragraph in last:
                same.append(paragraph)
        if same:
            yield (f"{len(same)}段与上年报告的叙述一字不差（如“{same[0][:30]}…”）：是否沿用了上年的叙述", where)
