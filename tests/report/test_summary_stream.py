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
    book = load_workbook(io.BytesIO(summary_xlsx(rows)))
    sheet = book["汇总表"]
    header = [c.value for c in sheet[1]]
    assert sheet.max_row == 1201 and sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:N1201"  # 7 fixed + 3 一级 + 4 tail columns
    last = {h: c for h, c in zip(header, sheet[1201])}
    assert (last["单位名称"].value, last["单位名称"].data_type) == ("=1+1", "s")
    assert last["总分"].number_format == "0.00" and last["产出"].number_format == "0.00"
    assert last["等级"].number_format == "General" and last["年度"].number_format == "General"
    assert last["预算执行率（支出率）"].value is None and last["预算执行率（支出率）"].number_format == "0.00%"
    # unit-001199: 9000 + 1199 % 1000 hundredths = 91.99, as made_rows writes it
    assert Decimal(str(last["总分"].value)) == Decimal("91.99") and last["代号"].value == "unit-001199"
    # 示例市第1199区卫生健康局（部门整体支出）: 18 characters of width 2 and 4 digits, plus 2 of margin
    assert sheet.column_dimensions["B"].width == 18 * 2 + 4 + 2
    assert [c.value for c in book["等级分布"]["B"]][1:] == [300, 300, 300, 300]
