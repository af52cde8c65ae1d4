"""The short code of each kind of problem, finding and difference, as frictionless names its errors: checks.json can
be filtered by it and tests assert it instead of a message. A published code never changes and is never given to
another kind; the review rules' codes sit with the rules (inputs/review_rules.py). docs/reference.md lists them all."""
from __future__ import annotations

INVALID_INPUT = "invalid-input"
MISSING_SCORE_INPUT = "missing-score-input"
UNREAD_TEXT_KEY = "unread-text-key"
LAST_YEAR_UNREADABLE = "last-year-unreadable"
EMPTY_TABLE = "empty-table"
ROUNDING_DIFFERENCE = "rounding-difference"
ZERO_BUDGET_SPENT = "zero-budget-spent"
BUDGET_OVERRUN = "budget-overrun"
FUNDS_SPENT_OVER_RECEIVED = "funds-spent-over-received"
BUDGET_ADJUSTMENT_UNEXPLAINED = "budget-adjustment-unexplained"
DECLARED_TOTAL_DIFFERS = "declared-total-differs"
BUDGET_LINE_PARTS_DIFFER = "budget-line-parts-differ"
SPENDING_PARTS_DIFFER = "spending-parts-differ"
PUBLISHED_TOTAL_DIFFERS = "published-total-differs"
PUBLISHED_GRADE_DIFFERS = "published-grade-differs"
PUBLISHED_BLOCK_DIFFERS = "published-block-differs"
PUBLISHED_ITEM_DIFFERS = "published-item-differs"
PUBLISHED_ITEM_AMBIGUOUS = "published-item-ambiguous"
PUBLISHED_SCORE_RATE_DIFFERS = "published-score-rate-differs"
PUBLISHED_RATE_DIFFERS = "published-rate-differs"
MANUAL_SCORE_OFF_STANDARD = "manual-score-off-standard"
SELF_SCORE_DIFFERS = "self-score-differs"
QUOTE_MISMATCH = "quote-mismatch"
CHANGE_RATE_MISMATCH = "change-rate-mismatch"

# code → what it names (问题: stops or warns a run; 核对: a figure the unit entered that the computation does not
# confirm, in checks.md's table; 发现: a finding of the narrative's figures)
CODES: dict[str, tuple[str, str]] = {
    INVALID_INPUT: ("问题", "输入文件、列、键或数值不合要求（格式、范围、缺项、上限）"),
    MISSING_SCORE_INPUT: ("问题", "评分规则需要的数据没有填写"),
    UNREAD_TEXT_KEY: ("问题", "正文中报告模板不读的键"),
    LAST_YEAR_UNREADABLE: ("问题", "上年数据有误，报告不作同比"),
    EMPTY_TABLE: ("问题", "资金表只有表头，没有数据行"),
    ROUNDING_DIFFERENCE: ("问题", "合计与明细之和相差一分（尾差）"),
    ZERO_BUDGET_SPENT: ("问题", "全年预算数为 0，却有支出或到位"),
    BUDGET_OVERRUN: ("问题", "决算数超过全年预算数（超出容差）"),
    FUNDS_SPENT_OVER_RECEIVED: ("问题", "项目资金已支出超过到位数"),
    BUDGET_ADJUSTMENT_UNEXPLAINED: ("问题", "全年预算数与年初预算数不同，正文未写预算调整原因"),
    DECLARED_TOTAL_DIFFERS: ("核对", "声明的合计数与各单位明细之和不符"),
    BUDGET_LINE_PARTS_DIFFER: ("核对", "一行的决算数与基本支出、项目支出之和不符"),
    SPENDING_PARTS_DIFFER: ("核对", "支出分类之和与决算数合计不符"),
    PUBLISHED_TOTAL_DIFFERS: ("核对", "已公布的总分与计算不符"),
    PUBLISHED_GRADE_DIFFERS: ("核对", "已公布的等级与计算不符"),
    PUBLISHED_BLOCK_DIFFERS: ("核对", "已公布的一级指标得分与计算不符"),
    PUBLISHED_ITEM_DIFFERS: ("核对", "已公布的指标得分与计算不符"),
    PUBLISHED_ITEM_AMBIGUOUS: ("核对", "已公布得分的指标名称对应多个指标"),
    PUBLISHED_SCORE_RATE_DIFFERS: ("核对", "已公布的一级指标得分率与计算不符"),
    PUBLISHED_RATE_DIFFERS: ("核对", "已公布的比率与计算不符"),
    MANUAL_SCORE_OFF_STANDARD: ("核对", "人工评分与评分标准给出的得分不符"),
    SELF_SCORE_DIFFERS: ("核对", "自评得分与按规则计算的得分不符"),
    QUOTE_MISMATCH: ("发现", "叙述中手写的数与计算结果不符"),
    CHANGE_RATE_MISMATCH: ("发现", "同比增减率与两年数字不符"),
}
