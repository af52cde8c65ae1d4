"""Score a leaf: the function for its rule, the conditions that zero it, composite leaves, a hand score kept beside
the framework's rule, and the row's 说明 added once to the reason."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..inputs import models as m
from .compute import Figures
from .numbers import percent, plain, q2, score
from .rules import (ZERO, MissingInput, Outcome, _facts, _measure_value, _number, completion_rule, deduction_rule,
                    pacing_rule, ratio_rule, tiers_rule)
from .rules_chosen import band_rule, checklist_rule, judgement_rule, manual_rule, situations

RULES = {
    m.RatioRule: ratio_rule, m.CompletionRule: completion_rule, m.TiersRule: tiers_rule, m.PacingRule: pacing_rule,
    m.DeductionRule: deduction_rule, m.ChecklistRule: checklist_rule, m.BandRule: band_rule,
    m.JudgementRule: judgement_rule, m.ManualRule: manual_rule,
}
COMPARE = {">=": lambda a, b: a >= b, "≥": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "≤": lambda a, b: a <= b,
           ">": lambda a, b: a > b, "<": lambda a, b: a < b, "=": lambda a, b: a == b, "≠": lambda a, b: a != b}
SHOWN_OP = {">=": "≥", "<=": "≤"}


def _operand(name: str, facts: m.IndicatorFacts | None, figures: Figures) -> tuple[Decimal, str]:
    """A side of a zeroing comparison: the row's 实际值 or 目标值, a measure in percent, or a number; and as printed."""
    if name in ("实际值", "目标值"):
        f = _facts(facts)
        value = _number(f.actual if name == "实际值" else f.target, name)
        return value, f"{name}{plain(value)}{f.unit}"
    if name in figures.measures:
        rate, _ = _measure_value(name, figures)
        if rate is None:
            raise MissingInput(figures.measures[name].denominator, f"“{name}”的分母为0，无法判断得0分条件", "0",
                               in_facts=False)
        return q2(rate * 100), f"{name}{percent(rate)}"
    return Decimal(name), name


def conditions_text(rule: m.Rule) -> str:
    return "；".join(f"{c.text or c.situation or c.compare.replace(' ', '')}的，本项得0分" for c in rule.zero_if)


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


def _composite(node: m.Node, rule: m.CompositeRule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework,
               rows: dict[str, m.IndicatorFacts]) -> Outcome:
    results = []
    for part in rule.parts:
        own = rows.get(part.id) if part.id else None
        part_facts = own or (facts.model_copy(update={"name": part.name}) if facts is not None else None)
        part_node = m.Node(编号=part.id or node.id, 名称=part.name, 权重=part.points, 规则=part.rule)
        try:
            outcome = score_rule(part_node, part.rule, part_facts, figures, fw, rows)
        except MissingInput as missing:
            raise MissingInput(missing.column, f"部分“{part.name}”：{missing.message}", missing.value, missing.hint,
                               missing.in_facts, part.id if own is not None else missing.row) from None
        if own is not None:
            outcome = _with_note(outcome, own)
        results.append((part.name, part.points, outcome))
    lost = [f"{name}：{o.reason.rstrip('。')}" for name, _, o in results if o.reason]
    return Outcome(sum((q2(o.points) for _, _, o in results), ZERO),
                   "；".join(f"{name}（{plain(points)}分）：{o.standard}" for name, points, o in results),
                   {f"{name}·{key}": value for name, _, o in results for key, value in o.inputs.items()},
                   "；".join(lost) + "。" if lost else "", parts=tuple(results))


def score_rule(node: m.Node, rule: m.Rule, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework,
               rows: dict[str, m.IndicatorFacts]) -> Outcome:
    """The outcome of one rule on a node, zeroing conditions applied; the reason without the row's 说明."""
    if isinstance(rule, m.CompositeRule):
        outcome = _composite(node, rule, facts, figures, fw, rows)
    else:
        outcome = RULES[type(rule)](node, rule, facts, figures, fw)
    if isinstance(rule, m.ManualRule) and rule.reference is not None:
        try:
            reference = score_rule(node, rule.reference, facts, figures, fw, rows)
            outcome = replace(outcome, standard=f"{outcome.standard}；对照评分标准（{reference.standard}）计得"
                              f"{score(reference.points)}分", rate=reference.rate, status=reference.status,
                              reference=reference)
        except MissingInput as missing:
            outcome = replace(outcome, standard=f"{outcome.standard}；无法按评分标准对照计分（{missing.message}）",
                              reference_gap=missing.message)
    if not rule.zero_if:
        return outcome
    standard = f"{outcome.standard}；{conditions_text(rule)}"
    held = _zeroed_by(rule, facts, figures)
    if not held:
        return replace(outcome, standard=standard)
    return replace(outcome, points=ZERO, standard=standard, inputs={**outcome.inputs, "得0分情形": held},
                   reason=f"{held}，按评分标准本项得0分，扣{score(node.weight)}分。",
                   status="未实现" if outcome.status else "")


def _with_note(outcome: Outcome, facts: m.IndicatorFacts | None) -> Outcome:
    if not outcome.reason or facts is None or not facts.note:
        return outcome
    return replace(outcome, reason=f"{outcome.reason}{facts.note.rstrip('。')}。")


def named_situations(rule: m.Rule) -> list[str]:
    """Every zeroing situation a rule names, its parts' and its reference rule's included."""
    inner = [p.rule for p in rule.parts] if isinstance(rule, m.CompositeRule) else []
    inner += [rule.reference] if isinstance(rule, m.ManualRule) and rule.reference is not None else []
    return [c.situation for c in rule.zero_if if c.situation] + [s for r in inner for s in named_situations(r)]


def apply(node: m.Node, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework,
          rows: dict[str, m.IndicatorFacts] | None = None) -> Outcome:
    """A leaf's points, 评分标准 (the framework's own wording first) and reason; rows: every row, for composite parts."""
    stated = (facts.situations or "").strip() if facts is not None else ""
    if stated not in ("", "无") and not named_situations(node.rule):
        raise MissingInput("发生情形", "本指标的评分规则没有列出得0分的情形，填写的情形不会影响得分", stated,
                           "清空此列；违规等情形若须扣分，请在评价体系中为该指标加“得0分条件”")
    outcome = _with_note(score_rule(node, node.rule, facts, figures, fw, rows or {}), facts)
    return replace(outcome, points=q2(outcome.points), standard=node.standard or outcome.standard)
