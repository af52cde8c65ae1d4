"""The bureau's summary of a batch (汇总表): one row per unit, as an Excel workbook and a CSV file."""
from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..evaluation import Evaluation
from ..inputs.kinds import KINDS
from ..numbers import plain, q2
from .spreadsheet import (
    A4,
    ROWS_AT_ONCE,
    cell_style,
    header_cells,
    printed,
    row_height,
    rows_xml,
    sheet_name,
    text_cells,
    width,
    workbook_pieces,
)

SCORE_FORMAT = MONEY_FORMAT = "0.00"
BUILT, FAILED = "已生成", "未生成"
REASON_TITLE = "未生成的原因"
WIDEST = 50  # a column's width at most; a failed unit's reason wraps within it
CHART_ROWS = 20  # the rows the grade chart covers, printed with it
RATE_FORMAT = "0.00%"  # Excel's own percent format: the cell holds the fraction, 0.9822 shows as 98.22%
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    """What the bureau reads of one unit, built or not; small, so that a worker process can hand it back."""

    dept: str
    name: str = ""
    kind: str = ""  # 部门整体支出 / 项目支出
    year: int | None = None
    framework: str = ""
    total: Decimal | None = None
    grade: str = ""
    grades: tuple[str, ...] = ()  # the framework's grades, best first, to order the chart
    blocks: tuple[tuple[str, Decimal, Decimal], ...] = ()  # each 一级 indicator: name, score, weight
    rate: Decimal | None = None  # 预算执行率 or 支出率, a fraction
    errors: int | None = None  # re-check findings of severity 错误
    notes: int | None = None  # re-check findings of severity 提示
    mismatches: int | None = None  # figures the unit typed that differ from the computed ones
    department: str = ""  # 主管部门
    budget: Decimal | None = None  # 全年预算数, 万元
    spent: Decimal | None = None  # 决算数 (spent), 万元
    status: str = BUILT
    message: str = ""  # a failed unit's first message


def summary_row(evaluation: Evaluation) -> Row:
    inputs, figures, scores, findings = evaluation.inputs, evaluation.figures, evaluation.scores, evaluation.findings
    measure = figures.measures.get(KINDS[inputs.unit.kind].execution)
    rate = measure.value if measure else None
    errors = sum(f.severity == "错误" for f in findings)
    unit = inputs.unit
    weights = {node.id: node.weight for node in inputs.framework.indicators}  # as framed, before any rescaling
    return Row(evaluation.dept, unit.name, KINDS[unit.kind].label, unit.year, unit.framework, scores.total, scores.grade,
               tuple(g.name for g in inputs.framework.grades), tuple((b.name, b.points, weights.get(b.id, b.weight)) for b in scores.blocks),
               rate, errors, len(findings) - errors, len(evaluation.checks), unit.department,
               figures.base.get("全年预算数"), figures.base.get("决算数"))


def row_record(row: Row) -> tuple:
    """A row as plain values, its figures as text, for the batch's spool (which reads
    every row several times over). row_from_record gives the same row back."""
    return (row.dept, row.name, row.kind, row.year, row.framework, _text(row.total), row.grade, row.grades,
            tuple((name, str(points), str(weight)) for name, points, weight in row.blocks), _text(row.rate), row.errors,
            row.notes, row.mismatches, row.department, _text(row.budget), _text(row.spent), row.status, row.message)


def row_from_record(r: tuple) -> Row:
    return Row(r[0], r[1], r[2], r[3], r[4], _figure(r[5]), r[6], r[7],
               tuple((name, Decimal(points), Decimal(weight)) for name, points, weight in r[8]), _figure(r[9]), r[10],
               r[11], r[12], r[13], _figure(r[14]), _figure(r[15]), r[16], r[17])


def _text(figure: Decimal | None) -> str | None:
    return None if figure is None else str(figure)


