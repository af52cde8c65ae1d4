"""Every scoring rule against hand-computed cases in tests/figures/rules.yaml (DOMAIN §4)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from pipeline.figures.compute import Figures, Measure
from pipeline.figures.rules_apply import apply
from pipeline.inputs.formulas import parse, quotient
from pipeline.inputs.measures import MEASURES
from pipeline.inputs.models import Framework, IndicatorFacts, Node
from pipeline.numbers import ratio
from pipeline.rules.outcome import MissingInput

CASES = yaml.safe_load((Path(__file__).parent / "rules.yaml").read_text(encoding="utf-8"))


def figures(case: dict) -> Figures:
    given = case.get("measures", {})
    assert set(given) <= set(MEASURES), f"unknown measure in case: {set(given) - set(MEASURES)}"
    measures = {}
    for name, d in MEASURES.items():
        num_name, den_name = quotient(parse(d.formula))
        num, den = (Decimal(v) for v in given[name]) if name in given else (None, None)
        measures[name] = Measure(name, ratio(num, den), num_name, den_name, num, den)
    quarters = tuple(Decimal(q) for q in case["quarters"]) if "quarters" in case else None
    return Figures(base={}, measures=measures, budget=(), budget_total=None, funds=(), funds_total=None,
                   spending=(), spending_total=None,
                   quarters=quarters, differences=())


def score_case(case: dict):
    node_data = {"编号": "X1", "名称": case["name"], "权重": case["weight"], "规则": case["rule"]}
    node = Node.model_validate(node_data)
    facts = IndicatorFacts.model_validate({"指标编号": "X1", **case["facts"]}) if "facts" in case else None
    framework = Framework.model_validate({"名称": "测试", "适用": "department", "生效日期": "2024-01-01",
                                          "来源": "测试", "指标": [node_data]})
    return apply(node, node.rule, facts, figures(case), framework)


def test_cases_are_well_formed():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert ("points" in case) != ("error_contains" in case), case["name"]
        for key in ("weight", "points"):
            assert key not in case or isinstance(case[key], str), f"{case['name']}: {key} must be quoted"


@pytest.mark.parametrize("case", [c for c in CASES if "points" in c], ids=lambda c: c["name"])
def test_rule_scores(case):
    outcome = score_case(case)
    assert outcome.points == Decimal(case["points"])
    if "status" in case:
        assert outcome.status == case["status"]
    if case.get("full"):
        assert outcome.points == Decimal(case["weight"])
        assert outcome.reason == ""
    else:
        assert outcome.reason, "a deduction needs its reason"
    for part in case["reason_contains"]:
        assert part in outcome.reason


@pytest.mark.parametrize("case", [c for c in CASES if "error_contains" in c], ids=lambda c: c["name"])
def test_rule_errors(case):
    with pytest.raises(MissingInput) as raised:
        score_case(case)
    error = raised.value
    text = error.message + str(error.value) + error.hint
    for part in case["error_contains"]:
        assert part in text
