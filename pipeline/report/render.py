"""Every file of a run, built in memory: the report in each requested format, the form, the audit and check files."""
from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..deadline import stage, starts_children_cleanly
from ..errors import MachineError, TemplateError, raise_if
from ..evaluation import Evaluation
from ..figures.audit import audit_json
from ..figures.compute import BudgetLine, Figures
from ..figures.score import Scores
from ..findings.checks import checks_json
from ..inputs.kinds import KINDS
from .context import check_context, context
from .formats import DEFAULT_FORMATS
from .jinja import environment, render_markdown
from .markdown_ast import UnsafeMarkdown, Written, write_documents
from .markdown_text import for_readers
from .template_files import DEFAULTS, allowed_roots, first_file, read_text, shown, template_dirs, word_document
from .text_keys import FORM_TEXT_KEYS, template_reads, unread_keys
from .word.reference import reference_docx


@dataclass(frozen=True)
class Rendered:
    markdown: str  # as pandoc reads it (captions in "Table:" form)
    files: dict[str, bytes]  # output file name → content
    missing: tuple[str, ...] = ()  # files asked for that could not be made (the PDF), each with why


def chart_files(figures: Figures, scores: Scores, year: int, last_budget: tuple[BudgetLine, ...] = (), *,
                budget: bool = True, score: bool = True) -> dict[str, bytes]:
    """The charts the report shows (`budget`, `score`: context's choice): the score chart, and the execution chart
    with last year's rates beside this year's when last year is known."""
    from .charts import budget_execution_chart, score_chart

    files = {"chart-scores.png": score_chart(list(scores.blocks))} if score else {}
    if budget and figures.budget:
        last = {line.name: line.rate for line in last_budget} if last_budget else None
        files["chart-budget.png"] = budget_execution_chart(list(figures.budget), last, (year, year - 1))
    return files


def word_pass(markdown: str, reference: Path | None, images: dict[str, bytes], html: bool) -> Written:
    """pandoc's .docx (and the page when `html`), with a unit's own reference.docx checked first and blamed (not the
    program) if pandoc refuses it."""
    own = reference if reference is not None and not reference.is_relative_to(DEFAULTS) else None
    if own is not None:
        word_document(own)
    styles = reference or reference_docx()
    try:
        with imported_meanwhile(AFTER_PANDOC):  # pandoc only is waited for in the block: nothing else is imported
            return write_documents(markdown, images, html=html, reference=styles)
    except MachineError as exc:  # pandoc could not use the styles file
        if own is None:
            raise
        raise TemplateError(f"{shown(own)}：Word 样式文件无法使用（{str(exc).strip()[:200]}）；"
                            "可用 make styles 重新复制默认样式后再修改") from None


