"""The checks a finance bureau's re-check (复核) applies to a self-evaluation, each a rule with a severity and the
place to fix it (财预〔2020〕10号 Art. 11, 16, 26; 财预〔2021〕101号)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from .. import numbers as n
from ..errors import Location
from ..figures.compute import Figures
from ..figures.score import Scored, Scores, converted, grade
from ..inputs import models as m
from ..inputs.kinds import SAMPLE_SOURCE
from ..inputs.review_rules import ERROR, HINT, followed  # noqa: F401 (ERROR, HINT: their names for the review modules)
from ..rules import registry as rules
from . import silent
from .review_context import Context

SICHUAN_REASON_BELOW = Decimal("0.9")  # 四川：预算执行率未达到90%的需说明原因
FAR_ABOVE = Decimal("1.2")  # a completion rate from which a full score needs its reason stated (Art. 16)
PASS_MARK = Decimal("0.6")  # execution below it, or a total below 60, needs 整改措施 (Art. 26)
SURVEY_WORDS = ("样本", "问卷", "调查", "抽样", "测评", "访谈")
NOTHING = re.compile(r"^\s*(无|没有|暂无|不存在问题)?[。.]?\s*$")
DATE = re.compile(r"(20\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})")
IMPROVEMENT_KEYS = ("下一步改进措施", "改进意见", "改进措施", "整改措施")
PROBLEM_KEYS = ("存在的主要问题", "存在问题")


@dataclass(frozen=True)
class Finding:
    code: str  # the kind of finding, short and stable (docs/reference.md)
    severity: str  # 错误: a bureau would send the report back; 提示: worth a look
    rule: str
    message: str
    where: Location  # the place to fix it
    basis: str = ""  # the regulation the rule comes from


def _leaves(c: Context) -> Iterator[tuple[Scored, m.IndicatorFacts | None]]:
    for leaf in c.scores.leaves():
        if not leaf.unfilled:  # already told as a warning
            yield leaf, c.inputs.facts.get(leaf.id)


def score_out_of_range(c: Context) -> Iterator[tuple[str, Location]]:
    published = c.inputs.unit.published
    blocks = {b.name: b for b in c.scores.blocks}
    for name, entered in published.blocks.items():
        if name in blocks and not 0 <= entered <= blocks[name].weight:
            yield (f"填报的“{name}”得分 {n.score(entered)} 不在 0 与分值 {n.score(blocks[name].weight)} 之间",
                   c.unit_place(f"已公布.一级得分.{name}"))
    if published.total is not None and not 0 <= published.total <= c.scores.weight:
        yield f"填报的总分 {n.score(published.total)} 不在 0 与满分 {n.score(c.scores.weight)} 之间", c.unit_place("已公布.总分")


def deduction_without_reason(c: Context) -> Iterator[tuple[str, Location]]:
    for leaf, facts in _leaves(c):
        if leaf.lost > 0 and (facts is None or not (facts.note.strip() or facts.shortfall.strip())):
            yield (f"“{leaf.name}”扣{n.score(leaf.lost)}分，但没有写明扣分原因或偏差原因",
                   c.fact_place(leaf.id, "说明（或偏差原因）"))


def published_parts_do_not_add_up(c: Context) -> Iterator[tuple[str, Location]]:
    published = c.inputs.unit.published
    names = [b.name for b in c.scores.blocks]
    if published.total is not None and published.blocks and set(names) <= set(published.blocks):
        parts = sum((published.blocks[name] for name in names), Decimal(0))
        if _brought(c, parts) != n.q2(published.total):
            yield (f"填报的各一级指标得分之和 {n.score(parts)}{_brought_text(c, parts)}与填报的总分 "
                   f"{n.score(published.total)} 不符", c.unit_place("已公布.总分"))
    # the form's own arithmetic: every item's printed 自评得分 added up against the printed total
    scored = [facts.score if facts is not None else None for _, facts in _leaves(c)]
    given = [points for points in scored if points is not None]
    if published.total is not None and scored and len(given) == len(scored):
        items = sum(given, Decimal(0))
        if _brought(c, items) != n.q2(published.total):
            yield (f"填报的各项自评得分之和 {n.score(items)}{_brought_text(c, items)}与填报的总分 "
                   f"{n.score(published.total)} 不符", c.unit_place("已公布.总分"))


def _brought(c: Context, points: Decimal) -> Decimal:
    """Points added up, as the 总分 they make: brought to the framework's total when indicators do not apply."""
    return n.q2(converted(points, c.scores.weight, list(c.scores.dropped)))


