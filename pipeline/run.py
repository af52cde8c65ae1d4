"""One run, read as a table of contents: load → validate → compute → score → render → write."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .codes import LAST_YEAR_UNREADABLE
from .deadline import run_budget, stage
from .errors import InputError, Location, OverLimit, PipelineError, Problem, raise_if
from .evaluation import Evaluation
from .figures.catalogue import catalogue
from .figures.compute import compute
from .figures.score import score_framework
from .figures.yoy import (
    YearChanges,
    changes,
    framework_version,
    from_entered,
    renamed_figures,
    renames,
    unit_changes,
    unknown_entered,
    unmatched_scores,
    with_previous,
)
from .findings.cautions import cautions, empty_tables
from .findings.checks import checks
from .findings.recheck import recheck
from .findings.typed import typed_figures
from .inputs.load import RawInputs, load, resolve, unit_dir, unit_years
from .inputs.models import Inputs
from .inputs.validate import checked
from .inputs.workbook import in_excel_terms
from .report.formats import DEFAULT_FORMATS
from .report.render import Rendered, render
from .write import write


@dataclass(frozen=True)
class Result(Evaluation):
    """An evaluation with every file of the run made from it, in memory."""

    rendered: Rendered = field(kw_only=True)


def evaluate(root: Path, dept: str, year: int, strict: bool, compare: bool = True, draft: bool = False) -> Evaluation:
    """draft (a check): rows not yet filled score 0 with a warning; a report refuses them."""
    raw = load(root, dept, year)
    try:
        result = _evaluate(root, dept, year, strict, compare, raw, draft)
    except InputError as error:  # a problem in a workbook's sheet is told by its sheet, row and column letter
        raise InputError(in_excel_terms(error.problems, raw.tables, raw.unit.path, raw.cells)) from None
    # what a workbook holds is located in it: its sheet, row and cell, not the unit.yaml or CSV it is read into
    def placed(items: list) -> list:
        return in_excel_terms(items, raw.tables, raw.unit.path, raw.cells)
    return replace(result, warnings=placed(result.warnings), findings=placed(result.findings), checks=placed(result.checks))


def _evaluate(root: Path, dept: str, year: int, strict: bool, compare: bool, raw: RawInputs,
              draft: bool) -> Evaluation:
    inputs, problems = checked(raw)
    if problems or inputs is None:  # no inputs comes with the problems that say why
        raise InputError(problems + scoring_problems(inputs, problems, draft))
    figures = compute(inputs)
    errors, warnings = cautions(inputs, figures)
    errors += [replace(w, message="（严格模式，警告按错误处理）" + w.message) for w in warnings] if strict else []
    errors += empty_tables(inputs)
    try:
        scores = score_framework(inputs, figures, draft)
    except InputError as error:  # told together with what scoring lacks, all at once
        raise InputError(errors + error.problems) from None
    raise_if(errors + (list(scores.unfilled) if strict else []))
    warnings += scores.unfilled
    quoted = catalogue(inputs, figures, scores)
    raise_if(unknown_entered(inputs.unit.last_year, quoted, f"inputs/{dept}/{year}/unit.yaml"))
    previous = last_year(root, dept, year, warnings) if compare else None
    separators, places = inputs.unit.money_separators, inputs.unit.money_places
    last = previous.quoted if previous else from_entered(inputs.unit.last_year, quoted, separators, places)
    # last year under another version of the framework: indicators matched by 编号, the rest not compared
    reframed = previous if previous and framework_version(previous.inputs.framework) != framework_version(inputs.framework) \
        else None
    renamed = renames(scores, reframed.scores, inputs.framework, reframed.inputs.framework) if reframed else ()
    if reframed:
        unmatched = unmatched_scores(scores, reframed.scores)
        last = renamed_figures({name: q for name, q in last.items() if name not in unmatched}, renamed)
    units = unit_changes(figures.budget, previous.figures.budget) if previous else ((), ())
    compared, quoted = changes(quoted, last, separators, places), with_previous(quoted, last, separators, places)
    with stage("核对叙述中的数字"):
        findings = recheck(inputs, figures, scores, previous.inputs.unit.text if previous else None) \
            + typed_figures(inputs, quoted)
    return Evaluation(dept, inputs, figures, scores, checks(inputs, figures, scores), findings, warnings, quoted, compared,
                      framework_version(reframed.inputs.framework) if reframed else None,
                      previous.figures.budget if previous else (), YearChanges(renamed, *units))



# framework problems a tree can still be scored with: sums that do not add up, grade floors
SCORABLE = ("权重合计", "等级下限", "最低一档等级")


def scoring_problems(inputs: Inputs | None, told: list[Problem], draft: bool = False) -> list[Problem]:
    """What scoring finds in indicators.csv (a target that is no number, a missing 实际值), so that a broken
    budget.csv, or a framework whose weights or grades do not add up, does not hide it. Not tried when indicators.csv
    itself or the framework's tree and rules are broken (there is nothing sound to score by); problems outside
    indicators.csv are left out (the rows left out of other tables could cause them)."""
    if inputs is None or not inputs.tree:
        return []
    facts, framework = inputs.files.get("facts"), inputs.files.get("framework")
    if any(p.where.file == facts or p.where.file == framework and not any(w in p.message for w in SCORABLE) for p in told):
        return []
    try:
        score_framework(inputs, compute(inputs), draft)
    except InputError as error:
        shown = set(map(str, told))
        return [p for p in error.problems if p.where.file == inputs.files.get("facts") and str(p) not in shown]
    return []


def last_year(root: Path, dept: str, year: int, warnings: list[Problem]) -> Evaluation | None:
    """Last year's folder scored as it stands, for 同比; a broken one is said and left out, never fatal."""
    if year - 1 not in unit_years(root, dept):
        return None
    try:
        with stage("读取上年数据"):
            return evaluate(root, dept, year - 1, strict=False, compare=False)
    except OverLimit:
        raise
    except PipelineError as error:
        first = error.problems[0] if isinstance(error, InputError) and error.problems else error
        warnings.append(Problem(Location(f"inputs/{dept}/{year - 1}/"), f"上年数据有误，报告不作同比：{first}",
                                code=LAST_YEAR_UNREADABLE))
        return None


