"""Golden files: each example unit's report.md, checks.md and scores.json, compared byte for byte.

After a reviewed change to the output, `make golden` rewrites them; the diff is then part of the commit.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
FILES = ("report.md", "checks.md", "scores.json")


@pytest.mark.parametrize("dept", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
@pytest.mark.parametrize("name", FILES)
def test_output_matches_golden(built: dict, request: pytest.FixtureRequest, dept: str, name: str) -> None:
    produced = (built[dept][1] / name).read_bytes()
    expected = GOLDEN / dept / name
    if request.config.getoption("--update-golden"):
        expected.write_bytes(produced)
        return
    if produced != expected.read_bytes():
        diff = difflib.unified_diff(expected.read_text(encoding="utf-8").splitlines(), produced.decode("utf-8").splitlines(),
                                    f"tests/golden/{dept}/{name}", f"output/{dept}/{name}", lineterm="", n=2)
        pytest.fail(f"{dept}/{name} differs from tests/golden/: review it, then make golden\n" + "\n".join(list(diff)[:80]),
                    pytrace=False)
