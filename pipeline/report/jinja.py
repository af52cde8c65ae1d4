"""Fill the unit's Jinja templates with its figures and scores: the report's Markdown text, strict and sandboxed."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from ..errors import TemplateError, nth_line
from ..inputs import models as m
from ..inputs.kinds import KINDS
from ..figures import numbers as n
from ..figures.compute import Figures
from .filters import filters
from .markdown_text import UnknownReference, narrative_text, number_headings, tidy
from ..figures.score import Scores

DEFAULTS = Path(__file__).resolve().parent.parent / "templates"


def template_dirs(unit_folder: Path | None, group: str | None = None) -> list[Path]:
    """Where templates, styles and forms are looked for: the unit's own folder, its group's, then the defaults."""
    if unit_folder is None:
        return [DEFAULTS]
    own = [unit_folder / "templates"] if (unit_folder / "templates").is_dir() else []
    if group is None:
        return own + [DEFAULTS]
    groups = unit_folder.parent.parent / "templates"
    if not (groups / group).is_dir():
        found = "、".join(sorted(p.name for p in groups.iterdir() if p.is_dir())) if groups.is_dir() else "无"
        raise TemplateError(f"unit.yaml 模板组“{group}”不存在：应为 inputs/templates/{group}/；现有模板组：{found}")
    return own + [groups / group, DEFAULTS]


LARGEST_TEXT = 1_000_000  # characters or items a template may build with * ; a whole report is far smaller
LARGEST_POWER = 10**12


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, also refusing huge products and powers (and so never folding them at compile time)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        sized = [(v, n) for v, n in ((left, right), (right, left)) if isinstance(v, (str, list, tuple))]
        if operator == "*" and sized and isinstance(sized[0][1], int) and len(sized[0][0]) * sized[0][1] > LARGEST_TEXT:
            raise jinja2.exceptions.SecurityError(f"重复生成的文字或列表超过 {LARGEST_TEXT} 项")
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)) and (
                abs(right) > 64 or abs(left) ** min(abs(right), 64) > LARGEST_POWER):
            raise jinja2.exceptions.SecurityError("乘方结果过大")
        return super().call_binop(context, operator, left, right)


def environment(search: list[Path], unit: m.Unit) -> SandboxedEnvironment:
    """Strict, sandboxed Jinja: a unit's own folder first, then the defaults, and 'default/…' always the defaults.

    The immutable sandbox refuses Python internals (__class__, __globals__ …) and changes to the data;
    FileSystemLoader refuses absolute paths and '..', so no file outside the template folders is read."""
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(p) for p in search]),
        jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(DEFAULTS))}),
    ])
    env = ReportSandbox(loader=loader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                        trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters.update(filters(unit))
    return env


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
            raise TemplateError(f"unit.yaml {key}：{_refusal(exc)}；可引用的数：" + "、".join(quoted)) from None

    text = {key: ({k: fill(v, f"正文.{key}.{k}") for k, v in value.items()} if isinstance(value, dict)
                  else fill(value, f"正文.{key}")) for key, value in unit.text.items()}
    issues = [issue.model_copy(update={"detail": fill(issue.detail, f"问题清单[{i}].说明"),
                                       "cause": fill(issue.cause, f"问题清单[{i}].未达标原因")})
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
        return f"{row.comparator}{row.target or ''}{row.unit}"
    return row.target or ""


def render_markdown(env: SandboxedEnvironment, name: str, data: dict[str, Any]) -> str:
    try:
        text = env.get_template(name).render(data)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{nth_line(exc.lineno)}：模板语法错误：{exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_where(exc)}：{_refusal(exc)}；可用的名称：" + "、".join(sorted(data))) from None
    except Exception as exc:
        where = _where(exc, None)
        if where is None and not isinstance(exc, (jinja2.TemplateError, OverflowError)):
            raise  # not raised while running a template: a fault of the program, not of the template
        cause = None if isinstance(exc, jinja2.TemplateError) else exc  # keep a Python error's cause for debugging
        raise TemplateError(f"{where or '模板'}：{_refusal(exc)}") from cause
    try:
        return tidy(number_headings(text))
    except UnknownReference as exc:
        raise TemplateError(f"{name}：{exc}") from None


def _where(exc: BaseException, default: str | None = "模板") -> str | None:
    """The template file and line a Jinja runtime error came from, read off its traceback."""
    tb, found = exc.__traceback__, default
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            line = template.get_corresponding_lineno(tb.tb_lineno) if template else tb.tb_lineno
            found = f"{Path(code.co_filename).name}:{nth_line(line)}"
        tb = tb.tb_next
    return found


def _refusal(exc: BaseException) -> str:
    """What a template tried and the sandbox refused (or what failed), said in Chinese."""
    import re

    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        return (f"找不到模板“{exc.name}”：模板只能按相对路径引用单位、模板组和默认模板文件夹中的模板，"
                "不允许用“..”或绝对路径读取其他文件")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        found = re.fullmatch(r"access to attribute '(.*)' of '(.*)' object is unsafe\.", message)
        if found is None:
            return f"沙箱拒绝了不安全的操作（{message}）"
        attribute, kind = found.groups()
        what = "Python 内部属性" if attribute.startswith("_") else "会修改数据的方法"
        return f"沙箱拒绝访问 {kind.rsplit('.', 1)[-1]} 对象的“{attribute}”（模板不能使用 {what}）"
    if isinstance(exc, jinja2.UndefinedError):
        if found := re.fullmatch(r"'(.*)' is undefined", message):
            return f"模板使用了未定义的名称“{found.group(1)}”"
        if found := re.fullmatch(r"'(.*) object' has no (?:attribute|element) '?(.*?)'?", message):
            return f"模板引用了不存在的项：{found.group(1).rsplit('.', 1)[-1]} 对象没有“{found.group(2)}”"
        return f"模板使用了未定义的名称（{message}）"
    if isinstance(exc, OverflowError) and "MAX_RANGE" in message:
        return f"range() 的范围过大，沙箱最多允许 {jinja2.sandbox.MAX_RANGE} 项"
    if isinstance(exc, RecursionError):
        return "模板递归过深（宏或 include 在反复调用自身）"
    return f"模板出错：{type(exc).__name__}：{message}"


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
