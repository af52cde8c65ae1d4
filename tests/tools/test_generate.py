"""The generator makes units that build, each with its own name and figures, from every example."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.batch import build_all
from pipeline.inputs.load import available_units
from pipeline.run import build
from tools.generate import generate, many_leaves

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_generated_units_build_with_names_and_figures_of_their_own(tmp_path):
    made = generate(ROOT, tmp_path, 9, seed=7)
    assert sorted(made) == sorted(available_units(tmp_path))
    assert {code.split("-", 1)[1] for code in made} == {"huadu", "lianjiang", "shaoguan", "example-cdc"}
    outcomes = build_all(tmp_path, made, charts=False, jobs=2, progress=False)
    assert [o.error for o in outcomes if o.row is None] == []
    rows = [o.row for o in outcomes]
    assert len({row.name for row in rows}) == len(rows)  # each its own made-up county
    assert not any(name in row.name for row in rows for name in ("花都", "廉江", "韶关", "示例区"))
    huadus = [row for row in rows if row.dept.endswith("-huadu")]
    assert len({row.rate for row in huadus}) == len(huadus)  # execution varied unit by unit
    # amounts are whole multiples of the example's, so that each sub-unit's 决算数 ≤ its 全年预算数 still holds
    for code in made:
        budget = next(tmp_path.glob(f"inputs/{code}/*/budget.csv"), None)
        for row in csv.DictReader(budget.open(encoding="utf-8")) if budget else []:
            assert Decimal(row["决算数"]) <= Decimal(row["全年预算数"])


def test_the_same_seed_gives_the_same_units(tmp_path):
    generate(ROOT, tmp_path / "a", 4, seed=3)
    generate(ROOT, tmp_path / "b", 4, seed=3)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_a_framework_of_many_leaves_scores_as_computed_by_hand(tmp_path):
    """20 leaves of 5 points (4 一级 × 5 二级 × 1), leaf (a, b, 1) completed at 100 − (a·b mod 9) %:
    the shortfalls a·b mod 9 are 1 2 3 4 5 | 2 4 6 8 1 | 3 6 0 3 6 | 4 8 3 7 2, 78 in all;
    each point short costs 5 × 1 % = 0.05, so 100 − 78 × 0.05 = 96.10."""
    result, _ = build(tmp_path, many_leaves(ROOT, tmp_path, 20), formats=("md",), charts=False)
    assert len(list(result.scores.leaves())) == 20
    assert result.scores.total == Decimal("96.10") and result.scores.grade == "优"


@pytest.mark.parametrize("leaves", [30, 60, 0, -20])  # not 20 × k; 5 / 3 points does not divide; none
def test_many_leaves_wants_leaves_that_share_the_points_exactly(tmp_path, leaves):
    with pytest.raises(ValueError, match="20 的倍数"):
        many_leaves(ROOT, tmp_path, leaves)


@pytest.mark.slow
def test_a_framework_of_2000_leaves_reports_and_a_unit_template_may_list_its_branches(tmp_path):
    """2,000 leaves (4 × 5 × 100) of 0.05 points, leaf (a, b, c) completed at 100 − (a·b·c mod 9) %: a missed leaf
    scores 0.05 × (91…99 %) = 0.0455…0.0495, 0.05 to the cent, but a missed target never scores full points: 0.04,
    one cent lost for each leaf whose a·b·c is not a multiple of 9. Listing a 一级's branches (each holding its 100
    leaves) is no new text: allowed."""
    code = many_leaves(ROOT, tmp_path, 2000)
    missed = sum(1 for a in range(1, 5) for b in range(1, 6) for c in range(1, 101) if a * b * c % 9)
    expected = Decimal(100) - Decimal("0.01") * missed
    own = next(tmp_path.glob(f"inputs/{code}/*")) / "templates" / "department"
    own.mkdir(parents=True)
    (own / "report.md.j2").write_text(
        '{% extends "default/department/report.md.j2" %}\n{% block problems %}\n\n'
        '{% for b in scores.blocks %}{{ b.name }}：{{ b.children | selectattr("children") | list | length }}个二级指标，'
        '{{ b.leaves | list | length }}项末级指标。{% endfor %}\n{% endblock %}\n', encoding="utf-8")
    result, _ = build(tmp_path, code, formats=("md",), charts=False)
    assert len(list(result.scores.leaves())) == 2000 and result.scores.total == expected
    report = result.rendered.files["report.md"].decode("utf-8")
    assert "一级指标4：5个二级指标，500项末级指标。" in report and "第100项任务完成率" in report
