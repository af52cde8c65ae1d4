"""One reviewed form: what was read and recomputed, what was found, and the verdict a bureau gives on it."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

MISMATCH, UNREADABLE, NOTE = "印出与计算不符", "无法重算", "导入说明"  # the other kinds are the re-check severities
ERROR, HINT = "错误", "提示"


@dataclass
class Reviewed:
    file: str  # the file, and its sheet where a workbook holds several forms
    kind: str = ""
    unit: str = ""
    project: str = ""
    printed: Decimal | None = None
    computed: Decimal | None = None
    printed_grade: str = ""
    grade: str = ""
    status: str = "已重算"
    # (kind, where, what, printed, computed, note)
    findings: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    department: str = ""  # 主管部门
    framework: str = ""
    match: str = ""  # how the framework was chosen
    budget: Decimal | None = None  # 全年预算数, 万元
    spent: Decimal | None = None  # 全年执行数, 万元
    previous: Decimal | None = None  # last year's score, where last year's forms were given

    def count(self, *kinds: str) -> int:
        return sum(f[0] in kinds for f in self.findings)

    def problems(self) -> int:
        """Findings of the re-check, the form's own sums and what could not be recomputed: not the import's notes."""
        return sum(f[0] != NOTE for f in self.findings)

    def verdict(self) -> tuple[str, list[str]]:
        """通过, or 退回修改 with its reasons: an error of the re-check, a printed figure the rules do not give, a form
        that could not be recomputed."""
        reasons = []
        if self.computed is None:
            reasons.append("表格无法读取或有错误，未能重算")
        mismatches = [f for f in self.findings if f[0] == MISMATCH]
        reasons += [f"{f[2]}印出 {f[3]}，计算为 {f[4]}" for f in mismatches[:3]]
        if len(mismatches) > 3:
            reasons.append(f"另有 {len(mismatches) - 3} 处印出与计算不符")
        rules = list(dict.fromkeys(f[2] for f in self.findings if f[0] == ERROR))
        reasons += [f"{rule}（{sum(f[0] == ERROR and f[2] == rule for f in self.findings)} 处）" for rule in rules]
        return ("退回修改" if reasons else "通过"), reasons


FIGURES = ("printed", "computed", "budget", "spent", "previous")


def reviewed_record(r: Reviewed) -> tuple:
    """A reviewed form as plain values, its figures as text, for the review's spool (reviewed_from_record gives it back)."""
    return (r.file, r.kind, r.unit, r.project, r.printed_grade, r.grade, r.status, tuple(r.findings), r.department,
            r.framework, r.match, *(None if getattr(r, f) is None else str(getattr(r, f)) for f in FIGURES))


def reviewed_from_record(record: tuple) -> Reviewed:
    file, kind, unit, project, printed_grade, grade, status, findings, department, framework, match, *figures = record
    back = Reviewed(file, kind, unit, project, printed_grade=printed_grade, grade=grade, status=status,
                    findings=list(findings), department=department, framework=framework, match=match)
    for name, text in zip(FIGURES, figures):
        setattr(back, name, None if text is None else Decimal(text))
    return back
