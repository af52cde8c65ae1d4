"""The documentation stays true to the repository: docs/reference.md is what the code generates today, and every
link, file path and `make` target that README.md and docs/*.md name exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import reference

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# the folders a path in the docs may start with to be taken as a path of this repository
TOP = ("pipeline/", "tests/", "tools/", "docs/", "inputs/", ".ci/")
# files the reader is told to make, or the program makes, in a unit's folder: named in the docs before they exist
MADE_BY_READER = {"inputs/huadu/2023/templates/reference.docx"}  # docs/customise.md: make styles writes it
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
MAKE = re.compile(r"\bmake ([a-z][a-z-]*)")


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    anchors, fenced = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced  # a line starting a code block, or ending one
        elif not fenced and re.match(r"#{1,6} ", line):
            anchors.add(_slug(line.lstrip("#")))
    return anchors


def _targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.MULTILINE))


def test_reference_is_what_the_code_generates(tmp_path):
    (tmp_path / "docs").mkdir()
    assert reference.main(["--root", str(tmp_path)]) == 0
    fresh = (tmp_path / "docs" / "reference.md").read_text(encoding="utf-8")
    assert (ROOT / "docs" / "reference.md").read_text(encoding="utf-8") == fresh, \
        "docs/reference.md 与代码不符：运行 python -m tools.reference 重新生成"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_link_leads_somewhere(doc):
    broken = []
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto
        file, _, anchor = target.partition("#")
        path = (doc.parent / file) if file else doc
        if not path.exists() or anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(target)
    assert not broken, f"{doc.name} 中的链接找不到：{broken}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_named_path_exists(doc):
    missing = []
    for code in CODE.findall(doc.read_text(encoding="utf-8")):
        path = code.strip()
        if not path.startswith(TOP) or re.search(r"[<>{}*…\s]", path) or path in MADE_BY_READER:
            continue
        if not (ROOT / path).exists():
            missing.append(path)
    assert not missing, f"{doc.name} 提到的文件不存在：{missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_make_target_exists(doc):
    targets = _targets()
    named = set(MAKE.findall(doc.read_text(encoding="utf-8")))
    assert not named - targets, f"{doc.name} 提到的 make 目标在 Makefile 中没有：{sorted(named - targets)}"


def test_the_checks_see_what_they_should():
    """The three scans find what the docs name: so a test above cannot pass by finding nothing."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {"report", "test"} <= set(MAKE.findall(readme))
    assert any(t.startswith("docs/guide.md") for t in LINK.findall(readme))
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    assert "pipeline/limits.py" in [c.strip() for c in CODE.findall(guide)] + \
        [c.strip() for c in CODE.findall((ROOT / "docs" / "security.md").read_text(encoding="utf-8"))]
