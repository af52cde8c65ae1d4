"""The command line as one list of command modules, and as a console that cannot show every character."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.__main__ import arguments
from pipeline.commands import COMMANDS
from tests.conftest import ROOT, copy_inputs


def test_every_command_is_one_module_with_its_arguments_and_its_run() -> None:
    names = [command.NAME for command in COMMANDS]
    assert len(set(names)) == len(names)
    for command in COMMANDS:
        assert command.HELP and callable(command.add_arguments) and callable(command.run), command.__name__


def test_every_make_target_runs_a_registered_command() -> None:
    called = set(re.findall(r"-m pipeline (\w+)", (ROOT / "Makefile").read_text(encoding="utf-8")))
    assert called and called <= {command.NAME for command in COMMANDS}


def test_the_console_script_is_the_same_command_line() -> None:
    import tomllib
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"selfeval": "pipeline.__main__:console"}
    assert arguments("selfeval").format_usage().startswith("usage: selfeval")


@pytest.mark.slow
@pytest.mark.parametrize("entry", ["python -m pipeline", "selfeval"])
def test_a_gbk_console_shows_a_question_mark_for_what_it_cannot_print(tmp_path: Path, entry: str) -> None:
    """A unit named with characters GBK lacks (😀, ², €): the run finishes and says the rest, instead of
    stopping at the first such character with a UnicodeEncodeError."""
    project = copy_inputs(tmp_path)
    unit = project / "inputs/huadu/2023/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("广州市花都区卫生健康局", "花都😀卫健局²€"), encoding="utf-8")
    code = ("import sys; from pipeline.__main__ import console; sys.argv = ['selfeval'] + sys.argv[1:]; "
            "sys.exit(console())") if entry == "selfeval" else "import runpy; runpy.run_module('pipeline', run_name='__main__')"
    done = subprocess.run([sys.executable, "-c", code, "--root", str(project), "check", "huadu"], cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "gbk"}, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    out = done.stdout.decode("gbk")
    assert "花都?卫健局??" in out and "校验通过" in out


@pytest.mark.slow
def test_a_reader_that_stops_early_ends_the_listing_quietly(tmp_path: Path) -> None:
    """`selfeval units | head -1`: the rest is not wanted; no traceback, exit 0."""
    root = copy_inputs(tmp_path / "project")
    listing = subprocess.Popen([sys.executable, "-m", "pipeline", "--root", str(root), "units"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    listing.stdout.close()  # like head after its line: the pipe is gone before the program writes
    assert listing.wait(timeout=60) == 0
    assert b"Traceback" not in listing.stderr.read()


def test_the_process_ends_without_a_last_walk_of_the_cycle_collector() -> None:
    """What the command left is frozen as the process ends (the interpreter's shutdown collection skips it); the exit
    code is the command's."""
    import gc

    from pipeline.__main__ import ending
    try:
        assert ending(3) == 3 and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
