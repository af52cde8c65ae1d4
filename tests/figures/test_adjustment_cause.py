"""A budget adjustment (全年预算 ≠ 年初预算) without the unit's cause (正文.预算调整原因) is a warning naming the key to
fill, and the report's sentence ends at the amount and share; with no adjustment, neither. A unit made from the project
skeleton with funds unlike the examples'; expected figures computed by hand."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.codes import BUDGET_ADJUSTMENT_UNEXPLAINED
from pipeline.run import build, check
from pipeline.tools.scaffold import new_unit

YEAR = 2024
HEADER = "资金来源,资金性质,年初预算数,全年预算数,到位数,已支出,来源\n"


def _unit(root: Path, rows: str, cause: str | None) -> Path:
    (root / "inputs").mkdir()
    shutil.copytree(Path("inputs") / "frameworks", root / "inputs" / "frameworks")
    new_unit(root, "zhen", "project", year=YEAR, csv=True)
    folder = root / "inputs" / "zhen" / str(YEAR)
    (folder / "funds.csv").write_text(HEADER + rows, encoding="utf-8")
    if cause is not None:
        unit = folder / "unit.yaml"
        text = unit.read_text(encoding="utf-8")
        said = "  # 预算调整原因: 主要是年中追加某某专项资金。\n"
        assert said in text
        unit.write_text(text.replace(said, f'  预算调整原因: "{cause}"\n'), encoding="utf-8")
    return root


def _warned(root: Path) -> list:
    return [w for w in check(root, "zhen", YEAR).warnings if w.code == BUDGET_ADJUSTMENT_UNEXPLAINED]


def _report(root: Path) -> str:
    _, written = build(root, "zhen", YEAR, formats=("md",), charts=False)
    return (written[0].parent / "report.md").read_text(encoding="utf-8")


# 年初 80.00 + 0.00 + 12.50 = 92.50; 全年 80.00 + 36.40 + 12.50 = 128.90: 调增 36.40, 36.40 / 92.50 = 39.351% → 39.35%
UP = ("省级补助资金,财政拨款,80.00,80.00,80.00,79.00,下达文件\n"
      "镇级追加资金,财政拨款,0.00,36.40,36.40,30.00,追加文件\n"
      "上年结转,上年结转,12.50,12.50,12.50,12.50,结转\n")
# 年初 200.00, 全年 150.75: 调减 49.25, 49.25 / 200.00 = 24.625% → 24.63% (half up)
DOWN = "县级资金,财政拨款,200.00,150.75,150.75,150.00,下达文件\n"
SAME = "县级资金,财政拨款,200.00,200.00,180.00,150.00,下达文件\n"


def test_an_increase_without_a_cause_is_a_warning_and_the_sentence_ends_at_its_share(tmp_path):
    root = _unit(tmp_path, UP, None)
    [warning] = _warned(root)
    assert warning.where.file.endswith("zhen/2024/unit.yaml") and warning.where.key == "正文.预算调整原因"
    assert "调增36.40万元" in warning.message and "预算调整原因:" in warning.hint and "例如" in warning.hint
    text = _report(root)
    assert "\n全年预算较年初预算调增36.40万元，占年初预算的39.35%。\n" in text
    assert "原因" not in text.split("全年预算较年初预算")[1].split("\n")[0]


def test_a_decrease_without_a_cause(tmp_path):
    root = _unit(tmp_path, DOWN, "   ")  # blank is no cause
    [warning] = _warned(root)
    assert "调减49.25万元" in warning.message
    assert "\n全年预算较年初预算调减49.25万元，占年初预算的24.63%。\n" in _report(root)


def test_a_cause_given_is_printed_after_the_share_and_not_warned(tmp_path):
    root = _unit(tmp_path, DOWN, "年中压减一般性支出，收回部分资金。")
    assert not _warned(root)
    assert "\n全年预算较年初预算调减49.25万元，占年初预算的24.63%。年中压减一般性支出，收回部分资金。\n" in _report(root)


def test_an_adjustment_the_unit_checked_and_leaves_unexplained_is_not_warned(tmp_path):
    root = _unit(tmp_path, DOWN, None)
    unit = root / "inputs/zhen/2024/unit.yaml"
    text = unit.read_text(encoding="utf-8")
    assert "\n已核实差异: []\n" in text
    unit.write_text(text.replace("\n已核实差异: []\n", "\n已核实差异: [预算调整]\n"), encoding="utf-8")
    assert not _warned(root)
    assert "\n全年预算较年初预算调减49.25万元，占年初预算的24.63%。\n" in _report(root)


@pytest.mark.parametrize("cause", [None, "主要是年中追加专项资金。"])
def test_no_adjustment_no_warning_no_sentence(tmp_path, cause):
    root = _unit(tmp_path, SAME, cause)
    assert not _warned(root)
    text = _report(root)
    assert "调增" not in text and "调减" not in text and "年中追加专项资金" not in text
