"""Markdown to one self-contained HTML page: Chinese fonts, embedded charts, merged level cells; nothing active."""
from __future__ import annotations

import lxml.html

from .hierarchy import MERGED_COLUMNS, merge_runs, merged_columns
from .html_safety import inert
from .markdown_ast import Written, write_documents


def _merge_table(table) -> None:
    header = [cell.text_content().strip() for cell in table.xpath(".//thead//th")]
    if not header or header[0] != MERGED_COLUMNS[0]:
        return
    columns = merged_columns(header)
    rows = table.xpath(".//tbody/tr")
    cells = [row.xpath("./td") for row in rows]
    texts = [[cell.text_content().strip() for cell in row] for row in cells]
    if texts and all(len(row) == len(header) for row in texts):
        _proportioned(table, [header] + texts)
    for column, first, span in merge_runs(texts, columns):
        cells[first][column].set("rowspan", str(span))
        for row in cells[first + 1: first + span]:
            row[column].drop_tree()


def _proportioned(table, texts: list[list[str]]) -> None:
    """The columns in the Word report's proportions, not pandoc's equal or markup-length ones."""
    from .word.tables import score_table_shares  # python-docx: paid only by a page with a score table
    for old in table.findall("colgroup"):
        table.remove(old)
    group = lxml.html.Element("colgroup")
    for share in score_table_shares(texts):
        group.append(lxml.html.Element("col", style=f"width: {share:.1f}%"))
    table.insert(1 if len(table) and table[0].tag == "caption" else 0, group)


def markdown_to_html(markdown: str, css: str, resources: dict[str, bytes] | None = None,
                     written: Written | None = None) -> bytes:
    """The page; `css` is a checked stylesheet (html_safety.checked_stylesheet), put in the page as it is.

    pandoc runs sandboxed and is given no file: the charts are in the syntax tree as data: URIs and the stylesheet
    is added here, so building the page reads nothing and fetches nothing."""
    if written is None:  # else the page made with the Word document, in the same pandoc pass
        written = write_documents(markdown, dict(resources or {}), word=False, html=True)
    html = written.html
    document = lxml.html.document_fromstring(html)
    document.set("lang", "zh-CN")  # set here: pandoc's lang would have it look for translation files it may not read
    document.set("xml:lang", "zh-CN")
    for table in document.xpath("//table"):
        _merge_table(table)
    inert(document)
    for default in document.head.findall("style"):  # pandoc's own styles, written when no stylesheet is named
        default.drop_tree()
    style = lxml.html.Element("style")
    style.text = "\n" + css
    document.head.append(style)
    return lxml.html.tostring(document, encoding="utf-8", doctype="<!DOCTYPE html>", method="html")
