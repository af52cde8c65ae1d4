"""A read 评分表 as a framework skeleton in the unit's own frameworks/ folder, and the unit files that carry its scores."""
from __future__ import annotations

import string
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..errors import Location, Problem
from ..inputs.kinds import KINDS
from ..inputs.rule_types import MANUAL
from ..numbers import plain as shown
from .criteria import rule_for
from .form_unit import FUNDS_HEADERS
from .score_table import ScoreSheet, SheetRow
from .write_unit import Draft, Note, csv_bytes, yaml_bytes

FACTS_HEADERS = ["指标编号", "指标名称", "自评得分", "说明", "来源"]
BUDGET_HEADERS = ["单位名称", "年初预算数", "全年预算数", "决算数"]
MANUAL_NOTE = "照录评分表中的得分，理由待补充"


@dataclass
class Branch:
    name: str
    where: Location
    weight: Decimal | None  # as printed
    points: Decimal | None
    children: dict[str, Branch] = field(default_factory=dict)
    row: SheetRow | None = None  # leaves only


def _tree(sheet: ScoreSheet, problems: list[Problem]) -> dict[str, Branch]:
    top: dict[str, Branch] = {}
    for row in sheet.rows:
        level = top
        branch: Branch | None = None
        for depth, name in enumerate(row.path):
            branch = level.get(name)
            if branch is None:
                branch = level[name] = Branch(name, row.where, row.weights[depth], row.points[depth])
            elif depth == len(row.path) - 1:
                problems.append(Problem(replace(row.where, file=sheet.name), f"指标“{'／'.join(row.path)}”重复（{branch.where}已有）", row.shown))
            elif branch.row is not None:
                problems.append(Problem(replace(row.where, file=sheet.name), f"“{name}”在{branch.where}是末级指标，这里又有下级", row.shown))
            elif row.weights[depth] is not None and branch.weight is not None and row.weights[depth] != branch.weight:
                problems.append(Problem(replace(row.where, file=sheet.name, key="分值"),
                                        f"“{name}”的分值与{branch.where}印的 {shown(branch.weight)} 不同",
                                        shown(row.weights[depth])))
            branch.weight = branch.weight if branch.weight is not None else row.weights[depth]
            level = branch.children
        if branch is not None and not branch.children:  # the path's last: a leaf, read from this row
            branch.row = row
    return top


def _ids(count: int) -> list[str]:
    letters = string.ascii_uppercase
    return [letters[i] if count <= len(letters) else f"L{i + 1}" for i in range(count)]


def _nodes(branches: dict[str, Branch], prefix: str, sheet: ScoreSheet, problems: list[Problem],
           facts: list[dict], draft: Draft) -> tuple[list[dict], Decimal]:
    sums = not sheet.problems  # with rows left unread, sums that miss them would only repeat the same problem
    nodes, total = [], Decimal(0)
    ids = _ids(len(branches)) if not prefix else [f"{prefix}{'.' if '.' in prefix or prefix[-1].isdigit() else ''}{i}"
                                                  for i in range(1, len(branches) + 1)]
    for node_id, branch in zip(ids, branches.values()):
        node: dict = {"编号": node_id, "名称": branch.name}
        if branch.children:
            children, weight = _nodes(branch.children, node_id, sheet, problems, facts, draft)
            if sums and branch.weight is not None and branch.weight != weight:
                problems.append(Problem(replace(branch.where, file=sheet.name, key="分值"), f"“{branch.name}”印的分值 {shown(branch.weight)} "
                                        f"与其下级指标分值之和 {shown(weight)} 不符", shown(branch.weight), "下级分值之和应等于上级分值"))
            node.update({"权重": weight, "下级": children})
        elif branch.row is not None:  # a leaf (_tree gives each the row its path ends in)
            row, printed = branch.row, branch.weight
            rule = rule_for(row.criteria, printed) if row.criteria and printed is not None else None
            node.update({"权重": printed, "规则": rule or {"类型": MANUAL}})
            if row.criteria:
                node["评分标准"] = row.criteria
            if rule is None:
                draft.notes.append(Note(f"“{branch.name}”的评分标准未能识别为计分规则，按 manual（人工评分）导入", row.where))
            score = row.points[-1]
            facts.append({"指标编号": node_id, "指标名称": branch.name, "自评得分": score,
                          "说明": row.reason or (MANUAL_NOTE if rule is None and not row.not_applicable else ""),
                          "不适用原因": row.not_applicable, "来源": sheet.name})
            draft.origins[("indicators.csv", len(facts) + 1)] = row.where
        nodes.append(node)
        total += node["权重"]
    return nodes, total


