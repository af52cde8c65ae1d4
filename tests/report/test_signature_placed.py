"""The 落款 shares the page of the text above it and drags no more than that text's last lines (word/signature.py):
where LibreOffice's PDF shows it pulled a heading and its paragraph to the next page, it is set one line under the
text (GB/T 9704 7.3.5.2), or the paragraph above runs over the break with its last lines going with the 落款."""
from __future__ import annotations

import io

import pytest
from docx import Document

from pipeline.report.pdf import docxs_to_pdfs, installed, paged
from pipeline.report.pdf_pages import FOOTER, SIGNATURE_BLANK, boxes, closer_may_help, page_lines, signature_blank
from pipeline.report.word.convert import markdown_to_docx
from pipeline.report.word.signature import relaid, signature_lines
from pipeline.report.word.styles import LINE_PT

LINE = "本单位按计划推进各项重点任务。"  # one line of body text
UNIT, DATE = "某自治州某县文化和旅游局", "2025年3月31日"
# about 27 characters to a line of 16 pt type: with the first-line indent, 3 and 8 lines
SHORT = "全年共开展文化惠民演出四十二场，覆盖全部乡镇，群众满意度达到百分之九十六，较上年提高两个百分点。"
LONG = SHORT * 5


def _report(lines_before: int, last: str) -> str:
    before = "\n\n".join(f"第{i + 1}段。{LINE}" for i in range(lines_before))
    return (f"{before}\n\n### 2.绩效目标完成情况分析\n\n{last}\n\n"
            f'::: {{custom-style="落款"}}\n{UNIT}\n\n{DATE}\n:::\n')


def _pages(pdf: bytes) -> list[list[str]]:
    return [[line for line in page if not FOOTER.match(line)] for page in page_lines(pdf)]


def test_the_signature_is_read_and_set_closer():
    docx = markdown_to_docx(_report(3, SHORT), None)
    assert signature_lines(docx) == [UNIT, DATE]
    tight, free = relaid(docx)
    for again, kept in ((tight, True), (free, False)):
        document = Document(io.BytesIO(again))
        first = next(p for p in document.paragraphs if p.style.name == "落款")
        assert first.paragraph_format.space_before.pt == pytest.approx(LINE_PT, abs=0.1)
        above = next(p for p in document.paragraphs if p.text.startswith("全年共开展"))
        assert bool(above.paragraph_format.keep_with_next) is kept
    assert relaid(markdown_to_docx("正文一段。\n", None)) == []  # no 落款: nothing to set


@pytest.mark.slow
@pytest.mark.skipif(not installed(), reason="LibreOffice is needed to lay the report out")
@pytest.mark.parametrize("lines_before, last", [(16, SHORT), (14, LONG)])
def test_the_signature_does_not_leave_the_page_before_blank(lines_before, last):
    docx = markdown_to_docx(_report(lines_before, last), None)
    lines = signature_lines(docx)
    first = docxs_to_pdfs([docx])[0]
    # as written, the 落款 pulls the heading and its paragraph onto page 2, leaving the foot of page 1 blank
    assert signature_blank(boxes(first), lines) > SIGNATURE_BLANK and _pages(first)[1][0] == "2.绩效目标完成情况分析"
    made, pdf = paged([docx])[0]
    assert signature_blank(boxes(pdf), lines) <= SIGNATURE_BLANK
    pages = _pages(pdf)
    where = next(i for i, page in enumerate(pages) if UNIT in page)
    assert pages[where].index(UNIT) > 0 and pages[where][pages[where].index(UNIT) + 1] == DATE
    assert "2.绩效目标完成情况分析" in pages[0]  # the heading stays on page 1 with its text


def _laid(last_page: list[tuple[str, float, float]]) -> list:
    """Three A4 pages as pdf_pages.boxes reads them: one full (text from 106.8 to 735.55 pt, the foot), one ending at
    567.9 pt, then `last_page`."""
    full = [(f"第{i}行", 106.8 + 28.95 * i, 127.6 + 28.95 * i) for i in range(22)]  # the last ends at 127.6 + 607.95
    ending = [(f"第{i}行", 106.8 + 28.95 * i, 127.6 + 28.95 * i) for i in range(16)]  # the last ends at 561.85
    return [(False, full, 841.89), (False, ending + [("末行", 547.1, 567.9)], 841.89), (False, last_page, 841.89)]


def test_setting_the_signature_closer_is_not_tried_where_it_cannot_take_back_the_blank():
    closer, spare = LINE_PT, 2 * LINE_PT
    # blank foot of page 2: 735.55 (the foot) - 567.9 = 167.65 pt; 57.9 pt spare
    tall = _laid([("正文", 106.8, 127.6), ("正文二", 135.7, 156.5), (UNIT, 460.3, 481.1), (DATE, 489.2, 510.0)])
    # moved: 510.0 - 106.8 = 403.2 pt, less 28.95 = 374.25 > 167.65 + 57.9: the page before stays as it is
    assert not closer_may_help(tall, [UNIT, DATE], closer, spare)
    short = _laid([("2.绩效目标完成情况分析", 106.8, 127.6), ("产出指标", 135.7, 156.5), (UNIT, 222.5, 243.3),
                   (DATE, 251.4, 272.2)])
    # moved: 272.2 - 106.8 = 165.4 pt, less 28.95 = 136.45 <= 225.55: it may go back, and is tried
    assert closer_may_help(short, [UNIT, DATE], closer, spare)
    near = _laid([("正文", 106.8, 127.6), (UNIT, 270.0, 290.8), (DATE, 298.9, 319.7)])
    # 319.7 - 106.8 - 28.95 = 183.95 <= 225.55 though more than the blank: the spare keeps it tried
    assert closer_may_help(near, [UNIT, DATE], closer, spare)
    alone = _laid([(UNIT, 106.8, 127.6), (DATE, 135.7, 156.5)])
    assert closer_may_help(alone, [UNIT, DATE], closer, spare)  # alone on its page: 49.7 - 28.95 pt, tried
    split = _laid([(DATE, 106.8, 127.6)])
    split[1][1].append((UNIT, 712.6, 733.4))
    assert closer_may_help(split, [UNIT, DATE], closer, spare)  # its date on the next page: always tried
    assert closer_may_help(tall, ["别的单位", DATE], closer, spare)  # not found: tried
