"""completion: a 三级 target met scores full, else weight × the completion rate; qualitative targets in bands."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from ...inputs.fields import Model, Percent, Points
from ...numbers import CENT, HUNDRED, RATE_STEP, percent, plain, ratio
from ...numbers import score as score_text
from ..outcome import (
    ZERO,
    MissingInput,
    Outcome,
    bands_text,
    deducted,
    not_negative,
    qualitative,
    row_of,
    scaled,
    scaled_text,
)
from ..schema import QUALITATIVE_BANDS, Band, PassMark, ZeroIf, band_problems, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node
    from ..registry import RuleProblem

POSITION = 20
TARGETED = True  # its rows are 绩效目标: each states a 年度指标值 (目标值) it is measured against


class CompletionRule(Model):
    """三级指标：达到目标得满分，否则 权重 × 完成率（≥：实际/目标；≤：目标/实际；是否：全得或不得）；定性指标按档次在档内自评。"""

    type: Literal["completion"] = Field(alias="类型")
    bands: tuple[Band, ...] = Field(QUALITATIVE_BANDS, alias="定性档次",
                                    description="定性指标的档次，上下限为权重的百分数（默认 达成 80–100、部分达成 60–80、未达成 0–60）")
    pass_mark: PassMark | None = Field(None, alias="及格线",
                                       description="百分数，如 60：完成率低于它得 0 分，以上按 (完成率−60%)/40% × 权重（财预〔2021〕101号）")
    far_above: Annotated[Percent, Field(gt=100)] | None = Field(
        None, alias="超额说明线",
        description="完成率达到这个百分数（如 150）视为大幅超额：仍得满分，但须在“偏差原因”列写明原因（财预〔2020〕10号第十六条）")
    over_deduction: Points | None = Field(
        None, alias="超额扣分",
        description="与“超额说明线”同用：大幅超额而未在“偏差原因”写明原因的，扣这么多分（如 2），而不是退回")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = CompletionRule
ENTRIES = (("档次、定性档次 的每一档", Band),)


def reads(rule: CompletionRule, again) -> set[str]:
    return {"目标值", "比较符", "计量单位", "实际值", "档次", "自评得分", "偏差原因"}


def choices(rule: CompletionRule, again) -> tuple[str, ...]:
    return tuple(b.name for b in rule.bands)


def problems(rule: CompletionRule, weight: Decimal | None, known: dict, again) -> list[RuleProblem]:
    out: list[RuleProblem] = []
    if rule.over_deduction is not None:
        if rule.far_above is None:
            out.append((("超额扣分",), "“超额扣分”须与“超额说明线”同用", "例如 {类型: completion, 超额说明线: 130, 超额扣分: 2}",
                        None))
        elif weight is not None and rule.over_deduction > weight:
            out.append((("超额扣分",), f"超额扣分 {rule.over_deduction} 超过权重 {weight}", "应在 0 与权重之间",
                        str(rule.over_deduction)))
    return out + band_problems(rule.bands)


def status(met: bool, rate: Decimal | None, fw: Framework) -> str:
    """实现 when the target is met; 基本实现 from the framework's threshold (80% by default); else 未实现."""
    if met:
        return "实现"
    return "基本实现" if rate is not None and rate * HUNDRED >= fw.achieved_at else "未实现"