def render_files(root: Path, evaluation: Evaluation, formats: tuple[str, ...], charts: bool,
                 form: bool = True) -> Result:
    made = render(evaluation, unit_dir(root, evaluation.dept, evaluation.year), formats, charts, fill=form)
    return Result(**vars(evaluation), rendered=made)


def build(root: Path, dept: str, year: int | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS,
          charts: bool = True, strict: bool = False, seconds: float | None = None) -> tuple[Result, list[Path]]:
    """Everything is read, checked, computed, scored and rendered in memory before the first byte is written."""
    result = prepare(root, dept, year, formats, charts, strict, seconds)
    return result, publish(root, result)


def prepare(root: Path, dept: str, year: int | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS,
            charts: bool = True, strict: bool = False, seconds: float | None = None, form: bool = True) -> Result:
    """build() without the writing: every file of the run in memory, within the run's time budget (the 自评表 left
    out when not `form`)."""
    year = resolve(root, dept, year)
    with run_budget(f"单位 {dept} {year}年度", seconds):
        return render_files(root, evaluate(root, dept, year, strict), formats, charts, form)


def publish(root: Path, result: Result) -> list[Path]:
    """The one writer of a unit's output (make report, make all, the cluster, the web app): the run's files become
    the whole of output/<unit>/<year>/ in one step, or the old output stays."""
    return write(result.rendered.files, output_dir(root, result.dept, result.year))


def output_dir(root: Path, dept: str, year: int) -> Path:
    return root / "output" / dept / str(year)


def check(root: Path, dept: str, year: int | None = None, strict: bool = False, seconds: float | None = None,
          draft: bool = True) -> Result:
    """Everything `report` does but writing: read, validate, compute, score, and render the text and form in memory;
    draft: what is not filled yet counts 0 with a warning (a report, or draft=False, refuses it)."""
    year = resolve(root, dept, year)
    with run_budget(f"单位 {dept} {year}年度", seconds):
        return render_files(root, evaluate(root, dept, year, strict, draft=draft), ("md",), charts=False)
