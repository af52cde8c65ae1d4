"""Header words as LibreOffice prints them: a header wraps only between its words, in a nine-column table of long
headers and four-level score tables on landscape pages."""
from __future__ import annotations

import re

import pytest

from pipeline.report.word.convert import markdown_to_docx
from pipeline.report.word.layout import header_words, pieces
from pipeline.run import build
from tests.conftest import copy_inputs
from tests.helpers import require_libreoffice, to_pdf

pytestmark = pytest.mark.slow  # LibreOffice prints each document

pymupdf = pytest.importorskip("pymupdf")  # optional (AGPL, the `pdf` extra): these read a PDF's layout with it

HAN = re.compile(r"[\u3400-\u9fff]+")
NINE = ["项目名称", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "预算执行率", "分值", "得分",
        "偏差原因分析", "改进措施"]
LEVELS = ["一级指标", "二级指标", "三级指标", "四级指标", "分值", "指标值", "实际完成值", "评分标准", "得分", "扣分原因"]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(row) + " |" for row in lines) + "\n"


def _headers(pdf) -> list[tuple[int, list[str]]]:
    """(page, the lines of a header cell) for each header cell printed on more than one line."""
    from tests.corpus.pages import read_document
    with pymupdf.open(pdf) as document:
        pages = read_document(document)
    return [(page.number, [line.text for line in cell.lines]) for page in pages for table in page.tables
            for cell in table.rows[0] if table.rows and cell is not None and len(cell.lines) > 1]


def _split_inside(lines: list[str], longest: int) -> bool:
    """Whether a line ends inside a run of Chinese of `longest` characters at most, or inside a word of two or three
    characters of a longer run (layout.header_words at its last tier)."""
    text, cuts = "".join(lines), [len("".join(lines[:i])) for i in range(1, len(lines))]
    ends = {len("".join(pieces(header_words(text, 0))[:i])) for i in range(len(pieces(header_words(text, 0))) + 1)}
    runs = [m for m in HAN.finditer(text) if len(m.group()) <= longest]
    return any(m.start() < cut < m.end() for m in runs for cut in cuts) or any(cut not in ends for cut in cuts)


def test_no_header_word_is_split_in_tables_unlike_ours(tmp_path):
    """A nine-column table of long headers (only words of two or three characters fit a portrait page: 项目/名称,
    年初/预算数/（万元）) and a four-level table closing the document (a landscape annex without caption), whose header
    words all fit: they are held whole."""
    require_libreoffice()
    reason = "部分项目因招标延期未能按期支付，资金结转下年使用"
    nine = _table(NINE, [[f"城区第{i}小学", "1234.56", "1300.00", "1250.40", "96.18%", "10", "9.62", reason, "加快项目前期工作"]
                         for i in range(6)])
    deep = _table(LEVELS, [["产出指标", "数量指标", f"重点任务第{i}组", f"城乡居民健康档案规范化电子建档率第{i}项", "2.5", "≥95%",
                            "96.3%", "完成目标值得满分，未完成的按完成比例计分，低于60%不得分" * 2, "2.41",
                            "部分乡镇卫生院人员不足，随访未按季度完成到位"] for i in range(10)])
    docx = tmp_path / "tables.docx"
    docx.write_bytes(markdown_to_docx(f"# 表格\n\n{nine}\n正文。\n\n{deep}", None))
    found = _headers(to_pdf(docx, tmp_path))
    assert found, "the nine long headers wrap on a portrait page"
    assert [(page, lines) for page, lines in found if _split_inside(lines, 0)] == []
    assert [(page, lines) for page, lines in found if any(text in "".join(lines) for text in LEVELS)] == []


def test_no_header_word_of_the_score_table_is_split(tmp_path):
    """example-dept's landscape score table, whose 一级指标, 分值 and 指标值 LibreOffice printed in two lines."""
    require_libreoffice()
    root = copy_inputs(tmp_path)
    _, written = build(root, "example-dept", formats=("docx",), charts=False)
    found = _headers(to_pdf(written[0].parent / "report.docx", tmp_path))
    assert [(page, lines) for page, lines in found if _split_inside(lines, 6)] == []
