"""HTML and PDF carry the same figures as Markdown and Word; FORMATS and a missing LibreOffice are handled."""
from __future__ import annotations

import re
import subprocess

import lxml.html
import pytest
from docx import Document

from pipeline.__main__ import main
from pipeline.numbers import score
from pipeline.run import build
from tests.conftest import copy_inputs
from tests.helpers import require_libreoffice

UNITS = ("huadu", "lianjiang", "shaoguan", "example-cdc")


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """Every example unit in every format: name → (result, output folder)."""
    require_libreoffice()
    root = copy_inputs(tmp_path_factory.mktemp("formats"))
    out = {}
    for dept in UNITS:
        result, written = build(root, dept, formats=("md", "docx", "html", "pdf"))
        out[dept] = (result, written[0].parent)
    return out


def texts(folder) -> dict[str, str]:
    """Each format's visible text, white space removed (LibreOffice spaces Latin from CJK text)."""
    document = Document(str(folder / "report.docx"))
    docx = "".join(p.text for p in document.paragraphs) + "".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    html = lxml.html.fromstring((folder / "report.html").read_bytes()).text_content()
    pdf = subprocess.run(["pdftotext", str(folder / "report.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    md = (folder / "report.md").read_text(encoding="utf-8")
    return {name: re.sub(r"\s+", "", text) for name, text in {"md": md, "docx": docx, "html": html, "pdf": pdf}.items()}


@pytest.mark.slow
@pytest.mark.parametrize("dept", UNITS)
def test_every_format_carries_the_same_figures(published, dept):
    result, folder = published[dept]
    figures = [f"自评得分{score(result.scores.total)}分" if result.inputs.unit.kind == "department"
               else f"绩效自评得分{score(result.scores.total)}分", f"“{result.scores.grade}”"]
    figures += [f"{score(b.points)}" for b in result.scores.blocks]
    figures += [leaf.name for leaf in result.scores.leaves()]
    for fmt, text in texts(folder).items():
        for figure in figures:
            assert figure in text, (fmt, figure)


def test_html_is_one_self_contained_page_with_merged_cells(published):
    _, folder = published["huadu"]
    page = (folder / "report.html").read_text(encoding="utf-8")
    document = lxml.html.fromstring(page.encode("utf-8"))
    assert document.get("lang") == "zh-CN"
    assert not document.xpath("//img[not(starts-with(@src, 'data:'))]")  # charts embedded, no side files
    assert not document.xpath("//link[@rel='stylesheet']")  # the stylesheet is inlined
    assert "FangSong" in page and "仿宋" in page
    score_table = document.xpath("//table[.//th[1][normalize-space()='一级指标']]")[0]
    block_starts = [row.xpath("./td")[0] for row in score_table.xpath(".//tbody/tr") if len(row.xpath("./td")) == 9]
    assert [cell.get("rowspan") for cell in block_starts[:2]] == ["6", "10"]  # 履职效能 6 leaves, 管理效率 10
    assert [cell.text_content() for cell in block_starts[:2]] == ["履职效能（50分）", "管理效率（50分）"]


def test_unknown_format_is_refused(project, capsys):
    with pytest.raises(SystemExit) as leaving:
        main(["--root", str(project), "report", "huadu", "--formats", "md,odt"])
    assert leaving.value.code == 2
    assert "未知的格式 odt；可选：md,docx,html,pdf" in capsys.readouterr().err
    assert not (project / "output").exists()


@pytest.mark.slow
def test_pdf_without_libreoffice_says_so_and_writes_nothing(project, capsys, monkeypatch):
    monkeypatch.setattr("pipeline.report.pdf.shutil.which", lambda name: None)
    assert main(["--root", str(project), "report", "huadu", "--formats", "md,pdf"]) == 1
    err = capsys.readouterr().err
    assert "生成 PDF 需要 LibreOffice" in err and "apt-get install" in err and "未写入任何文件" in err
    assert not (project / "output").exists()


@pytest.mark.slow
def test_charts_can_be_turned_off(project):
    _, written = build(project, "huadu", charts=False)
    names = {p.name for p in written}
    assert "chart-budget.png" not in names and "chart-scores.png" not in names
    text = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "![" not in text and "见表1-1。" in text
    _, written = build(project, "huadu")
    # five units: the execution chart; two 一级 only: no score chart (the sentence listing both says it all)
    assert {p.name for p in written if p.suffix == ".png"} == {"chart-budget.png"}
    assert "见表1-1和图1-1。" in (written[0].parent / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("markdown", [
    "# 报告\n\n## 一、概况\n\n| 项目 | 金额 |\n|:--|--:|\n| 基本支出 | 12.00 |\n\n正文 *强调* 与 R&D。\n",
    "正文第一行\n第二行 no title\n\n# 一级\n\n## 二级 [链](javascript:x)\n",  # no title; line breaks between Chinese
])
def test_word_and_the_page_are_written_by_one_pandoc_pass(monkeypatch, markdown):
    """One pass of the kept pandoc reads the Markdown and writes Word and HTML together, and each file is what it is
    when made alone."""
    from pipeline.report import markdown_ast
    from pipeline.report.render import documents

    alone = {**documents(markdown, ("docx",), None, "p {}", {}), **documents(markdown, ("html",), None, "p {}", {})}
    runs = []
    real = markdown_ast.convert
    monkeypatch.setattr(markdown_ast, "convert", lambda *args: runs.append(args) or real(*args))
    together = documents(markdown, ("md", "docx", "html"), None, "p {}", {})
    assert len(runs) == 1
    assert together["report.docx"] == alone["report.docx"] and together["report.html"] == alone["report.html"]


@pytest.mark.parametrize("markdown", [
    "# 报告\n\n## 一、概况\n\n| 项目 | 金额 |\n|:--|--:|\n| 基本支出 | 12.00 |\n\n正文 *强调* 与 R&D。\n",
    "正文第一行\n第二行 no title\n中文\nEnglish\n中文\n\n# 一级\n\n## 二级 [链](https://example.org)\n\n- 甲\n- 乙\n\n"
    "  > 引用\n  > 中文\n  > 第二行\n\n### 三级 {#h3}\n\n1. 一\n2. 二\n\n::: {custom-style=\"表格\"}\n文字\n:::\n",
    "# 标题一\n\n# 标题二\n\n正文\n\n# 下面的一级\n\n#### 四级\n",  # two titles in a row; a level-1 heading further down
])
def test_the_kept_pandoc_writes_what_pandoc_s_command_line_writes(tmp_path, markdown):
    """The kept pandoc does itself what pandoc's command line does after reading (the heading shift, East Asian line
    breaks joined): its .docx and page are those `pandoc --shift-heading-level-by=-1` writes from the same Markdown."""
    import io
    import zipfile

    from pipeline.report.markdown_ast import write_documents
    from pipeline.report.markdown_text import PANDOC_MARKDOWN
    from pipeline.report.pandoc import pandoc_path
    from pipeline.report.word.reference import reference_docx

    reference = tmp_path / "reference.docx"
    reference.write_bytes(reference_docx())
    written = write_documents(markdown, {}, html=True, reference=reference)
    command = [pandoc_path(), "--from", PANDOC_MARKDOWN, "--shift-heading-level-by=-1"]
    subprocess.run([*command, "--to", "docx", "--reference-doc", str(reference), "--output", str(tmp_path / "cli.docx")],
                   input=markdown.encode(), check=True)
    page = subprocess.run([*command, "--to", "html5", "--standalone", "--wrap=none"], input=markdown.encode(),
                          capture_output=True, check=True).stdout.decode()

    def parts(docx):  # the parts but the date pandoc writes in docProps/core.xml
        with zipfile.ZipFile(docx) as archive:
            return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}
    assert written.html == page
    assert parts(io.BytesIO(written.docx)) == parts(tmp_path / "cli.docx")


def test_attributes_a_template_sets_on_tables_links_and_spans_keep_only_layout():
    from pipeline.report.render import documents

    markdown = ("# 报告\n\n| 项目 | 金额 |\n|--|--|\n| 甲 | 1 |\n\nTable: 表题 {#t1 .k onclick=alert(1) custom-style=\"表格\"}\n\n"
                "[文字](javascript:alert(1)){#a1 onmouseover=x} [网](https://example.org){style=\"color:red\" width=3cm}\n")
    page = documents(markdown, ("html",), None, "", {})["report.html"].decode("utf-8")
    assert "onclick" not in page and "onmouseover" not in page and "color:red" not in page and "javascript" not in page
    assert 'id="t1"' in page and 'data-custom-style="表格"' in page and 'width="3cm"' in page
    assert '<span id="a1">文字</span>' in page and 'href="https://example.org"' in page
