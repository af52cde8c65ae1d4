"""The bureau's re-check: every form in a folder read and recomputed in a scratch project, one workbook of the results."""
from __future__ import annotations

import csv
import io
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from ..deadline import run_budget
from ..errors import InputError, PipelineError, Problem
from ..figures.numbers import score
from ..report.spreadsheet import header_cells, text_cells, workbook_bytes
from ..write import replace_file
from ..tools.scaffold import default_year
from .importing import FORM, READERS, draft_grid, read_grid, recognise
from .write_unit import Draft, trial

REVIEW_FILE = "复核汇总.xlsx"
BAR_FROM = 5  # a progress bar once there are this many forms
ROW = re.compile(r"第(\d+)行")
PLACE = re.compile(r"^((?:表\d+第\d+行)|(?:工作表“[^”]*”第\d+行))：")
SUMMARY_HEADERS = ("文件", "类型", "单位", "项目", "印出总分", "计算总分", "差额", "印出等级", "计算等级", "问题数", "状态")
FINDING_HEADERS = ("文件", "类别", "位置", "项目", "印出", "计算", "说明")
MISMATCH, UNREADABLE, NOTE = "印出与计算不符", "无法重算", "导入说明"  # the other kinds are the re-check severities


@dataclass
class Reviewed:
    file: str
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


def _where(text: str, unit: Draft) -> str:
    """A check's place in the scratch files, told as the form's row it came from."""
    line = ROW.search(text)
    if line and "indicators.csv" in text and ("indicators.csv", int(line.group(1))) in unit.origins:
        return unit.origins[("indicators.csv", int(line.group(1)))]
    return next((row for key, row in unit.places.items() if text.endswith(key)), text.rsplit("/", 1)[-1])


def review_one(root: Path, path: Path, framework: str | None) -> Reviewed:
    out = Reviewed(path.name)
    try:
        grid = read_grid(path)
        out.kind = recognise(grid)
        unit = draft_grid(root, grid, "review", None, None, framework, fallback_year=default_year())
        try:
            result = trial(root, unit)
        except InputError:
            if out.kind == FORM:
                raise
            return _added_up(out, unit)
    except PipelineError as error:
        out.status = "无法读取或有错误，未重算"
        problems = getattr(error, "problems", None) or []
        out.findings += [(UNREADABLE, p.where or p.file, p.field, p.value or "", "",
                          f"{p.message}{'；' + p.hint if p.hint else ''}") for p in problems] or [
            (UNREADABLE, "", "", "", "", error.report())]
        return out
    unit_model, scores = result.inputs.unit, result.scores
    out.unit, out.project = unit_model.name, unit_model.project
    out.printed, out.printed_grade = unit_model.published.total, unit_model.published.grade or ""
    out.computed, out.grade = scores.total, scores.grade
    out.findings += [(MISMATCH, _where(c.where, unit), c.what, c.entered, c.computed, f"差额 {c.gap}" if c.gap else "")
                     for c in result.checks]
    # the narrative (问题, 改进措施, typed figures) is not on a form: only what the form itself can answer for
    out.findings += [(f.severity, _where(f.where, unit), f.rule, "", "", f.message)
                     for f in result.findings if "正文" not in f.where]
    for note in unit.notes:
        match = PLACE.match(note)
        out.findings.append((NOTE, match.group(1) if match else "", "", "", "", note[match.end():] if match else note))
    return out


def review_alone(root: Path, path: Path, framework: str | None) -> Reviewed:
    """One form within a run's time budget; whatever goes wrong with it (a crash, the time, memory) is its own row."""
    try:
        with run_budget(f"文件 {path.name}"):
            return review_one(root, path, framework)
    except Exception as error:  # MemoryError included: the form's objects are freed once it has failed
        said = error.report() if isinstance(error, PipelineError) else f"程序错误（请报告）：{type(error).__name__}: {error}"
        return Reviewed(path.name, status="无法读取或有错误，未重算", findings=[(UNREADABLE, "", "", "", "", said)])


