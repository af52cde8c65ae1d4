"""One run, read as a table of contents: load → validate → compute → score → render → write."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import Check, checks
from .compute import Figures, compute
from .errors import InputError, Problem
from .load import available_units, load, unit_dir
from .models import Inputs
from .publish import DEFAULT_FORMATS, Rendered, publish
from .score import Scores, score
from .validate import validate
from .write import write


@dataclass(frozen=True)
class Result:
    inputs: Inputs
    figures: Figures
    scores: Scores
    checks: list[Check]
    rendered: Rendered | None


def resolve(root: Path, dept: str, year: int | None) -> int:
    """Check DEPT and YEAR against what exists under inputs/, so no other path is ever read or written."""
    units = available_units(root)
    if dept not in units:
        listing = "、".join(f"{name}（{'/'.join(map(str, years))}）" for name, years in units.items()) or "无"
        raise InputError([Problem("inputs/", "", "DEPT", "没有这个单位", dept, f"现有单位：{listing}")])
    if year is None:
        return units[dept][-1]
    if year not in units[dept]:
        raise InputError([Problem(f"inputs/{dept}/", "", "YEAR", "没有这一年度的数据", str(year),
                                  "现有年度：" + "、".join(map(str, units[dept])))])
    return year


def evaluate(root: Path, dept: str, year: int) -> tuple[Inputs, Figures, Scores, list[Check]]:
    inputs = validate(load(root, dept, year))
    figures = compute(inputs)
    scores = score(inputs, figures)
    return inputs, figures, scores, checks(inputs, figures, scores)


def build(root: Path, dept: str, year: int | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS,
          charts: bool = True) -> tuple[Result, list[Path]]:
    year = resolve(root, dept, year)
    inputs, figures, scores, found = evaluate(root, dept, year)
    rendered = publish(inputs, figures, scores, found, unit_dir(root, dept, year), formats, charts)
    written = write(rendered.files, root / "output" / dept / str(year))
    return Result(inputs, figures, scores, found, rendered), written


def check(root: Path, dept: str, year: int | None = None) -> Result:
    """Everything but writing: the input is read, validated, computed and scored."""
    year = resolve(root, dept, year)
    inputs, figures, scores, found = evaluate(root, dept, year)
    return Result(inputs, figures, scores, found, None)
