"""The bureau's summary of a batch (汇总表): one row per unit, as an Excel workbook and a CSV file."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..figures.compute import Figures
from ..figures.numbers import q2
from ..figures.recheck import Finding
from ..figures.score import Scores
from ..inputs import models as m
from ..inputs.kinds import KINDS
from .spreadsheet import header_cells, text_cells, workbook_bytes

SCORE_FORMAT = "0.00"
RATE_FORMAT = "0.00%"  # Excel's own percent format: the cell holds the fraction, 0.9822 shows as 98.22%
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    """What the bureau reads of one built unit; small, so that a worker process can hand it back."""

    dept: str
    name: str
    kind: str  # 部门整体支出 / 项目支出
    year: int
    framework: str
    total: Decimal
    grade: str
    grades: tuple[str, ...]  # the framework's grades, best first, to order the chart
    blocks: tuple[tuple[str, Decimal], ...]  # each 一级 indicator and its score
    rate: Decimal | None  # 预算执行率 or 支出率, a fraction
    errors: int  # re-check findings of severity 错误
    notes: int  # re-check findings of severity 提示
    mismatches: int  # figures the unit typed that differ from the computed ones


def summary_row(dept: str, inputs: m.Inputs, figures: Figures, scores: Scores, findings: list[Finding],
                mismatches: int) -> Row:
    measure = figures.measures.get(KINDS[inputs.unit.kind].execution)
    rate = measure.value if measure else None
    errors = sum(f.severity == "错误" for f in findings)
    unit = inputs.unit
    return Row(dept, unit.name, KINDS[unit.kind].label, unit.year, unit.framework, scores.total, scores.grade,
               tuple(g.name for g in inputs.framework.grades), tuple((b.name, b.points) for b in scores.blocks),
               rate, errors, len(findings) - errors, mismatches)


def block_names(rows: list[Row]) -> list[str]:
    """Every 一级 indicator of every framework in the batch, in the order first met."""
    return list(dict.fromkeys(name for row in rows for name, _ in row.blocks))


def grade_order(rows: list[Row]) -> list[str]:
    seen = list(dict.fromkeys(g for row in rows for g in row.grades))
    return seen + sorted({row.grade for row in rows} - set(seen))


FIXED = ("代号", "单位名称", "报告类型", "年度", "评价体系", "总分", "等级")
TAIL = ("预算执行率（支出率）", "复核错误", "复核提示", "填报不一致")


def table(rows: list[Row]) -> tuple[list[str], list[list]]:
    header, lines = streamed(rows)
    return header, list(lines)


def streamed(rows: list[Row]) -> tuple[list[str], Iterator[list]]:
    """The header, and each unit's line made as it is written: a summary of 100,000 units is never held twice."""
    blocks = block_names(rows)

    def lines() -> Iterator[list]:
        for row in rows:
            scores = dict(row.blocks)
            yield [row.dept, row.name, row.kind, row.year, row.framework, row.total, row.grade,
                   *(scores.get(b) for b in blocks), row.rate, row.errors, row.notes, row.mismatches]
    return [*FIXED, *blocks, *TAIL], lines()


def summary_csv(rows: list[Row]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel on Chinese Windows opens it right; rates in percent."""
    header, body = table(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h + "（%）" if h == TAIL[0] else h for h in header])
    rate_column = header.index(TAIL[0])
    for line in body:
        line[rate_column] = None if line[rate_column] is None else q2(line[rate_column] * 100)
        writer.writerow(["" if v is None else inert(v) for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def inert(value):
    """Text a spreadsheet would take for a formula (=, +, -, @ first) starts with an apostrophe in the CSV."""
    return "'" + value if isinstance(value, str) and value[:1] in FORMULA_STARTS else value


def summary_xlsx(rows: list[Row]) -> bytes:
    """Frozen header, widths to the text, scores with two decimals, rates in percent, and a chart of the grades;
    written as a stream (openpyxl's write-only mode), so 100,000 units take the memory of a few."""
    # openpyxl costs 0.2 s to import: only the batch's summary pays it, never a single report
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    header, lines = streamed(rows)
    widths = [_width(h) for h in header]
    for line in lines:  # a first pass for the widths, which a streamed sheet must know before its first row
        widths = [max(w, _width(v)) for w, v in zip(widths, line)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("汇总表")
    for column, widest in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(widest + 2, 8), 50)
    sheet.freeze_panes = "C2"  # the header row and the unit's code and name stay in view
    sheet.append(header_cells(sheet, header, centred=True))
    first_score, rate_column = header.index("总分"), header.index(TAIL[0])
    formats = {c: SCORE_FORMAT for c in range(first_score, rate_column) if c != first_score + 1}
    formats[rate_column] = RATE_FORMAT
    for line in streamed(rows)[1]:
        sheet.append(text_cells(sheet, line, formats))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    _grade_chart(book, rows)
    return workbook_bytes(book)


def _grade_chart(book, rows: list[Row]) -> None:
    from openpyxl.chart import BarChart, Reference
    sheet = book.create_sheet("等级分布")
    sheet.append(header_cells(sheet, ["等级", "单位数"]))
    grades = grade_order(rows)
    for name in grades:
        sheet.append(text_cells(sheet, [name, sum(row.grade == name for row in rows)]))
    chart = BarChart()
    chart.title, chart.y_axis.title, chart.x_axis.title = "各等级单位数", "单位数", "等级"
    chart.legend = None
    last = len(grades) + 1
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    sheet.add_chart(chart, "D2")


def _width(value) -> int:
    """Columns as wide as their text: a Chinese character takes two widths of a digit."""
    text = "" if value is None else str(value)
    if text.isascii():  # codes, numbers and dates: most cells of a large summary
        return len(text)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
