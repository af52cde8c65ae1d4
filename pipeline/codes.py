"""The short code of each kind of problem, finding and difference, as frictionless names its errors: checks.json can
be filtered by it and tests assert it instead of a message. A published code never changes and is never given to
another kind; the review rules' codes sit with the rules (inputs/review_rules.py). docs/reference.md lists them all."""
from __future__ import annotations

INVALID_INPUT = "invalid-input"
# what is wrong with a unit's files, by kind (an input problem none of these names keeps invalid-input)
MISSING_FILE = "missing-file"
FILE_REFUSED = "file-refused"
UNKNOWN_UNIT = "unknown-unit"
UNKNOWN_YEAR = "unknown-year"
BAD_ENCODING = "bad-encoding"
BAD_YAML = "bad-yaml"
BAD_CSV = "bad-csv"
BAD_WORKBOOK = "bad-workbook"
BAD_CELL = "bad-cell"
OVER_LIMIT = "over-limit"
FILLED_TWICE = "filled-twice"
MISSING_KEY = "missing-key"
MISSING_COLUMN = "missing-column"
MISSING_VALUE = "missing-value"
UNKNOWN_KEY = "unknown-key"
UNKNOWN_COLUMN = "unknown-column"
BAD_NUMBER = "bad-number"
BAD_DATE = "bad-date"
BAD_CHOICE = "bad-choice"
BAD_FORMAT = "bad-format"
OUT_OF_RANGE = "out-of-range"
WRONG_COUNT = "wrong-count"
DUPLICATE_ROW = "duplicate-row"
DUPLICATE_COLUMN = "duplicate-column"
UNKNOWN_INDICATOR = "unknown-indicator"
AMBIGUOUS_INDICATOR = "ambiguous-indicator"
MISSING_INDICATOR = "missing-indicator"
WEIGHTS_DIFFER = "weights-differ"
BAD_RULE = "bad-rule"
BAD_FORMULA = "bad-formula"
BAD_FRAMEWORK = "bad-framework"
FRAMEWORK_MISMATCH = "framework-mismatch"
YEAR_MISMATCH = "year-mismatch"
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
    INVALID_INPUT: ("问题", "输入不合要求，且不属于以下各类"),
    MISSING_FILE: ("问题", "必需的文件或数据表不存在"),
    FILE_REFUSED: ("问题", "文件不能读取：在单位文件夹以外、是符号链接、不是普通文件或没有读取权限"),
    UNKNOWN_UNIT: ("问题", "没有这个单位"),
    UNKNOWN_YEAR: ("问题", "单位没有这一年度（或任何年度）的文件夹"),
    BAD_ENCODING: ("问题", "文件编码无法识别"),
    BAD_YAML: ("问题", "YAML 文件的格式有误（缩进、冒号、重复的键、不可见字符）"),
    BAD_CSV: ("问题", "CSV 文件的结构有误（没有表头、引号不成对、一行的格数多于表头）"),
    BAD_WORKBOOK: ("问题", "工作簿无法读取，或其中的工作表不可用"),
    BAD_CELL: ("问题", "工作簿单元格是错误值，或公式没有计算结果"),
    OVER_LIMIT: ("问题", "文件、行数、列数或单元格超过上限"),
    FILLED_TWICE: ("问题", "同一份数据填在了两处"),
    MISSING_KEY: ("问题", "缺少必填的键"),
    MISSING_COLUMN: ("问题", "数据表缺少必需的列"),
    MISSING_VALUE: ("问题", "必填的单元格或值为空"),
    UNKNOWN_KEY: ("问题", "未知的键或名称"),
    UNKNOWN_COLUMN: ("问题", "数据表中有未知的列"),
    BAD_NUMBER: ("问题", "不是有效的数字、整数或金额"),
    BAD_DATE: ("问题", "不是有效的日期"),
    BAD_CHOICE: ("问题", "取值不在可选范围内"),
    BAD_FORMAT: ("问题", "值的格式或类型不对（文字、列表、映射、编号的写法）"),
    OUT_OF_RANGE: ("问题", "数值超出允许的范围"),
    WRONG_COUNT: ("问题", "列表的项数不对"),
    DUPLICATE_ROW: ("问题", "同一名称或编号出现在两行"),
    DUPLICATE_COLUMN: ("问题", "表头中有重复的列名"),
    UNKNOWN_INDICATOR: ("问题", "评价体系中没有这个指标"),
    AMBIGUOUS_INDICATOR: ("问题", "指标名称对应评价体系中的多个指标"),
    MISSING_INDICATOR: ("问题", "评价体系需要的一类指标在指标表中没有"),
    WEIGHTS_DIFFER: ("问题", "各指标权重之和与上级权重或总分不符"),
    BAD_RULE: ("问题", "评价体系中评分规则的参数不合要求"),
    BAD_FORMULA: ("问题", "测算指标的公式有误"),
    BAD_FRAMEWORK: ("问题", "评价体系的结构不合要求（版本、层级、名称）"),
    FRAMEWORK_MISMATCH: ("问题", "评价体系不适用于这个单位的报告类型或年度"),
    YEAR_MISMATCH: ("问题", "unit.yaml 的年度与所在文件夹不符"),
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
