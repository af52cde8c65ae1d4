"""Score every leaf by its rule, set aside the leaves that do not apply (their weights stay as the framework
publishes them, scoring nothing), roll the points up the indicator tree and grade the total: the points of the leaves
that apply, brought to the framework's total (得分 ÷ 适用指标分值 × 总分) when some do not."""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..codes import MISSING_SCORE_INPUT
from ..errors import Location, Problem, raise_if
from ..inputs import models as m
from ..inputs.framework_checks import walk
from ..inputs.measures import COLUMN_SOURCES, KEY_PATHS, key_line, key_path, source_of
from ..numbers import plain, q2
from ..numbers import score as shown
from ..rules.outcome import MissingInput, Outcome, matches, measured
from ..rules.schema import COMPARATORS, CONDITION, groups
from .compute import Figures
from .rules_apply import apply

# the fields of a row the unit fills in; 编号, 名称, 来源 and the class of an own indicator are not values
FILLED = ("target", "comparator", "actual", "failed_items", "met_items", "band", "score", "note", "shortfall",
          "not_applicable", "rule_choice", "situations")


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
    unfilled: bool = False  # nothing filled yet: 0 with a warning, and no finding of its own
    # children marked 不适用 (a branch whose every leaf is), with their place among the framework's children: they keep
    # their published weight in `weight` and score nothing; `children` holds only those that apply
    absent: tuple[tuple[int, Scored], ...] = ()
    not_applicable: str = ""  # why this leaf does not apply, as the unit wrote it

    @property
    def applicable(self) -> Decimal:
        """The weight of the leaves under this node that apply: what its points are out of."""
        if self.not_applicable:
            return Decimal(0)
        return self.weight - sum((c.weight for _, c in self.absent), Decimal(0)) if not self.children else \
            sum((c.applicable for c in self.children), Decimal(0))

    @property
    def lost(self) -> Decimal:
        return self.applicable - self.points

    @property
    def rate(self) -> Decimal | None:
        """得分率 as a fraction of the weight that applies."""
        return None if self.applicable == 0 else self.points / self.applicable

    @property
    def depth(self) -> int:
        """Levels from this node down to its deepest leaf: 1 for a leaf."""
        return 1 + max((c.depth for c in self.children), default=0)

    def leaves(self) -> list[Scored]:
        return [self] if not self.children else [leaf for child in self.children for leaf in child.leaves()]

    def nodes(self) -> list[Scored]:
        return [self] + [node for child in self.children for node in child.nodes()]

    def every_child(self) -> list[Scored]:
        """The children, those marked 不适用 too, in the framework's order."""
        return [child for _, child in _in_order(self.children, self.absent)]

    def rows(self, above: tuple[Scored, ...] = ()) -> list[tuple[Scored, ...]]:
        """Each leaf with its ancestors, those marked 不适用 too, in the framework's order: a printed table's rows."""
        here = above + (self,)
        if not self.children and not self.absent:
            return [here]
        return [path for child in self.every_child() for path in child.rows(here)]


def _in_order(applying: tuple[Scored, ...], absent: tuple[tuple[int, Scored], ...]) -> list[tuple[int, Scored]]:
    """The nodes that apply and those that do not, back in the framework's order."""
    places = {i for i, _ in absent}
    slots = (i for i in range(len(applying) + len(absent)) if i not in places)
    return sorted([*zip(slots, applying), *absent], key=lambda pair: pair[0])


@dataclass(frozen=True)
class Dropped:
    """A leaf the unit marked 不适用: it scores nothing and the total is brought to the framework's over the others."""

    id: str
    name: str
    weight: Decimal
    reason: str
    above: tuple[str, ...]  # the names of its ancestors, 一级 first


@dataclass(frozen=True)
class Capped:
    """A node (or the total: id empty) whose points a 封顶 tier brought down, and why, as printed."""

    id: str
    name: str
    before: Decimal
    after: Decimal
    text: str


