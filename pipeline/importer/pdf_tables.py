"""A text PDF's ruled tables as a Grid (PyMuPDF finds them by their lines); a scan or a PDF without ruled tables is
refused in plain words, never guessed at. PyMuPDF (AGPL) is optional, the package's `pdf` extra: without it a PDF
form is refused with what to install, and Word and Excel forms import as before."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import FormatUnavailable, InputError, Location, Problem
from ..limits import MAX_PDF_PAGES
from .grid import Grid, Row, tidy

WRAP = re.compile(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])")


def _refused(name: str, why: str) -> InputError:
    return InputError([Problem(Location(name), why, hint="请提供这份表格的 Word（.docx）或 Excel（.xlsx）原件")])


def read_pdf(path: Path, name: str) -> Grid:
    try:
        import pymupdf
    except ImportError:
        raise FormatUnavailable(f"{name}：导入 PDF 表格需要可选组件 PyMuPDF，本机未安装（pip install "
                                "'selfeval-pipeline[pdf]'）；或提供这份表格的 Word（.docx）或 Excel（.xlsx）原件") from None
    pymupdf.no_recommend_layout()  # else PyMuPDF prints advice on an optional package into the command's output
    try:
        document = pymupdf.open(str(path))
    except (RuntimeError, ValueError, OSError):
        raise _refused(name, "无法读取这个 PDF 文件") from None
    with document:
        if document.needs_pass:
            raise _refused(name, "PDF 设置了打开密码")
        if document.page_count > MAX_PDF_PAGES:
            raise _refused(name, f"PDF 超过 {MAX_PDF_PAGES} 页，不像一份自评表或评分表")
        rows: list[Row] = []
        lines: list[str] = []
        number = 0
        text = ""
        for page in document.pages():
            text += page.get_text()
            tables = page.find_tables().tables
            for table in tables:
                number += 1
                rows += _rows(table.extract(), number)
            boxes = [pymupdf.Rect(table.bbox) for table in tables]
            lines += [tidy(block[4]) for block in page.get_text("blocks")
                      if tidy(block[4]) and not any(box.intersects(pymupdf.Rect(block[:4])) for box in boxes)]
        if not text.strip():
            raise _refused(name, "这个 PDF 是扫描的图片，没有可读取的文字")
        if not rows:
            raise _refused(name, "这个 PDF 中找不到带表格线的表格，无法可靠地分出各列")
    return Grid(name, tuple(rows), tuple(lines))


def _unwrapped(text: str) -> str:
    """A cell's text with the lines the PDF wrapped joined again: no space between Chinese characters, one elsewhere."""
    return " ".join(WRAP.sub("", tidy(text)).split("\n"))


def _rows(cells: list[list[str | None]], number: int) -> list[Row]:
    """A merged cell comes as None in the places it covers: the text on its left (or above, at a row's start) again."""
    out: list[Row] = []
    above: list[tuple[object, str]] = []
    for r, row in enumerate(cells, 1):
        texts: list[str] = []
        spans: list[object] = []
        for c, cell in enumerate(row):
            span: object
            if cell is not None:
                span, text = (number, r, c), _unwrapped(cell)
            elif c and texts:
                span, text = spans[-1], texts[-1]
            elif c < len(above):
                span, text = above[c]
            else:
                span, text = (number, r, c), ""
            texts.append(text)
            spans.append(span)
        above = list(zip(spans, texts))
        out.append(Row(Location("", r, table=number), tuple(texts), tuple(spans)))
    return out
