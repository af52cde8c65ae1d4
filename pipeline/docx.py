"""Markdown to Word through pandoc, then the finishing pandoc cannot do: merged score cells, table text, stable bytes."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.oxml.ns import qn

from .docx_style import reference_docx
from .word import is_indicator_table, merge_hierarchy, to_bytes



def finish_tables(document) -> None:
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.style = document.styles["Table Text"]
        tbl_pr = table._tbl.tblPr
        width = tbl_pr.find(qn("w:tblW"))
        if width is not None:
            width.set(qn("w:type"), "pct")
            width.set(qn("w:w"), "5000")
        if is_indicator_table(table):
            merge_hierarchy(table)
        for cell in table.rows[0].cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True


def markdown_to_docx(markdown: str, reference: Path | None) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        ref = reference
        if ref is None:
            ref = Path(tmp) / "reference.docx"
            ref.write_bytes(reference_docx())
        target = Path(tmp) / "report.docx"
        pypandoc.convert_text(
            markdown, "docx", format="markdown+east_asian_line_breaks-smart", outputfile=str(target),
            extra_args=["--reference-doc", str(ref), "--shift-heading-level-by=-1"],
            sandbox=True,
        )
        document = Document(str(target))
    finish_tables(document)
    return to_bytes(document)
