"""A unit's run finds its own years without listing every unit (a batch of thousands asks once per unit), and finds
exactly what the listing of every unit gives it, whatever the folder name."""
from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.inputs.load import available_units, resolve, unit_years


@pytest.fixture
def inputs(tmp_path):
    base = tmp_path / "inputs"
    for name, years in {"a": ("2023", "2024"), ".hidden": ("2024",), "frameworks": ("2024",), "noyear": (),
                        "bad": ("２０２４", "24", "2024x")}.items():
        (base / name).mkdir(parents=True)
        for year in years:
            (base / name / year).mkdir()
            (base / name / year / "unit.yaml").write_text("名称: x\n", encoding="utf-8")
    (base / "a" / "2022").mkdir()  # a year folder without unit.yaml is no year
    (base / "plainfile").write_text("")
    (base / "linked").symlink_to(base / "a")
    return tmp_path


NAMES = ["a", "linked", ".hidden", "frameworks", "noyear", "bad", "plainfile", "missing", "", ".", "..", "a/2023",
         "../inputs/a", "a\0", "A"]


@pytest.mark.parametrize("dept", NAMES)
def test_unit_years_is_the_listing_entry(inputs, dept):
    assert unit_years(inputs, dept) == available_units(inputs).get(dept, [])


def test_the_years_found(inputs):
    assert unit_years(inputs, "a") == [2023, 2024]  # 2022 has no unit.yaml
    assert resolve(inputs, "a", None) == 2024
    with pytest.raises(InputError, match="现有年度：2023、2024"):
        resolve(inputs, "a", 2022)


def test_an_unknown_unit_still_lists_the_others(inputs):
    with pytest.raises(InputError) as raised:
        resolve(inputs, "../inputs/a", None)
    assert "a（2023/2024）" in str(raised.value.problems[0].hint)
    with pytest.raises(InputError, match="没有可用的年度文件夹"):
        resolve(inputs, "noyear", None)