@dataclass(frozen=True)
class Scores:
    total: Decimal  # 总分: the points, brought to the framework's total when leaves do not apply, capped
    weight: Decimal  # the framework's total
    grade: str
    blocks: tuple[Scored, ...]  # first-level indicators (with a leaf that applies)
    dropped: tuple[Dropped, ...] = ()
    capped: tuple[Capped, ...] = ()
    unfilled: tuple[Problem, ...] = ()  # rows left as `make new` wrote them: 0 for a check, refused by a report
    points: Decimal | None = None  # the sum of the blocks' points, when the total was brought from it (不适用)
    absent: tuple[tuple[int, Scored], ...] = ()  # first-level indicators none of whose leaves apply

    @property
    def applicable(self) -> Decimal:
        """The framework's weight less the leaves that do not apply: what the points are out of."""
        return self.weight - sum((d.weight for d in self.dropped), Decimal(0))

    @property
    def scored(self) -> Decimal:
        """The points of the leaves, added up (before a 封顶 of the total and before 不适用 brings it to the total)."""
        return self.total if self.points is None else self.points

    @property
    def converted(self) -> Decimal:
        """The points brought to the framework's total (before a 封顶 of the total): the total, unless leaves do not
        apply or a cap held."""
        return converted(self.scored, self.weight, list(self.dropped))

    @property
    def lost(self) -> Decimal:
        """The points lost, out of the weight that applies: what the deductions come to."""
        return self.applicable - self.scored

    def every_block(self) -> list[Scored]:
        """The first-level indicators, those none of whose leaves apply too, in the framework's order."""
        return [block for _, block in _in_order(self.blocks, self.absent)]

    def rows(self) -> list[tuple[Scored, ...]]:
        """Each leaf with its ancestors, those marked 不适用 too, in the framework's order: a printed table's rows."""
        return [path for block in self.every_block() for path in block.rows()]

    def leaves(self) -> list[Scored]:
        return [leaf for block in self.blocks for leaf in block.leaves()]

    def nodes(self) -> list[Scored]:
        return [node for block in self.blocks for node in block.nodes()]

    def paths(self) -> list[tuple[Scored, ...]]:
        """Each leaf with its ancestors, first-level first: the rows of the score table."""
        def walk(node: Scored, above: tuple[Scored, ...]) -> list[tuple[Scored, ...]]:
            here = above + (node,)
            return [here] if not node.children else [p for c in node.children for p in walk(c, here)]
        return [p for block in self.blocks for p in walk(block, ())]

    @property
    def depth(self) -> int:
        """How many levels the deepest leaf sits at: the columns a score table needs."""
        return max(len(path) for path in self.paths())

    def deductions(self) -> list[Scored]:
        return [leaf for leaf in self.leaves() if leaf.lost > 0]


def grade(total: Decimal, grades: tuple[m.Grade, ...]) -> str:
    """The first band whose floor the total reaches (bands are half-open: ≥ floor)."""
    return next((g.name for g in grades if total >= g.floor), grades[-1].name)


def _score_node(node: m.Node, level: int, above: tuple[str, ...], inputs: m.Inputs, figures: Figures,
                problems: list[Problem], dropped: list[Dropped], unfilled: list[Problem]) -> Scored:
    if node.children:
        scored = [_score_node(c, level + 1, above + (node.name,), inputs, figures, problems, dropped, unfilled)
                  for c in node.children]
        return _parent(node.id, node.name, level, tuple(c for c in scored if not c.not_applicable),
                       tuple((i, c) for i, c in enumerate(scored) if c.not_applicable))
    if node.rule is None:  # a place for the unit's own indicators that none fills yet (inputs.unfilled says so)
        return Scored(node.id, node.name, level, node.weight, Decimal(0), (),
                      Outcome(Decimal(0), "", {}, "尚未填写本类指标，暂按0分计。"), "", unfilled=True)
    facts = inputs.facts.get(node.id)
    if facts is not None and facts.not_applicable.strip():
        dropped.append(Dropped(node.id, node.name, node.weight, facts.not_applicable.strip(), above))
        return Scored(node.id, node.name, level, node.weight, Decimal(0), (), None, node.rule.type,
                      not_applicable=facts.not_applicable.strip())
    try:
        outcome = apply(node, node.rule, facts, figures, inputs.framework, inputs.facts)
    except MissingInput as missing:
        row = inputs.facts.get(missing.row) if missing.row else facts
        if (missing.in_facts and row is not None and blank(row)) or (not missing.in_facts and left_empty(missing, inputs)):
            unfilled.append(_locate(missing, node, node.rule.type, inputs))
            return Scored(node.id, node.name, level, node.weight, Decimal(0), (),
                          Outcome(Decimal(0), node.standard or "", {}, "尚未填写，暂按0分计。"), node.rule.type,
                          unfilled=True)
        problems.append(_locate(missing, node, node.rule.type, inputs))
        return Scored(node.id, node.name, level, node.weight, Decimal(0), (), None, node.rule.type)
    return Scored(node.id, node.name, level, node.weight, outcome.points, (), outcome, node.rule.type)


def left_empty(missing: MissingInput, inputs: m.Inputs) -> bool:
    """A figure whose key is written with no value, as `make new` writes the 自定数据 and 上年 a framework's
    measures need: not filled yet, like a blank row."""
    return key_path(missing.column) in inputs.left_empty


def blank(facts: m.IndicatorFacts) -> bool:
    """A row with nothing the unit fills: only its 编号, 名称 and 来源, as `make new` writes it."""
    return not any(str(facts.model_dump().get(name) or "").strip() for name in FILLED)


def _parent(id: str, name: str, level: int, children: tuple[Scored, ...],
            absent: tuple[tuple[int, Scored], ...] = ()) -> Scored:
    """A branch: the published weight of all its children, the points of those that apply; not applicable itself when
    none of its leaves applies."""
    weight = sum((c.weight for c in children), Decimal(0)) + sum((c.weight for _, c in absent), Decimal(0))
    return Scored(id, name, level, weight, sum((c.points for c in children), Decimal(0)), children, None,
                  absent=absent, not_applicable="" if children else "下级指标均不适用")


