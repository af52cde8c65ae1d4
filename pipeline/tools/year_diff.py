"""make diff: what changed from last year — key figures, each indicator's score and reason, the narrative sections."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import numbers as n
from ..figures.yoy import framework_version
from ..report.markdown_text import escape

if TYPE_CHECKING:
    from ..run import Result

KEY_FIGURES = ("全年预算数", "决算数", "预算执行率", "支出率", "在职人数", "编制数", "总分")


def _texts(result: Result) -> dict[str, str]:
    found = {}
    for key, value in result.inputs.unit.text.items():
        items = {key: value} if isinstance(value, str) else {f"{key}.{k}": v for k, v in value.items()}
        found.update({k: v.strip() for k, v in items.items()})
    return found


def year_diff(this: Result, last: Result) -> str:
    year, before = this.inputs.unit.year, last.inputs.unit.year
    out = [f"# {escape(this.inputs.unit.name)}：{before}年度 → {year}年度", ""]
    if this.last_framework is not None:
        out += [f"评价体系由“{escape(this.last_framework)}”改为“{escape(framework_version(this.inputs.framework))}”；"
                "指标按编号对应，总分和各一级指标照常比较，其下各级只对两年末级指标都相同的指标作比较。", ""]
    since = this.since
    if since.renamed:
        out += ["## 指标更名", "", "| 编号 | 上年名称 | 本年名称 |", "|:---|:---|:---|"]
        out += [f"| {escape(r.id)} | {escape(r.before)} | {escape(r.now)} |" for r in since.renamed]
        out += ["", "更名的指标按编号与上年比较。", ""]
    if since.units_added or since.units_removed:
        out += ["## 所属单位", ""]
        out += [f"- 本年新增：{escape('、'.join(since.units_added))}"] if since.units_added else []
        out += [f"- 本年不再列入：{escape('、'.join(since.units_removed))}"] if since.units_removed else []
        out += [""]
    compared = this.compared  # scored against last year's folder, scores only where the leaves match
    names = [name for name in dict.fromkeys(KEY_FIGURES + tuple(f"{b.name}得分" for b in this.scores.blocks))
             if name in compared]
    out += ["## 主要数字", "", f"| 项目 | {before}年 | {year}年 | 增减 | 增减率 |", "|:---|---:|---:|---:|---:|"]
    out += [f"| {escape(c.name)} | {escape(c.last.text)} | {escape(c.this.text)} | {escape(c.difference_text)} | "
            f"{n.percent(c.rate) if c.rate is not None else '—'} |" for c in (compared[name] for name in names)]
    if last.scores.grade != this.scores.grade:
        out += ["", f"等级由“{last.scores.grade}”变为“{this.scores.grade}”。"]
    old = {leaf.id: leaf for leaf in last.scores.leaves()}
    new = {leaf.id: leaf for leaf in this.scores.leaves()}
    out += ["", "## 各指标得分", "", f"| 编号 | 指标 | 分值 | {before}年得分 | {year}年得分 | 增减 | {year}年扣分原因 |",
            "|:---|:---|---:|---:|---:|---:|:---|"]
    for leaf_id, leaf in new.items():
        was = old.get(leaf_id)  # matched by 编号: a renamed leaf is still compared
        reason = escape(leaf.outcome.reason) if leaf.outcome is not None and leaf.outcome.reason else ""
        name = leaf.name if was is None or was.name == leaf.name else f"{leaf.name}（上年为“{was.name}”）"
        if was is None or was.weight != leaf.weight:
            out.append(f"| {escape(leaf_id)} | {escape(name)} | {n.score(leaf.weight)} | "
                       f"{'（指标有变化）' if was is not None else '（新增）'} | {n.score(leaf.points)} | — | {reason} |")
        elif (was.points != leaf.points or was.name != leaf.name
              or (was.outcome and leaf.outcome and was.outcome.reason != leaf.outcome.reason)):
            gap = leaf.points - was.points
            out.append(f"| {escape(leaf_id)} | {escape(name)} | {n.score(leaf.weight)} | {n.score(was.points)} | "
                       f"{n.score(leaf.points)} | {'+' if gap > 0 else ''}{n.score(gap)} | {reason} |")
    out += [f"| {escape(i)} | {escape(leaf.name)} | {n.score(leaf.weight)} | {n.score(leaf.points)} | （本年没有） | — |  |"
            for i, leaf in old.items() if i not in new]
    unchanged = sum(1 for i, leaf in new.items() if i in old and old[i].points == leaf.points and old[i].name == leaf.name
                    and old[i].weight == leaf.weight)
    out += ["", f"其余 {unchanged} 项指标得分与上年相同。" if unchanged else ""]
    old_text, new_text = _texts(last), _texts(this)
    out += ["## 叙述文字", "", "| 段落 | 变化 |", "|:---|:---|"]
    for key in dict.fromkeys(list(new_text) + list(old_text)):
        state = ("新增" if key not in old_text else "删除" if key not in new_text
                 else "未改（仍是上年的文字）" if old_text[key] == new_text[key] else "已修改")
        out.append(f"| 正文.{escape(key)} | {state} |")
    return "\n".join(out).rstrip() + "\n"
