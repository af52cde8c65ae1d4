"""What a unit's year comes to once read, checked, computed, scored and re-checked: the one value every output is
made from (the report, its context, the form, the bureau's summary row). run.evaluate() makes it, once a run."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import Problem
from .figures.catalogue import Quotable
from .figures.compute import BudgetLine, Figures
from .figures.score import Scores
from .figures.yoy import Change, YearChanges
from .findings.checks import Check
from .findings.recheck import Finding
from .inputs.models import Inputs


@dataclass(frozen=True)
class Evaluation:
    dept: str  # the unit's folder under inputs/ (its year is inputs.unit.year)
    inputs: Inputs
    figures: Figures
    scores: Scores
    checks: list[Check]  # figures the unit typed that differ from the computed ones
    findings: list[Finding]  # what a bureau's re-check would raise
    warnings: list[Problem]
    quoted: dict[str, Quotable]  # every figure the text may quote, with last year's and the changes when known
    compared: dict[str, Change]  # 同比 of every figure both years have
    last_framework: str | None = None  # last year's framework version, when it differs from this year's
    last_budget: tuple[BudgetLine, ...] = ()  # last year's budget lines, for the execution chart
    since: YearChanges = YearChanges()  # indicators renamed, units added and removed since last year

    @property
    def year(self) -> int:
        return self.inputs.unit.year
