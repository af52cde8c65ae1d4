"""Score a leaf: its rule by the rule's type (pipeline/rules), the conditions that zero it, and the row's 说明 added
once to the reason; the wording every output prints for it."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..inputs import models as m
from ..numbers import percent, plain, q2, score
from ..rules import registry as rules
from ..rules.outcome import ZERO, MissingInput, Outcome, measure_value, number, row_of, stated_names, with_note
from .compute import Figures

COMPARE = {">=": lambda a, b: a >= b, "≥": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "≤": lambda a, b: a <= b,
           ">": lambda a, b: a > b, "<": lambda a, b: a < b, "=": lambda a, b: a == b, "≠": lambda a, b: a != b}
SHOWN_OP = {">=": "≥", "<=": "≤"}


def _operand(name: str, facts: m.IndicatorFacts | None, figures: Figures) -> tuple[Decimal, str]:
    """A side of a zeroing comparison: the row's 实际值 or 目标值, a measure in percent, or a number; and as printed."""
    if name in ("实际值", "目标值"):
        f = row_of(facts)
        value = number(f.actual if name == "实际值" else f.target, name)
        return value, f"{name}{plain(value)}{f.unit}"
    if name in figures.measures:
        rate, _ = measure_value(name, figures)
        if rate is None:
            raise MissingInput(figures.measures[name].denominator, f"“{name}”的分母为0，无法判断得0分条件", "0",
                               in_facts=False)
        return q2(rate * 100), f"{name}{percent(rate)}"
    return Decimal(name), name


def conditions_text(rule: m.Rule) -> str:
    return "；".join(f"{c.text or c.situation or c.compare.replace(' ', '')}的，本项得0分" for c in rule.zero_if)


def situations(rule: m.Rule, facts: m.IndicatorFacts | None) -> set[str]:
    """The zeroing situations the unit says occurred (发生情形), which it must state whenever the rule names any."""
    named = [c.situation for c in rule.zero_if if c.situation]
    if not named:
        return set()
    f = row_of(facts)
    if f.situations is None or not f.situations.strip():
        raise MissingInput("发生情形", "须说明是否发生：" + "、".join(named), hint="没有发生写“无”；发生了写情形名称，如 " + named[0])
    return stated_names(f.situations, named, "发生情形")


def _zeroed_by(rule: m.Rule, facts: m.IndicatorFacts | None, figures: Figures) -> str:
    """The first zeroing condition that holds, as the reason will say it; empty when none holds."""
    occurred = situations(rule, facts)
    for condition in rule.zero_if:
        if condition.situation is not None:
            if condition.situation in occurred:
                return condition.text or condition.situation
            continue
        left, op, right = re.match(m.ZERO_COMPARISON, condition.compare).groups()
        (a, shown_a), (b, shown_b) = _operand(left, facts, figures), _operand(right, facts, figures)
        if COMPARE[op](a, b):
            held = f"{shown_a}{SHOWN_OP.get(op, op)}{shown_b}"
            return f"{condition.text}（{held}）" if condition.text else held
    return ""


def score_rule(node: m.Node, rule: m.Rule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework,
               rows: dict[str, m.IndicatorFacts]) -> Outcome:
    """The outcome of one rule on a node, zeroing conditions applied; the reason without the row's 说明."""
    again = rules.Again(lambda n, r, f: score_rule(n, r, f, figures, fw, rows), rows)
    outcome = rules.score(node, rule, facts, figures, fw, again)
    if not rule.zero_if:
        return outcome
    standard = f"{outcome.standard}；{conditions_text(rule)}"
    held = _zeroed_by(rule, facts, figures)
    if not held:
        return replace(outcome, standard=standard)
    return replace(outcome, points=ZERO, standard=standard, inputs={**outcome.inputs, "得0分情形": held},
                   reason=f"{held}，按评分标准本项得0分，扣{score(node.weight)}分。",
                   status="未实现" if outcome.status else "")


def named_situations(rule: m.Rule) -> list[str]:
    """Every zeroing situation a rule names, those of the rules inside it included."""
    return [c.situation for c in rule.zero_if if c.situation] + [s for r in rules.inner(rule) for s in named_situations(r)]


def apply(node: m.Node, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework,
          rows: dict[str, m.IndicatorFacts] | None = None) -> Outcome:
    """A leaf's points, 评分标准 (the framework's own wording first), reason and wording; rows: every row, for parts."""
    stated = (facts.situations or "").strip() if facts is not None else ""
    if stated not in ("", "无") and not named_situations(node.rule):
        raise MissingInput("发生情形", "本指标的评分规则没有列出得0分的情形，填写的情形不会影响得分", stated,
                           "清空此列；违规等情形若须扣分，请在评价体系中为该指标加“得0分条件”")
    outcome = with_note(score_rule(node, node.rule, facts, figures, fw, rows or {}), facts)
    outcome = replace(outcome, points=q2(outcome.points), standard=node.standard or outcome.standard)
    return replace(outcome, shown=rules.wording(outcome, node.rule, node.weight))
