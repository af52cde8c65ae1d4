"""band: the unit picks a band and scores itself within it (成效显著 80–100% of the weight …)."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...inputs.fields import Model
from ...numbers import score as score_text
from ..outcome import Outcome, bands_text, deducted, qualitative, row_of
from ..schema import DEFAULT_BANDS, Band, ZeroIf, band_problems, zero_if_field

if TYPE_CHECKING:
    from ..reads import Facts, Figures, Framework, Node

POSITION = 80


class BandRule(Model):
    """定性档次：单位选档次并在档内自评得分，程序检查得分在档内；上下限为权重的百分数。"""

    type: Literal["band"] = Field(alias="类型")
    bands: tuple[Band, ...] = Field(DEFAULT_BANDS, alias="档次",
                                    description="- {名称, 上限, 下限}，为权重的百分数（默认 成效显著 80–100、明显 60–80、一般 0–60）")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = BandRule


def reads(rule: BandRule, again) -> set[str]:
    return {"档次", "自评得分"}


def choices(rule: BandRule, again) -> tuple[str, ...]:
    return tuple(b.name for b in rule.bands)


def problems(rule: BandRule, weight: Decimal | None, known: dict, again) -> list:
    return band_problems(rule.bands)


def score(node: Node, rule: BandRule, facts: Facts | None, figures: Figures, fw: Framework,
          again) -> Outcome:
    points, band = qualitative(node, rule.bands, row_of(facts))
    return Outcome(points, bands_text(rule.bands), {"档次": band.name, "自评得分": score_text(points)},
                   deducted(node, points, f"自评为“{band.name}”档，得{score_text(points)}分"))
