"""A read 自评表 as a project unit under a framework: unit.yaml, funds.csv and indicators.csv, printed scores kept."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..errors import Location, Problem
from ..inputs import models as m
from ..inputs.amounts import decimals
from ..inputs.framework_checks import walk
from ..inputs.measures import execution_measures
from ..inputs.tree import split_evenly
from ..limits import MAX_PLACES
from ..numbers import plain as shown
from ..numbers import to_places
from .form import Form, IndicatorRow, chinese_date
from .grid import plain
from .write_unit import Draft, Note, csv_bytes, neutral, yaml_bytes

FUNDS_HEADERS = ["资金来源", "资金性质", "年初预算数", "全年预算数", "到位数", "已支出", "来源"]
FACTS_HEADERS = ["指标编号", "指标名称", "一级指标", "二级指标", "权重", "目标值", "比较符", "计量单位", "实际值", "档次",
                 "自评得分", "说明", "偏差原因", "来源"]
# the measures that are spending over the year's budget: the funds row's 分值 and 得分 belong to a leaf scored by one
EXECUTION = execution_measures()
MANUAL_NOTE = "照录自评表中的得分，理由待补充"


def _band(bands: tuple[m.Band, ...], weight: Decimal | None, points: Decimal | None) -> str:
    """The band a printed score lies in (the higher where two meet): 8 of 10 → 达成预期指标."""
    if points is None or not weight:
        return ""
    rate = points / weight * 100
    return next((b.name for b in bands if b.lower <= rate <= b.upper), "")


def category(label: str, classes: dict[str, m.Node]) -> str | None:
    """The framework's class a printed 一级指标 belongs to: 产出 and 产出指标（50分） are 产出指标."""
    if label in classes:
        return label
    stem = label.removesuffix("指标")
    return next((c for c in classes if stem and c.removesuffix("指标") == stem), None)


def _target_columns(row: IndicatorRow) -> dict[str, object]:
    goal = row.target
    if goal is None:
        return {}
    return {"目标值": goal.value, "比较符": goal.comparator, "计量单位": goal.unit, "实际值": row.actual}


def _bands(rule: object) -> tuple[m.Band, ...]:
    """The bands a row of the unit's own is placed in by its printed score: its completion rule's, else the standard ones."""
    return rule.bands if isinstance(rule, m.CompletionRule) else m.QUALITATIVE_BANDS


def own_indicators(node: m.Node) -> m.FromFacts:
    """How a node takes the unit's own indicators: every node a form's rows are sorted under has it."""
    if node.from_facts is None:
        raise ValueError(f"{node.id} takes no indicators of the unit's own")
    return node.from_facts


def _leaf_facts(row: IndicatorRow, leaf: m.Node) -> dict[str, object]:
    """A row of the form on one of the framework's own leaves: the facts its rule scores from, and the printed score."""
    rule = leaf.rule
    facts: dict[str, object] = {"指标编号": leaf.id, "指标名称": leaf.name, "自评得分": row.points, "偏差原因": row.reason}
    if isinstance(rule, (m.BandRule, m.CompletionRule)):
        facts["档次"] = _band(rule.bands, leaf.weight, row.points)
    if isinstance(rule, m.CompletionRule) or (isinstance(rule, m.RatioRule) and not rule.measure):
        facts.update(_target_columns(row))
    elif isinstance(rule, m.TiersRule) and not rule.measure:
        facts["实际值"] = row.actual
    elif isinstance(rule, m.ManualRule):
        facts["说明"] = row.reason or MANUAL_NOTE
    return facts


def _places(rows: list[dict[str, object]], draft: Draft) -> int:
    """金额小数位 the amounts need (元 in 万元 need four); finer ones rounded to the 元, and the user told."""
    needed = max((decimals(v) for row in rows for v in row.values() if isinstance(v, Decimal)), default=2)
    if needed > MAX_PLACES:
        for row in rows:
            row.update({k: to_places(v, MAX_PLACES) for k, v in row.items() if isinstance(v, Decimal)})
        draft.notes.append(Note(f"资金表的金额精确到分，已按万元 {MAX_PLACES} 位小数（精确到元）四舍五入导入"))
    return min(max(needed, 2), MAX_PLACES)


