"""One run, read as a table of contents: load → validate → compute → score → render → write."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .errors import Problem, raise_if
from .figures.cautions import cautions
from .figures.checks import Check, checks
from .figures.compute import Figures, compute
from .figures.score import Scores, score
from .inputs.load import load, resolve, unit_dir
from .inputs.models import Inputs
from .inputs.validate import validate
from .report.render import DEFAULT_FORMATS, Rendered, publish
from .write import write


@dataclass(frozen=True)
class Result:
    inputs: Inputs
    figures: Figures
    scores: Scores
    checks: list[Check]
    warnings: list[Problem]
    rendered: Rendered | None


def evaluate(root: Path, dept: str, year: int, strict: bool) -> tuple[Inputs, Figures, Scores, list[Check], list[Problem]]:
    inputs = validate(load(root, dept, year))
    figures = compute(inputs)
    errors, warnings = cautions(inputs, figures)
    raise_if(errors + ([replace(w, message="（严格模式，警告按错误处理）" + w.message) for w in warnings] if strict else []))
    scores = score(inputs, figures)
    return inputs, figures, scores, checks(inputs, figures, scores), warnings


def build(root: Path, dept: str, year: int | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS,
          charts: bool = True, strict: bool = False) -> tuple[Result, list[Path]]:
    """Everything is read, checked, computed, scored and rendered in memory before the first byte is written."""
    year = resolve(root, dept, year)
    inputs, figures, scores, found, warnings = evaluate(root, dept, year, strict)
    rendered = publish(inputs, figures, scores, found, unit_dir(root, dept, year), formats, charts)
    written = write(rendered.files, root / "output" / dept / str(year))
    return Result(inputs, figures, scores, found, warnings, rendered), written


def check(root: Path, dept: str, year: int | None = None, strict: bool = False) -> Result:
    """Everything `report` does but writing: read, validate, compute, score, and render the text and form in memory."""
    year = resolve(root, dept, year)
    inputs, figures, scores, found, warnings = evaluate(root, dept, year, strict)
    rendered = publish(inputs, figures, scores, found, unit_dir(root, dept, year), ("md",), charts=False)
    return Result(inputs, figures, scores, found, warnings, rendered)
