"""Every kind of problem, finding and difference has one short code: unique, listed in docs/reference.md, and never
changed once published (checks.json is filtered by it). A new code is added to PUBLISHED; none is removed or renamed."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from pipeline import codes
from pipeline.inputs import review_rules
from tests.conftest import ROOT

PUBLISHED = {
    "invalid-input", "missing-score-input", "unread-text-key", "last-year-unreadable", "empty-table",
    "rounding-difference", "zero-budget-spent", "budget-overrun", "funds-spent-over-received",
    "budget-adjustment-unexplained",
    "declared-total-differs", "budget-line-parts-differ", "spending-parts-differ",
    "published-total-differs", "published-grade-differs", "published-block-differs", "published-item-differs",
    "published-item-ambiguous", "published-score-rate-differs", "published-rate-differs", "manual-score-off-standard",
    "self-score-differs", "quote-mismatch", "change-rate-mismatch",
    # each kind of input problem
    "missing-file", "file-refused", "unknown-unit", "unknown-year", "bad-encoding", "bad-yaml", "bad-csv",
    "bad-workbook", "bad-cell", "over-limit", "filled-twice", "missing-key", "missing-column", "missing-value",
    "unknown-key", "unknown-column", "bad-number", "bad-date", "bad-choice", "bad-format", "out-of-range",
    "wrong-count", "duplicate-row", "duplicate-column", "unknown-indicator", "ambiguous-indicator",
    "missing-indicator", "weights-differ", "bad-rule", "bad-formula", "bad-framework", "framework-mismatch",
    "year-mismatch",
    # the review rules'
    "score-out-of-range", "published-parts-differ", "grade-total-mismatch", "funds-received-unexplained",
    "target-missing", "percent-target-over-100", "cost-written-at-least", "satisfaction-no-survey",
    "far-above-target-unexplained", "low-without-measures", "deadline-after-period", "pacing-implausible",
    "pacing-year-end-differs", "form-field-empty", "narrative-carried-over", "sample-figures", "deduction-unexplained",
    "indicators-incomplete", "no-problems-but-points-lost", "execution-below-90-unexplained",
    "points-lost-without-measures",
}


def every_code() -> list[str]:
    constants = [value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)]
    return constants + [rule.code for rules in review_rules.SETS.values() for rule in rules]


def test_each_kind_has_one_code_and_each_code_one_kind():
    constants = [value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)]
    assert len(constants) == len(set(constants)) == len(codes.CODES)
    assert set(constants) == set(codes.CODES)
    by_code: dict[str, set[str]] = {}
    for rules in review_rules.SETS.values():
        for rule in rules:
            by_code.setdefault(rule.code, set()).add(rule.name)
    assert all(len(names) == 1 for names in by_code.values()), by_code
    by_name = {rule.name: rule.code for rules in review_rules.SETS.values() for rule in rules}
    assert len(set(by_name.values())) == len(by_name)  # a rule in two sets keeps its one code
    assert not set(by_code) & set(codes.CODES)


def test_codes_are_short_lowercase_words():
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code) and len(code) <= 32 for code in every_code())


def test_no_published_code_is_removed_or_renamed():
    assert set(every_code()) == PUBLISHED, "a published code changed: add new codes, never rename one"


def test_every_code_is_documented():
    reference = (Path(ROOT) / "docs/reference.md").read_text(encoding="utf-8")
    assert [code for code in set(every_code()) if f"`{code}`" not in reference] == []


def used_codes() -> dict[str, set[str]]:
    """Each name of pipeline/codes.py the package reads outside codes.py (imported by name, or as an attribute of the
    module imported whole: k.NAME), with the files that read it."""
    used: dict[str, set[str]] = {}
    for path in (Path(ROOT) / "pipeline").rglob("*.py"):
        if path.name == "codes.py" and path.parent.name == "pipeline":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names, aliases = [], set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "codes":
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                aliases |= {alias.asname or alias.name for alias in node.names if alias.name == "codes"}
        names += [node.attr for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases]
        for name in names:
            used.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return used


def test_every_code_is_used_and_every_used_code_defined():
    constants = {name for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)}
    used = set(used_codes()) - {"CODES"}
    assert constants - used == set(), "a code no problem, finding or difference carries"
    assert used - constants == set(), "a code read from pipeline/codes.py that it does not define"
