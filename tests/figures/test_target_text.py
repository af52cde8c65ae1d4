"""年度指标值 in the forms: the unit written once, however the target was typed."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline.figures.catalogue import target_text


@pytest.mark.parametrize("target, comparator, unit, shown", [
    ("100", "≥", "%", "≥100%"),
    ("100%", "≥", "%", "≥100%"),
    ("100％", "≥", "%", "≥100%"),  # full-width as the actual beside it is printed
    ("２０", "≥", "台", "≥20台"),
    ("50", "≤", "%", "≤50%"),
    ("10", "≥", "项", "≥10项"),
    ("10项", "≥", "项", "≥10项"),
    ("是", "", "", "是"),
])
def test_the_unit_is_written_once(target, comparator, unit, shown):
    assert target_text(SimpleNamespace(target=target, comparator=comparator, unit=unit)) == shown
