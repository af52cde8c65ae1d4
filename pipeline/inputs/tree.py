"""The indicator tree a unit is scored on: the framework with the unit's own indicators filled in, and its facts checked."""
from __future__ import annotations

from decimal import Decimal

from .. import codes as k
from ..errors import Location, Problem
from . import models as m
from .framework_checks import parts, walk
from .rule_types import MANUAL  # in the 评分规则 column: keep the unit's own score, the framework's rule beside it


def split_evenly(total: Decimal, count: int) -> list[Decimal]:
    """total in count parts to the cent, the leftover cents to the first parts: 40 / 6 → 6.67×4 + 6.66×2."""
    base = (total / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    extra = int((total - base * count) / Decimal("0.01"))
    return [base + Decimal("0.01") if i < extra else base for i in range(count)]


def chosen_rule(rule: m.Rule, choices: dict[str, m.Rule], row: m.IndicatorFacts, line: int, path: str,
                problems: list[Problem]) -> m.Rule:
    """The rule a row asks for in its 评分规则 column: manual (the framework's rule kept beside it), or one offered."""
    name = row.rule_choice.strip()
    if not name:
        return rule
    if name == MANUAL:
        return m.ManualRule.model_validate({"类型": MANUAL, "对照规则": rule})
    if name in choices:
        return choices[name]
    offered = "、".join([MANUAL, *choices])
    problems.append(Problem(Location(path, line, "评分规则"), "评价体系没有提供这个评分规则", name,
                            f"可选：{offered}；留空按评价体系规定的规则", k.BAD_CHOICE))
    return rule


def expand(framework: m.Framework, facts: list[tuple[int, m.IndicatorFacts]], path: str,
           unfilled: list[Problem] | None = None) -> tuple[list[m.Node], list[Problem]]:
    """Fill each 来自指标表 place with the unit's indicators of its classes, grouped by 二级指标, after any
    indicators the framework itself puts there; apply each row's choice of rule. A 单位自设一级 place gives way to
    the unit's own 一级 categories; below 一级 the 二级 groups are left out when no row names one (the framework's
    node is the class already, and an empty level column would follow). A place no row fills yet is told in unfilled
    (when given) and stays a leaf without a rule: a check counts it 0, a report refuses it."""
    problems: list[Problem] = []
    rows_by_id = {row.id: (line, row) for line, row in facts}

    def fill(node: m.Node, level: int) -> list[m.Node]:
        children = [c for child in node.children for c in fill(child, level + 1)]
        if node.from_facts is None:
            if node.children:
                return [node.model_copy(update={"children": children})]
            if node.id in rows_by_id and node.rule is not None:
                line, row = rows_by_id[node.id]
                return [node.model_copy(update={"rule": chosen_rule(node.rule, {}, row, line, path, problems)})]
            return [node]
        place = node.from_facts
        own_weight = node.weight - sum((c.weight for c in children), Decimal(0))
        rows = [(line, row) for line, row in facts if place.accepts(row.level1)]
        if not rows:
            wanted = "、".join(place.classes) or "单位自设一级指标的"
            lacking = Problem(Location(path, key="一级指标"), f"评价体系的“{node.name}”需要“{wanted}”类指标，"
                              "但 indicators.csv 中没有", hint="在“一级指标”列填写指标所属类别",
                              code=k.MISSING_INDICATOR)
            if unfilled is None or children:
                problems.append(lacking)
                return [node]
            unfilled.append(lacking)
            return [node.model_copy(update={"from_facts": None})]
        weights = _weights(node, place, rows, own_weight, bool(children), path, problems)
        grouped = level == 1 or any(row.level2 for _, row in rows)
        leaves: list[tuple[m.IndicatorFacts, m.Node]] = []
        for (line, row), weight in zip(rows, weights):
            for column, value in (("指标名称", row.name), ("二级指标", row.level2 if grouped else "-")):
                if not value:
                    problems.append(Problem(Location(path, line, column), "单位自设的指标需要填写此列", "",
                                            "例如 数量指标、质量指标、时效指标、成本指标、社会效益指标、服务对象满意度指标"
                                            if column == "二级指标" else "写明指标名称", k.MISSING_VALUE))
            rule = chosen_rule(place.rule, place.choices, row, line, path, problems)
            leaves.append((row, m.Node(id=row.id, name=row.name or row.id, weight=weight, rule=rule)))
        if not place.own_level1:
            own = _groups(node.id, leaves, len(children) + 1) if grouped else [leaf for _, leaf in leaves]
            return [node.model_copy(update={"children": children + own, "from_facts": None})]
        classes: dict[str, list[tuple[m.IndicatorFacts, m.Node]]] = {}
        for row, leaf in leaves:
            classes.setdefault(row.level1, []).append((row, leaf))
        blocks = [(f"{node.id}.{i}", name, _groups(f"{node.id}.{i}", members, 1))
                  for i, (name, members) in enumerate(classes.items(), 1)]
        return [m.Node(id=id, name=name, weight=_sum(groups), children=groups) for id, name, groups in blocks]

    return [n for node in framework.indicators for n in fill(node, 1)], problems


def _sum(nodes: list[m.Node]) -> Decimal:
    return sum((c.weight for c in nodes), Decimal(0))


def _groups(parent: str, leaves: list[tuple[m.IndicatorFacts, m.Node]], first: int) -> list[m.Node]:
    """The unit's indicators under one node for each 二级指标 they name, in the order first named."""
    groups: dict[str, list[m.Node]] = {}
    for row, leaf in leaves:
        groups.setdefault(row.level2 or row.level1, []).append(leaf)
    return [m.Node(id=f"{parent}.{i}", name=name, weight=_sum(members), children=members)
            for i, (name, members) in enumerate(groups.items(), first)]


def _weights(node: m.Node, place: m.FromFacts, rows: list[tuple[int, m.IndicatorFacts]], own_weight: Decimal,
             beside: bool, path: str, problems: list[Problem]) -> list[Decimal]:
    """Each row's weight: its own (分配: 权重, adding up to what the framework leaves them), or an even share."""
    if place.split == "平均":
        return split_evenly(own_weight, len(rows))
    missing = [line for line, row in rows if row.weight is None]
    problems.extend(Problem(Location(path, line, "权重"), "按权重分配的指标需要填写权重", "", code=k.MISSING_VALUE)
                    for line in missing)
    weights = [row.weight or Decimal(0) for _, row in rows]
    total = sum(weights, Decimal(0))
    if not missing and total != own_weight:
        what = (f"单位自设的各一级指标权重合计 {total}，与评价体系中“{node.name}”的" if place.own_level1
                else f"“{node.name}”类指标权重合计 {total}，与评价体系中的")
        problems.append(Problem(Location(path, key="权重"), f"{what} {own_weight} 不符",
                                hint="各指标权重之和应等于上级权重" + ("减去评价体系已列的下级指标" if beside else "")
                                + (f"：{node.name}共 {own_weight} 分，由单位分配到自设的一级指标" if place.own_level1 else ""),
                                code=k.WEIGHTS_DIFFER))
    return weights


def check_facts(framework: m.Framework, tree: list[m.Node], facts: list[tuple[int, m.IndicatorFacts]],
                path: str) -> list[Problem]:
    leaves = {node.id: node for _, node in walk(tree) if not node.children}
    part_rows = {p.id: node for node in leaves.values() if node.rule for p in parts(node.rule) if p.id}
    places = [node.from_facts for _, node in walk(framework.indicators) if node.from_facts]
    classes = [c for place in places for c in place.classes]
    open_classes = any(place.own_level1 and not place.classes for place in places)
    seen: dict[str, int] = {}
    problems = []
    for line, row in facts:
        if row.id in seen:
            problems.append(Problem(Location(path, line, "指标编号"), f"指标编号重复（第{seen[row.id]}行已出现）", row.id,
                                    code=k.DUPLICATE_ROW))
        elif row.level1 and row.level1 not in classes and not open_classes:
            problems.append(Problem(Location(path, line, "一级指标"), "评价体系不接收这一类指标", row.level1,
                                    "可选：" + "、".join(classes) if classes else "本评价体系不设单位自定指标，请清空此列",
                                    k.BAD_CHOICE))
        elif row.id in part_rows:
            if row.not_applicable or row.rule_choice:
                column = "不适用原因" if row.not_applicable else "评分规则"
                problems.append(Problem(Location(path, line, column), f"组合指标“{part_rows[row.id].name}”的一部分不能单独设此列",
                                        hint=f"写在指标 {part_rows[row.id].id} 的行上"))
        elif row.id not in leaves:
            problems.append(Problem(Location(path, line, "指标编号"), "评价体系中没有这个末级指标", row.id,
                                    "可用的编号：" + "、".join([*leaves, *part_rows]), k.UNKNOWN_INDICATOR))
        elif row.score is not None and row.score > leaves[row.id].weight:
            problems.append(Problem(Location(path, line, "自评得分"), f"得分超过该指标的权重 {leaves[row.id].weight}",
                                    str(row.score), f"应在 0–{leaves[row.id].weight} 之间", k.OUT_OF_RANGE))
        seen.setdefault(row.id, line)
    dropped = sum((leaves[row.id].weight for _, row in facts if row.not_applicable and row.id in leaves), Decimal(0))
    if leaves and dropped >= sum((leaf.weight for leaf in leaves.values()), Decimal(0)):
        problems.append(Problem(Location(path, key="不适用原因"), "所有指标都标为不适用，无法评分", hint="只对确实不适用的指标填写此列"))
    return problems


def indicators_named(tree: list[m.Node] | tuple[m.Node, ...], key: str) -> list[m.Node]:
    """The indicators a unit means by `key`: the one of that 编号, else every one of that 名称 (several: ambiguous)."""
    nodes = [node for _, node in walk(tree)]
    return [node for node in nodes if node.id == key] or [node for node in nodes if node.name == key]


def issue_problems(issues: list[m.Issue], tree: list[m.Node] | tuple[m.Node, ...], path: str,
                   lines: dict[tuple, int]) -> list[Problem]:
    """A problem for each 问题清单 entry whose 指标 names no indicator, or a 名称 several indicators share."""
    problems = []
    example = next((node for _, node in walk(tree) if not node.children), None)
    hint = f"写指标编号或名称，如 {example.id} 或 {example.name}" if example else "写指标编号或名称"
    for i, issue in enumerate(issues):
        if not issue.indicator:
            continue
        found = indicators_named(tree, issue.indicator)
        where = Location(path, lines.get(("问题清单", i, "指标")), f"问题清单[{i + 1}].指标")
        if not found:
            problems.append(Problem(where, "评价体系中没有这个指标", issue.indicator, hint, k.UNKNOWN_INDICATOR))
        elif len(found) > 1:
            problems.append(Problem(where, "几个指标同名，请改写编号", issue.indicator,
                                    "可用的编号：" + "、".join(node.id for node in found), k.AMBIGUOUS_INDICATOR))
    return problems