def _figure(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def failed_row(dept: str, message: str) -> Row:
    """A unit that was not built still has its line, with why."""
    return Row(dept, status=FAILED, message=message)


@dataclass(frozen=True)
class Column:
    key: str  # the Row field it shows
    title: str
    format: str | None = None  # the workbook's number format
    percent: bool = False  # a fraction, shown in percent in the CSV


COLUMNS = (Column("dept", "代号"), Column("name", "单位名称"), Column("department", "主管部门"), Column("kind", "报告类型"),
           Column("year", "年度"), Column("framework", "评价体系"), Column("status", "状态"),
           Column("budget", "全年预算数（万元）", MONEY_FORMAT), Column("spent", "决算数（万元）", MONEY_FORMAT),
           Column("rate", "预算执行率（支出率）", RATE_FORMAT, True), Column("total", "总分", SCORE_FORMAT),
           Column("grade", "等级"), Column("errors", "复核错误"), Column("notes", "复核提示"),
           Column("mismatches", "填报不一致"), Column("message", REASON_TITLE))


@dataclass(frozen=True)
class Survey:
    """What the workbook needs of all the rows before writing any (a streamed sheet's widths come before its first
    row): gathered in one pass, its size that of the batch's frameworks and grades, not of its units."""

    count: int
    widths: list[int]  # each column's widest cell as shown, its title included
    tall: bool  # a failed unit's reason is there to wrap
    frameworks: dict[str, list[tuple[str, Decimal]]]  # each framework → its 一级 indicators (name, weight)
    scored: dict[str, int]  # each framework → its units with 一级 scores
    score_widths: dict[str, dict]  # each framework → the widest of 代号, 单位名称, 总分 and each indicator's score
    grades: list[str]  # the grades in the order of the frameworks (best first), then any other alphabetically
    graded: dict[str, int]  # each grade → its units


def survey(rows: Iterable[Row]) -> Survey:
    """Frameworks in the order first met: scores are compared only within one framework (a 10-point 产出 of one is
    not the 40-point 产出 of another)."""
    count, tall, seen, other = 0, False, {}, set()
    found: dict[str, dict[tuple[str, Decimal], None]] = {}  # an ordered set of each framework's 一级
    scored: dict[str, int] = {}
    graded: dict[str, int] = {}
    formats, reason = [c.format for c in COLUMNS], [c.title for c in COLUMNS].index(REASON_TITLE)
    widths, score_widths = [width(c.title) for c in COLUMNS], dict[str, dict]()
    for row in rows:
        line = _line(row)
        count += 1
        widths = list(map(max, widths, map(width, map(_shown, line, formats))))
        tall = tall or bool(line[reason])
        if row.blocks:
            found.setdefault(row.framework, {}).update((b[0::2], None) for b in row.blocks)
            scored[row.framework] = scored.get(row.framework, 0) + 1
            widest = score_widths.setdefault(row.framework, {})
            for key, value in (("代号", row.dept), ("单位名称", row.name), ("总分", _shown(row.total, SCORE_FORMAT)),
                               *((b[0::2], _shown(b[1], SCORE_FORMAT)) for b in row.blocks)):
                widest[key] = max(widest.get(key, 0), width(value))
        seen.update(dict.fromkeys(row.grades))
        if row.grade:
            other.add(row.grade)
            graded[row.grade] = graded.get(row.grade, 0) + 1
    return Survey(count, widths, tall, {name: list(blocks) for name, blocks in found.items()}, scored, score_widths,
                  list(seen) + sorted(other - set(seen)), graded)


def lines(rows: Iterable[Row]) -> Iterator[list]:
    """Each unit's line, made as it is written: a summary of 100,000 units is never held twice."""
    return map(_line, rows)


def _line(row: Row) -> list:
    return [getattr(row, column.key) for column in COLUMNS]


def summary_csv(rows: Iterable[Row]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so that Excel on Chinese Windows opens it right; rates in percent. The 一级 scores
    are in the workbook, a sheet per framework. Made in pieces of ROWS_AT_ONCE lines, to be written as they come."""
    out = io.StringIO("\ufeff")
    out.seek(0, io.SEEK_END)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.title + ("（%）" if c.percent else "") for c in COLUMNS])
    for number, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else inert(q2(v * 100) if c.percent else q2(v) if c.format else v)
                         for c in COLUMNS for v in [getattr(row, c.key)]])
        if number % ROWS_AT_ONCE == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def inert(value):
    """Text a spreadsheet would take for a formula (=, +, -, @ first) starts with an apostrophe in the CSV."""
    return "'" + value if isinstance(value, str) and value[:1] in FORMULA_STARTS else value


def summary_xlsx(rows: Iterable[Row]) -> Iterator[bytes]:
    """A line per unit (状态 and why a failed one was not built), a sheet of 一级 scores per framework, and a chart of
    the grades; written as a stream (openpyxl's write-only mode, the rows made as XML), so 100,000 units take the
    memory of a few. `rows` is read several times over (a list, or a batch's spool); the file comes in pieces."""
    # openpyxl costs 0.2 s to import: only the batch's summary pays it, never a single report
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    taken = {"汇总表", "等级分布"}
    found = survey(rows)
    bodies = [_table(book.create_sheet("汇总表"), [c.title for c in COLUMNS], [c.format for c in COLUMNS], found.count,
                     lambda: lines(rows), found.widths, found.tall)]
    for framework, blocks in found.frameworks.items():
        titles = ["代号", "单位名称", "总分", *(f"{name}（{plain(weight)}分）" for name, weight in blocks)]
        formats = [None, None, SCORE_FORMAT, *(SCORE_FORMAT for _ in blocks)]
        widest = found.score_widths[framework]
        widths = [max(width(t), widest.get(key, 0)) for t, key in zip(titles, ["代号", "单位名称", "总分", *blocks])]
        bodies.append(_table(book.create_sheet(sheet_name(f"得分_{framework}", taken)), titles, formats,
                             found.scored[framework], functools.partial(_score_lines, rows, framework, blocks), widths))
    _grade_chart(book, found)
    return workbook_pieces(book, bodies)


def _score_lines(rows: Iterable[Row], framework: str, blocks: list[tuple[str, Decimal]]) -> Iterator[list]:
    return (_scores(row, blocks) for row in rows if row.framework == framework and row.blocks)


def _scores(row: Row, blocks: list[tuple[str, Decimal]]) -> list:
    mine = {(name, weight): points for name, points, weight in row.blocks}
    return [row.dept, row.name, row.total, *(mine.get(block) for block in blocks)]


def _table(sheet, titles: list[str], formats: list[str | None], count: int, body: Callable[[], Iterator[list]],
           widths: list[int], tall: bool = False) -> tuple[object, Iterator[bytes]]:
    """One printed table, each column as wide as its widest cell as shown (`widths`, from the survey) within bounds;
    a failed unit's reason wraps within its column (`tall`: there is one), its row as high as the reason needs. Gives
    the sheet and its rows for workbook_bytes."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    wrapped = {titles.index(REASON_TITLE)} if REASON_TITLE in titles else set()
    widths = [min(max(widest + 2, 8), WIDEST) for widest in widths]
    for column, w in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = w
    printed(sheet, len(titles), count + 1, freeze="C2")  # the header row and the unit's code and name stay in view
    sheet.append(header_cells(sheet, titles, centred=True))
    if not count:
        return sheet, iter(())
    # each style registered once, in the order openpyxl met them cell by cell: the same styles.xml as before
    styles = [cell_style(sheet, f) for f in formats]
    wrap = Alignment(wrap_text=True, vertical="top")
    wraps = {i: cell_style(sheet, formats[i], wrap) for i in wrapped} if tall else {}
    return sheet, rows_xml(body(), styles, wraps=wraps, height=lambda line: row_height(line, wrapped, widths))


def _shown(value, number_format: str | None):
    """A cell as the sheet shows it, for its width: 0.98216 in percent is 98.22%."""
    if number_format is None or not isinstance(value, Decimal):
        return value
    return f"{q2(value * 100)}%" if number_format == RATE_FORMAT else q2(value)


def _grade_chart(book, found: Survey) -> None:
    from openpyxl.chart import BarChart, Reference
    sheet = book.create_sheet("等级分布")
    # the counts and the chart on one landscape page: the chart (16 × 9 cm from D2) ends near column L, row 20
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", A4
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    grades = found.grades
    sheet.print_area = f"A1:L{max(CHART_ROWS, len(grades) + 1)}"
    sheet.append(header_cells(sheet, ["等级", "单位数"]))
    for name in grades:
        sheet.append(text_cells(sheet, [name, found.graded.get(name, 0)]))
    chart = BarChart()
    chart.title, chart.y_axis.title, chart.x_axis.title = "各等级单位数", "单位数", "等级"
    chart.legend = None
    chart.width, chart.height = 16, 9
    chart.y_axis.scaling.min = 0  # bars from zero, or 12 against 13 looks like half
    chart.y_axis.majorUnit = max(1, -(-max((found.graded.get(g, 0) for g in grades), default=0) // 10))
    last = len(grades) + 1
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    sheet.add_chart(chart, "D2")

