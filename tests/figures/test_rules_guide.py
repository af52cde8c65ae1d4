"""docs/rules.md: every worked example scores what the guide says, so the guide cannot go stale."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from pipeline.inputs.rule_types import RULE_TYPES
from tests.figures.test_rules import score_case

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
TEXT = GUIDE.read_text(encoding="utf-8")
EXAMPLES = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", TEXT, re.S)]
KEYS = {"权重": "weight", "规则": "rule", "数据": "facts", "测算": "measures", "季度": "quarters"}


def test_every_rule_type_has_a_worked_example():
    shown = {example["规则"]["类型"] for example in EXAMPLES}
    assert shown == set(RULE_TYPES)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e['规则']['类型']}-{e['得分']}")
def test_worked_example_scores_as_written(example):
    case = {KEYS[k]: v for k, v in example.items() if k in KEYS}
    outcome = score_case({"name": "例", **case, "weight": str(case["weight"])})
    assert outcome.points == Decimal(example["得分"])
