"""A rule type is one module: dropped into rules/types/, it is in `make rules`, its parameters are checked in a
framework with its own messages, a fresh unit's rows carry its columns, and it scores; nothing else is touched."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.rules import registry
from tests.conftest import ROOT

TALLY = '''"""tally: so many points for each one counted, up to the weight."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from ...numbers import plain, score as score_text
from ...inputs.fields import Model, Points
from ..outcome import Outcome, Shown, deducted, number, row_of
from ..schema import ZeroIf, zero_if_field

POSITION = 65


class TallyRule(Model):
    """计数：每计一个得“每个分值”，得满权重为止。"""

    type: Literal["tally"] = Field(alias="类型")
    each: Points = Field(alias="每个分值", description="每计一个得几分")
    zero_if: list[ZeroIf] = zero_if_field()


MODEL = TallyRule


def reads(rule, again):
    return {"实际值"}


def problems(rule, weight, known, again):
    if weight is not None and rule.each > weight:
        return [(("每个分值",), f"每个分值 {rule.each} 超过权重 {weight}", "应不超过权重", str(rule.each))]
    return []


def wording(outcome, weight):
    return Shown(actual=f"巡查{outcome.inputs['实际值']}次")


def score(node, rule, facts, figures, fw, again):
    counted = number(row_of(facts).actual, "实际值")
    points = min(counted * rule.each, node.weight)
    return Outcome(points, f"每计一个得{plain(rule.each)}分，最高{plain(node.weight)}分", {"实际值": plain(counted)},
                   deducted(node, points, f"计{plain(counted)}个，得{score_text(points)}分"))
'''

FRAMEWORK = """\
名称: 计数体系
适用: department
生效日期: 2024-01-01
来源: 自拟
指标:
  - {{编号: T, 名称: 工作, 权重: 100, 下级: [
      {{编号: T1, 名称: 巡查次数, 权重: 10, 规则: {{类型: tally, 每个分值: {each}}}}},
      {{编号: T2, 名称: 其他, 权重: 90, 规则: {{类型: checklist, 清单: [{{名称: 完成, 分值: 90}}]}}}}]}}
"""


def test_every_type_keeps_the_contract():
    assert list(registry.RULE_TYPES) == ["ratio", "completion", "tiers", "judgement", "pacing", "deduction",
                                         "checklist", "band", "manual", "composite"]
    for module in registry.MODULES:
        assert isinstance(module.POSITION, int) and callable(module.score), module.__name__
        model = module.MODEL
        assert (model.__doc__ or "").strip(), model  # its line in `make rules`
        assert list(model.model_fields)[-1] == "zero_if"
        assert all(info.alias for info in model.model_fields.values())


def test_a_module_without_what_the_contract_asks_is_named(tmp_path, monkeypatch):
    package = tmp_path / "loose_types"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "half.py").write_text("POSITION = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import loose_types
    with pytest.raises(TypeError, match="loose_types.half lacks MODEL, score"):
        registry.found(loose_types)


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # `-m` puts the working directory first on the path: the copied package with the new type is the one run
    return subprocess.run([sys.executable, "-m", "pipeline", "--root", str(cwd), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def with_tally(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tally")
    shutil.copytree(ROOT / "pipeline", root / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "pipeline/rules/types/tally.py").write_text(TALLY, encoding="utf-8")
    (root / "inputs/frameworks").mkdir(parents=True)
    return root


def test_a_new_type_is_listed_by_make_rules(with_tally):
    done = run(with_tally, "rules")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    tally = lines.index("tally  计数：每计一个得“每个分值”，得满权重为止。")
    assert lines[tally + 1] == "    每个分值（必填）：每计一个得几分"
    # in its POSITION's place: after deduction (60), before checklist (70)
    assert lines.index(next(line for line in lines if line.startswith("deduction  "))) < tally
    assert tally < lines.index(next(line for line in lines if line.startswith("checklist  ")))


def test_a_new_type_is_checked_in_a_framework(with_tally):
    (with_tally / "inputs/frameworks/tally-bad.yaml").write_text(FRAMEWORK.format(each=12), encoding="utf-8")
    done = run(with_tally, "new", "bad", "--framework", "tally-bad", "--year", "2024", "--csv")
    assert done.returncode == 2
    assert ("tally-bad.yaml 第7行 指标[1].下级[1].规则.每个分值：每个分值 12 超过权重 10（当前值：'12'）；应不超过权重"
            in done.stderr)
    assert not (with_tally / "inputs/bad").exists()


def test_a_new_type_scores_and_its_row_has_its_columns(with_tally):
    (with_tally / "inputs/frameworks/tally.yaml").write_text(FRAMEWORK.format(each=2.5), encoding="utf-8")
    done = run(with_tally, "new", "counted", "--framework", "tally", "--year", "2024", "--csv")
    assert done.returncode == 0, done.stderr
    path = with_tally / "inputs/counted/2024/indicators.csv"
    assert path.read_text(encoding="utf-8").splitlines()[0] == "指标编号,指标名称,实际值,已完成项,说明,来源"
    done = run(with_tally, "check", "counted")
    assert done.returncode == 0 and "T1“巡查次数”" in done.stderr and "尚未填写" in done.stderr
    # by hand: 3 counted × 2.5 = 7.5 of 10; the checklist met, 90: 97.5
    path.write_text("指标编号,指标名称,实际值,已完成项,说明,来源\nT1,巡查次数,3,,,\nT2,其他,,全部,,\n", encoding="utf-8")
    done = run(with_tally, "check", "counted")
    assert done.returncode == 0, done.stderr
    assert "总分 97.50" in done.stdout and "工作：97.50 / 100.00" in done.stdout
    # its wording is its module's: the score table's 实际完成值 of T1 reads 巡查3次
    done = run(with_tally, "report", "counted", "--formats", "md", "--no-charts")
    assert done.returncode == 0, done.stderr
    report = (with_tally / "output/counted/2024/report.md").read_text(encoding="utf-8")
    assert "巡查3次" in report
    # 5 counted would be 12.5: held at the weight
    path.write_text("指标编号,指标名称,实际值,已完成项,说明,来源\nT1,巡查次数,5,,,\nT2,其他,,全部,,\n", encoding="utf-8")
    assert "总分 100.00" in run(with_tally, "check", "counted").stdout
