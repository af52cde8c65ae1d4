"""Finishing any Word document the pipeline writes: merged 一级/二级 cells and stable bytes."""
from __future__ import annotations

import datetime
import io
import zipfile

from docx.table import Table

MERGED_COLUMNS = ("一级指标", "二级指标", "三级指标")
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_DATE = datetime.datetime(2000, 1, 1)


def is_indicator_table(table: Table) -> bool:
    return bool(table.rows) and table.rows[0].cells[0].text.strip() == MERGED_COLUMNS[0]


def merge_hierarchy(table: Table) -> None:
    """Merge runs of equal cells down the 一级/二级 columns, each run within its parent's run."""
    header = [cell.text.strip() for cell in table.rows[0].cells]
    columns = [i for i, text in enumerate(header) if text in MERGED_COLUMNS][:-1]  # leaves are never merged
    texts = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    for position, column in enumerate(columns):
        keys = columns[: position + 1]
        start = 0
        for end in range(1, len(texts) + 1):
            if end < len(texts) and texts[start][column] and all(texts[end][k] == texts[start][k] for k in keys):
                continue
            if end - start > 1:
                merged = table.cell(start + 1, column).merge(table.cell(end, column))
                for extra in merged.paragraphs[1:]:  # merge() keeps every cell's text; one is enough
                    extra._p.getparent().remove(extra._p)
            start = end


def stable_zip(data: bytes) -> bytes:
    """Same content, same bytes: fixed timestamps and order in the .docx zip."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


def to_bytes(document) -> bytes:
    """The document saved with fixed dates, so the same inputs give the same file."""
    document.core_properties.created = document.core_properties.modified = FIXED_DATE
    out = io.BytesIO()
    document.save(out)
    return stable_zip(out.getvalue())
