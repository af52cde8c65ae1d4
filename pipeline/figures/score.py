"""Score every leaf by its rule, roll the points up the indicator tree and grade the total."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import Problem, nth_line, raise_if
from ..inputs import models as m
from ..inputs.measures import KEY_PATHS, key_line
from .compute import Figures
from .rules import MissingInput, Outcome, apply


@dataclass(frozen=True)
class Scored:
    id: str
    name: str
    level: int  # 1 = 一级
    weight: Decimal
    points: Decimal
    children: tuple[Scored, ...]
    outcome: Outcome | None  # leaves only
    rule_type: str = ""

    @property
    def lost(self) -> Decimal:
        return self.weight - self.points

    @property
    def rate(self) -> Decimal | None:
        """得分率 as a fraction."""
        return None if self.weight == 0 else self.points / self.weight

    def leaves(self) -> list[Scored]:
        return [self] if not self.children else [leaf for child in self.children for leaf in child.leaves()]


@dataclass(frozen=True)
class Scores:
    total: Decimal
    weight: Decimal
    grade: str
    blocks: tuple[Scored, ...]  # first-level indicators

    def leaves(self) -> list[Scored]:
        return [leaf for block in self.blocks for leaf in block.leaves()]

    def paths(self) -> list[tuple[Scored, ...]]:
        """Each leaf with its ancestors, first-level first: the rows of the score table."""
        def walk(node: Scored, above: tuple[Scored, ...]) -> list[tuple[Scored, ...]]:
            here = above + (node,)
            return [here] if not node.children else [p for c in node.children for p in walk(c, here)]
        return [p for block in self.blocks for p in walk(block, ())]

    def deductions(self) -> list[Scored]:
        return [leaf for leaf in self.leaves() if leaf.lost > 0]


def grade(total: Decimal, grades: tuple[m.Grade, ...]) -> str:
    """The first band whose floor the total reaches (bands are half-open: ≥ floor)."""
    return next((g.name for g in grades if total >= g.floor), grades[-1].name)


def _score_node(node: m.Node, level: int, inputs: m.Inputs, figures: Figures, problems: list[Problem]) -> Scored:
    if node.children:
        children = tuple(_score_node(c, level + 1, inputs, figures, problems) for c in node.children)
        return Scored(node.id, node.name, level, node.weight, sum((c.points for c in children), Decimal(0)), children, None)
    facts = inputs.facts.get(node.id)
    try:
        outcome = apply(node, facts, figures, inputs.framework)
    except MissingInput as missing:
        problems.append(_locate(missing, node, facts, inputs))
        return Scored(node.id, node.name, level, node.weight, Decimal(0), (), None, node.rule.type)
    return Scored(node.id, node.name, level, node.weight, outcome.points, (), outcome, node.rule.type)


def _locate(missing: MissingInput, node: m.Node, facts: m.IndicatorFacts | None, inputs: m.Inputs) -> Problem:
    label = f"指标 {node.id}“{node.name}”"
    if not missing.in_facts:
        key = KEY_PATHS.get(missing.column, missing.column)
        line = key_line(inputs.unit_lines, key)
        return Problem(inputs.files["unit"], nth_line(line), key, f"{label}：{missing.message}",
                       missing.value, missing.hint)
    facts_file = inputs.files.get("facts", "indicators.csv")
    where = nth_line(inputs.fact_lines[node.id]) if facts is not None else ""
    return Problem(facts_file, where, missing.column, f"{label}（{node.rule.type}）：{missing.message}",
                   missing.value, missing.hint)


def score(inputs: m.Inputs, figures: Figures) -> Scores:
    problems: list[Problem] = []
    blocks = tuple(_score_node(node, 1, inputs, figures, problems) for node in inputs.tree)
    raise_if(problems)
    total = sum((b.points for b in blocks), Decimal(0))
    return Scores(total, inputs.framework.total, grade(total, inputs.framework.grades), blocks)
