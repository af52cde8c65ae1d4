"""Markdown to one self-contained HTML page: Chinese fonts, embedded charts, merged 一级/二级 cells."""
from __future__ import annotations

import tempfile
from pathlib import Path

import lxml.html
import pypandoc

from .hierarchy import MERGED_COLUMNS, merge_runs, merged_columns
from .markdown_text import PANDOC_MARKDOWN


def _merge_table(table) -> None:
    header = [cell.text_content().strip() for cell in table.xpath(".//thead//th")]
    if not header or header[0] != MERGED_COLUMNS[0]:
        return
    columns = merged_columns(header)
    rows = table.xpath(".//tbody/tr")
    cells = [row.xpath("./td") for row in rows]
    texts = [[cell.text_content().strip() for cell in row] for row in cells]
    for column, first, span in merge_runs(texts, columns):
        cells[first][column].set("rowspan", str(span))
        for row in cells[first + 1: first + span]:
            row[column].drop_tree()


def markdown_to_html(markdown: str, css: str, resources: dict[str, bytes] | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, content in (resources or {}).items():
            (folder / name).write_bytes(content)
        (folder / "report.css").write_text(css, encoding="utf-8")
        html = pypandoc.convert_text(
            markdown, "html5", format=PANDOC_MARKDOWN,
            extra_args=["--standalone", "--embed-resources", "--shift-heading-level-by=-1", "--wrap=none", "--quiet",
                        "--metadata", "lang=zh-CN",
                        f"--resource-path={folder}", f"--css={folder / 'report.css'}"],
            sandbox=False, cworkdir=str(folder),
        )
    document = lxml.html.document_fromstring(html)
    for table in document.xpath("//table"):
        _merge_table(table)
    return lxml.html.tostring(document, encoding="utf-8", doctype="<!DOCTYPE html>", method="html")
