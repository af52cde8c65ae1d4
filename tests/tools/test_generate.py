"""The generator makes units that build, each with its own name and figures, from every example."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from pipeline.batch import build_all
from pipeline.inputs.load import available_units
from pipeline.tools.generate import generate

ROOT = Path(__file__).resolve().parents[2]


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
