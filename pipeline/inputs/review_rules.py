"""The review (复核) rule sets a framework may follow: each rule with its severity, the notice it comes from and the
report kinds it applies to. A framework names its sets under 复核规则 (docs/rules.md); the national set is the default.
The checks themselves are in findings/recheck.py, by rule name."""
from __future__ import annotations

from dataclasses import dataclass, replace

from pydantic import Field, model_validator

from .fields import Model

ERROR, HINT, OFF = "错误", "提示", "不用"
PROJECT, DEPARTMENT = "project", "department"
ANY = (PROJECT, DEPARTMENT)
NATIONAL, SICHUAN = "全国", "四川"
RULE_10 = "财预〔2020〕10号"  # 项目支出绩效评价管理办法
GUIDE_101 = "财预〔2021〕101号"  # 中央部门项目支出核心绩效指标和评价标准设置及取值指引
SICHUAN_FORM = "四川省部门预算项目支出绩效自评表（510000_0013zp）填报说明"


@dataclass(frozen=True)
class ReviewRule:
    code: str  # short and stable, as checks.json gives it (docs/reference.md)
    name: str
    severity: str  # 错误: a bureau would send the report back; 提示: worth a look
    basis: str  # the notice and article the rule comes from
    kinds: tuple[str, ...]  # the report kinds it applies to


# the rules every set shares: scores, grades and targets as any bureau re-checks them
COMMON = (
    ReviewRule("score-out-of-range", "得分超出分值范围", ERROR, f"{RULE_10} 第十六条", ANY),
    ReviewRule("published-parts-differ", "填报的各项得分与总分不符", ERROR, f"{RULE_10} 第十六条", ANY),
    ReviewRule("grade-total-mismatch", "等级与总分不符", ERROR, f"{RULE_10} 第十八条", ANY),
    ReviewRule("funds-received-unexplained", "到位资金超过预算", HINT, GUIDE_101, (PROJECT,)),
    ReviewRule("target-missing", "指标没有目标值", ERROR, f"{RULE_10} 第十一条", ANY),
    ReviewRule("percent-target-over-100", "百分比目标超过100%", HINT, GUIDE_101, ANY),
    ReviewRule("cost-written-at-least", "成本指标写成“≥”", ERROR, GUIDE_101, ANY),
    ReviewRule("satisfaction-no-survey", "满意度没有说明调查", HINT, GUIDE_101, ANY),
    ReviewRule("far-above-target-unexplained", "远超目标得满分但未分析", HINT, f"{RULE_10} 第十六条", ANY),
    ReviewRule("low-without-measures", "执行率或得分偏低但无整改措施", ERROR, f"{RULE_10} 第二十六条", ANY),
    ReviewRule("deadline-after-period", "时效期限在评价期之后", ERROR, GUIDE_101, ANY),
    ReviewRule("pacing-implausible", "季度累计执行率不合理", ERROR, f"{RULE_10} 第十六条", ANY),
    ReviewRule("pacing-year-end-differs", "第4季度累计执行率与全年不符", HINT, f"{RULE_10} 第十六条", ANY),
    ReviewRule("form-field-empty", "自评表必填项为空", HINT, f"{RULE_10} 第十六条", (PROJECT,)),
    ReviewRule("narrative-carried-over", "叙述沿用上年", HINT, f"{RULE_10} 第十六条", ANY),
    ReviewRule("sample-figures", "数据仍是示例", ERROR, f"{RULE_10} 第十六条", ANY),
)

SETS: dict[str, tuple[ReviewRule, ...]] = {
    # 财政部：每项扣分写明原因；项目的产出须有数量和质量指标、须有效益指标；扣了分须写存在问题
    NATIONAL: COMMON + (
        ReviewRule("deduction-unexplained", "扣分没有写明原因", ERROR, f"{RULE_10} 第十六条", ANY),
        ReviewRule("indicators-incomplete", "产出或效益指标不全", ERROR, f"{RULE_10} 第十三条", (PROJECT,)),
        ReviewRule("no-problems-but-points-lost", "扣了分却写“无问题”", ERROR, f"{RULE_10} 第二十六条", ANY),
        ReviewRule("points-lost-without-measures", "扣了分却没有改进意见", ERROR, f"{RULE_10} 第二十六条", ANY),
    ),
    # 四川省自评表：预算执行率未达到90%的须说明原因；绩效指标由单位按项目设置，不要求数量加质量
    SICHUAN: COMMON + (
        ReviewRule("execution-below-90-unexplained", "执行率未达90%未说明原因", ERROR, SICHUAN_FORM, (PROJECT,)),
        ReviewRule("no-problems-but-points-lost", "扣了分却写“无问题”", HINT, f"{RULE_10} 第二十六条", ANY),
        ReviewRule("points-lost-without-measures", "扣了分却没有改进意见", HINT, f"{RULE_10} 第二十六条", ANY),
    ),
}
RULE_NAMES = tuple(dict.fromkeys(rule.name for rules in SETS.values() for rule in rules))
RULE_CODES = {rule.code: rule.name for rules in SETS.values() for rule in rules}  # code → rule, as checks.json gives it


class Review(Model):
    """A framework's 复核规则: the sets it follows (the first set that has a rule decides it), and severities of its own
    (错误, 提示, or 不用 to leave a rule out)."""

    sets: list[str] = Field(default_factory=lambda: [NATIONAL], alias="规则集", min_length=1)
    severities: dict[str, str] = Field(default_factory=dict, alias="级别")

    @model_validator(mode="after")
    def _known(self) -> Review:
        unknown = [name for name in self.sets if name not in SETS]
        if unknown:
            raise ValueError(f"未知的复核规则集“{'、'.join(unknown)}”；可用：{'、'.join(SETS)}")
        for name, severity in self.severities.items():
            if name not in RULE_NAMES:
                raise ValueError(f"级别中未知的复核规则“{name}”；可用：{'、'.join(RULE_NAMES)}")
            if severity not in (ERROR, HINT, OFF):
                raise ValueError(f"复核规则“{name}”的级别“{severity}”无效；可选：{ERROR}、{HINT}、{OFF}")
        return self


def followed(review: Review, kind: str) -> list[ReviewRule]:
    """The rules a report of this kind is checked by under the framework's sets and severities, in set order."""
    chosen: dict[str, ReviewRule] = {}
    for name in review.sets:
        for rule in SETS[name]:
            chosen.setdefault(rule.name, rule)
    out = []
    for rule in chosen.values():
        severity = review.severities.get(rule.name, rule.severity)
        if kind in rule.kinds and severity != OFF:
            out.append(replace(rule, severity=severity))
    return out
