"""What several test files need: editing a copied input file, reading a unit's outputs, and the real Word client
(LibreOffice, poppler)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

POPPLER = ("pdftotext", "pdffonts", "pdfinfo")


def edit(path: Path, old: str, new: str) -> None:
    """Replace text once in a copied input file; the text must be there, so a test cannot go stale silently."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def without_analysis(text: str) -> str:
    """unit.yaml text without 正文.指标分析, whose sub-keys name the example's own 一级指标 (for another framework)."""
    return re.sub(r"^  指标分析:\n(?:(?:    .*)?\n)*", "", text, count=1, flags=re.MULTILINE)


def outputs(folder: Path) -> tuple[str, str, dict]:
    """A unit's output folder as a reader opens it: report.md, checks.md and scores.json."""
    def read(name: str) -> str:
        return (folder / name).read_text(encoding="utf-8")
    return read("report.md"), read("checks.md"), json.loads(read("scores.json"))


def require_libreoffice() -> None:
    """Skip without LibreOffice on a developer's machine; on CI (CI set) its absence is a failure."""
    if shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have soffice (LibreOffice): .ci/run installs it")
        pytest.skip("soffice not installed (apt-get install libreoffice-writer poppler-utils)")
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"LibreOffice is here but poppler-utils is not ({', '.join(missing)}): apt-get install poppler-utils")


def to_pdf(docx: Path, workdir: Path) -> Path:
    """The .docx as LibreOffice prints it, with a private profile so a desktop instance cannot take the job."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{workdir}/profile", "--convert-to", "pdf",
                    "--outdir", str(workdir), str(docx)], check=True, capture_output=True, timeout=240)
    return workdir / (docx.stem + ".pdf")


def pdf_text(pdf: Path) -> str:
    """The PDF's text without white space: LibreOffice spaces Latin from CJK text and wraps lines."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(text.split())
