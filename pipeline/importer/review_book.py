"""复核汇总.xlsx as finance staff print it: a row per form with its verdict, the same rows by 主管部门, every finding,
and the units that have not submitted; each sheet filtered, its header frozen and repeated, landscape on the page width."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..numbers import score
from ..report.spreadsheet import (
    LINE_HEIGHT,
    header_cells,
    printed,
    row_height,
    sheet_name,
    text_cells,
    width,
    workbook_pieces,
)
from .review_folder import Expected
from .reviewed import ERROR, HINT, MISMATCH, UNREADABLE, Reviewed

MONEY = SCORE = "0.00"
HEADER_LINES = 2  # a header may wrap onto this many lines rather than widen a column of figures
NAME, REASON = 16, 30  # widths a name and the reasons wrap within
MATCH = "评价体系"


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Reviewed], object]
    format: str | None = None
    wrapped: int = 0  # the width long text wraps within; 0: never wraps (figures, codes)


def _number(value: Decimal | None) -> float | None:
    # a workbook stores binary floats; two decimals survive the trip exactly as shown
    return None if value is None else float(score(value))


def _gap(r: Reviewed) -> float | None:
    return _number(r.computed - r.printed) if r.computed is not None and r.printed is not None else None


COLUMNS = (
    Column("文件", lambda r: r.file, wrapped=NAME), Column("类型", lambda r: r.kind),
    Column("单位", lambda r: r.unit, wrapped=NAME), Column("主管部门", lambda r: r.department, wrapped=NAME),
    Column("项目", lambda r: r.project, wrapped=NAME), Column("评价体系", lambda r: r.framework, wrapped=NAME),
    Column("全年预算数（万元）", lambda r: _number(r.budget), MONEY), Column("全年执行数（万元）", lambda r: _number(r.spent), MONEY),
    Column("印出总分", lambda r: _number(r.printed), SCORE), Column("计算总分", lambda r: _number(r.computed), SCORE),
    Column("差额", _gap, SCORE), Column("印出等级", lambda r: r.printed_grade), Column("计算等级", lambda r: r.grade),
    Column("上年得分", lambda r: _number(r.previous), SCORE),
    Column("错误", lambda r: r.count(ERROR)), Column("提示", lambda r: r.count(HINT)),
    Column("印出与计算不符", lambda r: r.count(MISMATCH)), Column("无法重算", lambda r: r.count(UNREADABLE)),
    Column("问题数", lambda r: r.problems()), Column("结论", lambda r: r.verdict()[0]),
    Column("理由", lambda r: "；".join(r.verdict()[1]), wrapped=REASON), Column("状态", lambda r: r.status, wrapped=NAME),
)  # how each form's framework was chosen is the first line of its findings
FINDING_HEADERS = ("文件", "类别", "位置", "项目", "印出", "计算", "说明")
MISSING_HEADERS = ("单位名称", "主管部门")


def workbook(reviewed: Iterable[Reviewed], absent: list[Expected] | None = None,
             departments: Sequence[tuple[str, Iterable[Reviewed]]] | None = None) -> Iterator[bytes]:
    """Written as a stream (openpyxl's write-only mode), the file in pieces: a folder of 100,000 forms takes the memory
    of a few. `reviewed` is read several times over (a list, or the review's spool); `departments`: each 主管部门's
    forms in the same way, where an index finds them (by default, picked out of `reviewed`)."""
    from openpyxl import Workbook  # 0.2 s to import: only the commands that write a workbook pay it
    book = Workbook(write_only=True)
    columns = [c for c in COLUMNS if c.title != "上年得分" or any(r.previous is not None for r in reviewed)]
    taken = {"汇总", "问题明细", "未报送"}
    _table(book.create_sheet("汇总"), columns, reviewed)
    if departments is None:
        departments = [(d, [r for r in reviewed if r.department == d])
                       for d in dict.fromkeys(r.department for r in reviewed if r.department)]
    if len(departments) > 1:  # each 主管部门's forms on a sheet of its own, to hand over or print apart
        for department, forms in departments:
            _table(book.create_sheet(sheet_name(department, taken)), columns, forms)
    count = sum(bool(r.match) + len(r.findings) for r in reviewed)
    _rows(book.create_sheet("问题明细"), FINDING_HEADERS, _findings(reviewed), {0, 2, 3, 6},
          (NAME + 2, 14, 20, 24, 10, 10, 50), count=count)
    if absent is not None:
        _rows(book.create_sheet("未报送"), MISSING_HEADERS, [[e.name, e.department] for e in absent], {0, 1}, (40, 30))
    return workbook_pieces(book)


def _findings(reviewed: Iterable[Reviewed]) -> Iterator[list]:
    """How each form's framework was chosen, then its findings."""
    for r in reviewed:
        if r.match:
            yield [r.file, MATCH, "", "评价体系", "", "", r.match]
        for f in r.findings:
            yield [r.file, *f]


def _table(sheet, columns: list[Column], reviewed: Iterable[Reviewed]) -> None:
    """Widths that fit: a column of figures as wide as its widest figure (its header wraps), one of text as its text
    up to the width it wraps within."""
    count, data = 0, [0] * len(columns)
    for r in reviewed:  # a streamed sheet's widths come before its first row
        count += 1
        data = [max(widest, width(_shown(c.value(r), c.format))) for widest, c in zip(data, columns)]
    widths = []
    for widest, c in zip(data, columns):
        title = -(-width(c.title) // HEADER_LINES)
        widths.append(min(max(widest, title), c.wrapped) if c.wrapped else max(widest, title))
    _rows(sheet, [c.title for c in columns], ([c.value(r) for c in columns] for r in reviewed),
          {i for i, c in enumerate(columns) if c.wrapped}, [w + 2 for w in widths],
          {i: c.format for i, c in enumerate(columns) if c.format}, count)


def _shown(value, number_format: str | None):
    return f"{value:.2f}" if number_format and isinstance(value, float) else value


def _rows(sheet, headers, lines: Iterable[list], wrapped: set[int], widths, formats: dict[int, str] | None = None,
          count: int | None = None) -> None:
    """The sheet's header and `lines` (`count` of them: a list's length by default), each row as high as its wrapped
    text needs."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    for column, w in enumerate(widths, 1):  # a streamed sheet's widths come before its first row
        sheet.column_dimensions[get_column_letter(column)].width = max(w, 6)
    printed(sheet, len(headers), (len(lines) if count is None else count) + 1)  # type: ignore[arg-type]
    _append(sheet, header_cells(sheet, list(headers), centred=True), 1, row_height(headers, range(len(headers)), widths))
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for number, line in enumerate(lines, 2):
        row = [cell if hasattr(cell, "alignment") else WriteOnlyCell(sheet, cell) for cell in text_cells(sheet, line, formats)]
        for i, cell in enumerate(row):
            cell.alignment = wrap if i in wrapped else top  # a tall row's figures at its top, beside the text
        _append(sheet, row, number, row_height(line, wrapped, widths))


def _append(sheet, row: list, number: int, height: int) -> None:
    """A streamed row is written as it is appended: its height is set just before, and let go after."""
    if height > LINE_HEIGHT:
        sheet.row_dimensions[number].height = height
    sheet.append(row)
    sheet.row_dimensions.pop(number, None)