def _or_zero(value: Decimal | None) -> Decimal:
    """An amount as printed (0.00 stays 0.00); a cell left blank or “—” in a column the form has is nothing spent: 0."""
    return Decimal(0) if value is None else value


def _funds(form: Form, draft: Draft) -> list[dict[str, object]]:
    if form.in_yuan:
        draft.notes.append(Note("资金表以元为单位，已换算为万元"))
    lines = [line for line in form.funds if line.nature in m.NATURES]
    for line in lines:
        if not any(v for v in (line.initial, line.budget, line.actual)):
            draft.unread.append(f"{line.where}：“{line.name}”各项金额均为 0 或空，没有写入 funds.csv")
    lines = [line for line in lines if any(v for v in (line.initial, line.budget, line.actual))]
    total = next((line for line in form.funds if line.nature == "合计"), None)
    if not lines and total is not None:
        lines = [total]
        draft.notes.append(Note(f"资金表只有“{total.name}”一行，按“财政拨款”一项导入", total.where))
    if "initial" not in form.funds_columns and lines:
        draft.notes.append(Note("资金表没有年初预算数列，年初预算数按全年预算数填写，请核对"))
    rows: list[dict[str, object]] = []
    for line in lines:
        nature = line.nature if line.nature in m.NATURES else "财政拨款"
        budget = _or_zero(line.budget)
        initial = _or_zero(line.initial) if "initial" in form.funds_columns else budget
        draft.origins[("funds.csv", len(rows) + 2)] = line.where
        rows.append({"资金来源": line.name if line is not total else nature, "资金性质": nature,
                     "年初预算数": initial, "全年预算数": budget, "到位数": budget, "已支出": _or_zero(line.actual),
                     "来源": f"{form.name} {line.where}（到位数未列示，按全年预算数）"})
    if total is not None and lines and lines[0] is not total:
        for key, column in (("initial", "年初预算数"), ("budget", "全年预算数"), ("actual", "全年执行数")):
            printed = getattr(total, key)
            parts = sum((getattr(line, key) or Decimal(0) for line in lines), Decimal(0))
            if printed is not None and printed != parts:
                draft.notes.append(Note(f"“{total.name}”的{column}印为 {shown(printed)}，各项之和为 {shown(parts)}", total.where))
    return rows


def _even_weights(form: Form, framework: m.Framework, own: dict, draft: Draft) -> None:
    """A form without a 分值 column: each category's weight from the framework, shared evenly by its rows, and said so."""
    for node_id, items in own.items():
        node = next(n for _, n in walk(framework.indicators) if n.id == node_id)
        placed = own_indicators(node)
        if placed.split != "权重":
            continue  # the framework shares the weight out itself
        bands = _bands(placed.rule)
        for (item, row), weight in zip(items, split_evenly(node.weight, len(items))):
            item["权重"] = weight
            if item.get("比较符") == "定性":
                item["档次"] = _band(bands, weight, row.points)
        draft.notes.append(Note(f"表中没有分值列：“{node.name}”的 {len(items)} 个指标按评价体系的 {shown(node.weight)} 分平均分配"))


def _sums(form: Form, draft: Draft) -> None:
    """The form's own arithmetic kept for review: the printed total beside the sum of the printed scores."""
    total = next((line for line in form.funds if line.nature == "合计"), None)
    if form.subtotal is not None and form.total is not None and form.subtotal is not form.total:
        draft.notes.append(Note(f"合计 {shown(form.subtotal[2]) if form.subtotal[2] is not None else '（空）'}"
                                f" 不是总分，总分取{form.total[0]}", form.subtotal[0]))
    points = [row.points for row in form.indicators] + [total.points if total is not None else None]
    if form.total is None or form.total[2] is None or all(p is None for p in points):
        return
    draft.sums = (form.total[2], sum((p for p in points if p is not None), Decimal(0)))
    if draft.sums[0] != draft.sums[1]:
        draft.notes.append(Note(f"表中印出的总分 {shown(draft.sums[0])} 与各项得分之和 {shown(draft.sums[1])} 不符", form.total[0]))