def _brought_text(c: Context, points: Decimal) -> str:
    return (f"（按适用指标分值 {n.plain(c.scores.applicable)} 分折算为 {n.score(_brought(c, points))}）"
            if c.scores.dropped else " ")


def grade_does_not_match(c: Context) -> Iterator[tuple[str, Location]]:
    published = c.inputs.unit.published
    if published.total is not None and published.grade is not None:
        expected = grade(published.total, c.inputs.framework.grades)
        if expected != published.grade:
            yield (f"填报的等级“{published.grade}”与填报的总分 {n.score(published.total)} 不符，按评价体系应为“{expected}”",
                   c.unit_place("已公布.等级"))


def funds_received_over_budget(c: Context) -> Iterator[tuple[str, Location]]:
    for row, line in zip(c.inputs.funds, c.inputs.lines.get("funds", ())):
        if row.received > row.budget and not row.source.strip():
            yield (f"“{row.source_name}”到位数 {n.money(row.received, places=c.inputs.unit.money_places)} "
                   f"超过全年预算数 {n.money(row.budget, places=c.inputs.unit.money_places)}，没有说明",
                   Location(c.inputs.files["funds"], line, "来源"))


def target_missing(c: Context) -> Iterator[tuple[str, Location]]:
    for leaf, facts in _leaves(c):
        if rules.targeted(leaf.rule_type) and facts is not None and (facts.target or "").strip() in ("", "*", "＊"):
            yield f"“{leaf.name}”没有年度指标值（目标值）", c.fact_place(leaf.id, "目标值")


def percentage_target_over_100(c: Context) -> Iterator[tuple[str, Location]]:
    for leaf, facts in _leaves(c):
        if facts is None or facts.unit.strip() != "%" or facts.comparator not in ("≥", "="):
            continue
        try:
            target = Decimal((facts.target or "").strip().rstrip("%"))
        except ArithmeticError:
            continue
        if target > n.HUNDRED:
            yield f"“{leaf.name}”的百分比目标 {facts.target}% 超过 100%", c.fact_place(leaf.id, "目标值")


def cost_written_as_at_least(c: Context) -> Iterator[tuple[str, Location]]:
    for leaf, facts in _leaves(c):
        if facts is not None and "成本" in facts.level2 and facts.comparator == "≥":
            yield f"成本指标“{leaf.name}”的比较符为“≥”，成本指标应为“≤”（不超过）", c.fact_place(leaf.id, "比较符")


def output_lacks_quantity_or_quality(c: Context) -> Iterator[tuple[str, Location]]:
    own = [f for f in c.inputs.facts.values() if f.level1]
    if not own:
        return
    output = {f.level2 for f in own if f.level1.startswith("产出")}
    for needed in ("数量指标", "质量指标"):
        if output and needed not in output:
            yield f"产出指标中没有{needed}", Location(c.inputs.files["facts"])
    if not any(f.level1.startswith("效益") for f in own):
        yield "项目没有效益指标", Location(c.inputs.files["facts"])


def satisfaction_without_survey(c: Context) -> Iterator[tuple[str, Location]]:
    for leaf, facts in _leaves(c):
        if "满意" in leaf.name and leaf.points > 0:
            said = " ".join(p for p in (facts.note, facts.source) if p) if facts is not None else ""
            if not any(word in said for word in SURVEY_WORDS):
                yield (f"“{leaf.name}”得{n.score(leaf.points)}分，没有说明满意度调查（样本量、方式）",
                       c.fact_place(leaf.id, "说明"))