def sheet_unit(sheet: ScoreSheet, draft: Draft, kind: str | None) -> list[Problem]:
    """Fill the draft with the framework and the unit's files; return what cannot be made into a framework."""
    problems: list[Problem] = []
    tree = _tree(sheet, problems)
    if not tree:
        return problems + [Problem(Location(sheet.name), "评分表中没有读到任何指标行")]
    if kind is None:
        names = "".join(tree)
        kind = "project" if "产出" in names and "效益" in names else "department"
        draft.notes.append(Note(f"报告类型按一级指标判断为 {kind}（{KINDS[kind].label}）；不对时请指定 KIND="))
    facts: list[dict] = []
    indicators, total = _nodes(tree, "", sheet, problems, facts, draft)
    if not sheet.problems and sheet.total is not None and sheet.total[1] is not None and sheet.total[1] != total:
        problems.append(Problem(replace(sheet.total[0], file=sheet.name, key="分值"), f"合计分值 {shown(sheet.total[1])} 与各一级指标分值之和 "
                                f"{shown(total)} 不符", shown(sheet.total[1])))
    framework = {"名称": sheet.title or f"{sheet.unit_name or draft.dept}{draft.year}年度评分表", "适用": kind,
                 "生效日期": f"{draft.year}-01-01", "来源": f"由《{sheet.name}》导入", **({"总分": total} if total != 100 else {}),
                 "指标": indicators}
    draft.files[f"frameworks/{draft.framework}.yaml"] = yaml_bytes(
        framework, f"由评分表《{sheet.name}》导入的评价体系：指标、分值和评分标准照录原表。\n"
        "评分标准能读出计分方法的，规则已按原文填写；其余为 manual（人工评分），请对照评分标准改成合适的规则。")
    published: dict = {}
    if sheet.total is not None and sheet.total[2] is not None:
        published["总分"] = sheet.total[2]
        draft.places["已公布.总分"] = sheet.total[0]
    if sheet.grade:
        published["等级"] = sheet.grade
    blocks = {name: b.points for name, b in tree.items() if b.points is not None and b.children}
    draft.places.update({f"已公布.一级得分.{name}": tree[name].where for name in blocks})
    if blocks:
        published["一级得分"] = blocks
    unit = {"单位名称": sheet.unit_name or draft.dept, "报告类型": kind, "年度": draft.year, "评价体系": draft.framework,
            **({"已公布": published} if published else {})}
    draft.files["unit.yaml"] = yaml_bytes(unit, f"由评分表《{sheet.name}》导入。已公布 下是表中印出的得分，"
                                          "indicators.csv 的 自评得分 是各项印出的得分，核对结果见 checks.md。\n"
                                          "评分所需的数据（预算执行、人员、控制数、各指标的实际值等）请按 docs/guide.md 补充。")
    absent = ["不适用原因"] if any(f["不适用原因"] for f in facts) else []
    draft.files["indicators.csv"] = csv_bytes(FACTS_HEADERS[:-1] + absent + FACTS_HEADERS[-1:], facts)
    table = ("budget.csv", BUDGET_HEADERS) if kind == "department" else ("funds.csv", FUNDS_HEADERS)
    draft.files[table[0]] = csv_bytes(table[1], [])
    return problems