def _weight_differs(draft: Draft, where: Location, text: str) -> None:
    """A weight printed on the form that the framework sets otherwise: told, and counted (a review matches a form to the
    framework whose weights it prints)."""
    draft.notes.append(Note(text, where))
    draft.weight_gaps += 1


def form_unit(form: Form, framework: m.Framework, draft: Draft) -> list[Problem]:
    """Fill the draft with the unit's files; return the rows the framework cannot take."""
    problems: list[Problem] = []
    classes = {c: node for _, node in walk(framework.indicators) if node.from_facts for c in node.from_facts.classes}
    leaves = {node.id: node for _, node in walk(framework.indicators) if not node.children and not node.from_facts}
    execution = next((leaf for leaf in leaves.values() if isinstance(leaf.rule, m.RatioRule)
                      and leaf.rule.measure in EXECUTION), None)
    by_name = {plain(leaf.name): leaf for leaf in leaves.values()}
    classes = {plain(c): node for c, node in classes.items()}
    used: set[str] = set()
    facts: list[dict[str, object]] = []
    own: dict[str, list[tuple[dict[str, object], IndicatorRow]]] = {}
    number = 0
    for row in form.indicators:
        cls = category(plain(row.level1), classes)
        leaf = None if cls else next((by_name[plain(n)] for n in (row.name, row.level2, row.level1) if plain(n) in by_name),
                                     None)
        if cls is not None:
            node = classes[cls]
            if not row.level2 or row.target is None:
                problems.append(Problem(replace(row.where, file=form.name, key="二级指标" if not row.level2 else "年度指标值"),
                                        "缺少" + ("二级指标" if not row.level2 else "年度指标值"), row.shown))
                continue
            number += 1
            while f"P{number:02d}" in leaves or f"P{number:02d}" in classes:
                number += 1
            item = {"指标编号": f"P{number:02d}", "指标名称": row.name or row.level2, "一级指标": cls,
                    "二级指标": row.level2, **_target_columns(row), "自评得分": row.points, "偏差原因": row.reason}
            placed = own_indicators(node)
            if placed.split == "权重":
                item["权重"] = row.weight
            if row.target.comparator == "定性":
                item["档次"] = _band(_bands(placed.rule), row.weight, row.points)
            if row.target.assumed:
                draft.notes.append(Note(f"年度指标值“{row.target.value}{row.target.unit}”未写比较符，按“≥”导入", row.where))
            own.setdefault(node.id, []).append((item, row))
        elif leaf is not None and leaf.id not in used:
            used.add(leaf.id)
            item = _leaf_facts(row, leaf)
            if row.weight is not None and row.weight != leaf.weight:
                _weight_differs(draft, row.where, f"“{leaf.name}”分值印为 {shown(row.weight)}，评价体系为 {shown(leaf.weight)}")
        else:
            problems.append(Problem(replace(row.where, file=form.name, key="一级指标"), f"评价体系“{framework.name}”中没有这个指标，"
                                    f"也不接收“{row.level1}”类指标", row.shown, "可接收的一级指标：" + "、".join(classes)
                                    + "；固定指标：" + "、".join(leaf.name for leaf in leaves.values())
                                    + "；或用 FRAMEWORK=… 指定本单位适用的评价体系"))
            continue
        item["来源"] = f"{form.name} {row.where}"
        facts.append(item)  # the same dict as in own: weights shared out below land in it
        draft.origins[("indicators.csv", len(facts) + 1)] = row.where
    if not form.weights:
        _even_weights(form, framework, own, draft)
    for node_id, items in own.items():
        node = next(n for _, n in walk(framework.indicators) if n.id == node_id)
        printed = [row.level1_weight for _, row in items if row.level1_weight is not None]
        if printed and printed[0] != node.weight:
            _weight_differs(draft, items[0][1].where, f"“{node.name}”分值印为 {shown(printed[0])}，评价体系为 {shown(node.weight)}")
        if own_indicators(node).split == "平均":
            for (item, row), weight in zip(items, split_evenly(node.weight, len(items))):
                if row.weight is not None and row.weight != weight:
                    _weight_differs(draft, row.where, f"“{item['指标名称']}”分值印为 {shown(row.weight)}，"
                                                      f"评价体系平均分配为 {shown(weight)}")
    total = next((line for line in form.funds if line.nature == "合计"), None)
    if execution is not None and execution.id not in used:
        facts.append({"指标编号": execution.id, "指标名称": execution.name,
                      "自评得分": total.points if total is not None else None,
                      "来源": f"{form.name} {total.where}" if total is not None else ""})
        if total is not None:
            draft.origins[("indicators.csv", len(facts) + 1)] = total.where
            funds_weight = total.weight if total.weight is not None else form.funds_caption
            if funds_weight is not None and funds_weight != execution.weight:
                _weight_differs(draft, total.where, f"预算执行分值印为 {shown(funds_weight)}，评价体系为 {shown(execution.weight)}")
    elif total is not None and total.points is not None and execution is None:
        draft.notes.append(Note(f"自评表列有预算执行得分 {shown(total.points)}，评价体系中没有按预算执行率计分的指标", total.where))
    funds = _funds(form, draft)
    _sums(form, draft)
    draft.unread += form.unread
    places = _places(funds, draft)
    draft.files["funds.csv"] = csv_bytes(FUNDS_HEADERS, funds)
    draft.files["indicators.csv"] = csv_bytes(FACTS_HEADERS, facts)
    draft.files["unit.yaml"] = yaml_bytes(_unit(form, framework, draft, execution, total, places), _comment(form, draft))
    return problems