def far_above_target_without_analysis(c: Context) -> Iterator[tuple[str, Location]]:
    for leaf, facts in _leaves(c):
        rate = leaf.outcome.rate if leaf.outcome is not None else None
        if rate is not None and rate >= FAR_ABOVE and leaf.lost == 0 and facts is not None \
                and not (facts.note.strip() or facts.shortfall.strip()):
            yield (f"“{leaf.name}”完成率 {n.percent(rate)}，远超目标仍得满分，没有分析原因（目标是否偏低）",
                   c.fact_place(leaf.id, "说明（或偏差原因）"))


def _below_pass(c: Context) -> list[str]:
    """The execution rate and the total when below 60: what calls for 整改措施 above all."""
    rates = [(name, c.figures.measures[name].value) for name in ("预算执行率", "支出率") if name in c.figures.measures]
    low = [(name, rate) for name, rate in rates if rate is not None and rate < PASS_MARK]
    reasons = [f"{name}{n.percent(rate)}" for name, rate in low[:1]]
    if c.scores.total < PASS_MARK * n.HUNDRED:
        reasons.append(f"总分{n.score(c.scores.total)}")
    return reasons


def _no_measures(c: Context) -> tuple[bool, Location]:
    """Whether the unit wrote no 改进意见 (none, or only “无”) and no 改进措施 under a problem; where to write them."""
    written = c.text(IMPROVEMENT_KEYS)
    none = (written is None or NOTHING.match(written[1]) is not None) and not any(
        issue.measure.strip() for issue in c.inputs.unit.issues)
    return none, c.unit_place(f"正文.{written[0] if written else IMPROVEMENT_KEYS[0]}")


def low_execution_without_measures(c: Context) -> Iterator[tuple[str, Location]]:
    reasons = _below_pass(c)
    none, where = _no_measures(c)
    if reasons and none:
        yield f"{'、'.join(reasons)}低于60，没有整改措施", where


def points_lost_without_measures(c: Context) -> Iterator[tuple[str, Location]]:
    """改进意见 “无” (or none) while points were lost: a 10号 report pairs each problem with its measures. Below 60
    the rule above says it, more pointedly."""
    none, where = _no_measures(c)
    if c.scores.lost > 0 and none and not _below_pass(c):
        yield f"共扣{n.score(c.scores.lost)}分，改进意见却写“无”或没有写", where


def deadline_after_period(c: Context) -> Iterator[tuple[str, Location]]:
    year = c.inputs.unit.year
    for leaf, facts in _leaves(c):
        if facts is None or "时效" not in facts.level2:
            continue
        for found in DATE.finditer(f"{facts.target or ''}"):
            if (int(found.group(1)), int(found.group(2))) > (year, 12):
                yield (f"时效指标“{leaf.name}”的期限 {found.group(0)} 在评价年度 {year} 年之后", c.fact_place(leaf.id, "目标值"))


def no_problems_but_points_lost(c: Context) -> Iterator[tuple[str, Location]]:
    lost = c.scores.weight - c.scores.total
    written = c.text(PROBLEM_KEYS)
    if lost > 0 and not c.inputs.unit.issues and (written is None or NOTHING.match(written[1])):
        yield (f"共扣{n.score(lost)}分，存在问题却写“无”或没有写", c.unit_place(f"正文.{written[0] if written else PROBLEM_KEYS[0]}"))


def execution_below_90_without_reason(c: Context) -> Iterator[tuple[str, Location]]:
    """四川：预算执行率未达到90%的需说明原因 (in the execution row's 说明 or 偏差原因, or the block's 说明)."""
    rate = c.figures.measures["预算执行率"].value if "预算执行率" in c.figures.measures else None
    if rate is None or rate >= SICHUAN_REASON_BELOW:
        return
    path = next((path for path in c.scores.paths() if path[-1].outcome is not None
                 and path[-1].outcome.shown.measure == "预算执行率"), None)
    leaf, block = (path[-1], path[0].name) if path else (None, "")
    facts = c.inputs.facts.get(leaf.id) if leaf is not None else None
    written = c.text((f"{block}说明",)) if block else None
    if not (facts is not None and (facts.note.strip() or facts.shortfall.strip())) and not (written and written[1].strip()):
        where = c.fact_place(leaf.id, "偏差原因") if leaf is not None and leaf.id in c.inputs.fact_lines \
            else c.unit_place(f"正文.{block}说明" if block else "正文")
        yield f"预算执行率{n.percent(rate)}，未达到90%，没有说明原因", where


