"""Text with markup characters, control characters, emoji and very long cells survives into every format as text."""
from __future__ import annotations

import json
import re

import lxml.html
import pytest
from docx import Document

from pipeline.run import build

# a framework refuses "|" in a name (it is a column separator); the unit's reason below carries one into the table
NAME = "R&D <投入> “引号” '单引号' A/B 5*3 *星号* _下划线_ [链接](x) 😀"
LONG = "很长的说明" * 400  # 2,000 characters in one cell


@pytest.mark.slow
def test_hostile_text_survives_into_markdown_word_and_html(project):
    framework = project / "inputs/frameworks/huadu-2023.yaml"
    framework.write_text(framework.read_text(encoding="utf-8").replace(
        "名称: 预决算公开合规性", "名称: " + json.dumps(NAME, ensure_ascii=False)), encoding="utf-8")
    facts = project / "inputs/huadu/2023/indicators.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "在年中专项检查中发现预决算公开存在规范性问题，已及时整改", f"控制\x07字符\x1b已删除；A|B；{LONG}"), encoding="utf-8")
    unit = project / "inputs/huadu/2023/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace(
        "  存在的主要问题: |\n", "  存在的主要问题: |\n    R&D <投入> 与 A|B，表情😀，响铃\x07。\n\n", 1), encoding="utf-8")

    result, written = build(project, "huadu", formats=("md", "docx", "html"))
    folder = written[0].parent
    assert any(leaf.name == NAME for leaf in result.scores.leaves())

    # Markdown: the score table keeps its 9 columns on every row, whatever the cell holds
    md = (folder / "report.md").read_text(encoding="utf-8")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "（50分）" in line]
    assert len(rows) == 16
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 10 for row in rows)  # 9 columns
    assert "\x07" not in md and "\x1b" not in md

    # Word and HTML show the text itself, not markup made of it
    document = Document(str(folder / "report.docx"))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    body = "\n".join(p.text for p in document.paragraphs)
    html = lxml.html.fromstring((folder / "report.html").read_bytes()).text_content()
    assert NAME in cells and NAME in html
    assert any(cell.endswith("控制字符已删除；A|B；" + LONG + "。") for cell in cells)  # the reason, with the unit's note
    assert "控制字符已删除；A|B；" + LONG in html
    assert "R&D <投入> 与 A|B，表情😀，响铃。" in body and "R&D <投入> 与 A|B，表情😀，响铃。" in html
    assert f"“{NAME}”（权重4分）自评3.00分" in body  # the deduction sentence quotes the name verbatim


def test_an_annex_table_without_a_name_is_the_annex_and_printed_once():
    from pipeline.report.markdown_text import number_headings
    text = ("## 情况\n\nTable: 收支 [[#budget]]\n\n| a |\n|--|\n| 1 |\n\n各项得分见[[表:scores]]，收支见[[表:budget]]。\n\n"
            "## 附件：部门整体支出绩效自评评分表 {-}\n\nTable:  [[#scores]]\n\n| b |\n|--|\n| 2 |\n")
    got = number_headings(text)
    assert "各项得分见附件，收支见表1-1。" in got
    assert "## 附件：部门整体支出绩效自评评分表\n\n\n| b |" in got  # no second title above the table
    assert got.count("Table:") == 1
