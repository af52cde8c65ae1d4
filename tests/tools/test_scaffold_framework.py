"""make new FRAMEWORK=…: one indicator row per leaf of the chosen framework, only the columns its rules read, and a
check that passes on the untouched scaffold (what is left to fill told as warnings, a report refused until filled)."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.__main__ import main
from pipeline.inputs.framework_checks import parts, walk
from pipeline.run import check
from tests.conftest import ROOT

FRAMEWORKS = sorted(p.stem for p in (ROOT / "inputs" / "frameworks").glob("*.yaml"))
CORPUS = ROOT / "tests" / "corpus" / "units"


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def leaf_ids(result) -> set[str]:
    """The framework's own leaves (and parts with their own 编号): the rows a fresh unit must have."""
    fw = result.inputs.framework
    leaves = {n.id for _, n in walk(fw.indicators) if not n.children and n.from_facts is None}
    return leaves | {p.id for _, n in walk(fw.indicators) if n.rule for p in parts(n.rule) if p.id}


def csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize("name", FRAMEWORKS)
@pytest.mark.parametrize("as_csv", [True, False], ids=["csv", "xlsx"])
def test_a_fresh_unit_of_every_framework_passes_check(project, capsys, name, as_csv):
    kind = yaml.safe_load((project / "inputs/frameworks" / f"{name}.yaml").read_text(encoding="utf-8"))["适用"]
    assert run(project, "new", "fresh", "--framework", name, "--year", "2024", *(["--csv"] if as_csv else [])) == 0
    folder = project / "inputs/fresh/2024"
    unit = yaml.safe_load((folder / "unit.yaml").read_text(encoding="utf-8"))
    assert unit["评价体系"] == name and unit["报告类型"] == kind
    capsys.readouterr()
    assert run(project, "check", "fresh") == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    result = check(project, "fresh")
    expected = leaf_ids(result)
    if as_csv:
        _, rows = csv_rows(folder / "indicators.csv")
        # no sample id of another framework; the skeleton's own framework keeps its example own indicators
        assert {r["指标编号"] for r in rows if not r.get("一级指标")} == expected
    # every warning is a leaf left to fill, and such a leaf counts nothing
    left = [leaf for leaf in result.scores.leaves() if leaf.unfilled]
    assert all(leaf.points == 0 for leaf in left)
    assert err.count("尚未填写") == len(result.scores.unfilled)
    assert not any(f.rule == "扣分没有写明原因" and any(f"“{leaf.name}”" in f.message for leaf in left)
                   for f in result.findings)  # not told twice
    # the sample budget may cost a leaf scored from it points: its sample 说明 says why, so the one error is that the
    # figures are still the samples
    assert {f.rule for f in result.findings if f.severity == "错误"} == {"数据仍是示例"}
    if result.scores.unfilled:
        assert run(project, "report", "fresh", "--formats", "md") == 2
        assert f"输入有误，共 {len(result.scores.unfilled)} 处" in capsys.readouterr().err  # the same, now errors
        assert not (project / "output" / "fresh").exists()


def test_a_leaf_scored_from_the_sample_figures_carries_a_sample_reason(project, capsys):
    """sichuan-dept's 预算执行率 (B11) is a ratio of the sample budget: 1450 of 1520 万元, 95.39%, so it loses points;
    its row says why, marked as a sample; a leaf the unit fills itself gets no such text."""
    assert run(project, "new", "fresh", "--framework", "sichuan-dept", "--year", "2024", "--csv") == 0
    _, rows = csv_rows(project / "inputs/fresh/2024/indicators.csv")
    by_id = {r["指标编号"]: r for r in rows}
    assert by_id["B11"]["说明"].startswith("示例") and by_id["B11"]["来源"] == "示例数据，请改为实际来源"
    assert by_id["A11"]["说明"] == ""  # a judgement the unit chooses
    result = check(project, "fresh")
    leaf = next(leaf for leaf in result.scores.leaves() if leaf.id == "B11")
    assert leaf.lost > 0 and not leaf.unfilled


