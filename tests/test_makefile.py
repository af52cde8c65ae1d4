"""Every make variable reaches the program as data: $(shell …), $$(…) and backticks in any of them run nothing,
whether the value comes from the command line (a list argv, no shell) or from the environment."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # make runs every target with hostile values

ROOT = Path(__file__).resolve().parent.parent
VARIABLES = re.search(r"^VARIABLES := (.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1).split()
TARGETS = re.findall(r"^([a-z]+):.*## ", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)


def payloads(marker: Path) -> list[str]:
    return [f"$(shell touch {marker}-make)", f"$$(touch {marker}-dollar)", f"`touch {marker}-tick`",
            f"x'; touch {marker}-quote; '", f'x"; touch {marker}-dquote; "']


def test_the_makefile_lists_every_variable_it_reads():
    used = set(re.findall(r"\$\(([A-Z]+)\)|\$\$([A-Z]+)", (ROOT / "Makefile").read_text(encoding="utf-8")))
    read = {a or b for a, b in used} - {"PYTHON", "VENV", "BIN", "STAMP", "MAKEFILE_LIST", "VARIABLES"}
    assert read - {"YEAR_ARG", "STRICT_ARG", "OUT_ARGS"} <= set(VARIABLES)
    assert len(VARIABLES) >= 12


@pytest.mark.parametrize("source", ["argv", "environment"])
def test_no_variable_runs_anything(tmp_path, source):
    marker = tmp_path / "ran"
    for payload in payloads(marker):
        values = {name: payload for name in VARIABLES}
        argv = [f"{k}={v}" for k, v in values.items()] if source == "argv" else []
        env = {**os.environ, **(values if source == "environment" else {})}
        # a real run (help) exports every variable to its commands; a dry run expands every target's recipe
        subprocess.run(["make", "--no-print-directory", "help", *argv], cwd=ROOT, env=env, capture_output=True, timeout=120)
        subprocess.run(["make", "--no-print-directory", "-n", *[t for t in TARGETS if t not in ("test", "golden")], *argv],
                       cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert not list(tmp_path.iterdir()), "a make variable ran a command"


def test_a_value_reaches_the_program_unchanged(tmp_path):
    odd = "hua$(shell echo x)du"
    done = subprocess.run(["make", "--no-print-directory", "check", f"DEPT={odd}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert odd in done.stdout + done.stderr
