"""Score a leaf: its rule by the rule's type (pipeline/rules), the conditions that zero it, and the row's 说明 added
once to the reason; the wording every output prints for it."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from ..inputs import models as m
from ..numbers import plain, q2, score
from ..rules import registry as rules
from ..rules.outcome import ZERO, MissingInput, Outcome, measured, number, row_of, stated_names, with_note
from ..rules.schema import COMPARATORS
from .compute import Figures

if TYPE_CHECKING:
    from ..rules.reads import Facts, Node



class Zeroed(Protocol):
    """What applying a rule reads of it, whatever its type: the type and the conditions that zero the leaf."""

    @property
    def type(self) -> str: ...
    @property
    def zero_if(self) -> Sequence[m.ZeroIf]: ...


def _operand(name: str, facts: Facts | None, figures: Figures) -> tuple[Decimal, str]:
    """A side of a zeroing comparison: the row's 实际值 or 目标值, a measure in its unit, or a number; and as printed."""
    if name in ("实际值", "目标值"):
        f = row_of(facts)
        value = number(f.actual if name == "实际值" else f.target, name)
        return value, f"{name}{plain(value)}{f.unit}"
    if name in figures.measures:  # in its own unit (a rate in percent, 资金结余 in 万元), as a number beside it is
        value, _, _, shown = measured(name, None, figures)
        return value, f"{name}{shown}"
    return Decimal(name), name


def conditions_text(rule: Zeroed) -> str:
    return "；".join(f"{c.text or c.situation or (c.compare or '').replace(' ', '')}的，本项得0分" for c in rule.zero_if)


def situations(rule: Zeroed, facts: Facts | None) -> set[str]:
    """The zeroing situations the unit says occurred (发生情形), which it must state whenever the rule names any."""
    named = [c.situation for c in rule.zero_if if c.situation]
    if not named:
        return set()
    f = row_of(facts)
    if f.situations is None or not f.situations.strip():
        raise MissingInput("发生情形", "须说明是否发生：" + "、".join(named), hint="没有发生写“无”；发生了写情形名称，如 " + named[0])
    return stated_names(f.situations, named, "发生情形")


def _zeroed_by(rule: Zeroed, facts: Facts | None, figures: Figures) -> str:
    """The first zeroing condition that holds, as the reason will say it; empty when none holds."""
    occurred = situations(rule, facts)
    for condition in rule.zero_if:
        if condition.situation is not None:
            if condition.situation in occurred:
                return condition.text or condition.situation
            continue
        compared = re.match(m.ZERO_COMPARISON, condition.compare or "")
        assert compared is not None  # a condition without 情形 has a 比较 of this form (ZeroIf's validation)
        left, op, right = compared.groups()
        (a, shown_a), (b, shown_b) = _operand(left, facts, figures), _operand(right, facts, figures)
        if COMPARATORS[op][0](a, b):
            held = f"{shown_a}{COMPARATORS[op][1]}{shown_b}"
            return f"{condition.text}（{held}）" if condition.text else held
    return ""


def score_rule(node: Node, rule: Zeroed, facts: Facts | None, figures: Figures, fw: m.Framework,
               rows: Mapping[str, Facts]) -> Outcome:
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


def named_situations(rule: Zeroed) -> list[str]:
    """Every zeroing situation a rule names, those of the rules inside it included."""
    return [c.situation for c in rule.zero_if if c.situation] + [s for r in rules.inner(rule) for s in named_situations(r)]


def apply(node: m.Node, rule: Zeroed, facts: m.IndicatorFacts | None, figures: Figures, fw: m.Framework,
          rows: dict[str, m.IndicatorFacts] | None = None) -> Outcome:
    """A leaf's points by its rule, 评分标准 (the framework's own wording first), reason and wording; rows: every row,
    for parts."""
    stated = (facts.situations or "").strip() if facts is not None else ""
    if stated not in ("", "无") and not named_situations(rule):
        raise MissingInput("发生情形", "本指标的评分规则没有列出得0分的情形，填写的情形不会影响得分", stated,
                           "清空此列；违规等情形若须扣分，请在评价体系中为该指标加“得0分条件”")
    outcome = with_note(score_rule(node, rule, facts, figures, fw, rows or {}), facts)
    outcome = replace(outcome, points=q2(outcome.points), standard=node.standard or outcome.standard)
    return replace(outcome, shown=rules.wording(outcome, rule, node.weight))