def render(evaluation: Evaluation, unit_folder: Path, formats: tuple[str, ...] = DEFAULT_FORMATS,
           charts: bool = True, fill: bool = True) -> Rendered:
    """fill: the 自评表 filled too (a preview of the report leaves it: its form takes longer than the page)."""
    inputs, figures, scores = evaluation.inputs, evaluation.figures, evaluation.scores
    search = template_dirs(unit_folder, inputs.unit.template_group)
    roots = allowed_roots(unit_folder, inputs.unit.template_group)
    env = environment(search, inputs.unit, roots)
    charts = charts and inputs.unit.charts
    form = first_file(search, KINDS[inputs.unit.kind].form, roots)
    with stage("模板"):
        raise_if(unread_keys(inputs, template_reads(env, KINDS[inputs.unit.kind].template), FORM_TEXT_KEYS if form else ()))
        data = context(env, evaluation, charts)
        markdown = render_markdown(env, KINDS[inputs.unit.kind].template, data)
        checks = render_markdown(env, "common/checks.md.j2", check_context(evaluation))
    filled = None
    if form and fill:
        with stage("自评表"):
            from .form import fill_form, form_context  # docxtpl and python-docx: only a unit with a form loads them
            filled = fill_form(form, form_context(evaluation, data["text"]), inputs.unit)
    stylesheet = first_file(search, "report.css", roots) or DEFAULTS / "common" / "report.css"
    css = ""
    if "html" in formats:
        from .html_safety import checked_stylesheet  # lxml: only when the page is asked for
        css = checked_stylesheet(read_text(stylesheet), shown(stylesheet))
    with stage("图表"):
        images = chart_files(figures, scores, inputs.unit.year, evaluation.last_budget, budget=data["budget_chart"],
                             score=data["score_chart"]) if charts else {}
    files: dict[str, bytes] = {
        "scores.json": audit_json(inputs, figures, scores).encode("utf-8"),
        "checks.md": checks.encode("utf-8"),
        "checks.json": checks_json(inputs.unit, evaluation.checks, evaluation.findings).encode("utf-8"),
    }
    try:
        files.update(documents(markdown, formats, first_file(search, "reference.docx", roots), css, images))
    except UnsafeMarkdown as exc:  # name the template that wrote it: the unit's own, its group's or the default
        template = first_file(search, KINDS[inputs.unit.kind].template, roots)
        raise UnsafeMarkdown(f"{shown(template) if template else KINDS[inputs.unit.kind].template}：{exc}") from None
    if filled is not None:
        from .word.inert import inert_docx
        files["自评表.docx"] = inert_docx(filled)
    if "pdf" in formats and "report.pdf" not in files:
        from .pdf import PDF_FAILED
        return Rendered(markdown, files, (PDF_FAILED,))
    return Rendered(markdown, files, ())


def documents(markdown: str, formats: tuple[str, ...], reference: Path | None, css: str,
              images: dict[str, bytes]) -> dict[str, bytes]:
    """The report in each requested format."""
    files: dict[str, bytes] = {}
    word = "docx" in formats or "pdf" in formats
    written = None
    if "md" in formats:
        files["report.md"] = for_readers(markdown).encode("utf-8")
        files.update(images)
    if word:
        # one pandoc process reads the Markdown once and writes Word, and the page when it is asked for too
        with stage("Word 转换（pandoc）"):
            written = word_pass(markdown, reference, dict(images), "html" in formats)
            # python-docx: only when Word is written (make check writes none), and after pandoc (imported_meanwhile)
            from .word.convert import markdown_to_docx
            from .word.inert import inert_docx
            docx = inert_docx(markdown_to_docx(markdown, reference, written=written))
        if "pdf" in formats:
            with stage("PDF 转换（LibreOffice）"):
                from .pdf import docx_and_pdf  # the converter and pdftotext: only when a PDF is asked for
                docx, pdf = docx_and_pdf(docx)
            if pdf is not None:
                files["report.pdf"] = pdf
        if "docx" in formats:
            files["report.docx"] = docx
    if "html" in formats:
        with stage("HTML 转换（pandoc）"):
            from .html import markdown_to_html  # lxml.html: only when the page is asked for
            files["report.html"] = markdown_to_html(markdown, css, images, written)
    return files


# what laying out the Word document imports after pandoc has written it: python-docx (0.05 s) and numpy for the
# column widths (0.1 s)
AFTER_PANDOC = ("pipeline.report.word.convert", "pipeline.report.word.inert", "numpy")


@contextmanager
def imported_meanwhile(modules: tuple[str, ...]) -> Iterator[None]:
    """The modules imported in a second thread while the block waits for pandoc: a new process's first report pays
    for them in time it spends waiting anyway. The thread has ended when the block has (no import left running); a
    process that has them starts none, nor one whose children run Python before they start (preexec_fn); an import
    that fails here fails again, with its message, where it is used."""
    wanted = [name for name in modules if name not in sys.modules] if starts_children_cleanly() else []
    thread = threading.Thread(target=_import_all, args=(wanted,), daemon=True) if wanted else None
    if thread is not None:
        thread.start()
    try:
        yield
    finally:
        if thread is not None:
            thread.join()


def _import_all(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 (the import is tried again where the module is used, and raises there)
            return
