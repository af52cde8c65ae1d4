"""Line and page breaks the clients would place badly: a cover title broken between words in balanced lines,
labels such as 表1-1 and 附表1 held together, the 落款 kept with the text above it and whole."""
from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline.report.word.convert import markdown_to_docx
from pipeline.report.word.line_breaks import balanced_lines, joined_labels, title_words

J = "\u2060"


@pytest.mark.parametrize("title, words", [
    ("广州市花都区卫生健康局2023年度部门整体支出绩效自评报告",
     ["广州市", "花都区", "卫生健康局", "2023年度", "部门整体支出", "绩效自评报告"]),
    ("稷山县翟店镇卫生院2021年度项目支出绩效自评报告", ["稷山县", "翟店镇", "卫生院", "2021年度", "项目支出", "绩效自评报告"]),
    ("某部门（5a，名称不可见）2017年度部门整体支出绩效自评报告",
     ["某部门", "（5a，名称不可见）", "2017年度", "部门整体支出", "绩效自评报告"]),
    ("韶关市第一人民医院2024年高水平医院建设项目预算执行情况绩效自评报告",
     ["韶关市", "第一人民医院", "2024年", "高水平医院建设", "项目", "预算", "执行情况", "绩效自评报告"]),
])
def test_a_title_is_cut_between_its_words(title, words):
    assert title_words(title) == words


def test_lines_are_balanced_and_never_cut_a_word():
    # lines of 20 em; 4 digits are 4 × 0.56 em, with 0.25 em of autospace where digits meet Chinese: "2023年度" is 4.49.
    # After 年度: 11 + 4.49 = 15.49 / 12; after 卫生健康局: 11 / 4.49 + 12 = 16.49. The first is the more even.
    lines = balanced_lines(title_words("广州市花都区卫生健康局2023年度部门整体支出绩效自评报告"), 20)
    assert lines == ["广州市花都区卫生健康局2023年度", "部门整体支出绩效自评报告"]
    # the old layout broke "绩/效". After 委员会: 10 / 4.49 + 10 = 14.49; after 年度: 14.74 / 10. The first wins, and
    # its upper line is the shorter (a trapezoid)
    lines = balanced_lines(title_words("枫阳县卫生健康委员会2023年度项目支出绩效自评报告"), 20)
    assert lines == ["枫阳县卫生健康委员会", "2023年度项目支出绩效自评报告"]


def test_a_short_title_stays_on_one_line_and_a_word_wider_than_a_line_is_cut_where_it_must_be():
    assert balanced_lines(title_words("花都区2023年度自评报告"), 20) == ["花都区2023年度自评报告"]
    assert balanced_lines(["甲" * 25], 20) == ["甲" * 20, "甲" * 5]


def test_labels_are_held_together_and_other_numbers_are_not():
    assert joined_labels("如表1-1所示，附表1和图2见后，附件3另附") == (
        f"如表{J}1{J}-{J}1所示，附{J}表{J}1和图{J}2见后，附{J}件{J}3另附")
    assert joined_labels("预算163020.69万元，2023年") == "预算163020.69万元，2023年"


def test_the_docx_carries_the_breaks():
    markdown = ("# 广州市花都区卫生健康局2023年度部门整体支出绩效自评报告\n\n正文见表1-1。\n\n"
                "::: {custom-style=\"落款\"}\n广州市花都区卫生健康局\n\n2024年4月15日\n:::\n")
    document = Document(BytesIO(markdown_to_docx(markdown, None)))
    title = document.paragraphs[0]
    assert title.style.name == "Title" and len(title._p.findall(".//" + qn("w:br"))) == 1
    assert title.text == "广州市花都区卫生健康局2023年度\n部门整体支出绩效自评报告"
    body = next(p for p in document.paragraphs if "正文" in p.text)
    assert body.text == f"正文见表{J}1{J}-{J}1。" and body.paragraph_format.keep_with_next
    name, date = [p for p in document.paragraphs if p.style.name == "落款"]
    assert name.paragraph_format.keep_with_next and not date.paragraph_format.keep_with_next
    assert name.paragraph_format.keep_together and date.paragraph_format.keep_together


def test_the_annex_note_and_the_text_above_it_go_with_the_signature():
    # the 附件说明 alone with the 落款 on a page is a 落款 without text: the paragraph above both is held to them
    markdown = ("# 报告\n\n最后一段正文。\n\n::: {custom-style=\"附件说明\"}\n附件：项目绩效自评指标评分表\n:::\n\n"
                "::: {custom-style=\"落款\"}\n某县农业农村局\n\n2025年3月31日\n:::\n")
    document = Document(BytesIO(markdown_to_docx(markdown, None)))
    last = next(p for p in document.paragraphs if p.text == "最后一段正文。")
    note = next(p for p in document.paragraphs if p.style.name == "附件说明")
    assert last.paragraph_format.keep_with_next and note.paragraph_format.keep_with_next


def test_a_long_annex_title_breaks_between_words_in_balanced_lines():
    # landscape A4 holds 297 − 2 × 37 = 223 mm of 16 pt text less its two-character indent: about 38 em a line.
    # The 45-character title (after its 附表 label) would leave its last few characters alone on a second line.
    title = "附表：项目绩效自评指标评分表（某市疾病预防控制中心2024年重大传染病防控和基层卫生人员培训项目）"
    data = markdown_to_docx(f"# 报告\n\n正文。\n\n## {title} {{-}}\n\n| 一级指标 | 分值 |\n|:--|--:|\n| 甲 | 1 |\n", None)
    paragraphs = Document(BytesIO(data)).paragraphs
    label = next(i for i, p in enumerate(paragraphs) if p.style.name == "附件标识")
    assert paragraphs[label].text == "附表"  # GB/T 9704 §8: the label alone, the title on the next line
    # the bracketed remark is one word: the title breaks before it, not inside it
    assert paragraphs[label + 1].text.split("\n") == ["项目绩效自评指标评分表", "（某市疾病预防控制中心2024年重大传染病防控和基层卫生人员培训项目）"]


def test_the_signature_stands_two_characters_in_from_the_right():
    # GB/T 9704 7.3.5.2: 右空二字 — two characters of the 16 pt body text, 32 pt, set on the 落款 style
    markdown = "# 报告\n\n正文。\n\n::: {custom-style=\"落款\"}\n某县农业农村局\n\n2025年3月31日\n:::\n"
    document = Document(BytesIO(markdown_to_docx(markdown, None)))
    signature = document.styles["落款"].paragraph_format
    assert signature.right_indent.pt == 32 and signature.alignment == 2  # RIGHT
    for paragraph in (p for p in document.paragraphs if p.style.name == "落款"):
        assert paragraph.paragraph_format.right_indent is None  # the style's, not overridden