def test_the_skeleton_framework_keeps_its_worked_example(project, capsys):
    assert run(project, "new", "fresh", "--framework", "huadu-2023", "--year", "2024", "--csv") == 0
    _, rows = csv_rows(project / "inputs/fresh/2024/indicators.csv")
    assert {r["指标编号"]: r["实际值"] for r in rows}["A21"] == "520"
    assert run(project, "report", "fresh", "--formats", "md") == 0


def test_a_corpus_framework_with_the_units_own_categories(project, capsys):
    """Sichuan's 10 + 90: the 90 are the unit's to spread, so a fresh unit has only the 10 as rows, and the 90 told
    as left to fill."""
    shutil.copy(CORPUS / "sichuan4/2023/frameworks/sichuan-project-2023.yaml", project / "inputs/frameworks")
    assert run(project, "new", "fresh", "--framework", "sichuan-project-2023", "--year", "2023", "--csv") == 0
    headers, rows = csv_rows(project / "inputs/fresh/2023/indicators.csv")
    result = check(project, "fresh")
    assert {r["指标编号"] for r in rows} == leaf_ids(result)
    assert {"一级指标", "二级指标", "权重"} <= set(headers)  # the unit adds its own indicators in these columns
    assert any("尚未填写，暂按 0 分计，生成报告前须填写："
               "评价体系的“绩效指标”需要“产出指标、效益指标、满意度指标”类指标" in w.message for w in result.scores.unfilled)
    capsys.readouterr()
    assert run(project, "check", "fresh") == 0


def test_only_the_columns_the_rules_read(project, capsys):
    """A framework of a checklist and a judgement: the rows take 已完成项 and 档次, and nothing of a target."""
    (project / "inputs/frameworks/tiny.yaml").write_text("""\
名称: 小体系
适用: department
来源: 自拟
生效日期: 2024-01-01
指标:
  - {编号: X, 名称: 管理, 权重: 100, 下级: [
      {编号: X1, 名称: 制度, 权重: 60, 规则: {类型: checklist, 清单: [{名称: 有制度, 分值: 60}]}},
      {编号: X2, 名称: 公开, 权重: 40, 规则: {类型: judgement, 档次: [{名称: 公开, 得分: 40}, {名称: 未公开, 得分: 0}]}}]}
""", encoding="utf-8")
    assert run(project, "new", "fresh", "--framework", "tiny", "--year", "2024", "--csv") == 0
    headers, rows = csv_rows(project / "inputs/fresh/2024/indicators.csv")
    assert headers == ["指标编号", "指标名称", "已完成项", "档次", "说明", "来源"]
    assert [(r["指标编号"], r["指标名称"]) for r in rows] == [("X1", "制度"), ("X2", "公开")]
    capsys.readouterr()
    assert run(project, "check", "fresh") == 0
    # filled by hand: 有制度 met (60), 公开 chosen (40): 100
    path = project / "inputs/fresh/2024/indicators.csv"
    path.write_text("指标编号,指标名称,已完成项,档次,说明,来源\nX1,制度,全部,,,\nX2,公开,,公开,已在门户网站公开,\n", encoding="utf-8")
    result = check(project, "fresh")
    assert result.scores.total == 100 and result.scores.unfilled == ()


@pytest.mark.parametrize("args, message", [
    (("--framework", "no-such"), "找不到评价体系“no-such”"),
    (("--framework", "../frameworks/huadu-2023"), "找不到评价体系"),
    (("--framework", "huadu-2023", "--kind", "project"), "与评价体系 huadu-2023 的适用类型 department"),
    (("--framework", "huadu-2023", "--from", "huadu"), "--framework 与 --from 不能同时使用"),
])
def test_a_framework_that_cannot_be_used_is_refused(project, capsys, args, message):
    before = sorted(p.name for p in (project / "inputs").iterdir())
    assert run(project, "new", "fresh", *args) != 0
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (project / "inputs").iterdir()) == before