def _comment(form: Form, draft: Draft) -> str:
    sums = (f"表中印出的总分为 {shown(draft.sums[0])}，各项印出的得分之和为 {shown(draft.sums[1])}。\n"
            if draft.sums is not None else "")
    return (f"由《{form.name}》导入：文字和数字照录原表，得分由程序按评价体系重新计算。\n" + sums +
            "已公布 下是表中印出的总分、等级和执行率，indicators.csv 的 自评得分 是表中印出的各项得分，核对结果见 checks.md。\n"
            "资金到位数原表未列示，按全年预算数填写；请按实际情况修改。")


def _unit(form: Form, framework: m.Framework, draft: Draft, execution: m.Node | None, total, places: int) -> dict:
    header = form.header
    unit: dict[str, object] = {
        "单位名称": header.get("实施单位") or header.get("主管部门") or draft.dept, "报告类型": "project",
        "年度": draft.year, "评价体系": draft.framework}
    unit.update({key: header[key] for key in ("项目名称", "主管部门", "实施单位", "项目负责人", "联系电话") if header.get(key)})
    unit.update({key: form.signer[key] for key in ("填报人", "单位负责人") if form.signer.get(key)})
    if chinese_date(form.signer.get("填报日期", "")):
        unit["填报日期"] = chinese_date(form.signer["填报日期"])
    unit["金额千分位"] = form.separators
    if places > 2:
        unit["金额小数位"] = places
    text = {key: neutral(form.goals[part]).replace("\n", "\n\n") + "\n" for key, part in
            (("年度总体目标", "expected"), ("总体目标完成情况", "achieved")) if form.goals.get(part)}
    if text:
        unit["正文"] = text
    published: dict[str, object] = {}
    if form.total is not None and form.total[2] is not None:
        published["总分"] = form.total[2]
        draft.places["已公布.总分"] = draft.places["已公布.等级"] = form.total[0]
    if form.grade:
        published["等级"] = form.grade
    if total is not None and total.rate is not None:
        rule = execution.rule if execution is not None else None
        measure = rule.measure if isinstance(rule, m.RatioRule) else EXECUTION[0]  # the execution leaf's rule is a ratio
        published["比率"] = {measure: total.rate}
        draft.places[f"已公布.比率.{measure}"] = total.where
    if published:
        unit["已公布"] = published
    return unit
