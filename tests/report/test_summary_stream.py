"""汇总表.xlsx written as a stream: every row, the last as the first, keeps the formats, and the sheet's filter,
frozen panes and widths cover the whole table."""
from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pipeline.report.summary import summary_xlsx
from tools.bench_scale import made_rows


@pytest.mark.slow
def test_a_large_summary_keeps_its_formats_to_the_last_row():
    rows = made_rows(1200)
    rows[-1] = replace(rows[-1], name="=1+1", rate=None)  # a formula-like name and no rate, on the last row
    book = load_workbook(io.BytesIO(b"".join(summary_xlsx(rows))))
    sheet = book["汇总表"]
    header = [c.value for c in sheet[1]]
    assert sheet.max_row == 1201 and sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:P1201"  # the 16 columns of every unit; the 一级 scores on their own sheet
    last = {h: c for h, c in zip(header, sheet[1201])}
    assert (last["单位名称"].value, last["单位名称"].data_type) == ("=1+1", "s")
    assert last["总分"].number_format == "0.00" and last["全年预算数（万元）"].number_format == "0.00"
    scores = book["得分_national-dept-2021"]
    tail = {c.value: d for c, d in zip(scores[1], scores[1201])}
    assert scores.max_row == 1201 and tail["产出（20分）"].number_format == "0.00" and tail["产出（20分）"].value == 20
    # 履职效能 of unit-001199: 1199 % 5000 hundredths = 11.99 (of 50)
    assert Decimal(str(tail["履职效能（50分）"].value)) == Decimal("11.99")
    assert last["等级"].number_format == "General" and last["年度"].number_format == "General"
    assert last["预算执行率（支出率）"].value is None and last["预算执行率（支出率）"].number_format == "0.00%"
    # unit-001199: 9000 + 1199 % 1000 hundredths = 91.99, as made_rows writes it
    assert Decimal(str(last["总分"].value)) == Decimal("91.99") and last["代号"].value == "unit-001199"
    # 示例市第1199区卫生健康局（部门整体支出）: 18 characters of width 2 and 4 digits, plus 2 of margin
    assert sheet.column_dimensions["B"].width == 18 * 2 + 4 + 2
    assert [c.value for c in book["等级分布"]["B"]][1:] == [300, 300, 300, 300]


def test_a_failed_unit_has_its_row_with_the_reason_wrapped_and_no_scores():
    from pipeline.report.summary import failed_row

    reason = "inputs/bad/2024/unit.yaml：第3行：评价体系：找不到评价体系文件；现有评价体系：" + "、".join(["national-project-2020"] * 6)
    rows = [*made_rows(3), failed_row("bad", reason)]
    book = load_workbook(io.BytesIO(b"".join(summary_xlsx(rows))))
    sheet = book["汇总表"]
    header = {c.value: c.column_letter for c in sheet[1]}
    assert [sheet[f"{header[k]}5"].value for k in ("代号", "状态", "总分", "未生成的原因")] == ["bad", "未生成", None, reason]
    assert sheet[f"{header['未生成的原因']}5"].alignment.wrap_text and sheet.column_dimensions[header["未生成的原因"]].width == 50
    assert sheet.row_dimensions[5].height > 15  # the reason runs over several lines of its column
    assert [c.value for c in book["得分_national-dept-2021"]["A"]][1:] == ["unit-000000", "unit-000001", "unit-000002"]
    assert sum(c.value for c in book["等级分布"]["B"][1:]) == 3  # the chart counts the graded units


def test_a_framework_whose_first_level_is_named_like_a_column_moves_nothing():
    """A 一级 named 预算执行率（支出率） or 总分 lands on its framework's sheet; every unit's columns stay where they are."""
    odd = replace(made_rows(1)[0], framework="odd-2024", total=Decimal("47"), rate=Decimal("0.9822"),
                  blocks=(("预算执行率（支出率）", Decimal("47"), Decimal("50")), ("总分", Decimal("0"), Decimal("50"))))
    book = load_workbook(io.BytesIO(b"".join(summary_xlsx([made_rows(1)[0], odd]))))
    main_rows = [dict(zip([c.value for c in book["汇总表"][1]], [c.value for c in row])) for row in book["汇总表"].iter_rows(min_row=2)]
    assert [(r["总分"], r["预算执行率（支出率）"]) for r in main_rows] == [(90, 0), (47, 0.9822)]
    own = book["得分_odd-2024"]
    assert [c.value for c in own[1]] == ["代号", "单位名称", "总分", "预算执行率（支出率）（50分）", "总分（50分）"]
    assert [c.value for c in own[2]][2:] == [47, 47, 0]


@pytest.mark.slow
def test_twenty_thousand_rows_are_written_in_the_memory_of_a_few():
    """The writing step holds the file it makes, not the rows' cells: openpyxl's normal mode keeps every cell (551 MB
    for 100,000 rows, about 110 MB for 20,000) and the rows' XML alone is about 1.5 KB a row (30 MB here)."""
    import tracemalloc

    def peak(count: int) -> tuple[int, int]:
        rows = made_rows(count)  # the rows are the batch's, made before the step measured
        tracemalloc.start()
        try:
            size = len(b"".join(summary_xlsx(rows)))
            return tracemalloc.get_traced_memory()[1], size
        finally:
            tracemalloc.stop()

    b"".join(summary_xlsx(made_rows(10)))  # openpyxl's imports and first-use caches are not the rows' cost
    small, small_file = peak(2_000)
    large, large_file = peak(20_000)
    # the zip being written and the bytes handed back hold the file twice; all else stays under 8 MB
    assert large - 2 * large_file < 8_000_000
    # ten times the rows: the peak grows by the file's own bytes, plus under 2 MB
    assert large - small < 2 * (large_file - small_file) + 2_000_000
