"""Every measure, computed one way: the built-in ones (inputs/measures.py), then those a framework or a unit defines
(测算指标: {名称: {公式, 单位, 说明, 来源}}), each a formula in exact decimals, each after the measures it names."""
from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from ..inputs import models as m
from ..inputs.formulas import LAST_YEAR, Missing, evaluate, names, parse, quotient
from ..inputs.measures import MEASURES
from ..numbers import step
from .measure import Measure


def definitions(framework: m.Framework, unit: m.Unit) -> dict[str, m.MeasureDef]:
    """The framework's measures, then the unit's own (validation refuses a name defined twice)."""
    return {**framework.measures, **unit.measures}


def order(defs: dict[str, m.MeasureDef]) -> list[str]:
    """The defined measures, each after the defined measures it names (validation refuses a cycle)."""
    done: list[str] = []

    def visit(name: str, seen: tuple[str, ...]) -> None:
        if name in done or name in seen:
            return
        for used in names(parse(defs[name].formula)):
            if used in defs:
                visit(used, seen + (name,))
        done.append(name)

    for name in defs:
        visit(name, ())
    return done


def measures(inputs: m.Inputs, base: dict[str, Decimal | None]) -> dict[str, Measure]:
    """Name → measure: the built-in ones first, in their order, then the defined ones."""
    unit = inputs.unit
    defs = definitions(inputs.framework, unit)
    out: dict[str, Measure] = {}
    last = {f"{LAST_YEAR}.{k}": v for k, v in unit.last_year.items()}

    def value(name: str) -> Decimal | None:
        """A named figure; None for a measure that divides by zero; Missing for a figure not entered."""
        measure = out.get(name)
        if measure is not None:
            if not measure.available:
                raise Missing(measure.numerator if measure.numerator_value is None else measure.denominator)
            return measure.value
        # a figure of the tables and unit.yaml's items first; the unit's own 自定数据 for what they leave empty
        found = last.get(name) if name.startswith(LAST_YEAR + ".") else base.get(name)
        found = unit.own_figures.get(name) if found is None and not name.startswith(LAST_YEAR + ".") else found
        if found is None:
            raise Missing(name)
        return found

    for name, d in [*MEASURES.items(), *((name, defs[name]) for name in order(defs))]:
        out[name] = measure(name, d, value)
    return out


def measure(name: str, d: m.MeasureDef, value: Callable[[str], Decimal | None]) -> Measure:
    """One measure: its value kept to its 小数位, and the two figures it divides when it is a quotient of figures."""
    tree = parse(d.formula)
    what = "；".join(filter(None, [d.label or f"公式 {d.formula}", d.source]))
    pair = quotient(tree)
    if pair is not None:  # one figure over another: both named, each looked up alone so a message names the missing
        numerator, denominator = pair
        top, bottom = _entered(value, numerator), _entered(value, denominator)
        if top is Missing or bottom is Missing:
            return Measure(name, None, numerator, denominator, top if isinstance(top, Decimal) else None,
                           bottom if isinstance(bottom, Decimal) else None, d.unit, what)
        if isinstance(top, Decimal) and isinstance(bottom, Decimal):
            return Measure(name, _kept(evaluate(tree, value), d), numerator, denominator, top, bottom, d.unit, what)
    try:
        return Measure(name, _kept(evaluate(tree, value), d), d.formula, "", Decimal(1), Decimal(1), d.unit, what)
    except Missing as missing:
        return Measure(name, None, missing.name, missing.name, None, None, d.unit, what)


def _entered(value: Callable[[str], Decimal | None], name: str) -> Decimal | None | type[Missing]:
    """A figure's value, None for a measure that divides by zero, or the class Missing when it is not entered."""
    try:
        return value(name)
    except Missing:
        return Missing


def _kept(result: Decimal | None, d: m.MeasureDef) -> Decimal | None:
    if result is None or d.places is None:
        return result
    return result.quantize(step(d.places + (2 if d.unit == "%" else 0)), rounding=ROUND_HALF_UP)
