"""Where the unit's own figures (published or hand-entered) differ from the computed ones."""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from .. import codes as k
from ..errors import Location
from ..figures.compute import Difference, Figures
from ..figures.score import Scores
from ..inputs import models as m
from ..inputs.measures import key_line
from ..numbers import HUNDRED, money, percent, q2, score, to_places
from .recheck import ERROR, HINT, Finding


@dataclass(frozen=True)
class Check:
    code: str  # the kind of difference, short and stable (docs/reference.md)
    what: str
    entered: str
    computed: str
    gap: str
    where: Location
    entered_as: str = "填报"  # what the two figures are, where both were entered (决算数合计 against 各分类相加)
    computed_as: str = "计算"


def _gap(entered: Decimal, computed: Decimal, unit: str = "") -> str:
    return f"{q2(computed - entered):+.2f}{unit}"


def checks(inputs: m.Inputs, figures: Figures, scores: Scores) -> list[Check]:
    found: list[Check] = []
    p = inputs.unit.published
    unit_file = inputs.files["unit"]

    def unit(key: str) -> Location:
        return Location(unit_file, inputs.unit_lines.get(key), key)

    if p.total is not None and q2(p.total) != q2(scores.total):
        found.append(Check(k.PUBLISHED_TOTAL_DIFFERS, "总分", score(p.total), score(scores.total), _gap(p.total, scores.total),
                           unit("已公布.总分")))
    if p.grade is not None and p.grade != scores.grade:
        found.append(Check(k.PUBLISHED_GRADE_DIFFERS, "等级", p.grade, scores.grade, "", unit("已公布.等级")))
    blocks = {b.name: b for b in scores.blocks}
    for name, entered in p.blocks.items():
        block = blocks.get(name)
        shown = score(block.points) if block else "评价体系中无此一级指标"
        if block is None or q2(entered) != q2(block.points):
            found.append(Check(k.PUBLISHED_BLOCK_DIFFERS, f"{name}得分", score(entered), shown,
                               _gap(entered, block.points) if block else "", unit(f"已公布.一级得分.{name}")))
    by_id = {node.id: node for node in scores.nodes()}
    by_name: dict[str, list] = {}
    for node in scores.nodes():
        by_name.setdefault(node.name, []).append(node)
    for key, entered in p.nodes.items():
        named = by_name.get(key, [])
        if key not in by_id and len(named) > 1:  # a name several levels or branches share: which one is meant?
            found.append(Check(k.PUBLISHED_ITEM_AMBIGUOUS, f"{key}得分", score(entered), "名称对应多个指标（编号 "
                               + "、".join(x.id for x in named) + "），请改写编号", "", unit(f"已公布.指标得分.{key}")))
            continue
        meant = by_id.get(key) or (named[0] if named else None)
        if meant is None or q2(entered) != q2(meant.points):
            found.append(Check(k.PUBLISHED_ITEM_DIFFERS, f"{meant.name if meant else key}得分", score(entered),
                               score(meant.points) if meant else "评价体系中无此指标",
                               _gap(entered, meant.points) if meant else "", unit(f"已公布.指标得分.{key}")))
    for name, entered in p.score_rates.items():
        block = blocks.get(name)
        computed = q2(block.rate * HUNDRED) if block and block.rate is not None else None
        if computed != q2(entered):
            found.append(Check(k.PUBLISHED_SCORE_RATE_DIFFERS, f"{name}得分率", f"{q2(entered)}%",
                               percent(block.rate) if block else "评价体系中无此一级指标",
                               _gap(entered, computed, "%") if computed is not None else "", unit(f"已公布.得分率.{name}")))
    for name, entered in p.rates.items():
        measure = figures.measures.get(name)
        computed = q2(measure.value * HUNDRED) if measure and measure.value is not None else None
        if computed != q2(entered):
            found.append(Check(k.PUBLISHED_RATE_DIFFERS, name, f"{q2(entered)}%", percent(measure.value) if measure else "无此测算指标",
                               _gap(entered, computed, "%") if computed is not None else "", unit(f"已公布.比率.{name}")))
    for leaf in scores.leaves():
        # the rule's own points, before any rescaling for indicators that do not apply: what the unit scored against
        own = q2(leaf.outcome.points) if leaf.outcome is not None else leaf.points
        reference = leaf.outcome.reference if leaf.outcome is not None else None
        if reference is not None and q2(reference.points) != own:
            found.append(Check(k.MANUAL_SCORE_OFF_STANDARD, f"{leaf.name}得分（人工评分与评分标准）", score(own), score(reference.points),
                               _gap(own, reference.points),
                               Location(inputs.files["facts"], inputs.fact_lines[leaf.id], "评分规则")))
            continue
        facts = inputs.facts.get(leaf.id)
        # a rule that takes the unit's own score (band, manual, a qualitative target) gives it back unchanged
        if facts is None or facts.score is None or q2(facts.score) == own:
            continue
        found.append(Check(k.SELF_SCORE_DIFFERS, f"{leaf.name}得分", score(facts.score), score(own), _gap(facts.score, own),
                           Location(inputs.files["facts"], inputs.fact_lines[leaf.id], "自评得分")))
    places, separators = inputs.unit.money_places, inputs.unit.money_separators  # as the unit prints amounts
    comma = "," if separators else ""
    for d in figures.differences:
        found.append(Check(d.code, d.what, money(d.declared, separators, places), money(d.computed, separators, places),
                           f"{to_places(d.computed - d.declared, places):+{comma}.{places}f}", difference_place(inputs, d),
                           d.declared_as, d.computed_as))
    return found


def difference_place(inputs: m.Inputs, d: Difference) -> Location:
    """Where a declared figure that differs from its parts was entered: its row of a table, or its key in unit.yaml."""
    if d.file != "unit":
        return Location(inputs.files[d.file], d.line, d.key)
    return Location(inputs.files["unit"], key_line(inputs.unit_lines, d.key), d.key)


def checks_json(unit: m.Unit, found: list[Check], findings: list[Finding]) -> str:
    """checks.md for machines: the same findings and differences, as JSON."""
    data = {
        "单位": unit.name, "年度": unit.year,
        "汇总": {severity: sum(f.severity == severity for f in findings) for severity in (ERROR, HINT)}
        | {"与计算不一致": len(found)},
        "发现": [{"代码": f.code, "级别": f.severity, "规则": f.rule, "说明": f.message, "位置": f.where.fields(),
                  "依据": f.basis} for f in findings],
        "核对": [{"代码": c.code, "项目": c.what, "单位填报": c.entered, "计算结果": c.computed, "差额": c.gap,
                  "填报位置": c.where.fields()} for c in found],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