def score(node: Node, rule: CompletionRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    f = row_of(facts)
    if f.comparator is None:
        raise MissingInput("比较符", "缺少比较符", hint="可选：≥、≤、=、是否、定性")
    standard = f"完成目标得满分；未完成按{scaled_text('完成率', node.weight, rule.pass_mark)}计分"
    if f.comparator == "定性":
        points, band = qualitative(node, rule.bands, f)
        rate = points / node.weight if node.weight else None
        return Outcome(points, "定性指标按档次计分：" + bands_text(rule.bands),
                       {"目标值": f.target or "", "实际值": f.actual or "", "档次": band.name, "自评得分": score_text(points)},
                       deducted(node, points, f"自评为“{band.name}”档，得{score_text(points)}分"), rate,
                       status(points == node.weight, rate, fw))
    if f.comparator == "是否":
        expected, answer = (f.target or "是").strip(), (f.actual or "").strip()
        if answer not in ("是", "否"):
            raise MissingInput("实际值", "是否类指标的实际值应为“是”或“否”", f.actual)
        met = answer == expected
        points = node.weight if met else ZERO
        return Outcome(points, f"达到得{plain(node.weight)}分，未达到不得分", {"目标值": expected, "实际值": answer},
                       deducted(node, points, f"目标为“{expected}”，实际为“{answer}”"), Decimal(1) if met else ZERO,
                       "实现" if met else "未实现")
    target, actual = not_negative(f.target, "目标值"), not_negative(f.actual, "实际值")
    if f.comparator == "≥":
        met, rate = actual >= target, ratio(actual, target)
    elif f.comparator == "≤":
        # a reverse target met is complete: target/actual would grow without bound as actual nears 0
        met = actual <= target
        rate = Decimal(1) if met else ratio(target, actual)
    else:
        met = actual == target
        rate = ratio(min(actual, target), max(actual, target)) if actual != target else Decimal(1)
    if rate is None:  # a zero base: met targets are complete, others score nothing
        rate = Decimal(1) if met else ZERO
    if not met and rate >= 1:  # 499.98 of ≥ 500 rounds to 100.00%: a missed target never prints as complete
        rate = Decimal(1) - RATE_STEP
    points = node.weight if met else max(min(scaled(node.weight, rate, rule.pass_mark), node.weight - CENT), ZERO)
    inputs = {"目标值": f"{f.comparator}{plain(target)}{f.unit}", "实际值": f"{plain(actual)}{f.unit}", "完成率": percent(rate)}
    far = _far_above(rule, f, actual, target)
    inputs.update(far)
    what = f"目标{f.comparator}{plain(target)}{f.unit}，实际{plain(actual)}{f.unit}，完成率{percent(rate)}，计得{score_text(points)}分"
    if rule.over_deduction is not None:
        standard += f"；完成程度达到{plain(rule.far_above)}%而未说明原因的，扣{plain(rule.over_deduction)}分"
    if "超额扣分" in far and rule.over_deduction is not None:  # _far_above names a deduction only when there is one
        points = max(points - rule.over_deduction, ZERO)
        what = (f"目标{f.comparator}{plain(target)}{f.unit}，实际{plain(actual)}{f.unit}，完成程度{far['超额完成']}，"
                f"达到{plain(rule.far_above)}%而未说明超额原因，扣{plain(rule.over_deduction)}分")
    return Outcome(points, standard, inputs, deducted(node, points, what), rate, status(met, rate, fw))


def _far_above(rule: CompletionRule, f: Facts, actual: Decimal, target: Decimal) -> dict[str, str]:
    """财预〔2020〕10号 Art. 16: a target far exceeded keeps full points, but the reason must be stated; where the
    framework says so (超额扣分, the provinces' 一体化 systems), an unexplained one costs points instead."""
    above = ratio(actual, target) if f.comparator == "≥" else ratio(target, actual) if f.comparator == "≤" else None
    if rule.far_above is None or above is None or above * HUNDRED < rule.far_above:
        return {}
    if f.shortfall.strip():
        return {"超额完成": percent(above), "超额原因": f.shortfall}
    if rule.over_deduction is not None:
        return {"超额完成": percent(above), "超额扣分": plain(rule.over_deduction)}
    raise MissingInput("偏差原因", f"完成程度{percent(above)}，达到{plain(rule.far_above)}%，属大幅超额完成，须说明原因",
                       hint="在“偏差原因”列写明超出目标的原因（如目标设定偏低），财预〔2020〕10号第十六条")
