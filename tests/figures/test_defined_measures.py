"""Measures as data: a framework's (or a unit's) 测算指标 defined by formulas over figures, other measures and last
year's figures, exact decimals, parsed under an allow-list, never evaluated by Python. A 2018 department report's
三公经费变动率 98.31% and 预算完成率 99.27% (上年结余 in the base), without pseudo-rows. Figures by hand."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.figures.catalogue import catalogue
from pipeline.inputs.formulas import FormulaError, evaluate, names, parse
from pipeline.run import check
from tests.conftest import copy_inputs
from tests.helpers import edit

UNIT = Path(__file__).resolve().parent / "units" / "dept2018"
FRAMEWORK = "inputs/dept2018/2018/frameworks/dept-measures-2018.yaml"


def dept(tmp_path: Path) -> Path:
    root = copy_inputs(tmp_path)
    shutil.copytree(UNIT, root / "inputs" / "dept2018")
    return root


def test_the_reports_two_measures_score_and_quote_as_printed(tmp_path):
    result = check(dept(tmp_path), "dept2018")
    measures = result.figures.measures
    # 1042.34 / (1000.00 + 50.00) = 0.992704… → 99.27%; 11.62 / 11.82 = 0.983079… → 98.31%
    assert measures["预算完成率"].value.quantize(Decimal("0.0001")) == Decimal("0.9927")
    assert measures["三公经费变动率"].value.quantize(Decimal("0.0001")) == Decimal("0.9831")
    points = {leaf.id: str(leaf.points) for leaf in result.scores.leaves()}
    # A1 99.27% × 30 = 29.781 → 29.78; A2 98.31 ≤ 100 → 30; B1 own score 38; 29.78 + 30 + 38 = 97.78
    assert points == {"A1": "29.78", "A2": "30.00", "B1": "38.00"}
    assert result.scores.total == Decimal("97.78")
    assert "本部门2018年预算完成率99.27%，三公经费变动率98.31%。" in result.rendered.markdown
    # the published rates agree with the computed: nothing for the check report
    assert not [c for c in result.checks if c.what in ("预算完成率", "三公经费变动率")]
    quotable = catalogue(result.inputs, result.figures, result.scores)
    assert quotable["预算完成率"].text == "99.27%"
    assert "决算数/(全年预算数+上年结余)" in quotable["预算完成率"].what


def test_a_published_rate_that_differs_is_reported(tmp_path):
    root = dept(tmp_path)
    edit(root / "inputs/dept2018/2018/unit.yaml", "三公经费变动率: 98.31", "三公经费变动率: 98.13")
    result = check(root, "dept2018")
    (found,) = [c for c in result.checks if c.what == "三公经费变动率"]
    assert (found.entered, found.computed) == ("98.13%", "98.31%")


def test_a_figure_not_entered_is_named_where_it_goes(tmp_path):
    root = dept(tmp_path)
    edit(root / "inputs/dept2018/2018/unit.yaml", "自定数据:\n  上年结余: 50.00\n", "")
    with pytest.raises(InputError) as error:
        check(root, "dept2018")
    assert "公式中的“上年结余”不是已知的数据或测算指标" in str(error.value)


def test_a_unit_measure_in_its_own_unit_and_one_over_zero(tmp_path):
    root = dept(tmp_path)
    edit(root / "inputs/dept2018/2018/unit.yaml", "自定数据:\n", "测算指标:\n"
         "  人均支出: {公式: 决算数 / 在职人数, 单位: 万元, 说明: 决算数/在职人数}\n"
         "  结余变动: {公式: 上年结余 / (全年预算数 - 1000), 说明: 分母为0}\n"
         "人员:\n  在职人数: 40\n自定数据:\n")
    result = check(root, "dept2018")
    # 1042.34 / 40 = 26.0585 → 26.06 万元; 1000 − 1000 = 0: no value, not quotable
    assert result.figures.measures["人均支出"].value == Decimal("26.0585")
    quotable = catalogue(result.inputs, result.figures, result.scores)
    assert quotable["人均支出"].text == "26.06万元"
    assert result.figures.measures["结余变动"].value is None and "结余变动" not in quotable


@pytest.mark.parametrize("formula, message", [
    ("__import__('os').system('id')", "公式中不能有"),
    ("决算数 ** 100000", "公式中不能有"),
    ("(lambda: 1)()", "公式中不能有"),
    ("决算数.__class__", "公式中不能有"),
    ("决算数 / ", "公式无法识别"),
    ("预算完成率 * 2", "用到了它自己"),
    ("abs(决算数, 全年预算数)", "公式中不能有"),  # the absolute value takes one thing
    ("abs(*决算数)", "公式中不能有"),
    ("round(决算数)", "公式中不能有"),  # no other function
    ("|决算数 - 全年预算数", "绝对值符号“|”不成对"),
])
def test_a_hostile_or_broken_formula_is_refused_with_its_place(tmp_path, formula, message):
    root = dept(tmp_path)
    edit(root / FRAMEWORK, "公式: 决算数 / (全年预算数 + 上年结余)", f'公式: "{formula}"')
    with pytest.raises(InputError) as error:
        check(root, "dept2018")
    assert message in str(error.value) and "dept-measures-2018.yaml" in str(error.value)


def test_formulas_are_exact_decimals_and_division_by_zero_gives_none():
    values = {"a": Decimal("0.1"), "b": Decimal("0.2"), "z": Decimal(0)}
    # 0.1 + 0.2 = 0.3 exactly, not 0.30000000000000004
    assert evaluate(parse("a + b"), values.__getitem__) == Decimal("0.3")
    assert evaluate(parse("（a + b）× 10 ÷ 3"), values.__getitem__) == Decimal(3) / Decimal(3)
    assert evaluate(parse("a / z"), values.__getitem__) is None
    assert evaluate(parse("-a + 1.5"), values.__getitem__) == Decimal("1.4")
    with pytest.raises(FormulaError):
        parse("a" + " + a" * 200)


def test_an_absolute_value_as_bureaus_write_it():
    """变动率 =|本年 − 上年| ÷ 上年, in any of its spellings: 0.8 − 1.0 = −0.2 → 0.2 ÷ 1.0 = 0.2."""
    values = {"本年": Decimal("0.8"), "上年.本年": Decimal("1.0"), "z": Decimal(0)}
    for formula in ("|本年 - 上年.本年| / 上年.本年", "｜本年－上年.本年｜÷上年.本年", "绝对值(本年 - 上年.本年) / 上年.本年",
                    "abs(本年 - 上年.本年) / 上年.本年"):
        tree = parse(formula)
        assert evaluate(tree, values.__getitem__) == Decimal("0.2"), formula
        assert sorted(names(tree)) == ["上年.本年", "本年"], formula  # 绝对值 is no figure to enter
    assert evaluate(parse("|本年 / z|"), values.__getitem__) is None  # a division by zero stays “—”
    assert evaluate(parse("|本年| * |本年 - 2|"), values.__getitem__) == Decimal("0.8") * Decimal("1.2")
