"""A unit as the app shows it: checked and scored, its problems located, its report previewed; cached until a file
of the unit (or a shared framework) changes, so a page that asks twice pays once."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, OverLimit, PipelineError, Problem
from ..run import Result, output_dir, prepare

PREVIEW = ("html",)  # what each change re-renders: score, findings and the HTML preview, no charts, no 自评表
# the files offered for download, each with the words an officer knows it by (a .md opens in Notepad or WPS)
OUTPUTS = {"report.docx": "Word 报告", "report.pdf": "PDF 报告", "自评表.docx": "自评表（Word）",
           "report.html": "网页版报告", "checks.md": "核对报告（文本）", "report.md": "报告原文（Markdown 文本）"}


@dataclass(frozen=True)
class Checked:
    result: Result | None
    problems: list[Problem] = field(default_factory=list)  # input problems, located (sheet, row, cell)
    failure: str = ""  # a template, machine or limit problem, as the command line tells it
    seconds: float = 0.0

    @property
    def state(self) -> str:
        if self.result is None:
            return f"有问题（{len(self.problems)} 处）" if self.problems else "无法生成"
        errors = sum(f.severity == "错误" for f in self.result.findings)
        return f"已校验，复核错误 {errors} 处" if errors else "已校验"

    @property
    def preview(self) -> bytes | None:
        return self.result.rendered.files.get("report.html") if self.result is not None else None


def signature(root: Path, folder: Path) -> tuple:
    """What the outcome depends on: every file of the unit's year, last year's and the shared frameworks."""
    places = [folder, folder.parent / str(int(folder.name) - 1), root / "inputs" / "frameworks"]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for place in places if place.is_dir()
                 for p in sorted(place.rglob("*")) if p.is_file() and "原数据" not in p.parts)


def evaluate(root: Path, dept: str, year: int) -> Checked:
    start = time.perf_counter()
    try:
        result = prepare(root, dept, year, PREVIEW, charts=False, form=False)
    except InputError as error:
        return Checked(None, error.problems, seconds=time.perf_counter() - start)
    except (OverLimit, PipelineError) as error:
        return Checked(None, failure=error.report(), seconds=time.perf_counter() - start)
    return Checked(result, seconds=time.perf_counter() - start)


def outcome(cache: dict, root: Path, dept: str, year: int, folder: Path) -> Checked:
    key, mark = (dept, year), signature(root, folder)
    held = cache.get(key)
    if held is None or held[0] != mark:
        held = cache[key] = (mark, evaluate(root, dept, year))
    return held[1]


def built(root: Path, dept: str, year: int, folder: Path) -> list[str]:
    """The report files written after the unit's last change: those are current."""
    out = output_dir(root, dept, year)
    newest = max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0)
    return [name for name in OUTPUTS if (out / name).is_file() and (out / name).stat().st_mtime >= newest]