def sample_figures(c: Context) -> Iterator[tuple[str, Location]]:
    """Rows whose 来源 still says they are the sample rows make new wrote: one finding a table, at its first."""
    tables: tuple[tuple[str, tuple[m.BudgetRow, ...] | tuple[m.FundRow, ...] | tuple[m.SpendingRow, ...]], ...] = (
        ("budget", c.inputs.budget), ("funds", c.inputs.funds), ("spending", c.inputs.spending))
    for key, rows in tables:
        sources = [row.source.strip() for row in rows]
        at = [i for i, source in enumerate(sources) if source.startswith(SAMPLE_SOURCE)]
        if at:
            lines = c.inputs.lines.get(key, ())
            yield (f"{len(at)} 行的来源仍是“{sources[at[0]]}”：这是新建单位时填入的示例数字，请改为本单位的数据并写明来源",
                   Location(c.inputs.files.get(key, key), lines[at[0]] if at[0] < len(lines) else None, "来源"))
    samples = [i for i, facts in c.inputs.facts.items() if facts.source.strip().startswith(SAMPLE_SOURCE)]
    if samples:
        yield (f"{len(samples)} 项指标的来源仍是“{SAMPLE_SOURCE}”：实际值、说明是新建单位时填入的示例，请改为本单位的情况并写明来源",
               c.fact_place(samples[0], "来源"))


# rule name → its finder; checks.md lists findings in this order, under the severity and basis the framework's rule
# sets give (inputs/review_rules.py)
FINDERS: dict[str, Callable[[Context], Iterator[tuple[str, Location]]]] = {
    "得分超出分值范围": score_out_of_range,
    "扣分没有写明原因": deduction_without_reason,
    "执行率未达90%未说明原因": execution_below_90_without_reason,
    "填报的各项得分与总分不符": published_parts_do_not_add_up,
    "等级与总分不符": grade_does_not_match,
    "到位资金超过预算": funds_received_over_budget,
    "指标没有目标值": target_missing,
    "百分比目标超过100%": percentage_target_over_100,
    "成本指标写成“≥”": cost_written_as_at_least,
    "产出或效益指标不全": output_lacks_quantity_or_quality,
    "满意度没有说明调查": satisfaction_without_survey,
    "远超目标得满分但未分析": far_above_target_without_analysis,
    "执行率或得分偏低但无整改措施": low_execution_without_measures,
    "时效期限在评价期之后": deadline_after_period,
    "扣了分却写“无问题”": no_problems_but_points_lost,
    "扣了分却没有改进意见": points_lost_without_measures,
    "季度累计执行率不合理": silent.pacing_not_plausible,
    "第4季度累计执行率与全年不符": silent.pacing_year_end_differs,
    "自评表必填项为空": silent.form_fields_empty,
    "叙述沿用上年": silent.narrative_carried_over,
    "数据仍是示例": sample_figures,
}


def recheck(inputs: m.Inputs, figures: Figures, scores: Scores, last_text: dict | None = None) -> list[Finding]:
    """The findings of the rules the framework's review sets apply to this kind of report; `last_text` is last
    year's 正文, when last year's folder is there."""
    c = Context(inputs, figures, scores, last_text or {})
    rules = {rule.name: rule for rule in followed(inputs.framework.review, inputs.unit.kind)}
    return [Finding(rules[name].code, rules[name].severity, name, message, where, rules[name].basis)
            for name, find in FINDERS.items() if name in rules for message, where in find(c)]
