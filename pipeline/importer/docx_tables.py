"""A Word document (.docx) as a Grid: each table row by grid column, merged cells (gridSpan, vMerge) repeated."""
from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from ..errors import InputError, Location, Problem
from ..limits import MAX_ROWS, MAX_WORD_TABLE_COLUMNS
from .grid import Grid, Row, tidy


def _text(element: etree._Element) -> str:
    """The text of a paragraph or cell as Word shows it: runs joined, tabs and breaks kept as space and line."""
    parts = []
    for paragraph in element.iter(qn("w:p")):
        line = []
        for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            line.append(node.text or "" if node.tag == qn("w:t") else " " if node.tag == qn("w:tab") else "\n")
        parts.append("".join(line))
    return tidy("\n".join(parts))


def _int(element: etree._Element | None, default: int) -> int:
    try:
        return int(element.get(qn("w:val"))) if element is not None else default
    except (TypeError, ValueError):
        return default


def _too_big(name: str, what: str) -> InputError:
    return InputError([Problem(Location(name), f"{what}，不像一份自评表或评分表", hint="请只保留表格所在的内容后另存")])


def _table_rows(table: etree._Element, number: int, name: str) -> list[Row]:
    rows: list[Row] = []
    above: dict[int, tuple[object, str]] = {}  # grid column → (merged region, text) of the cell last seen there
    for r, tr in enumerate(table.iterchildren(qn("w:tr")), 1):
        if r > MAX_ROWS:
            raise _too_big(name, f"表格超过 {MAX_ROWS} 行")
        tr_pr = tr.find(qn("w:trPr"))
        column = min(MAX_WORD_TABLE_COLUMNS, _int(tr_pr.find(qn("w:gridBefore")) if tr_pr is not None else None, 0))
        texts: list[str] = [""] * column
        spans: list[object] = [("before", r, c) for c in range(column)]
        for _c_index, tc in enumerate(tr.iterchildren(qn("w:tc"))):
            tc_pr = tc.find(qn("w:tcPr"))
            span = min(MAX_WORD_TABLE_COLUMNS, max(1, _int(tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None, 1)))
            merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            if merge is not None and merge.get(qn("w:val"), "continue") == "continue" and column in above:
                region, text = above[column]
            else:
                region, text = (number, r, column), _text(tc)
            for offset in range(span):
                above[column + offset] = (region, text)
                texts.append(text)
                spans.append(region)
            column += span
            if column > MAX_WORD_TABLE_COLUMNS:
                raise _too_big(name, f"表{number}第{r}行超过 {MAX_WORD_TABLE_COLUMNS} 列")
        rows.append(Row(Location("", r, table=number), tuple(texts), tuple(spans)))
    width = max((len(row.cells) for row in rows), default=0)
    return [Row(row.where, row.cells + ("",) * (width - len(row.cells)),
                row.spans + tuple(("after", row.where, c) for c in range(len(row.cells), width))) for row in rows]


def _layout(table: etree._Element) -> bool:
    """A table of one or two columns holding tables: a frame around the form, not one of its tables."""
    rows = list(table.iterchildren(qn("w:tr")))
    return (table.find(".//" + qn("w:tbl")) is not None
            and all(len(list(tr.iterchildren(qn("w:tc")))) <= 2 for tr in rows))


def _blocks(parent: etree._Element) -> Iterator[etree._Element]:
    """The body's tables and paragraphs in order, also those inside content controls (w:sdt), custom XML and a table
    used only to lay the form out."""
    for child in parent.iterchildren():
        if child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _blocks(child)
        elif child.tag == qn("w:tbl") and _layout(child):
            for cell in child.iter(qn("w:tc")):  # a layout table holding the form's tables: its cells read in order
                if cell.getparent().getparent() is child:
                    yield from _blocks(cell)
        elif child.tag in (qn("w:tbl"), qn("w:p")):
            yield child


def read_docx(path: Path, name: str) -> Grid:
    try:
        body = Document(str(path)).element.body
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, ParseError, etree.XMLSyntaxError, OSError):
        raise InputError([Problem(Location(name), "无法读取 Word 文档",
                                  hint="请确认它是 Word/WPS 保存的 .docx 文件（旧版 .doc 请另存为 .docx）")]) from None
    rows: list[Row] = []
    lines: list[str] = []
    tables = 0
    for child in _blocks(body):
        if child.tag == qn("w:tbl"):
            tables += 1
            rows += _table_rows(child, tables, name)
            if len(rows) > MAX_ROWS:
                raise _too_big(name, f"表格共超过 {MAX_ROWS} 行")
        elif child.tag == qn("w:p"):
            text = _text(child)
            if text:
                lines.append(text)
    return Grid(name, tuple(rows), tuple(lines))
