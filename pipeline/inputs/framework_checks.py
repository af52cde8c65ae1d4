"""A framework that cannot be scored as written: weights that do not add up, duplicate ids, rules that do not fit."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from .. import codes as k
from ..errors import Location, Problem
from ..rules import registry as rules
from ..rules.schema import groups, unreachable
from . import models as m
from .measures import MEASURES
from .parse import yaml_path
from .rule_types import MANUAL
from .yaml_files import YamlDoc

FACT_OPERANDS = ("实际值", "目标值")


def walk(nodes: Iterable[m.Node], path: tuple = ("指标",)) -> Iterable[tuple[tuple, m.Node]]:
    for index, node in enumerate(nodes):
        here = path + (index,)
        yield here, node
        yield from walk(node.children, here + ("下级",))


def check_file(doc: YamlDoc, file: m.FrameworkFile) -> tuple[list[m.Framework], list[Problem]]:
    """Every dated version of a framework file, each checked; a file has either 生效日期 and 指标, or 版本."""
    problems: list[Problem] = name_problems(doc)
    if file.versions is not None and (file.indicators is not None or file.valid_from is not None):
        key = "指标" if file.indicators is not None else "生效日期"
        problems.append(Problem(Location(doc.path, doc.lines.get((key,), 0), key), "写了“版本”时，生效日期和指标应写在各版本中",
                                hint="删去顶层的 生效日期 和 指标，或删去 版本", code=k.BAD_FRAMEWORK))
    versions = []
    for path, framework, missing in m.dated(file):
        problems += [Problem(Location(doc.path, doc.lines.get(path, 0) if path else None, yaml_path(path + (key,))),
                             "缺少必填项", hint="例如 生效日期: 2024-01-01" if key == "生效日期" else "", code=k.MISSING_KEY)
                     for path, key in missing]
        if framework is not None:
            problems += check_framework(doc, framework, path)
            versions.append(framework)
    dates = Counter(v.valid_from for v in versions)
    problems += [Problem(Location(doc.path, key="版本"), "两个版本的生效日期相同", str(day), "每个版本的生效日期应不同",
                         k.BAD_FRAMEWORK)
                 for day, count in dates.items() if count > 1]
    return versions, problems


def check_framework(doc: YamlDoc, fw: m.Framework, prefix: tuple = ()) -> list[Problem]:
    """Weights add up, ids are unique, leaves carry a rule whose parameters fit the weight, the tree is not too deep."""
    problems: list[Problem] = []

    def at(path: tuple, key: str, message: str, value: Any = None, hint: str = "", code: str = k.BAD_FRAMEWORK) -> None:
        line = doc.lines.get(path + (key,) if key else path, doc.lines.get(path, 0))
        problems.append(Problem(Location(doc.path, line, yaml_path(path + (key,))), message,
                                None if value is None else str(value), hint, code))

    known = {**MEASURES, **fw.measures}

    def rule_at(path: tuple, rule: m.Rule, weight: Decimal | None) -> None:
        for where, text, hint, value in rule_problems(rule, weight, known):
            place = path + where
            problems.append(Problem(Location(doc.path, doc.lines.get(place, doc.lines.get(path, 0)), yaml_path(place)), text, value, hint,
                                    k.BAD_RULE))

    top = sum((n.weight for n in fw.indicators), Decimal(0))
    if top != fw.total:
        at(prefix + ("指标",), "", f"一级指标权重合计 {top}，与总分 {fw.total} 不符", str(top), "各一级指标权重之和应等于总分",
           k.WEIGHTS_DIFFER)
    nodes = list(walk(fw.indicators, prefix + ("指标",)))
    counts = Counter([node.id for _, node in nodes] + [p.id for _, node in nodes if node.rule for p in parts(node.rule)
                                                       if p.id])
    for path, siblings in [(prefix + ("指标",), fw.indicators)] + [(p + ("下级",), n.children) for p, n in nodes]:
        seen: set[str] = set()
        for index, node in enumerate(siblings):  # same-named siblings would read as one, merged into one table cell
            if node.name in seen:
                at(path + (index,), "名称", "同一上级下的指标名称重复", node.name, "同一上级下的指标名称应各不相同")
            seen.add(node.name)
    deepest = len(m.LEVEL_NAMES)
    for path, node in nodes:
        level = (len(path) - len(prefix) + 1) // 2
        if counts[node.id] > 1:
            at(path, "编号", "指标编号重复", node.id, "每个指标的编号应唯一")
        if level == deepest + 1 or (node.from_facts is not None and level <= deepest < level + 2):
            at(path, "", f"指标层级过深：最多 {deepest} 级（{m.LEVEL_NAMES[-1]}）"
               + ("；“来自指标表”会在本级下再加二级（类别和单位自设的指标）" if node.from_facts is not None else ""),
               node.name, "减少层级，或把一部分改为组合规则（类型: composite）")
        if node.from_facts is not None:
            if node.rule is not None:
                at(path, "来自指标表", "“来自指标表”的指标不能再有规则", hint="下级由单位的 indicators.csv 填入")
            parts_weight = sum((c.weight for c in node.children), Decimal(0))
            if node.children and parts_weight >= node.weight:
                at(path, "权重", f"下级指标权重合计 {parts_weight}，没有给单位自设的指标留下分值", node.weight,
                   "同时有下级和“来自指标表”时，下级权重之和应小于本级权重，余下的分给单位自设的指标", k.WEIGHTS_DIFFER)
            if node.from_facts.own_level1 and (level > 1 or node.children):
                at(path + ("来自指标表",), "单位自设一级", "单位自设一级指标的位置应是一个没有下级的一级指标",
                   hint="例如 - {编号: K, 名称: 绩效指标, 权重: 90, 来自指标表: {单位自设一级: true, 分配: 权重, 规则: {类型: completion}}}")
            if node.from_facts.own_level1 and not node.from_facts.classes and sum(n.from_facts is not None for _, n in nodes) > 1:
                at(path + ("来自指标表",), "一级指标", "还有其他“来自指标表”时，单位自设一级指标的位置须列出它接收的一级指标",
                   hint="例如 一级指标: [产出指标, 效益指标, 满意度指标]")
            rule_at(path + ("来自指标表", "规则"), node.from_facts.rule, None)
            for name, rule in node.from_facts.choices.items():
                rule_at(path + ("来自指标表", "可选规则", name), rule, None)
                if name == MANUAL:
                    at(path + ("来自指标表", "可选规则"), name, f"“{MANUAL}”是保留的名称（人工评分），不能用作可选规则的名称")
        elif node.children:
            if node.rule is not None:
                at(path, "规则", "有下级指标的指标不能再设评分规则", node.rule.type, "把规则放到末级指标上")
            parts_weight = sum((c.weight for c in node.children), Decimal(0))
            if parts_weight != node.weight:
                at(path, "权重", f"下级指标权重合计 {parts_weight}，与本级权重 {node.weight} 不符", node.weight,
                   "下级权重之和应等于上级权重", k.WEIGHTS_DIFFER)
        elif node.rule is None:
            at(path, "规则", "末级指标缺少评分规则", hint="可选类型：" + "、".join(m.RULE_TYPES), code=k.MISSING_KEY)
        else:
            rule_at(path + ("规则",), node.rule, node.weight)
    for path, cap, most in [(prefix + ("总分封顶",), fw.cap, fw.total)] + [(p + ("封顶",), n.cap, n.weight) for p, n in nodes]:
        if cap is not None:
            for where, text, hint, value in cap_problems(cap, most, known):
                spot = Location(doc.path, doc.lines.get(path + where, doc.lines.get(path, 0)), yaml_path(path + where))
                problems.append(Problem(spot, text, value, hint, k.BAD_RULE))
    levels, named = fw.depth, fw.score_sheet.level_count()
    # below 一级 the unit's rows may leave out 二级指标: its place then goes one level less deep
    shallower = levels - 1 if any(n.from_facts for p, n in nodes if len(p) - len(prefix) > 2) else levels
    if named is not None and levels <= deepest and named not in (levels, shallower):
        place = prefix + ("评分表",) if doc.lines.get(prefix + ("评分表", "列")) else ("评分表",)
        at(place, "列", (f"评分表的列有 {named} 级指标名称" if named else "评分表的列没有指标名称")
           + f"，而本评价体系的指标最深到{m.LEVEL_NAMES[levels - 1][:2]}"
           + ("（“来自指标表”在其下再加二级）" if any(node.from_facts for _, node in nodes) else ""),
           m.level_columns(named), f"评分表的列应以 {m.level_columns(levels)} 开头，每一级一列")
    floors = [g.floor for g in fw.grades]
    if floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):
        at(prefix, "等级", "等级下限应从高到低排列且互不相同", "、".join(map(str, floors)))
    elif floors[-1] != 0:
        at(prefix + ("等级", len(floors) - 1), "下限", f"最低一档等级的下限为 {floors[-1]}，低于它的总分将没有等级",
           floors[-1], "最低一档的下限应为 0，例如 - {等级: 差, 下限: 0}")
    if floors and floors[0] > fw.total:
        at(prefix + ("等级", 0), "下限", f"等级下限 {floors[0]} 高于总分 {fw.total}，这一等级无法达到", floors[0],
           "等级下限应在 0 与总分之间")
    return problems


# characters that would break a table cell or a line in the score table (a pipe splits a Markdown cell)
NAME_BREAKERS = re.compile(r"[|\n\r\t]")
NAME_KEYS = ("名称", "等级")


def name_problems(doc: YamlDoc) -> list[Problem]:
    """Every name in a framework file (indicators, grades, parts, tiers, checklist items) printable in one table cell."""
    out: list[Problem] = []

    def visit(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                if key in NAME_KEYS and isinstance(child, str) and NAME_BREAKERS.search(child):
                    at = Location(doc.path, doc.lines.get(path + (key,), doc.lines.get(path, 0)), yaml_path(path + (key,)))
                    out.append(Problem(at, "名称中不能有“|”、换行或制表符（会拆开评分表的单元格）",
                                       child, "改用“/”或“、”，例如 " + NAME_BREAKERS.sub("/", child).strip("/"),
                                       k.BAD_FORMAT))
                visit(child, path + (key,))
        elif isinstance(value, list):
            for i, child in enumerate(value):
                visit(child, path + (i,))

    visit(doc.data, ())
    return out


def cap_problems(cap: m.Cap, most: Decimal, known: dict = MEASURES) -> list[tuple[tuple, str, str, str | None]]:
    """A cap that names no measure, lets more than the weight, or has tiers no value reaches."""
    out: list[tuple[tuple, str, str, str | None]] = []
    if cap.measure not in known:
        out.append((("测算指标",), f"未知的测算指标“{cap.measure}”", "可选：" + "、".join(known), cap.measure))
    for i, tier in enumerate(cap.tiers):
        if tier.most > most:
            out.append((("分档", i, "最高"), f"封顶的最高得分 {tier.most} 超过本级分值 {most}，封不住", "应小于本级分值",
                        str(tier.most)))
    for i in unreachable([t.when for t in cap.tiers]):
        out.append((("分档", i, "条件"), f"第{i + 1}档（{cap.tiers[i].when.strip()}）永远取不到：满足它的值都已落在前面的档次",
                    "自上而下取第一个满足条件的档，例如 < 50、< 60、< 70、< 80", cap.tiers[i].when))
    return out


def parts(rule: m.Rule) -> list[m.Part]:
    return rule.parts if isinstance(rule, m.CompositeRule) else []


def _operand_problem(operand: str, known: dict = MEASURES) -> str | None:
    if operand in FACT_OPERANDS or operand in known:
        return None
    try:
        Decimal(operand)
        return None
    except InvalidOperation:
        return operand


def rule_problems(rule: m.Rule, weight: Decimal | None, known: dict = MEASURES) -> list[tuple[tuple, str, str, str | None]]:
    """Parameters of a rule that cannot fit its weight (None: the weight is the unit's to set), as
    (the path below 规则, what is wrong, what would fit, the bad value): those every type shares here, its own by its
    type's module."""
    out: list[tuple[tuple, str, str, str | None]] = []
    measure = getattr(rule, "measure", None)
    if measure is not None and measure not in known:
        out.append(((), f"未知的测算指标“{measure}”", "可选：" + "、".join(known), None))
    for i, condition in enumerate(rule.zero_if):
        if condition.compare is not None:
            left, _, right = groups(m.ZERO_COMPARISON, condition.compare)
            for bad in filter(None, (_operand_problem(left, known), _operand_problem(right, known))):
                out.append((("得0分条件", i, "比较"), f"得0分条件中的“{bad}”不是 实际值、目标值、测算指标或数字",
                            "可选：实际值、目标值、" + "、".join(known), condition.compare))
    return out + rules.problems(rule, weight, known, rule_problems)
