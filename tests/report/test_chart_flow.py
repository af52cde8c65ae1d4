"""A chart pushed to the next page lets the text after it fill the foot of the page before (word/floats.py), the
blank foot read from LibreOffice's PDF (pdf_pages.chart_gaps)."""
from __future__ import annotations

import io

import pytest
from docx import Document
from PIL import Image

from pipeline.report.charts import png_bytes
from pipeline.report.pdf import docxs_to_pdfs, installed, paged
from pipeline.report.pdf_pages import FOOTER, boxes, chart_gaps, page_lines
from pipeline.report.word.convert import markdown_to_docx
from pipeline.report.word.floats import captions, flowed

PICTURE = png_bytes(Image.new("RGB", (1260, 600), (200, 200, 200)))
CAPTION = "图\u20601 测试图表"  # the word joiner holds the label 图1 together
LONG = "本单位按计划推进各项重点任务。"  # one line of body text


def _report(lines_before: int) -> str:
    before = "\n\n".join(f"第{i + 1}段。{LONG}" for i in range(lines_before))
    after = "\n\n".join(f"图后第{i + 1}段。{LONG}" for i in range(8))
    return (f"# 报告\n\n## 一、基本情况\n\n{before}\n\n![图1 测试图表](chart-scores.png){{width=15cm}}\n\n### （一）其后\n\n"
            f"{after}\n")


def _order(docx: bytes) -> list[str]:
    return [p.text.replace("\u2060", "")[:6] for p in Document(io.BytesIO(docx)).paragraphs if p.text]


def test_a_chart_lets_the_text_after_it_fill_the_blank_foot():
    docx = markdown_to_docx(_report(2), None, resources={"chart-scores.png": PICTURE})
    assert captions(docx) == [CAPTION]
    # 10 points blank: the heading after the chart never goes alone, so it passes with the paragraph that follows
    moved = _order(flowed(docx, {CAPTION: 10.0}))
    assert moved.index("图1 测试图") == moved.index("图后第1段。") + 1
    assert moved.index("（一）其后") < moved.index("图后第1段。")
    assert _order(flowed(docx, {})) == _order(docx)  # no gap: nothing moves
    assert _order(flowed(docx, {"另一图": 100.0})) == _order(docx)


@pytest.mark.slow
@pytest.mark.skipif(not installed(), reason="LibreOffice is needed to lay the report out")
def test_the_pdf_has_no_blank_foot_before_a_chart():
    # 34 one-line paragraphs end page 2 some 180 points (28 %) above its foot, too little for the chart (7 cm high
    # and its caption): laid out as written, the chart opens page 3 under that blank; moved, the text fills it
    docx = markdown_to_docx(_report(34), None, resources={"chart-scores.png": PICTURE})
    before = chart_gaps(boxes(docxs_to_pdfs([docx])[0]), captions(docx))
    assert list(before) == [CAPTION] and before[CAPTION] > 0.2 * 600
    made, pdf = paged([docx])[0]
    assert pdf is not None and chart_gaps(boxes(pdf), captions(made)) == {}
    text = [line for line in page_lines(pdf)[1] if not FOOTER.match(line)]
    assert text[-1].startswith("图后第")  # the foot of page 2 holds text from after the chart


def _table_after() -> bytes:
    after = (f"图后一段。{LONG}\n\n**表1-2 支出分类明细（单位：万元）**\n\n| 分类 | 金额 |\n|:--|--:|\n| 教育 | 1.00 |\n\n"
             f"表后一段。{LONG}\n")
    markdown = f"第一段。{LONG}\n\n![图1 测试图表](chart-scores.png){{width=15cm}}\n\n{after}"
    return markdown_to_docx(markdown, None, resources={"chart-scores.png": PICTURE})


def _at(docx: bytes) -> dict[str, int]:
    return {text[:3]: i for i, text in enumerate(_order(docx))}


def test_a_chart_never_comes_between_a_table_and_its_caption():
    # 40 points: the paragraph after the chart (one line) fits, the caption and its two-row table (some 70) do not
    at = _at(flowed(_table_after(), {CAPTION: 40.0}))
    assert at["图1 "] == at["图后一"] + 1 and at["图1 "] < at["表1-"]


def test_a_short_table_with_its_caption_passes_the_chart_as_one():
    # room for all that follows: the caption, the table and the text after it fill the foot, the chart comes last
    docx = flowed(_table_after(), {CAPTION: 400.0})
    at = _at(docx)
    assert at["图后一"] < at["表1-"] < at["表后一"] < at["图1 "]
    blocks = [c for c in Document(io.BytesIO(docx)).element.body if c.tag.rsplit("}", 1)[1] in ("p", "tbl")]
    caption = next(i for i, c in enumerate(blocks) if "表1-2" in "".join(c.itertext()).replace("\u2060", ""))
    assert blocks[caption + 1].tag.endswith("}tbl")  # the caption still stands right above its table


def test_a_chart_stays_in_its_chapter():
    markdown = (f"# 报告\n\n## 一、基本情况\n\n第一段。{LONG}\n\n![图1 测试图表](chart-scores.png){{width=15cm}}\n\n"
                f"图后一段。{LONG}\n\n## 二、评价分析\n\n次章一段。{LONG}\n")
    docx = markdown_to_docx(markdown, None, resources={"chart-scores.png": PICTURE})
    at = _at(flowed(docx, {CAPTION: 400.0}))  # room for all that follows: it still stops before the next chapter
    assert at["图后一"] < at["图1 "] < at["二、评"]
