"""Fill a Word form template (docxtpl) such as templates/project/自评表.docx: strict names, escaped text, merged cells."""
from __future__ import annotations

import functools
import html
import io
import re
from pathlib import Path
from typing import Any

import jinja2

from .. import numbers as n
from ..errors import TemplateError
from ..evaluation import Evaluation
from ..figures.catalogue import target_text
from ..figures.compute import FundLine, funds_by_nature
from ..figures.score import Scored, Scores
from ..inputs import models as m
from ..inputs.measures import execution_measures
from ..limits import MAX_REMEMBERED_FORM_TEXTS
from .filters import chinese_date, filters, functions
from .jinja import refusal
from .plain import plain
from .sandbox import ReportSandbox, sandbox
from .score_table import NOT_APPLICABLE, converted_text
from .template_files import shown, word_document
from .text_keys import FORM_TEXT_KEYS
from .word.finish import to_bytes
from .word.tables import paginate_form

EXECUTION_MEASURES = execution_measures()  # the measures of 决算数 over 全年预算数
UNFILLED = "（未填）"  # a required field the unit left blank, shown as such (checks name the key to fill), never as data


def _required(value: str) -> str:
    return value.strip() or UNFILLED


class FormSandbox(ReportSandbox):
    """The form's sandbox, compiling each distinct text of a form part once per process: the code depends on the text
    and on the settings below only, never on a unit's data, which reaches it at render time."""

    compiled: dict[tuple, Any] = {}

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001 (Jinja's own)
        if raw or name is not None or filename is not None or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)
        key = (source, defer_init, self.autoescape, frozenset(self.filters), frozenset(self.tests), type(self))
        code = self.compiled.get(key)
        if code is None:
            code = super().compile(source, name, filename, raw, defer_init)
            if len(self.compiled) >= MAX_REMEMBERED_FORM_TEXTS:
                self.compiled.clear()
            self.compiled[key] = code
        return code


@functools.cache
def _form_class() -> type:
    """docxtpl's template, remembering the XML it renders so an error can name the paragraph it came from (made on
    first use: docxtpl costs 0.1 s to import, paid only by a unit with a form)."""
    from docxtpl import DocxTemplate

    class Form(DocxTemplate):
        rendered = ""  # the XML of the part being rendered, for the paragraph an error names (_paragraph)

        def patch_xml(self, src_xml):
            return _patched(src_xml)

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            self.rendered = src_xml
            return super().render_xml_part(src_xml, part, context, jinja_env)

    return Form


@functools.lru_cache(maxsize=16)
def _patched(xml: str) -> str:
    """docxtpl's clean-up of a part's XML into Jinja text (regular expressions on the text alone), once per text."""
    from docxtpl import DocxTemplate
    return DocxTemplate.patch_xml(None, xml)


def _own_elements(document) -> None:
    """docxtpl parses the rendered body with a plain lxml parser: an element whose Python proxy outlives the render
    stays a plain element without python-docx's methods (document.tables failed now and then). Parsed again here."""
    from docx.oxml.parser import parse_xml
    from lxml import etree
    root = document.element
    root.replace(root.body, parse_xml(etree.tostring(root.body)))


def fill_form(template: Path, context: dict[str, Any], unit: m.Unit | None = None) -> bytes:
    """The filled form as .docx bytes, the same bytes for the same template and context.

    The form's tags run in the same sandbox, with the same budget, as the report's templates; a form cannot include,
    extend or import another template."""
    name = shown(template)
    form = _form_class()(io.BytesIO(word_document(template)))
    # autoescape: without it docxtpl drops text after '&' or '<'; strict: a missing name is an error
    env = sandbox(FormSandbox, autoescape=True, loader=jinja2.DictLoader({}))
    if unit is not None:  # the same money/percent/date filters and functions as the report's templates
        env.filters.update(filters(unit))
        env.globals.update({name: env.guarded(function) for name, function in functions().items()})
    env.guard_filters()
    try:
        form.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{name}{_paragraph(form, exc.lineno)}：表格模板语法错误：{exc.message}") from None
    except jinja2.TemplateNotFound:
        raise TemplateError(f"{name}：Word 表格模板不能引用其他模板（include、extends、import）") from None
    except Exception as exc:
        line = _template_line(exc)
        if line is None and not isinstance(exc, (jinja2.TemplateError, OverflowError)):
            raise  # not raised while running the form's tags: a fault of the program
        names = "；可用的名称：" + "、".join(sorted(context)) if isinstance(exc, jinja2.UndefinedError) else ""
        raise TemplateError(f"{name}{_paragraph(form, line)}：{refusal(exc)}{names}") from None
    document = form.docx  # rendered in place: saving and opening it again would give the same document, except
    _own_elements(document)
    for element in document.core_properties._element.iter():  # that an emptied property reads back as <x/>, not <x></x>
        if element.text == "":
            element.text = None
    paginate_form(document)  # docxtpl's {% vm %} would merge over the whole loop: runs merged page by page here
    return to_bytes(document)


