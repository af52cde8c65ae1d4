"""Fill the unit's templates with its figures and scores: Markdown text, then the Word document."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import models as m
from . import numbers as n
from .compute import Figures
from .markdown_text import chinese_number, escape, for_readers, number_headings, tidy
from .score import Scores

DEFAULTS = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Rendered:
    markdown: str  # as pandoc reads it (captions in "Table:" form)
    files: dict[str, bytes]  # output file name → content


class TemplateProblem(Exception):
    """A template could not be rendered: names the template, its line and what went wrong."""


def template_dirs(unit_folder: Path | None) -> list[Path]:
    own = [unit_folder / "templates"] if unit_folder is not None and (unit_folder / "templates").is_dir() else []
    return own + [DEFAULTS]


def environment(search: list[Path], unit: m.Unit) -> SandboxedEnvironment:
    """Strict, sandboxed Jinja: a unit's own folder first, then the defaults, and 'default/…' always the defaults."""
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(p) for p in search]),
        jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(DEFAULTS))}),
    ])
    env = SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                               trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters.update(filters(unit))
    return env


def filters(unit: m.Unit) -> dict[str, Any]:
    return {
        "money": lambda v: n.money(v, unit.money_separators),
        "pct": n.percent,
        "score": n.score,
        "num": n.plain,
        "md": escape,
        "cn": chinese_number,
        "cndate": chinese_date,
        "change": change_phrase,
    }


def chinese_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.year}年{value.month}月{value.day}日"


def change_phrase(this: Decimal | None, last: Decimal | None) -> str:
    """同比: 增长 x% / 下降 x% / 持平; no phrase over a zero base."""
    rate = n.ratio(None if this is None or last is None else this - last, last)
    if rate is None:
        return ""
    if rate == 0:
        return "持平"
    return f"{'增长' if rate > 0 else '下降'}{n.percent(abs(rate))}"


def context(inputs: m.Inputs, figures: Figures, scores: Scores) -> dict[str, Any]:
    unit = inputs.unit
    kind_name = {"department": "部门整体支出", "project": "项目支出"}[unit.kind]
    return {
        "unit": unit,
        "title": unit.title or f"{unit.name}{unit.year}年度{kind_name}绩效自评报告",
        "text": unit.text,
        "framework": inputs.framework,
        "figures": figures,
        "measures": figures.measures,
        "scores": scores,
        "facts": inputs.facts,
        "share": n.ratio,
    }


def render_markdown(env: SandboxedEnvironment, name: str, data: dict[str, Any]) -> str:
    try:
        text = env.get_template(name).render(data)
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"{_where(exc)}：模板使用了未定义的名称（{exc.message}）；可用的名称："
                              + "、".join(sorted(data))) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{exc.filename or exc.name}:第{exc.lineno}行：模板语法错误：{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"找不到模板 {exc.name}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateProblem(f"{_where(exc)}：模板试图访问不允许的内容：{exc}") from None
    return tidy(number_headings(text))


def _where(exc: Exception) -> str:
    """The template file and line a Jinja runtime error came from, read off its traceback."""
    tb, found = exc.__traceback__, "模板"
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            line = template.get_corresponding_lineno(tb.tb_lineno) if template else tb.tb_lineno
            found = f"{Path(code.co_filename).name}:第{line}行"
        tb = tb.tb_next
    return found


def audit_json(inputs: m.Inputs, figures: Figures, scores: Scores) -> str:
    """Every leaf with its rule, inputs, points and reason, for audit (scores.json)."""
    def node(s) -> dict[str, Any]:
        item: dict[str, Any] = {"编号": s.id, "名称": s.name, "权重": n.score(s.weight), "得分": n.score(s.points),
                                "得分率": n.percent(s.rate)}
        if s.children:
            item["下级"] = [node(c) for c in s.children]
        elif s.outcome is not None:
            item.update({"规则": s.rule_type, "评分标准": s.outcome.standard, "输入": s.outcome.inputs,
                         "扣分原因": s.outcome.reason})
        return item

    data = {
        "单位": inputs.unit.name, "年度": inputs.unit.year, "评价体系": inputs.framework.name,
        "评价体系文件": inputs.files["framework"], "总分": n.score(scores.total), "满分": n.score(scores.weight),
        "等级": scores.grade,
        "测算指标": {k: n.percent(v.value) for k, v in figures.measures.items() if v.available},
        "指标": [node(b) for b in scores.blocks],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(inputs: m.Inputs, figures: Figures, scores: Scores, unit_folder: Path | None) -> Rendered:
    from .docx import markdown_to_docx

    env = environment(template_dirs(unit_folder), inputs.unit)
    markdown = render_markdown(env, f"{inputs.unit.kind}/report.md.j2", context(inputs, figures, scores))
    reference = next((p / "reference.docx" for p in template_dirs(unit_folder) if (p / "reference.docx").exists()), None)
    docx = markdown_to_docx(markdown, reference)
    return Rendered(markdown, {
        "report.md": for_readers(markdown).encode("utf-8"),
        "report.docx": docx,
        "scores.json": audit_json(inputs, figures, scores).encode("utf-8"),
    })