def not_read(path: Path) -> Reviewed:
    """A row for a name in DIR that is not a regular file: a link (to a file or a folder) is never followed."""
    if path.is_symlink():
        what = f"是指向 {os.readlink(path)} 的符号链接，复核只读取文件夹中的文件本身，不跟随链接"
    else:
        what = "不是普通文件（是文件夹、设备或管道），未读取"
    return Reviewed(path.name, status="未读取", findings=[(UNREADABLE, "", "", "", "", f"{what}；请把表格文件本身放进文件夹")])


def _added_up(out: Reviewed, unit: Draft) -> Reviewed:
    """A 评分表 without the facts its rules need: the printed scores added up, against the printed total."""
    rows = list(csv.DictReader(io.StringIO(unit.files["indicators.csv"].decode("utf-8"))))
    published = yaml.safe_load(unit.files["unit.yaml"].decode("utf-8")).get("已公布", {})
    out.unit = yaml.safe_load(unit.files["unit.yaml"].decode("utf-8")).get("单位名称", "")
    out.computed = sum((Decimal(r["自评得分"]) for r in rows if r["自评得分"]), Decimal(0))
    out.printed = Decimal(str(published["总分"])) if "总分" in published else None
    out.printed_grade = str(published.get("等级", ""))
    out.status = "评分表：按各项得分相加（评分所需数据未填，未按规则重算）"
    if out.printed is not None and out.printed != out.computed:
        out.findings.append((MISMATCH, unit.places.get("已公布.总分", ""), "总分", score(out.printed), score(out.computed),
                             "印出的总分与各项得分之和不符"))
    return out


def workbook(reviewed: list[Reviewed]) -> bytes:
    """Written as a stream (openpyxl's write-only mode): a folder of thousands of forms takes the memory of a few."""
    from openpyxl import Workbook  # 0.2 s to import: only the commands that write a workbook pay it
    from openpyxl.styles import Alignment
    book = Workbook(write_only=True)
    summary, findings = book.create_sheet("汇总"), book.create_sheet("问题明细")
    for sheet, headers, widths in ((summary, SUMMARY_HEADERS, (28, 8, 24, 24, 10, 10, 8, 8, 8, 8, 24)),
                                   (findings, FINDING_HEADERS, (28, 14, 20, 28, 10, 10, 60))):
        for column, width in zip("ABCDEFGHIJK", widths):  # a streamed sheet's widths come before its first row
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        sheet.append(header_cells(sheet, list(headers), fill=False))
    wrapped = Alignment(wrap_text=True)
    for r in reviewed:
        gap = r.computed - r.printed if r.computed is not None and r.printed is not None else None
        summary.append(text_cells(summary, [r.file, r.kind, r.unit, r.project, _number(r.printed), _number(r.computed),
                                            _number(gap), r.printed_grade, r.grade, len(r.findings), r.status]))
        for finding in r.findings:
            row = text_cells(findings, [r.file, *finding])
            row[-1].alignment = wrapped  # the note is always text, so always a cell of its own
            findings.append(row)
    return workbook_bytes(book)


def _number(value: Decimal | None) -> float | None:
    # a workbook stores binary floats; two decimals survive the trip exactly as shown
    return None if value is None else float(score(value))


def review(root: Path, folder: Path, framework: str | None = None) -> tuple[Path, list[Reviewed]]:
    if not folder.is_dir():
        raise InputError([Problem(str(folder), "", "DIR", "找不到这个文件夹", hint="DIR=存放自评表的文件夹")])
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in READERS and not p.name.startswith(("~$", ".")))
    from tqdm import tqdm  # 0.05 s to import: only a review of many forms shows a progress bar
    reviewed = [review_alone(root, path, framework) if stat.S_ISREG(path.lstat().st_mode) else not_read(path)
                for path in tqdm(files, desc="复核", unit="份", file=sys.stderr, disable=len(files) < BAR_FROM)]
    target = replace_file(root / "output" / REVIEW_FILE, workbook(reviewed))
    return target, reviewed
