"""checks.md compares a printed score at any level of a deep framework; a name several nodes share is flagged."""
from __future__ import annotations

from pipeline.run import build
from tests.helpers import edit
from tests.test_run_deep import deep_department


def test_printed_scores_checked_at_every_level(project):
    """已公布 指标得分 for a node at level 3 and 4 by 编号, and a name that three nodes share (refused as ambiguous)."""
    deep_department(project)
    unit = project / "inputs/huadu/2023/unit.yaml"
    edit(unit, "已公布:   # 原报告自评的得分，用于核对\n",
         "已公布:   # 原报告自评的得分，用于核对\n  指标得分:\n    A11: 19.00\n    A112: 10\n    B21: 8\n    规范管理: 10\n")
    _, written = build(project, "huadu", formats=("md",), charts=False)
    checks = (written[0].parent / "checks.md").read_text(encoding="utf-8")
    assert "公共卫生服务得分" not in checks  # A11 (level 3) printed 19.00 = 10 + 9.00: agrees, not listed
    assert "| 居民健康档案建档率得分 | 10.00 | 9.00 | -1.00 |" in checks  # level 4: 81/90 × 10 = 9.00
    line = unit.read_text(encoding="utf-8").splitlines().index("    B21: 8") + 1  # the place is told at its line
    assert f"| 规范管理得分 | 8.00 | 7.00 | -1.00 | inputs/huadu/2023/unit.yaml 第{line}行 已公布.指标得分.B21 |" in checks
    assert "| 规范管理得分 | 10.00 | 名称对应多个指标（编号 A12、B11、B21），请改写编号 |" in checks
