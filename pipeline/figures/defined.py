"""Measures a framework or a unit defines as formulas (测算指标: {名称: {公式, 单位, 说明, 来源}}), computed in exact
decimals after the built-in ones, each after those it names; they are scored, quoted and checked like the built-in."""
from __future__ import annotations

from decimal import Decimal

from ..inputs import models as m
from ..inputs.formulas import LAST_YEAR, Missing, evaluate, names, parse
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


def defined(inputs: m.Inputs, base: dict[str, Decimal | None], builtin: dict[str, Measure]) -> dict[str, Measure]:
    unit = inputs.unit
    defs = definitions(inputs.framework, unit)
    out: dict[str, Measure] = {}
    last = {f"{LAST_YEAR}.{k}": v for k, v in unit.last_year.items()}

    def value(name: str) -> Decimal | None:
        """A named figure; None for a measure that divides by zero; Missing for a figure not entered."""
        measure = out.get(name) or builtin.get(name)
        if measure is not None:
            if not measure.available:
                raise Missing(measure.numerator if measure.numerator_value is None else measure.denominator)
            return measure.value
        found = last.get(name) if name.startswith(LAST_YEAR + ".") else unit.own_figures.get(name, base.get(name))
        if found is None:
            raise Missing(name)
        return found

    for name in order(defs):
        d = defs[name]
        what = "；".join(filter(None, [d.label or f"公式 {d.formula}", d.source]))
        try:
            result = evaluate(parse(d.formula), value)
            out[name] = Measure(name, result, d.formula, "", Decimal(1), Decimal(1), d.unit, what)
        except Missing as missing:
            out[name] = Measure(name, None, missing.name, missing.name, None, None, d.unit, what)
    return out
