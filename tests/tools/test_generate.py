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
