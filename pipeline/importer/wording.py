"""How forms word their headers and row labels: one table of synonyms per field, compared after full-width forms,
white space and bracketed notes are dropped (分值（分） is 分值). A name ending in * matches as a prefix.

To teach the importer a bureau's wording, add it to the field's tuple here; docs/guide.md lists where this file is.
"""
from __future__ import annotations

from ..inputs.models import FORM_FUND_LABELS, FORM_FUNDS_TOTAL

# the 自评表's header: label → unit.yaml key (the value stands in the next cell, or after a colon in the same one)
HEADER_KEYS = {"项目名称": ("项目名称",), "主管部门": ("主管部门", "主管部门及代码", "主管单位"),
               "实施单位": ("实施单位", "项目实施单位", "项目单位", "填报单位", "实施单位盖章", "填报单位盖章"),
               "项目负责人": ("项目负责人",), "联系电话": ("联系电话", "联系方式")}

# the funds table's columns
FUNDS_COLUMNS = {"initial": ("年初预算数", "年初预算", "年初预算金额", "年初安排数", "年初预算安排数"),
                 "budget": ("全年预算数", "全年预算", "调整后预算数", "调整后预算", "调整预算数", "全年预算金额", "预算数",
                            "全年预算安排数"),
                 "actual": ("全年执行数", "全年执行", "执行数", "预算执行数", "实际执行数", "实际支出数", "实际支出", "全年支出数",
                            "支出数", "决算数"),
                 "weight": ("分值", "权重"), "rate": ("执行率", "预算执行率", "全年执行率"), "points": ("得分", "自评得分")}
# columns of the funds table that hold words, not figures: read, and listed as not imported
FUNDS_TEXT_COLUMNS = ("原因", "偏差原因", "备注", "说明", "未完成原因", "偏差原因分析")
# the funds table's rows: the total, and each source's nature as funds.csv takes it (the printed name is kept as 资金来源)
FUNDS_TOTAL = (FORM_FUNDS_TOTAL, "资金总额", "合计", "总计", "项目资金总额", "总额", "年度财政资金总额", "资金合计")
# each nature's row as our own 自评表 prints it (FORM_FUND_LABELS) and as older forms did (财政拨款, 上年结转) is read back
FUNDS_ROWS = {"财政拨款": ("财政拨款", FORM_FUND_LABELS["财政拨款"], "本年财政拨款", "财政资金", "财政性资金", "财政拨款资金"),
              "上年结转": ("上年结转", FORM_FUND_LABELS["上年结转"], "结转资金", "上年结转结余", "结转结余资金"),
              "其他资金": ("其他资金", "其他", "自筹资金", "财政专户管理资金", "单位资金", "单位自有资金", "社会投入资金")}

# the indicator table's columns
INDICATOR_COLUMNS = {"level1": ("一级指标",), "level2": ("二级指标",),
                     "name": ("三级指标", "指标名称", "绩效指标名称", "三级指标名称"),
                     "comparator": ("指标性质", "比较符", "指标值性质"),
                     "target": ("年度指标值", "指标值", "目标值", "年度目标值", "年初目标值", "预期指标值", "计划指标值",
                                "全年指标值", "年度目标", "预期目标值"),
                     "unit": ("度量单位", "计量单位"),
                     "actual": ("实际完成值", "完成值", "实际值", "全年实际值", "实际完成情况", "全年完成值", "实际完成指标值",
                                "全年实际完成值", "实际完成数"),
                     "weight": ("分值", "权重", "指标分值"), "points": ("得分", "自评得分"),
                     "reason": ("偏差原因*", "未完成原因*", "原因分析*", "偏差原因分析及改进措施", "备注")}
GOAL_COLUMNS = {"expected": ("预期目标", "年度预期目标", "总体目标"), "achieved": ("实际完成情况", "实际完成", "全年实际完成情况")}

# the form's bottom line: 总分 is the whole form's; 合计 may add up the indicators only (a 总分 row below it wins)
TOTAL_WORDS = ("总分", "总计", "综合得分", "自评总分", "总得分", "自评得分合计", "折算总分")
# a leaf's 得分 when it does not apply: no points, its weight kept (the 总分 is brought from those that apply)
NOT_APPLICABLE_WORDS = ("不适用", "不涉及")
SUBTOTAL_WORDS = ("合计", "小计")
NOTES = ("注", "说明", "备注", "填表说明", "填报说明")

# the 评分表's columns (一级指标 … 六级指标 come from the framework's level names)
CRITERIA = ("评分标准", "评分细则", "评分办法", "计分方法", "评分方法", "评分规则", "评价标准", "评分要点", "评分标准及方法",
            "评分依据", "评价要点", "考核标准", "评分说明及标准")
SCORE_REASON = ("扣分原因", "得分说明", "扣分说明", "自评说明", "评分说明", "扣分理由", "备注", "说明", "扣分依据")
WEIGHT_WORDS = ("分值", "权重", "标准分", "满分", "指标分值")
POINT_WORDS = ("得分", "自评得分", "评价得分", "实际得分")
UNIT_WORDS = ("单位名称", "填报单位", "部门名称", "被评价单位", "评价对象", "部门单位名称", "预算单位")


def shown_words(names: tuple[str, ...], count: int = 4) -> str:
    """A few wordings of a field, as a message offers them: 全年执行数、执行数、预算执行数…"""
    return "、".join(n.rstrip("*") for n in names[:count]) + ("…" if len(names) > count else "")
