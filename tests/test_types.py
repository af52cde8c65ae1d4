"""The stages that read a unit's files (inputs, rules) and the modules at the top of the package pass mypy with the
pydantic plugin (configured in pyproject.toml): a type error there is a defect before it is a crash."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # mypy reads the whole package (about a minute)
pytest.importorskip("mypy", reason="mypy comes with the lint extra (pip install -e .[lint])")

CLEAN = ("pipeline/inputs/", "pipeline/rules/")


def clean(path: str) -> bool:
    """Whether mypy's verdict on this file is held here: the folders above and the package's own modules."""
    return path.startswith(CLEAN) or (path.startswith("pipeline/") and path.count("/") == 1)


def test_inputs_rules_and_top_modules_are_type_clean():
    run = subprocess.run([sys.executable, "-m", "mypy", "pipeline"], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    assert "Success:" in run.stdout or "Found " in run.stdout, run.stdout + run.stderr  # mypy ran to its verdict
    errors = [line for line in run.stdout.splitlines() if ": error:" in line and clean(line.split(":", 1)[0])]
    assert errors == [], "\n".join(errors)
