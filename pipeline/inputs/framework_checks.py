"""A framework that cannot be scored as written: weights that do not add up, duplicate ids, rules that do not fit."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any, Iterable

from ..errors import Problem, nth_line
from . import models as m
from .measures import MEASURES
from .parse import yaml_path
from .yaml_files import YamlDoc


def walk(nodes: Iterable[m.Node], path: tuple = ("指标",)) -> Iterable[tuple[tuple, m.Node]]:
    for index, node in enumerate(nodes):
        here = path + (index,)
        yield here, node
        yield from walk(node.children, here + ("下级",))


def check_framework(doc: YamlDoc, fw: m.Framework) -> list[Problem]:
    """Weights add up, ids are unique, leaves carry a rule whose parameters fit the weight."""
    problems: list[Problem] = []

    def at(path: tuple, key: str, message: str, value: Any = None, hint: str = "") -> None:
        line = doc.lines.get(path + (key,) if key else path, doc.lines.get(path, 0))
        problems.append(Problem(doc.path, nth_line(line), yaml_path(path + (key,)), message,
                                None if value is None else str(value), hint))

    top = sum((n.weight for n in fw.indicators), Decimal(0))
    if top != fw.total:
        at(("指标",), "", f"一级指标权重合计 {top}，与总分 {fw.total} 不符", str(top), "各一级指标权重之和应等于总分")
    counts = Counter(node.id for _, node in walk(fw.indicators))
    for path, node in walk(fw.indicators):
        if counts[node.id] > 1:
            at(path, "编号", "指标编号重复", node.id, "每个指标的编号应唯一")
        if node.from_facts is not None:
            if node.children or node.rule is not None:
                at(path, "来自指标表", "“来自指标表”的指标不能再有下级或规则", hint="下级由单位的 indicators.csv 填入")
            problems += [Problem(doc.path, nth_line(doc.lines.get(path + ('来自指标表',), 0)),
                                 yaml_path(path + ("来自指标表", "规则")), text, hint=hint)
                         for text, hint, _ in rule_problems(m.Node(编号=node.id, 名称=node.name, 权重=node.weight,
                                                                   规则=node.from_facts.rule))
                         if "权重" not in text]
        elif node.children:
            if node.rule is not None:
                at(path, "规则", "有下级指标的指标不能再设评分规则", node.rule.type, "把规则放到末级指标上")
            parts = sum((c.weight for c in node.children), Decimal(0))
            if parts != node.weight:
                at(path, "权重", f"下级指标权重合计 {parts}，与本级权重 {node.weight} 不符", node.weight,
                   "下级权重之和应等于上级权重")
        elif node.rule is None:
            at(path, "规则", "末级指标缺少评分规则", hint="可选类型：" + "、".join(m.RULE_TYPES))
        else:
            problems += [Problem(doc.path, nth_line(doc.lines.get(path + ('规则',), 0)), yaml_path(path + ("规则",)),
                                 text, value, hint) for text, hint, value in rule_problems(node)]
    floors = [g.floor for g in fw.grades]
    if floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):
        at((), "等级", "等级下限应从高到低排列且互不相同", "、".join(map(str, floors)))
    return problems


def rule_problems(node: m.Node) -> list[tuple[str, str, str | None]]:
    """Parameters of a rule that cannot fit its weight: (what is wrong, what would fit, the bad value)."""
    rule, weight, out = node.rule, node.weight, []
    measure = getattr(rule, "measure", None)
    if measure is not None and measure not in MEASURES:
        out.append((f"未知的测算指标“{measure}”", "可选：" + "、".join(MEASURES), None))
    if isinstance(rule, m.TiersRule):
        for tier in rule.tiers:
            if tier.points > weight:
                out.append((f"分档得分超过权重 {weight}", "每档得分应在 0 与权重之间", str(tier.points)))
        if rule.tiers[-1].when is not None:
            out.append(("最后一档应不设条件（兜底档）", "例如 - {得分: 0}", None))
    elif isinstance(rule, m.PacingRule):
        if rule.per_quarter * 4 + rule.mean_points != weight:
            out.append((f"4×每季分值+均值分值 = {rule.per_quarter * 4 + rule.mean_points}，与权重 {weight} 不符",
                        "例如权重 6 = 4×1 + 2", None))
    elif isinstance(rule, m.DeductionRule):
        by_item = rule.per_item is not None
        by_point = rule.limit is not None and rule.per_point is not None and rule.measure is not None
        if by_item == by_point:
            out.append(("扣分规则应二选一：“每项扣分”，或“测算指标”+“上限”+“每点扣分”",
                        "例如 {类型: deduction, 每项扣分: 1}", None))
    elif isinstance(rule, m.ChecklistRule):
        total = sum((i.points for i in rule.items), Decimal(0))
        if total != weight:
            out.append((f"清单分值合计 {total}，与权重 {weight} 不符", "各项分值之和应等于权重", None))
    elif isinstance(rule, (m.BandRule, m.CompletionRule)):
        for band in rule.bands:
            if band.lower > band.upper:
                out.append((f"档次“{band.name}”下限大于上限", "上下限为权重的百分比，例如 上限 100、下限 80", None))
    return out

