"""A command pays only for what it runs: starting the program, or building a report, does not import the libraries
of the commands it did not run (spreadsheets, PDF pages, charts, the Word form, the progress bar, clusters).

Each probe is a fresh interpreter: within the test process these modules are long since imported."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_inputs

pytestmark = pytest.mark.slow  # a fresh interpreter for each probe

# a library and the commands that use it: none other may import it at start-up
HEAVY = {
    "openpyxl": "数据.xlsx, make all's 汇总表, make review, make template",
    "pymupdf": "importing a PDF form (optional, the pdf extra)",
    "fitz": "PyMuPDF's old name",
    "PIL": "charts (Pillow draws them)",
    "matplotlib": "nothing: the charts are drawn with Pillow (mplfonts, which gives their font, brings it along)",
    "docxtpl": "the 自评表 form",
    "tqdm": "make all's and make review's progress bar",
    "dask": "make all --scheduler (a Dask cluster)",
    "distributed": "make all --scheduler (Dask's client)",
    "numpy": "Word table widths",
    "cn2an": "tools/checkbench only (the narrative check reads Chinese numerals itself)",
    "fastapi": "the web app (make serve)",
    "starlette": "the web app",
    "uvicorn": "the web app's server",
}
# what building a report of a unit with CSV files, no form and no charts still leaves out
NOT_IN_A_REPORT = ("openpyxl", "pymupdf", "fitz", "matplotlib", "PIL", "docxtpl", "tqdm", "dask", "distributed", "cn2an",
                   "fastapi", "starlette", "uvicorn",
                   "pypandoc",  # its get_pandoc_path starts a `pandoc --version` for each place pandoc might be
                   "difflib")  # the names nearest a mistyped one: only a mistake needs them
# what reading the command line needs none of: each command loads the libraries of its own work when it runs
NOT_TO_START = ("pydantic", "docx", "jinja2", "yaml", "lxml")


def loaded(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    # run from the checkout: `-c` puts the working directory first on the path, so this checkout's package is probed
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", ["pipeline.__main__", "pipeline.run", "pipeline.batch", "pipeline.report.render"])
def test_starting_imports_no_library_of_another_command(module: str) -> None:
    imported = loaded(f"import {module}")
    assert not imported & set(HEAVY), f"{module} imports at start-up: {sorted(imported & set(HEAVY))}"


def test_reading_the_command_line_loads_no_library_of_any_command() -> None:
    imported = loaded("from pipeline.__main__ import arguments\n"
                      "arguments().parse_args(['report', 'huadu', '--no-charts'])")
    assert not imported & (set(HEAVY) | set(NOT_TO_START)), sorted(imported & (set(HEAVY) | set(NOT_TO_START)))


def test_building_the_models_looks_up_no_installed_package_and_tokenizes_no_signature() -> None:
    """pydantic's plugin loader (importlib.metadata reading every installed package) is not run, and no model's default
    factory is a builtin whose signature pydantic would read by tokenizing its text (the tokenizer's patterns compiled):
    together a tenth of the program's start."""
    probe = ("import sys, tokenize\n"
             "import pipeline.run\n"
             "print(int('importlib.metadata' in sys.modules), tokenize._compile.cache_info().misses)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "0"]


def test_a_report_without_charts_imports_no_spreadsheet_pdf_chart_or_form_library(tmp_path: Path) -> None:
    project = copy_inputs(tmp_path)
    imported = loaded(f"from pipeline.__main__ import main\n"
                      f"assert main(['--root', {str(project)!r}, 'report', 'huadu', '--no-charts']) == 0")
    assert (project / "output/huadu/2023/report.docx").is_file()
    assert not imported & set(NOT_IN_A_REPORT), sorted(imported & set(NOT_IN_A_REPORT))


def test_a_check_writes_no_document_and_loads_no_document_library(tmp_path: Path) -> None:
    """make check renders the Markdown only: no Word, page, form or chart library is loaded for it."""
    project = copy_inputs(tmp_path)
    imported = loaded(f"from pipeline.__main__ import main\n"
                      f"assert main(['--root', {str(project)!r}, 'check', 'huadu']) == 0")
    assert not imported & {"docx", "lxml", "docxtpl", "PIL", "numpy", *NOT_IN_A_REPORT}, sorted(imported)


def test_each_library_is_still_imported_where_it_is_used(tmp_path: Path) -> None:
    """The probe sees what it claims to: a workbook unit's check does import openpyxl."""
    project = copy_inputs(tmp_path)
    imported = loaded(f"from pipeline.__main__ import main\n"
                      f"assert main(['--root', {str(project)!r}, 'new', 'sheet-unit', '--kind', 'project']) == 0\n"
                      f"assert main(['--root', {str(project)!r}, 'check', 'sheet-unit']) == 0")
    assert "openpyxl" in imported


def test_a_one_unit_command_runs_without_the_cycle_collector_and_gives_it_back(tmp_path: Path, monkeypatch) -> None:
    import gc

    from pipeline.__main__ import main
    from pipeline.commands import check
    project = copy_inputs(tmp_path)
    seen, real = [], check.run
    monkeypatch.setattr(check, "run", lambda args: seen.append(gc.isenabled()) or real(args))
    assert main(["--root", str(project), "check", "huadu"]) == 0
    assert seen == [False] and gc.isenabled()
    assert main(["--root", str(project), "units"]) == 0 and gc.isenabled()


def test_a_one_unit_command_leaves_the_collector_nothing_to_walk_at_once(tmp_path: Path) -> None:
    """Turned back on, the collector would walk everything the run made at the next allocation (30 ms of a report):
    the run's objects are handed to the oldest generation, so the youngest holds almost nothing."""
    import gc

    from pipeline.__main__ import main
    project = copy_inputs(tmp_path)
    assert main(["--root", str(project), "check", "huadu"]) == 0
    assert gc.isenabled() and gc.get_count()[0] < gc.get_threshold()[0]


def test_word_layout_libraries_are_imported_while_pandoc_runs_and_the_thread_is_over_after_it(tmp_path: Path) -> None:
    """A fresh process imports what lays out pandoc's Word (python-docx, numpy) in a second thread during pandoc's run,
    time it waits anyway; the thread has ended when pandoc has answered: nothing is imported by two threads at once."""
    project = copy_inputs(tmp_path)
    probe = ("import json, sys, threading\n"
             "import pipeline.report.render as render\n"
             "seen = []\n"
             "def note():\n"
             "    seen.append([threading.active_count(), 'docx' in sys.modules, 'numpy' in sys.modules])\n"
             "pandoc, word_pass = render.write_documents, render.word_pass\n"
             "render.write_documents = lambda *args, **kwargs: note() or pandoc(*args, **kwargs)\n"
             "def after(*args):\n"
             "    written = word_pass(*args)\n"
             "    note()\n"
             "    return written\n"
             "render.word_pass = after\n"
             "from pipeline.__main__ import main\n"
             f"assert main(['--root', {str(project)!r}, 'report', 'huadu', '--no-charts']) == 0\n"
             "print(json.dumps(seen))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (during, *_), (after, docx, numpy) = json.loads(done.stdout.splitlines()[-1])
    assert during == after + 1  # one thread more while pandoc ran (the run's watchdog is there throughout)
    assert docx and numpy


def test_an_import_that_fails_in_the_thread_fails_where_the_module_is_used() -> None:
    from pipeline.report.render import imported_meanwhile
    before = threading.active_count()
    with imported_meanwhile(("pipeline.no_such_module", "json")):
        pass
    assert threading.active_count() == before
    with pytest.raises(ImportError):
        importlib.import_module("pipeline.no_such_module")


def test_no_thread_imports_where_a_child_runs_python_before_it_starts(monkeypatch) -> None:
    """Without setpriv and prlimit a child runs preexec_fn after fork: a lock an importing thread held (the loader's)
    would stay held in it, so nothing is imported alongside."""
    from pipeline.report import render
    monkeypatch.setattr(render, "starts_children_cleanly", lambda: False)
    started = []
    monkeypatch.setattr(render.threading, "Thread", lambda *args, **kwargs: started.append(args) or pytest.fail("a thread"))
    with render.imported_meanwhile(("pipeline.no_such_module",)):
        pass
    assert started == []
