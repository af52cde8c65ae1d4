"""What templates see: the unit, its figures and scores, its narrative with quoted figures filled in."""
from __future__ import annotations

import unicodedata
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from ..figures import numbers as n
from ..figures.compute import Figures
from ..figures.score import Scores
from ..inputs import models as m
from ..inputs.kinds import KINDS
from .jinja import refusal
from .markdown_text import narrative_text
from .score_table import TOTAL_LABEL, score_table


def quoted_figures(unit: m.Unit, figures: Figures, scores: Scores) -> dict[str, str]:
    """What narrative text may quote as {{ 数.名称 }}: every rate, total and score, already formatted."""
    quoted = {name: n.percent(measure.value) for name, measure in figures.measures.items() if measure.available}
    quoted.update({name: n.money(value, unit.money_separators) for name, value in figures.base.items()
                   if value is not None and name in ("年初预算数", "全年预算数", "决算数", "到位数", "基本支出", "项目支出")})
    quoted.update({"总分": n.score(scores.total), "等级": scores.grade})
    quoted.update({f"{b.name}得分": n.score(b.points) for b in scores.blocks})
    return quoted


def narrative(env: SandboxedEnvironment, unit: m.Unit, quoted: dict[str, str]) -> tuple[dict[str, Any], list[m.Issue]]:
    """The unit's text with {{ 数.… }} filled in; a wrong name stops the run naming the key."""
    def fill(text: str, key: str) -> str:
        if "{{" not in text and "{%" not in text:
            return narrative_text(text)
        try:
            return narrative_text(env.from_string(text).render(数=quoted))
        except Exception as exc:  # anything the text itself caused: refused access, bad name, 1/0, runaway range
            raise TemplateError(f"unit.yaml {key}：{refusal(exc)}；可引用的数：" + "、".join(quoted)) from None

    text = {key: ({k: fill(v, f"正文.{key}.{k}") for k, v in value.items()} if isinstance(value, dict)
                  else fill(value, f"正文.{key}")) for key, value in unit.text.items()}
    issues = [issue.model_copy(update={"detail": fill(issue.detail, f"问题清单[{i}].说明"),
                                       "cause": fill(issue.cause, f"问题清单[{i}].未达标原因"),
                                       "measure": fill(issue.measure, f"问题清单[{i}].改进措施")})
              for i, issue in enumerate(unit.issues, 1)]
    return text, issues


def context(env: SandboxedEnvironment, inputs: m.Inputs, figures: Figures, scores: Scores,
            charts: bool = False) -> dict[str, Any]:
    unit = inputs.unit
    text, issues = narrative(env, unit, quoted_figures(unit, figures, scores))
    return {
        "unit": unit,
        "title": unit.title or f"{unit.name}{unit.year}年度{KINDS[unit.kind].label}绩效自评报告",
        "text": text,
        "issues": issues,
        "framework": inputs.framework,
        "figures": figures,
        "measures": figures.measures,
        "scores": scores,
        "score_sheet": score_table(scores, inputs.facts, inputs.framework, TOTAL_LABEL[unit.kind]),
        "facts": inputs.facts,
        "share": n.ratio,
        "charts": charts,
        "indicator_block_ids": [node.id for node in inputs.framework.indicators if node.from_facts is not None],
        "indicators": [row for row in inputs.facts.values() if row.level1],
        "indicator_classes": class_counts(inputs),
        "status_counts": status_counts,
        "target_text": target_text,
    }


def class_counts(inputs: m.Inputs) -> list[tuple[str, int]]:
    """How many of the unit's own indicators each 一级 class has, in the order they are listed."""
    counts: dict[str, int] = {}
    for row in inputs.facts.values():
        if row.level1:
            counts[row.level1] = counts.get(row.level1, 0) + 1
    return list(counts.items())


def status_counts(leaves: list) -> list[tuple[str, int]]:
    order = ("实现", "基本实现", "未实现")
    found = [leaf.outcome.status for leaf in leaves if leaf.outcome is not None and leaf.outcome.status]
    return [(status, found.count(status)) for status in order if status in found]


def target_text(row: m.IndicatorFacts) -> str:
    """年度指标值 as the forms write it: ≥10项, ≤50%, or the qualitative target itself."""
    if row.comparator in ("≥", "≤", "="):
        return f"{row.comparator}{with_unit(row.target, row.unit)}"
    return row.target or ""


def with_unit(value: str | None, unit: str) -> str:
    """A typed value followed by its unit once: 100% with the unit % stays 100% (also when typed 100％)."""
    text = (value or "").strip()
    typed, wanted = unicodedata.normalize("NFKC", text), unicodedata.normalize("NFKC", unit)
    return text if wanted and typed.endswith(wanted) else text + unit
