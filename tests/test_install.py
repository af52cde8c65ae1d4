"""The package as pip installs it (not editable): templates, forms and fonts.conf ship inside it, and a run
from any directory with --root finds them."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_inputs

pytestmark = pytest.mark.slow  # pip installs the package into a folder


def test_installed_package_renders_from_another_directory(tmp_path: Path) -> None:
    source, site = tmp_path / "source", tmp_path / "site"
    source.mkdir()
    shutil.copytree(ROOT / "pipeline", source / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "--target", str(site), str(source)], check=True, capture_output=True, timeout=300)
    installed = site / "pipeline"
    assert (installed / "templates/department/report.md.j2").is_file()
    assert (installed / "templates/project/自评表.docx").is_file()
    assert (installed / "report/fonts.conf").is_file()
    project = copy_inputs(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # only the installed copy on the path: the dependencies come from this interpreter's site-packages
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-m", "pipeline", "--root", str(project), "report", "shaoguan",
                           "--no-charts"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "85.77" in done.stdout
    assert (project / "output/shaoguan/2024/report.docx").is_file()
    assert (project / "output/shaoguan/2024/自评表.docx").is_file()
    # the run used the installed package, not the checkout
    probe = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, check=True)
    assert probe.stdout.strip().startswith(str(site))


def test_dependencies_are_ranges_and_constraints_pin_a_version_inside_each() -> None:
    """pyproject.toml says what the program works with; constraints.txt the one version of each that make installs."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in [*project["dependencies"], *sum(project["optional-dependencies"].values(), [])]]
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pin = Requirement(line)
            (spec,) = pin.specifier
            assert spec.operator == "==", line
            pins[canonicalize_name(pin.name)] = spec.version
    for requirement in wanted:
        operators = {spec.operator for spec in requirement.specifier}
        assert "==" not in operators and {">=", "<"} <= operators, f"{requirement}: a compatible range, e.g. x>=3.1,<4"
        pinned = pins.get(canonicalize_name(requirement.name))
        assert pinned is not None and requirement.specifier.contains(pinned), f"{requirement}: constraints.txt has {pinned}"


def test_the_package_needs_no_agpl_library_and_ships_no_maintainers_tool() -> None:
    """PyMuPDF (AGPL) is the optional `pdf` extra, imported only where a PDF form is read; the maintainers' tools
    (bench, generate, checkbench, form_template) live in tools/ beside the package, and the package never imports them."""
    import ast
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert not [r for r in project["project"]["dependencies"] if r.lower().startswith(("pymupdf", "fitz"))]
    assert project["tool"]["setuptools"]["packages"]["find"]["include"] == ["pipeline*"]
    for path in (ROOT / "pipeline").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            assert not [n for n in names if n.split(".")[0] == "tools"], f"{path}: imports the maintainers' tools"
            if any(n.split(".")[0] in ("pymupdf", "fitz") for n in names):
                assert path.name == "pdf_tables.py" and node not in tree.body, f"{path}: PyMuPDF outside the PDF form reader"
