"""Scoring invariants over generated inputs, for the rules whose score follows a number: points lie between 0 and
the weight, to the cent; a better actual never scores less (monotone where the rule is); deductions never go
below 0. Cases come from hypothesis; the rules are the ones the frameworks use."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.figures.test_rules import score_case

CENTS = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)
WEIGHTS = st.sampled_from(["1", "2.5", "4", "6", "10", "20", "22.5", "30"])
TIERS = [{"条件": ">= 95", "得分": "6"}, {"条件": ">= 90", "得分": "4"}, {"条件": ">= 80", "得分": "2"}, {"得分": "1"}]


def _within(outcome, weight: str) -> None:
    assert Decimal(0) <= outcome.points <= Decimal(weight)
    assert outcome.points == outcome.points.quantize(Decimal("0.01"))


def completion(weight: str, comparator: str, target: Decimal, actual: Decimal, pass_mark: int | None = None):
    rule = {"类型": "completion", **({"及格线": pass_mark} if pass_mark is not None else {})}
    return score_case({"name": "性质", "weight": weight, "rule": rule,
                       "facts": {"目标值": str(target), "比较符": comparator, "计量单位": "个", "实际值": str(actual)}})


@settings(max_examples=150, deadline=None)
@given(WEIGHTS, st.sampled_from(["≥", "≤"]), CENTS, CENTS, CENTS, st.sampled_from([None, 60]))
def test_completion_is_bounded_and_monotone(weight, comparator, target, first, second, pass_mark):
    low, high = sorted((first, second))
    worse, better = (low, high) if comparator == "≥" else (high, low)
    a, b = completion(weight, comparator, target, worse, pass_mark), completion(weight, comparator, target, better, pass_mark)
    _within(a, weight)
    _within(b, weight)
    assert a.points <= b.points
    met = better >= target if comparator == "≥" else better <= target
    assert (b.points == Decimal(weight)) is met  # a met target scores full, a missed one never does


@settings(max_examples=150, deadline=None)
@given(WEIGHTS, CENTS, CENTS, CENTS)
def test_ratio_is_bounded_and_monotone_in_the_numerator(weight, denominator, first, second):
    low, high = sorted((first, second))
    cases = [score_case({"name": "支出率", "weight": weight, "rule": {"类型": "ratio", "测算指标": "预算执行率"},
                         "facts": {"指标名称": "预算执行率"}, "measures": {"预算执行率": [str(n), str(denominator)]}})
             for n in (low, high)]
    for outcome in cases:
        _within(outcome, weight)
    assert cases[0].points <= cases[1].points


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=50), WEIGHTS)
def test_deductions_never_go_below_zero_and_more_items_never_score_more(first, second, weight):
    fewer, more = sorted((first, second))
    a, b = (score_case({"name": "扣分", "weight": weight, "rule": {"类型": "deduction", "每项扣分": "1"},
                        "facts": {"扣分项数": str(n)}}) for n in (fewer, more))
    _within(a, weight)
    _within(b, weight)
    assert b.points <= a.points


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=12000).map(lambda c: Decimal(c) / 100),
       st.integers(min_value=0, max_value=12000).map(lambda c: Decimal(c) / 100))
def test_tiers_are_monotone_in_the_actual(first, second):
    low, high = sorted((first, second))
    a, b = (score_case({"name": "满意度", "weight": "6", "rule": {"类型": "tiers", "分档": TIERS},
                        "facts": {"指标名称": "服务对象满意度", "实际值": str(v), "计量单位": "%"}}) for v in (low, high))
    _within(a, "6")
    _within(b, "6")
    assert a.points <= b.points


@pytest.mark.parametrize("conditions, hidden", [
    (["<= 0", "= 0", "<= 10"], [1]),  # = 0 after ≤ 0: taken already
    (["= 0", "<= 0", "<= 10"], []),  # ≤ 0 still takes the negatives
    (["= 0", "= 0"], [1]),
    ([">= 0", "= 5"], [1]),
    (["> 0", "< 0", "= 0", ">= 100"], [3]),  # > 0, < 0 and = 0 take every value
    (["> 0", "< 0", ">= 100"], [2]),  # covered by > 0 already
    (["≠ 0", "= 0", ">= 5"], [2]),  # = 0 is the one value ≠ 0 leaves
    (["≠ 0", "= 0", "= 1"], [2]),
])
def test_unreachable_tiers_with_equal_and_not_equal(conditions, hidden):
    from pipeline.rules.schema import unreachable
    assert unreachable(conditions) == hidden