def _locate(missing: MissingInput, node: m.Node, rule_type: str, inputs: m.Inputs) -> Problem:
    label = f"指标 {node.id}“{node.name}”"
    if not missing.in_facts:
        key = key_path(missing.column)
        line = key_line(inputs.unit_lines, key)
        return Problem(Location(inputs.files["unit"], line, key), f"{label}：{missing.message}",
                       missing.value, missing.hint, MISSING_SCORE_INPUT)
    facts_file = inputs.files.get("facts", "indicators.csv")
    row = missing.row or node.id
    return Problem(Location(facts_file, inputs.fact_lines.get(row), missing.column),
                   f"{label}（{rule_type}）：{missing.message}", missing.value, missing.hint, MISSING_SCORE_INPUT)




def cap_of(cap: m.Cap, name: str, points: Decimal, figures: Figures) -> tuple[Decimal, str] | None:
    """The most a node may get under its 封顶 tiers and why, as printed; None when no tier holds or it is below.
    Raises MissingInput when the measure cannot be computed."""
    measure = figures.measures[cap.measure]
    if measure.value is None:
        part = measure.denominator if measure.denominator_value in (None, 0) else measure.numerator
        where = source_of(part) if part in KEY_PATHS or part in COLUMN_SOURCES else part
        raise MissingInput(part, f"按“{cap.measure}”封顶，但{cap.measure}无法计算（{where}未填写或为0）",
                           in_facts=False)
    value, _, unit, printed = measured(cap.measure, None, figures)  # in the unit its tiers are written in
    tier = next((t for t in cap.tiers if matches(t.when, value)), None)
    if tier is None or points <= tier.most:
        return None
    op, bound = groups(CONDITION, tier.when)
    return tier.most, (f"{cap.measure}{printed}，{COMPARATORS[op][2]}{bound}{unit}，按评价体系{name}"
                       f"最高{plain(tier.most)}分，由{shown(points)}分调为{shown(tier.most)}分")


def _capped(blocks: tuple[Scored, ...], caps: dict[str, m.Cap], figures: Figures, found: list[Capped]) -> tuple[Scored, ...]:
    """Each node with a 封顶 brought down to its tier's most, bottom up, so that its parents add the capped points."""
    def walk(node: Scored) -> Scored:
        if not node.children:
            return node
        node = _parent(node.id, node.name, node.level, tuple(walk(c) for c in node.children), node.absent)
        if node.id not in caps:
            return node
        held = cap_of(caps[node.id], f"“{node.name}”", node.points, figures)
        if held is None:
            return node
        most, text = held
        found.append(Capped(node.id, node.name, node.points, most, text))
        return replace(node, points=most)
    return tuple(walk(block) for block in blocks)


def score_framework(inputs: m.Inputs, figures: Figures, draft: bool = False) -> Scores:
    """draft (a check): what is not filled yet (a row as `make new` wrote it, a class with no row) counts 0 and is
    told in Scores.unfilled; otherwise it is an error like any other."""
    problems: list[Problem] = []
    dropped: list[Dropped] = []
    unfilled: list[Problem] = []
    scored = [_score_node(node, 1, (), inputs, figures, problems, dropped, unfilled) for node in inputs.tree]
    unfilled = list(inputs.unfilled) + unfilled
    raise_if(problems + ([] if draft else unfilled))
    blocks = tuple(b for b in scored if not b.not_applicable)
    absent = tuple((i, b) for i, b in enumerate(scored) if b.not_applicable)
    caps = {node.id: node.cap for _, node in walk(inputs.tree) if node.cap is not None}
    capped: list[Capped] = []
    try:
        blocks = _capped(blocks, caps, figures, capped) if caps else blocks
        points = sum((b.points for b in blocks), Decimal(0))
        total = converted(points, inputs.framework.total, dropped)
        if inputs.framework.cap is not None:
            held = cap_of(inputs.framework.cap, "总分", total, figures)
            if held is not None:
                most, text = held
                capped.append(Capped("", "总分", total, most, text))
                total = most
    except MissingInput as missing:
        key = key_path(missing.column)
        raise_if([Problem(Location(inputs.files["unit"], key_line(inputs.unit_lines, key), key), missing.message,
                          code=MISSING_SCORE_INPUT)])
    return Scores(total, inputs.framework.total, grade(total, inputs.framework.grades), blocks, tuple(dropped),
                  tuple(capped), tuple(replace(p, message=f"尚未填写，暂按 0 分计，生成报告前须填写：{p.message}")
                                       for p in unfilled), points if dropped else None, absent)


def converted(points: Decimal, total: Decimal, dropped: list[Dropped]) -> Decimal:
    """The points brought to the framework's total when leaves do not apply: 得分 ÷ 适用指标分值 × 总分, to the cent."""
    applicable = total - sum((d.weight for d in dropped), Decimal(0))
    return q2(points * total / applicable) if dropped and applicable else points
