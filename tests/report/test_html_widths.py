"""The HTML score table takes the Word report's column proportions (a long 评分标准 gets the room, 分值 little),
not equal columns; other tables are left to the browser."""
from __future__ import annotations

import lxml.html

from pipeline.report.html import markdown_to_html
from pipeline.report.word.tables import score_table_shares

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分", "扣分原因"]
RULE = "完成年度目标得满分；每低于目标值一个百分点扣该项分值的百分之五，扣完为止，并说明未完成的原因和整改措施"


def score_rows(leaves: int) -> list[list[str]]:
    """A unit unlike the bundled ones: many leaves, long names, one long rule, reasons on some rows only."""
    return [[f"产出指标{i // 12 + 1}", f"数量指标{i // 4 + 1}", f"城乡居民基本公共卫生服务项目第{i + 1}项任务完成率",
             "2", RULE, "1.50" if i % 3 else "2.00", "" if i % 3 == 0 else "部分乡镇卫生院人员不足，随访未按季度完成"]
            for i in range(leaves)]


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


def col_widths(html: bytes) -> list[float]:
    table = lxml.html.fromstring(html).xpath("//table")[0]
    return [float(col.get("style").split(":")[1].strip().rstrip("%")) for col in table.xpath("./colgroup/col")]


def test_score_table_columns_take_the_word_plan_proportions():
    rows = score_rows(31)
    got = col_widths(markdown_to_html(markdown(rows), ""))
    planned = score_table_shares([HEADER] + rows)
    assert got == [round(share, 1) for share in planned]
    assert abs(sum(got) - 100) < 0.5
    by = dict(zip(HEADER, got))
    # the 44-character rule and the 20-character reasons need the room; 分值 ("2") and 得分 ("1.50") the least
    assert by["评分标准"] > by["三级指标"] > by["分值"]
    assert by["扣分原因"] > by["得分"]
    assert max(got) > 2 * min(got)  # not equal columns


def test_a_table_that_is_no_score_table_keeps_pandocs_columns():
    html = markdown_to_html("| 项目 | 金额 |\n|---|---|\n| 基本支出 | 12.00 |\n", "")
    assert lxml.html.fromstring(html).xpath("//table") and not lxml.html.fromstring(html).xpath("//table/colgroup")
