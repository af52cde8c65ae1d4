"""One run, read as a table of contents: load → validate → compute → score → render → write."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .errors import Problem, raise_if
from .figures.cautions import cautions
from .figures.catalogue import catalogue
from .figures.checks import Check, checks
from .figures.compute import Figures, compute
from .figures.recheck import Finding, recheck
from .figures.score import Scores, score
from .figures.typed import typed_figures
from .inputs.load import load, resolve, unit_dir
from .inputs.models import Inputs
from .inputs.validate import validate
from .report.render import DEFAULT_FORMATS, Rendered, render
from .write import write


@dataclass(frozen=True)
class Result:
    inputs: Inputs
    figures: Figures
    scores: Scores
    checks: list[Check]  # figures the unit typed that differ from the computed ones
    findings: list[Finding]  # what a bureau's re-check would raise
    warnings: list[Problem]
    rendered: Rendered | None = None


def evaluate(root: Path, dept: str, year: int, strict: bool) -> Result:
    inputs = validate(load(root, dept, year))
    figures = compute(inputs)
    errors, warnings = cautions(inputs, figures)
    raise_if(errors + ([replace(w, message="（严格模式，警告按错误处理）" + w.message) for w in warnings] if strict else []))
    scores = score(inputs, figures)
    findings = recheck(inputs, figures, scores) + typed_figures(inputs, catalogue(inputs, figures, scores))
    return Result(inputs, figures, scores, checks(inputs, figures, scores), findings, warnings)


def _render(root: Path, dept: str, year: int, result: Result, formats: tuple[str, ...], charts: bool) -> Result:
    return replace(result, rendered=render(result.inputs, result.figures, result.scores, result.checks, result.findings,
                                           unit_dir(root, dept, year), formats, charts))


def build(root: Path, dept: str, year: int | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS,
          charts: bool = True, strict: bool = False) -> tuple[Result, list[Path]]:
    """Everything is read, checked, computed, scored and rendered in memory before the first byte is written."""
    year = resolve(root, dept, year)
    result = _render(root, dept, year, evaluate(root, dept, year, strict), formats, charts)
    written = write(result.rendered.files, root / "output" / dept / str(year))
    return result, written


def check(root: Path, dept: str, year: int | None = None, strict: bool = False) -> Result:
    """Everything `report` does but writing: read, validate, compute, score, and render the text and form in memory."""
    year = resolve(root, dept, year)
    return _render(root, dept, year, evaluate(root, dept, year, strict), ("md",), charts=False)
