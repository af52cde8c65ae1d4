"""The built-in measures are defined as a framework defines its own: formulas read by the same model and grammar,
computed by the same code, kept to 0.01% as printed (小数位 2), half up; a zero base gives “—”. Figures by hand."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from pipeline.figures.audit import audit_json
from pipeline.inputs.formulas import parse, quotient
from pipeline.inputs.measures import BASE_NAMES, MEASURES, MeasureDef
from pipeline.run import check
from tests.conftest import copy_inputs
from tests.helpers import edit

UNIT = Path(__file__).resolve().parent / "units" / "dept2018"


def test_every_built_in_measure_is_a_formula_with_label_unit_and_source():
    # DOMAIN §3, with a project's three on its funds
    assert list(MEASURES) == ["预算执行率", "调剂比例", "三公经费控制率", "日常公用经费控制率", "政府采购执行率", "在职人员控制率",
                              "编外人员控制率", "项目完成及时率", "资金到位率", "支出率", "到位资金支出率"]
    for name, d in MEASURES.items():
        assert isinstance(d, MeasureDef) and d.label and d.source and d.unit == "%" and d.places == 2, name
        assert set(quotient(parse(d.formula))) <= set(BASE_NAMES), name
    assert quotient(parse(MEASURES["编外人员控制率"].formula)) == ("编外人数", "在职和编外人数")


def unit(tmp_path: Path, staffing: str, controls: str = "") -> Path:
    root = copy_inputs(tmp_path)
    shutil.copytree(UNIT, root / "inputs" / "dept2018")
    edit(root / "inputs/dept2018/2018/unit.yaml", "控制数:\n  三公经费支出: 11.62\n",
         f"控制数:\n  三公经费支出: 11.62\n{controls}人员:\n{staffing}")
    return root


def test_built_in_rates_are_kept_to_a_hundredth_of_a_percent_half_up(tmp_path):
    root = unit(tmp_path, "  编制数: 32\n  在职人数: 1\n  编外人数: 7\n", "  三公经费预算: 15.00\n")
    edit(root / "inputs/dept2018/2018/unit.yaml", "自定数据:", "测算指标:\n  在职占编制: {公式: 在职人数 / 编制数, 小数位: 2}\n"
         "  在职占编制精确: {公式: 在职人数 ÷ 编制数}\n自定数据:")
    measures = check(root, "dept2018").figures.measures
    # 1 / 32 = 0.03125 → 0.0313 (half up; half to even would give 0.0312)
    assert measures["在职人员控制率"].value == Decimal("0.0313")
    # 7 / (1 + 7) = 0.875; 11.62 / 15.00 = 0.774666… → 0.7747
    assert measures["编外人员控制率"].value == Decimal("0.8750")
    assert measures["三公经费控制率"].value == Decimal("0.7747")
    # a unit's measure written like the built-in one is computed alike; without 小数位 it is exact
    assert measures["在职占编制"].value == Decimal("0.0313")
    assert measures["在职占编制精确"].value == Decimal("0.03125")
    assert (measures["在职人员控制率"].numerator, measures["在职人员控制率"].denominator) == ("在职人数", "编制数")


def test_a_zero_base_gives_a_dash_and_a_figure_not_entered_is_named(tmp_path):
    root = unit(tmp_path, "  编制数: 0\n  在职人数: 3\n", "  政府采购计划: 0\n  政府采购实际: 5.00\n")
    result = check(root, "dept2018")
    measures = result.figures.measures
    for name in ("在职人员控制率", "政府采购执行率"):  # entered, the base zero: computed as “—”
        assert measures[name].available and measures[name].value is None
    assert '"在职人员控制率": "—"' in audit_json(result.inputs, result.figures, result.scores)
    # 三公经费预算 not entered: the rate is not available, and the missing figure is the one named
    three = measures["三公经费控制率"]
    assert not three.available and three.numerator_value == Decimal("11.62") and three.denominator_value is None
    assert three.denominator == "三公经费预算"