def _template_line(exc: BaseException) -> int | None:
    """The line of the rendered XML a runtime error came from (the last template frame on its traceback)."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        scope = tb.tb_frame.f_globals
        if "__jinja_template__" in scope:
            line = scope["__jinja_template__"].get_corresponding_lineno(tb.tb_lineno)
        elif "__jinja_exception__" in scope:  # a frame Jinja rewrote to stand for the template's line
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _paragraph(form: Any, line: int | None) -> str:
    """“（含“…”的段落）”: the text of the paragraph of the form where the error is, as Word shows it."""
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", form.rendered).split("\n")  # as docxtpl's render_xml_part splits it
    if not line or line > len(lines):
        return ""
    text = html.unescape(re.sub(r"<[^>]+>", "", lines[line - 1])).strip()
    return f"（含“{text[:60]}”的段落）" if text else ""


FORM_LEVELS = 3  # the name columns of the national form (一级、二级、三级指标)


def form_names(names: list[str]) -> tuple[str, ...]:
    """A leaf's path in the form's three name columns: the top level, the levels between joined by “—” (产出—数量指标),
    the leaf; so every level shows in the national layout and the leaf keeps the column its target belongs to."""
    if len(names) <= FORM_LEVELS:
        return tuple(names) + ("",) * (FORM_LEVELS - len(names))
    return names[0], "—".join(names[1:-1]), names[-1]


def _execution_leaf(scores: Scores) -> Scored | None:
    """The leaf that scores budget execution: its weight and points go on the funds total row."""
    return next((leaf for leaf in scores.leaves() if leaf.outcome is not None
                 and leaf.outcome.shown.measure in EXECUTION_MEASURES), None)




def form_context(evaluation: Evaluation, text: dict[str, Any]) -> dict[str, Any]:
    """Everything the standard form shows, already formatted as text (plain data, as every template sees);
    `text` is the narrative with figures filled in."""
    inputs, figures, scores = evaluation.inputs, evaluation.figures, evaluation.scores
    unit, money = inputs.unit, (lambda v: n.money(v, inputs.unit.money_separators, inputs.unit.money_places))
    execution = _execution_leaf(scores)
    own_blocks = set(m.own_blocks(inputs.framework.indicators, inputs.tree))

    def funds_row(line: FundLine, label: str, scored: bool) -> dict[str, str]:
        return {"name": label, "initial": money(line.initial), "budget": money(line.budget), "actual": money(line.spent),
                "rate": n.percent(line.spent_rate),
                "weight": n.plain(execution.weight) if scored and execution else "",
                "points": n.score(execution.points) if scored and execution else ""}

    total = figures.funds_total or FundLine(m.FORM_FUNDS_TOTAL, *(n.Decimal(0),) * 4)
    funds = [funds_row(total, m.FORM_FUNDS_TOTAL, True)] + [
        funds_row(funds_by_nature(inputs.funds, nature), ("其中：" if i == 0 else "") + m.FORM_FUND_LABELS[nature], False)
        for i, nature in enumerate(m.NATURES)]
    indicators, others, depth = [], [], m.depth(inputs.tree)
    for path in scores.rows():
        block, leaf = path[0], path[-1]
        facts = inputs.facts.get(leaf.id)
        lost = leaf.outcome.reason if leaf.outcome else ""
        reason = (facts.shortfall if facts and facts.shortfall else lost) if leaf.lost > 0 else ""
        names = [node.name for node in path]
        row = {"weight": n.plain(leaf.weight), "points": n.score(leaf.points), "reason": reason,
               "levels": names + [""] * (depth - len(names))}
        if leaf.not_applicable:  # the published weight, no points: the total row says what the points are out of
            row.update(points=NOT_APPLICABLE, reason=f"{NOT_APPLICABLE}：{leaf.not_applicable}")
        if facts is not None and (block.id in own_blocks or facts.level1):
            level1, level2, name = ((facts.level1, facts.level2, leaf.name) if facts.level1 and len(path) <= FORM_LEVELS
                                    else form_names(names))
            indicators.append({**row, "level1": level1, "level2": level2, "name": name,
                               "target": target_text(facts), "actual": leaf.outcome.shown.stated if leaf.outcome else ""})
        elif leaf is not execution:
            level1, level2, name = (block.name, leaf.name, "") if len(path) < FORM_LEVELS else form_names(names)
            others.append({**row, "level1": level1, "level2": level2, "name": name})
    return plain({
        "project": {"name": _required(unit.project), "department": _required(unit.department),
                    "implementer": unit.implementer or unit.name, "leader": _required(unit.leader),
                    "phone": _required(unit.phone), "year": str(unit.year)},
        "funds": funds,
        "goals": {goal: text.get(key, "").strip() for goal, key in zip(("expected", "achieved"), FORM_TEXT_KEYS)},
        "indicators": indicators, "others": others,
        "total_weight": n.plain(scores.weight), "total": n.score(scores.total), "grade": scores.grade,
        "points": n.score(scores.scored), "total_label": "合计" if scores.dropped else "总分",
        "converted": (f"其中{NOT_APPLICABLE}指标{n.plain(scores.weight - scores.applicable)}分不计分；折算总分"
                      f"{n.score(scores.total)}分（{converted_text(scores)}）；") if scores.dropped else "",
        "signer": {"filler": unit.filler, "head": unit.head, "date": chinese_date(unit.filled_on)},
    })
