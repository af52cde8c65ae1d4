"""Every file of a run, built in memory: the report in each requested format, the form, the audit and check files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..figures.audit import audit_json
from ..figures.catalogue import Quotable
from ..figures.checks import Check, checks_json
from ..figures.recheck import Finding
from ..figures.compute import BudgetLine, Figures
from ..figures.score import Scores
from ..figures.yoy import Change
from ..inputs import models as m
from ..inputs.kinds import KINDS
from .context import context
from .form import fill_form, form_context
from .html import markdown_to_html
from .jinja import DEFAULTS, environment, render_markdown, template_dirs
from .markdown_text import for_readers
from .pdf import docx_to_pdf
from .word.convert import markdown_to_docx

FORMATS = ("md", "docx", "html", "pdf")
DEFAULT_FORMATS = ("md", "docx")


@dataclass(frozen=True)
class Rendered:
    markdown: str  # as pandoc reads it (captions in "Table:" form)
    files: dict[str, bytes]  # output file name → content


def first_file(search: list[Path], name: str) -> Path | None:
    """A unit's own file (styles, form, stylesheet) first, then the default one."""
    return next((folder / name for folder in search if (folder / name).is_file()), None)


def chart_files(figures: Figures, scores: Scores, year: int, last_budget: tuple[BudgetLine, ...] = ()) -> dict[str, bytes]:
    """The score chart, and the execution chart with last year's rates beside this year's when last year is known."""
    from .charts import budget_execution_chart, score_chart

    files = {"chart-scores.png": score_chart(list(scores.blocks))}
    if figures.budget:
        last = {line.name: line.rate for line in last_budget} if last_budget else None
        files["chart-budget.png"] = budget_execution_chart(list(figures.budget), last, (year, year - 1))
    return files


def render(inputs: m.Inputs, figures: Figures, scores: Scores, found: list[Check], findings: list[Finding],
           unit_folder: Path | None, formats: tuple[str, ...] = DEFAULT_FORMATS, charts: bool = True, *,
           quoted: dict[str, Quotable] | None = None, compared: dict[str, Change] | None = None,
           last_framework: str | None = None, last_budget: tuple[BudgetLine, ...] = ()) -> Rendered:
    search = template_dirs(unit_folder, inputs.unit.template_group)
    env = environment(search, inputs.unit)
    charts = charts and inputs.unit.charts
    data = context(env, inputs, figures, scores, charts, quoted=quoted, compared=compared, last_framework=last_framework,
                   last_year_chart=bool(last_budget))
    markdown = render_markdown(env, KINDS[inputs.unit.kind].template, data)
    images = chart_files(figures, scores, inputs.unit.year, last_budget) if charts else {}
    files: dict[str, bytes] = {
        "scores.json": audit_json(inputs, figures, scores).encode("utf-8"),
        "checks.md": render_markdown(env, "common/checks.md.j2", {"unit": inputs.unit, "checks": found,
                                                                    "findings": findings}).encode("utf-8"),
        "checks.json": checks_json(inputs.unit, found, findings).encode("utf-8"),
    }
    if "md" in formats:
        files["report.md"] = for_readers(markdown).encode("utf-8")
        files.update(images)
    if "docx" in formats or "pdf" in formats:
        docx = markdown_to_docx(markdown, first_file(search, "reference.docx"), resources=images)
        if "docx" in formats:
            files["report.docx"] = docx
        if "pdf" in formats:
            files["report.pdf"] = docx_to_pdf(docx)
    if "html" in formats:
        css = (first_file(search, "report.css") or DEFAULTS / "common" / "report.css").read_text(encoding="utf-8")
        files["report.html"] = markdown_to_html(markdown, css, images)
    form = first_file(search, KINDS[inputs.unit.kind].form)
    if form is not None:
        files["自评表.docx"] = fill_form(form, form_context(inputs, figures, scores, data["text"]), inputs.unit)
    return Rendered(markdown, files)
