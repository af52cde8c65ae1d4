"""What templates see: the unit, its figures and scores, its narrative with quoted figures filled in — as plain data
(plain.py), built once per run; the functions templates call are the environment's (filters.functions)."""
from __future__ import annotations

import re
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from ..evaluation import Evaluation
from ..figures.catalogue import quotes
from ..figures.compute import Figures
from ..figures.quantity import MONEY, Quantity
from ..figures.score import Scores
from ..inputs import models as m
from ..inputs.kinds import KINDS
from ..inputs.tree import indicators_named
from .jinja import refusal
from .markdown_text import narrative_text
from .plain import plain
from .score_table import TOTAL_LABEL, score_table

# the figures the default templates compare with last year, first-level scores after them
YOY_FIGURES = ("全年预算数", "决算数", "{execution}", "在职人数", "总分")


def unknown_name(exc: BaseException, quoted: dict[str, Quantity | str]) -> str:
    """For a name the text quotes that does not exist: the names closest to it, so the user can pick one."""
    found = re.search(r"has no (?:attribute|element) '?(.*?)'?$", str(getattr(exc, "message", None) or exc))
    if not isinstance(exc, jinja2.UndefinedError) or found is None:
        return ""
    import difflib  # only a mistake needs it: a run without one does not load it
    close = difflib.get_close_matches(found.group(1), list(quoted), n=6, cutoff=0.3)
    return "；相近的可引用名称：" + "、".join(close) if close else "；用 make figures DEPT=… 列出全部可引用的数"


# a bare quote of a figure, its filter if any, and the text right after it: {{ 数.决算数 }}万元
QUOTE_THEN = re.compile(r"\{\{-?\s*数(?:\.(\w+)|\[\s*[\"'](.+?)[\"']\s*\])\s*(?:\|\s*(\w+)\s*)?-?\}\}\s*(\S{0,2})")


def unit_typed_twice(text: str, quoted: dict[str, Quantity | str]) -> str:
    """A quote that prints its unit followed by a unit typed by hand (3.60万元万元), said so it cannot be printed."""
    for found in QUOTE_THEN.finditer(text):
        name, pipe, after = found.group(1) or found.group(2), found.group(3), found.group(4)
        value = quoted.get(name)
        if not isinstance(value, Quantity) or pipe not in (None, *MONEY):
            continue
        unit = pipe or value.unit
        typed = next((u for u in (unit, *MONEY) if after.startswith(u) and (u in MONEY) == (unit in MONEY)), None)
        if typed:
            return (f"{found.group(0)[:found.group(0).rindex('}}') + 2]} 已带单位（印作“{value if not pipe else value.to(pipe)}”），"
                    f"其后手写的“{typed}”会重复；删去“{typed}”" + ("（换算金额单位写作 |元、|万元、|亿元）" if unit in MONEY else ""))
    return ""


def narrative(env: SandboxedEnvironment, unit: m.Unit, quoted: dict[str, Quantity | str]) -> tuple[dict[str, Any], list[m.Issue]]:
    """The unit's text with {{ 数.… }} filled in; every wrong name in every key is reported at once."""
    refused: list[str] = []

    def fill(text: str, key: str) -> str:
        if "{{" not in text and "{%" not in text:
            return narrative_text(text)
        if twice := unit_typed_twice(text, quoted):
            refused.append(f"unit.yaml {key}：{twice}")
            return ""
        try:
            return narrative_text(env.from_string(text).render(数=quoted))
        except Exception as exc:  # anything the text itself caused: refused access, bad name, 1/0, runaway range
            refused.append(f"unit.yaml {key}：{refusal(exc)}{unknown_name(exc, quoted)}")
            return ""

    text = {key: ({k: fill(v, f"正文.{key}.{k}") for k, v in value.items()} if isinstance(value, dict)
                  else fill(value, f"正文.{key}")) for key, value in unit.text.items()}
    issues = [issue.model_copy(update={"detail": fill(issue.detail, f"问题清单[{i}].说明"),
                                       "cause": fill(issue.cause, f"问题清单[{i}].未达标原因"),
                                       "measure": fill(issue.measure, f"问题清单[{i}].改进措施")})
              for i, issue in enumerate(unit.issues, 1)]
    if refused:
        raise TemplateError("\n".join(refused))
    return text, issues


