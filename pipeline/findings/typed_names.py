"""The figures a narrative can state, each with the words a person uses for it: its name, the name's common
variants (执行率 for 预算执行率, 权重 for 分值, 慰问对象 for 慰问对象人数) and the unit it is written in."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..figures.catalogue import Quotable, count_unit
from .typed_read import normal, numbers

# a node's figures: the name's last words → the words a person writes for them
NODE_ATTRIBUTES = {"得分率": ("得分率",), "完成率": ("完成率",), "得分": ("实际得分", "自评得分", "得分", "自评为", "自评", "评分", "得"),
                   "分值": ("分值", "权重", "满分", "总分"), "扣分": ("扣分", "扣除", "扣"), "实际值": ("实际值", "实际完成", "完成值")}
# a budget line's or a fund source's figures
LINE_ATTRIBUTES = {"年初预算数": ("年初预算数", "年初预算", "年初批复", "年初安排"),
                   "全年预算数": ("全年预算数", "全年预算", "调整后预算", "预算数", "预算资金", "预算"),
                   "决算数": ("决算数", "决算", "实际支出"), "到位数": ("到位数", "到位资金", "到位", "拨付", "下达"),
                   "已支出": ("已支出", "实际支出", "支出"), "执行率": ("执行率", "支出率"), "支出率": ("支出率", "执行率"),
                   "支出": ("支出",)}
# the unit's own figures, named alone
UNIT_NAMES = {"年初预算数": ("年初预算数", "年初预算", "年初批复"), "全年预算数": ("全年预算数", "全年预算", "调整后预算", "预算资金"),
              "决算数": ("决算数", "决算", "实际支出", "已支出", "总支出", "支出总额"), "到位数": ("到位数", "到位资金", "实际到位", "拨付"),
              "预算执行率": ("预算执行率", "执行率", "预算支出率"), "支出率": ("支出率", "预算支出率", "资金支出率"),
              "资金到位率": ("资金到位率", "到位率", "资金拨付率", "拨付率"),
              "在职人数": ("在职人数", "在职人员", "在职职工"), "编制数": ("编制数", "核定编制", "编制人数"),
              "总分": ("总分", "总得分", "总自评为", "总自评", "自评得分", "自评分", "综合评分", "评分"),
              "满分": ("满分", "总分")}  # 总分100分 says the full mark as often as the score
# the unit's funds named by what is said of them after the amount: (项目)资金3728万元(已)全部(执行)到位 is the 到位数
NAMED_AFTER = {"到位数": (("资金", "项目资金", "专项资金", "财政资金", "本项目资金", "该项目资金"),
                          r"\s*(?:已|均已)?(?:全部|全额|足额)?(?:执行|拨付|下达)?到位")}
# the last words of a count's name a person leaves out: 慰问对象人数 → 慰问对象
COUNT_ENDINGS = ("人数", "人次", "数量", "个数", "次数", "数")
KINDS = {"金额（万元）": "金额", "百分比": "百分比", "分": "分", "人数或个数": "个数"}


@dataclass(frozen=True)
class Target:
    name: str  # as `make figures` lists it
    subjects: tuple[str, ...]  # the ways its subject is written; ("",) for the unit's own figures
    attributes: tuple[str, ...]  # the words for which of the subject's figures; () when the subject alone names it
    value: Decimal
    kind: str  # 金额 (in 万元) / 百分比 / 分 / 个数
    unit: str  # for a count: the unit it is counted in
    text: str  # as the report prints it
    node: bool  # one of an indicator's figures


def _split(name: str, endings) -> tuple[str, str]:
    for ending in sorted(endings, key=len, reverse=True):
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)], ending
    return name, ""


def _variants(subject: str, counted: bool) -> tuple[str, ...]:
    stripped = _split(subject, COUNT_ENDINGS)[0] if counted else subject
    return tuple(dict.fromkeys(v for v in (subject, stripped) if len(v) >= 2))


def targets(found: dict[str, Quotable]) -> list[Target]:
    """Every figure a sentence can be tied to, with the words for it; last year's and the changes left out."""
    result: list[Target] = []
    for q in found.values():
        if q.name.startswith("上年") or q.name.endswith(("增减", "增减率")):
            continue
        value, kind, unit, text = q.value, KINDS.get(q.kind), count_unit(q.name), q.text
        if q.indicator and q.attribute == "实际值":
            read = numbers(normal(q.text))
            if len(read) != 1 or read[0].end != len(normal(q.text)) or not read[0].kind or read[0].kind == "金额":
                continue
            value, kind, unit = read[0].number, read[0].kind, read[0].unit
        if value is None or kind is None:
            continue
        if q.indicator:
            words = () if q.attribute == "实际值" else NODE_ATTRIBUTES[q.attribute]
            subjects = _variants(q.subject, kind == "个数")
            if subjects:  # an indicator named by its id alone (A1得分) is not how a narrative names it
                result.append(Target(q.name, subjects, words, value, kind, unit, text, True))
        elif q.subject:
            attributes = LINE_ATTRIBUTES.get(q.attribute, (q.attribute,))
            result.append(Target(q.name, (q.subject,), attributes, value, kind, unit, text, False))
        else:
            result.append(Target(q.name, ("",), UNIT_NAMES.get(q.name, (q.name,)), value, kind, unit, text, False))
    return result
