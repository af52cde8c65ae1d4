"""What a check or a build prints: the score summary and the warnings."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..numbers import score

if TYPE_CHECKING:
    from ..run import Result


def summary(result: Result) -> str:
    unit, s = result.inputs.unit, result.scores
    lines = [f"{unit.name} {unit.year}年度：总分 {score(s.total)}，等级 {s.grade}"]
    lines += [f"  {b.name}：{score(b.points)} / {score(b.weight)}" for b in s.blocks]
    if result.findings:
        errors = sum(f.severity == "错误" for f in result.findings)
        lines.append(f"  复核：错误 {errors} 处，提示 {len(result.findings) - errors} 处（明细见 checks.md）")
    if result.checks:
        lines.append(f"  核对：{len(result.checks)} 处与单位填报不一致（报告采用计算结果，明细见 checks.md）")
    lines += [f"    {c.what}：{c.entered_as} {c.entered}，{c.computed_as} {c.computed}（{c.where}）" for c in result.checks]
    return "\n".join(lines)


def warned(result: Result) -> None:
    for problem in result.warnings:
        print(f"警告：{problem}", file=sys.stderr)