FEWEST_BARS = 3  # a chart of fewer bars or groups says no more than the sentence beside it


def budget_charted(figures: Figures, last_year: bool) -> bool:
    """The execution chart only where it shows what table 1-1 does not: how three units or more compare, or each of
    two units beside its own rate last year (no table has last year's rate by unit)."""
    return len(figures.budget) >= FEWEST_BARS or (len(figures.budget) > 1 and last_year)


def scores_charted(scores: Scores) -> bool:
    """The 一级 score chart only where it shows what the sentence listing every 一级 and the score table do not:
    how three 一级 or more compare, when they did not all score the same share of their weight."""
    return len(scores.blocks) >= FEWEST_BARS and len({block.rate for block in scores.blocks}) > 1


def context(env: SandboxedEnvironment, evaluation: Evaluation, charts: bool = False) -> dict[str, Any]:
    """Everything the report templates see, as plain data."""
    inputs, figures, scores, quoted = evaluation.inputs, evaluation.figures, evaluation.scores, evaluation.quoted
    unit, compared, last_year_chart = inputs.unit, evaluation.compared, bool(evaluation.last_budget)
    figures_quoted = quotes(quoted, unit.money_separators, unit.money_places)
    text, issues = narrative(env, unit, figures_quoted)
    return plain({
        "unit": unit,
        "title": unit.title or f"{unit.name}{unit.year}年度{KINDS[unit.kind].label}绩效自评报告",
        "text": text,
        "数": figures_quoted,  # every quotable figure with its unit, as the narrative quotes it
        "issues": issues,
        "issue_indicators": issue_indicators(inputs, scores),  # 问题清单 指标 → the scored indicator it names
        "framework": inputs.framework,
        "figures": figures,
        "measures": figures.measures,
        "scores": scores,
        "score_sheet": score_table(scores, inputs.facts, inputs.framework, TOTAL_LABEL[unit.kind]),
        "facts": inputs.facts,
        "charts": charts,
        "last_year_chart": charts and last_year_chart,  # the execution chart shows last year's rates too
        "budget_chart": charts and budget_charted(figures, last_year_chart),
        "score_chart": charts and scores_charted(scores),
        "indicator_block_ids": m.own_blocks(inputs.framework.indicators, inputs.tree),
        "indicators": [row for row in inputs.facts.values() if row.level1],
        "indicator_classes": class_counts(inputs),
        # 同比: the key figures both years have, in the order readers expect them
        "yoy": [compared[name] for name in dict.fromkeys(
                    [f.format(execution=KINDS[unit.kind].execution) for f in YOY_FIGURES] + [f"{b.name}得分" for b in scores.blocks])
                if name in compared],
        "last_grade": quoted["上年等级"].text if "上年等级" in quoted else None,
        "last_framework": evaluation.last_framework,
        # indicators renamed (matched by 编号, still compared) and units added or removed since last year
        "since": evaluation.since,
    })


def check_context(evaluation: Evaluation) -> dict[str, Any]:
    """What the check report's template (common/checks.md.j2) sees, as plain data."""
    return plain({"unit": evaluation.inputs.unit, "checks": evaluation.checks, "findings": evaluation.findings})


def issue_indicators(inputs: m.Inputs, scores: Scores) -> dict[str, Any]:
    """Each 指标 the unit's problems name, as written (编号 or 名称), with the indicator scored; an indicator that
    does not apply this year has no score, and its problem no score sentence."""
    scored = {node.id: node for node in scores.nodes()}
    found = {}
    for issue in inputs.unit.issues:
        named = indicators_named(inputs.tree, issue.indicator) if issue.indicator else []
        if len(named) == 1 and named[0].id in scored:
            found[issue.indicator] = scored[named[0].id]
    return found


def class_counts(inputs: m.Inputs) -> list[tuple[str, int]]:
    """How many of the unit's own indicators each 一级 class has, in the order they are listed."""
    counts: dict[str, int] = {}
    for row in inputs.facts.values():
        if row.level1:
            counts[row.level1] = counts.get(row.level1, 0) + 1
    return list(counts.items())

