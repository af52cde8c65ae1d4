"""A unit's template files that are not what their names say — a template or stylesheet in GBK or too large, a
reference.docx or 自评表.docx that Word could not open — stop the run with the file (and line) in Chinese, exit 2,
and the previous output stays as it was."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document

from pipeline.__main__ import main
from pipeline.errors import TemplateError
from pipeline.report.template_files import DEFAULTS, MAX_TEMPLATE_BYTES
from pipeline.report.word.reference import reference_docx
from pipeline.run import build

pytestmark = pytest.mark.slow  # each test builds whole reports with a broken or hostile template file

HUADU = "inputs/huadu/2023/templates"
SHAOGUAN = "inputs/shaoguan/2024/templates"
CHAPTER = '{% extends "default/department/report.md.j2" %}\n{% block problems %}\n## 存在的主要问题\n\n中文：问题\n{% endblock %}\n'


def rezipped(data: bytes, drop: str = "", replace: dict[str, bytes] | None = None) -> bytes:
    """The Word file with one part left out or replaced."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != drop}
    parts.update(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


FORM = (DEFAULTS / "project/自评表.docx").read_bytes()
STYLES = reference_docx()
BROKEN_WORD = [
    pytest.param(lambda good: b"not a word file", "不是 .docx（zip）文件", id="text"),
    pytest.param(lambda good: good[: len(good) // 2], "不是 .docx（zip）文件", id="truncated"),
    pytest.param(lambda good: b"", "不是 .docx（zip）文件", id="empty"),
    pytest.param(lambda good: rezipped(good, drop="word/document.xml"), "缺少 word/document.xml", id="no document"),
    pytest.param(lambda good: rezipped(good, replace={"word/document.xml": b"<w:document"}), "word/document.xml 损坏",
                 id="broken XML"),
    pytest.param(lambda good: rezipped(good, replace={"word/document.xml": b"<x/>"}), "结构不完整", id="not a document"),
    pytest.param(lambda good: rezipped(good, drop="word/styles.xml"), "结构不完整", id="no styles part"),
    pytest.param(lambda good: rezipped(good, drop="_rels/.rels"), "结构不完整", id="no package relationships"),
    pytest.param(lambda good: rezipped(good, replace={"[Content_Types].xml": b"<Types/>"}), "结构不完整",
                 id="no content types"),
]


@pytest.fixture
def previous(project: Path) -> Path:
    """Both example units built once: their output must survive a refused run."""
    for dept in ("huadu", "shaoguan"):
        build(project, dept)
    return project


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "output").rglob("*"))
            if p.is_file()}


def refused(project: Path, dept: str, *parts: str, capsys) -> None:
    before = snapshot(project)
    assert main(["--root", str(project), "report", dept, "--formats", "md,docx,html"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for part in parts:
        assert part in err, err
    assert snapshot(project) == before


@pytest.mark.parametrize(("broken", "reason"), BROKEN_WORD)
def test_a_broken_reference_docx_is_named(previous, capsys, broken, reason):
    folder = previous / HUADU
    folder.mkdir(parents=True)
    (folder / "reference.docx").write_bytes(broken(STYLES))
    refused(previous, "huadu", "inputs/huadu/2023/templates/reference.docx：不是可用的 Word 文档", reason, capsys=capsys)


@pytest.mark.parametrize(("broken", "reason"), BROKEN_WORD)
def test_a_broken_form_is_named(previous, capsys, broken, reason):
    folder = previous / SHAOGUAN / "project"
    folder.mkdir(parents=True)
    (folder / "自评表.docx").write_bytes(broken(FORM))
    refused(previous, "shaoguan", "inputs/shaoguan/2024/templates/project/自评表.docx：不是可用的 Word 文档", reason,
            capsys=capsys)


def test_a_reference_docx_without_our_styles_still_builds(project):
    """Any Word file a unit saved (here the form) serves as styles: what it lacks comes from pandoc's defaults."""
    folder = project / HUADU
    folder.mkdir(parents=True)
    (folder / "reference.docx").write_bytes(FORM)
    _, written = build(project, "huadu", formats=("docx",))
    assert "履职效能" in "".join(p.text for t in Document(str(written[0].parent / "report.docx")).tables
                                 for r in t.rows for p in r.cells)


@pytest.mark.parametrize(("path", "content", "where"), [
    pytest.param(f"{HUADU}/department/report.md.j2", CHAPTER.encode("gbk"), "department/report.md.j2:第3行", id="GBK template"),
    pytest.param(f"{HUADU}/department/report.md.j2", b"\xff\xfe" + CHAPTER.encode("utf-16-le"),
                 "department/report.md.j2:第1行", id="UTF-16 template"),
    pytest.param(f"{HUADU}/common/checks.md.j2", "# 核对\n\n{{ unit.name }}：差异\n".encode("gb18030"),
                 "common/checks.md.j2:第1行", id="GB18030 included template"),
    pytest.param(f"{HUADU}/report.css", "p { color: #000; }\nbody { font-family: 宋体; }\n".encode("gbk"),
                 "templates/report.css:第2行", id="GBK stylesheet"),
])
def test_a_template_or_stylesheet_that_is_not_utf8_is_located(previous, capsys, path, content, where):
    target = previous / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    refused(previous, "huadu", where, "不是 UTF-8 编码的文本", "另存为 UTF-8", capsys=capsys)


@pytest.mark.parametrize("name", ["department/report.md.j2", "report.css"])
def test_an_oversized_template_file_is_refused_before_it_is_read_whole(previous, capsys, name):
    target = previous / HUADU / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"x" * (MAX_TEMPLATE_BYTES + 1))
    refused(previous, "huadu", name, "超过 1 MB", capsys=capsys)


def test_a_form_with_a_faulty_tag_names_its_paragraph(project):
    document = Document(str(DEFAULTS / "project/自评表.docx"))
    document.add_paragraph("合计：{{ 1 / 0 }}")
    form = project / SHAOGUAN / "project/自评表.docx"
    form.parent.mkdir(parents=True)
    document.save(str(form))
    with pytest.raises(TemplateError) as caught:
        build(project, "shaoguan")
    assert str(caught.value).startswith("inputs/shaoguan/2024/templates/project/自评表.docx（含“合计：{{ 1 / 0 }}”的段落）：")
    assert "ZeroDivisionError" in str(caught.value)
