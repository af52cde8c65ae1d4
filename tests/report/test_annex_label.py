"""The 附件 label as GB/T 9704-2012 sets it: in the text, “附件：title” one blank line under the body, 左空二字, before
the 落款 (§7.3.4), several annexes numbered “1．” with their titles lined up; the annex page begins with “附件” alone
at the top left in 3号黑体, no punctuation after it, its title centred on the next line (§8)."""
from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from pipeline.report.jinja import environment
from pipeline.report.word.styles import BODY_PT, LINE_PT
from tests.conftest import ROOT


def _paragraphs(docx_path):
    document = Document(str(docx_path))
    return document, [p for p in document.paragraphs if p.text.strip()]


def _start(paragraph) -> float:
    """Where the first line starts, in points from the left margin."""
    fmt = paragraph.style.paragraph_format
    return (fmt.left_indent or Pt(0)).pt + (fmt.first_line_indent or Pt(0)).pt


def test_the_note_stands_under_the_text_before_the_signature(built):
    for dept, title in (("huadu", "附件：部门整体支出绩效自评评分表"), ("shaoguan", "附表：项目绩效自评指标评分表")):
        _, paragraphs = _paragraphs(built[dept][1] / "report.docx")
        [note] = [p for p in paragraphs if p.style.name == "附件说明"]
        assert note.text == title
        after = paragraphs[paragraphs.index(note) + 1]
        assert after.style.name == "落款"  # the note closes the text; the 落款 follows it
        assert _start(note) == 2 * BODY_PT  # 左空二字
        assert note.style.paragraph_format.space_before == Pt(LINE_PT)  # one blank line under the text


def test_the_annex_page_begins_with_its_label_alone(built):
    document, paragraphs = _paragraphs(built["huadu"][1] / "report.docx")
    [label] = [p for p in paragraphs if p.style.name == "附件标识"]
    assert label.text == "附件"  # no colon, no title beside it
    title = paragraphs[paragraphs.index(label) + 1]
    assert title.text == "部门整体支出绩效自评评分表"
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    style = label.style
    assert style.font.size == Pt(16) and style.font.bold in (None, False)  # 3号
    assert style.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT and _start(label) == 0  # 顶格
    # the label opens the annex's own (landscape) section: the paragraph before it ends the portrait one
    before = label._p.getprevious()
    while before is not None and before.tag.endswith(("bookmarkStart", "bookmarkEnd")):
        before = before.getprevious()
    assert before is not None and before.find(".//{*}sectPr") is not None
    assert sum(p.text.startswith("附件") for p in paragraphs) == 2  # the note and the label: the title is not repeated


def test_several_annexes_are_numbered_and_lined_up(built):
    result, _ = built["huadu"]
    env = environment([ROOT / "pipeline" / "templates"], result.inputs.unit)
    text = env.from_string('{% import "common/macros.md.j2" as t %}{{ t.annex_note(["评分表", "佐证材料清单"]) }}').render()
    assert text.splitlines() == ['::: {custom-style="附件说明"}', "附件：1．评分表\\", "2．佐证材料清单", ":::"]
    one = env.from_string('{% import "common/macros.md.j2" as t %}{{ t.annex_note(["评分表"]) }}').render()
    assert "附件：评分表" in one and "1．" not in one
