"""The packages mypy (with the pydantic plugin, as `make types` runs it) finds no error in stay that way."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")
pytestmark = pytest.mark.slow  # mypy reads the whole package: about a minute

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ("pipeline/report/", "pipeline/figures/")  # add a package here once mypy is clean on it


def test_mypy_finds_no_error_in_the_clean_packages():
    done = subprocess.run([sys.executable, "-m", "mypy", "pipeline"], cwd=ROOT, capture_output=True, text=True)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line and line.startswith(CLEAN)]
    assert not errors, "\n".join(errors)
    assert "source file" in (done.stdout.splitlines() or [""])[-1], done.stdout + done.stderr  # mypy ran to its end
