"""The bureau's re-check: every form in a folder read and recomputed in a scratch project, one workbook of the results."""
from __future__ import annotations

import contextlib
import csv
import io
import os
import sqlite3
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import yaml

from ..deadline import run_budget
from ..errors import InputError, Location, PipelineError, Problem
from ..inputs import models as m
from ..numbers import score
from ..spool import Chained, Mapped, spooled
from ..tools.scaffold import default_year
from ..write import replace_file
from . import review_index
from .form import read_form
from .grid import Grid
from .importing import (
    DEFAULT_FRAMEWORK,
    FORM,
    draft_grid,
    form_files,
    forms_in,
    framework,
    read_grid,
    recognise,
)
from .review_book import workbook
from .review_folder import ROSTERS, SETTINGS, Expected, Settings, roster, settings
from .review_match import match, project_frameworks
from .review_notice import notices
from .reviewed import MISMATCH, NOTE, UNREADABLE, Reviewed, reviewed_from_record, reviewed_record
from .write_unit import Draft, origin, trial

REVIEW_FILE = "复核汇总.xlsx"
BAR_FROM = 5  # a progress bar once there are this many forms


def _where(at: Location, unit: Draft) -> str:
    """A finding's place in the scratch files, told as the form's row it came from."""
    found = origin(at, unit) or unit.places.get(at.key)
    return str(found) if found is not None else str(replace(at, file=at.file.rsplit("/", 1)[-1]))


@dataclass
class Desk:
    """What a review of one folder holds for every form: the frameworks to match, the bureau's settings."""
    root: Path
    framework: str | None  # FRAMEWORK=, for every project form
    settings: Settings
    frameworks: dict[str, m.Framework]


def desk(root: Path, framework_name: str | None, settings_: Settings) -> Desk:
    return Desk(root, framework_name, settings_, project_frameworks(root, framework))


def _chosen(part: Grid, file: str, at: Desk) -> tuple[str | None, str]:
    """The framework a 自评表 is scored under, and why; a 评分表 carries its own weights."""
    if recognise(part) != FORM:
        return None, "评分表：按表中的各项分值"
    if file in at.settings.frameworks:
        return at.settings.frameworks[file], f"按{SETTINGS}指定 {at.settings.frameworks[file]}"
    if at.framework:
        return at.framework, f"按 FRAMEWORK={at.framework}"
    found = match(read_form(part), at.frameworks, DEFAULT_FRAMEWORK)
    return found.framework, found.said


def review_one(root: Path, path: Path, at: Desk | None) -> list[Reviewed]:
    """A row per form in the file: a workbook of several forms, a sheet each."""
    at = at or desk(root, None, Settings())
    try:
        parts, _ = forms_in(read_grid(path))
    except PipelineError as error:
        return [_unreadable(Reviewed(path.name), error)]
    return [_part(root, path.name, f"{path.name}（工作表“{sheet}”）" if sheet and len(parts) > 1 else path.name, part, at)
            for sheet, part in parts]


def _part(root: Path, file: str, shown: str, grid: Grid, at: Desk) -> Reviewed:
    out = Reviewed(shown)
    try:
        out.kind = recognise(grid)
        name, out.match = _chosen(grid, file, at)
        out.framework = name or ""
        unit = draft_grid(root, grid, "review", None, None, name, fallback_year=default_year())
        try:
            result = trial(root, unit)
        except InputError:
            if out.kind == FORM:
                raise
            return _added_up(out, unit)
    except PipelineError as error:
        return _unreadable(_header(out, grid), error)
    unit_model, scores = result.inputs.unit, result.scores
    out.unit, out.project, out.department = unit_model.name, unit_model.project, unit_model.department
    out.framework = out.framework or unit_model.framework
    out.budget, out.spent = result.figures.base.get("全年预算数"), result.figures.base.get("决算数")
    out.printed, out.printed_grade = unit_model.published.total, unit_model.published.grade or ""
    out.computed, out.grade = scores.total, scores.grade
    out.findings += [(MISMATCH, _where(c.where, unit), c.what, c.entered, c.computed, f"差额 {c.gap}" if c.gap else "")
                     for c in result.checks]
    # the narrative (问题, 改进措施, typed figures) is not on a form: only what the form itself can answer for
    out.findings += [(f.severity, _where(f.where, unit), f.rule, "", "", f.message)
                     for f in result.findings if "正文" not in f.where.key]
    out.findings += [(NOTE, str(note.where), "", "", "", note.text) for note in unit.notes]
    return out


def _unreadable(out: Reviewed, error: PipelineError) -> Reviewed:
    out.status = "无法读取或有错误，未重算"
    problems = getattr(error, "problems", None) or []
    out.findings += [(UNREADABLE, str(replace(p.where, file="", key="")) or p.where.file, p.where.key, p.value or "", "",
                      f"{p.message}{'；' + p.hint if p.hint else ''}") for p in problems] or [
        (UNREADABLE, "", "", "", "", error.report())]
    return out


def _header(out: Reviewed, grid: Grid) -> Reviewed:
    """A form that cannot be recomputed still says whose it is, where its header can be read."""
    try:
        header = read_form(grid).header
    except Exception:  # the header is a courtesy: the row's reason is the error already caught
        return out
    out.unit = header.get("实施单位") or ""
    out.department, out.project = header.get("主管部门") or "", header.get("项目名称") or ""
    return out


def review_alone(root: Path, path: Path, at: Desk | None = None) -> list[Reviewed]:
    """One file within a run's time budget; whatever goes wrong with it (a crash, the time, memory) is its own row."""
    try:
        with run_budget(f"文件 {path.name}"):
            return review_one(root, path, at)
    except Exception as error:  # MemoryError included: the form's objects are freed once it has failed
        said = error.report() if isinstance(error, PipelineError) else f"程序错误（请报告）：{type(error).__name__}: {error}"
        return [Reviewed(path.name, status="无法读取或有错误，未重算", findings=[(UNREADABLE, "", "", "", "", said)])]


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
    head = yaml.safe_load(unit.files["unit.yaml"].decode("utf-8"))
    out.unit, out.department = str(head.get("单位名称", "")), str(head.get("主管部门", "") or "")
    out.computed = sum((Decimal(r["自评得分"]) for r in rows if r["自评得分"]), Decimal(0))
    out.printed = Decimal(str(published["总分"])) if "总分" in published else None
    out.printed_grade = str(published.get("等级", ""))
    out.status = "评分表：按各项得分相加（评分所需数据未填，未按规则重算）"
    if out.printed is not None and out.printed != out.computed:
        out.findings.append((MISMATCH, str(unit.places.get("已公布.总分", "")), "总分", score(out.printed), score(out.computed),
                             "印出的总分与各项得分之和不符"))
    return out


@dataclass(frozen=True)
class Review:
    """A folder's review: the workbook and how many notices were written, every form (read back from the spool at each
    pass, in the folder's order) and who has not submitted."""
    workbook: Path
    notices: int
    forms: Iterable[Reviewed]
    absent: list[Expected] | None


@contextlib.contextmanager
def reviewing(root: Path, folder: Path, framework_name: str | None = None, previous: Path | None = None,
              scheduler: str | None = None) -> Iterator[Review]:
    """Every form in the folder reviewed, here or on the Dask cluster at `scheduler` (the folder shared); the workbook,
    a notice per unit, and who has not submitted. Each form is kept on disk as it arrives, so a season's folder takes
    the memory of a few forms; the forms can be read while the block lasts."""
    at, names, expected = _folder(root, folder, framework_name)
    if previous is not None and not previous.is_dir():
        _names(previous, bureau=False)  # said before a form is read
    with review_index.opened() as index, spooled(names, _record, _from_record) as spool:
        if previous is not None:  # last year's first, so that each form arrives with its score beside it
            _last_year(root, previous, framework_name, index, scheduler)
        for name, forms in _results(root, folder, names, at, "复核", scheduler):
            for r in forms:
                r.previous = review_index.previous(index, r) if previous is not None else None
            spool.add(name, forms)
            review_index.add(index, spool.place(name), name, forms)
        absent = [e for e in expected if not review_index.submitted(index, e.name)] if expected is not None else None
        reviewed = Chained(spool)

        def form(place: tuple[str, int]) -> Reviewed:
            return spool.get(place[0])[place[1]]
        by_department = [(d, Mapped(form, review_index.Department(index, d))) for d in review_index.departments(index)]
        book = replace_file(root / "output" / REVIEW_FILE, workbook(reviewed, absent, by_department))
        groups = ((unit, [form(place) for place in forms]) for unit, forms in review_index.units(index))
        written = 0
        for _ in notices(root, groups, at.settings, review_index.Taken(index)):
            written += 1
        yield Review(book, written, reviewed, absent)


def _folder(root: Path, folder: Path, framework_name: str | None) -> tuple[Desk, list[str], list[Expected] | None]:
    """The review's desk, the forms' file names in the folder and who is expected to submit."""
    names = _names(folder, bureau=True)
    chosen = settings(folder, set(project_frameworks(root, framework)) | set(_shared(root)), set(names))
    return desk(root, framework_name, chosen), names, roster(folder)


def _names(folder: Path, bureau: bool) -> list[str]:
    """The forms' file names, in the folder's order (the bureau's own files left out)."""
    if not folder.is_dir():
        raise InputError([Problem(Location(str(folder), key="PREV" if not bureau else "DIR"), "找不到这个文件夹",
                                  hint="DIR=存放自评表的文件夹" if bureau else "PREV=上年收到的自评表")])
    own = {SETTINGS, *ROSTERS}
    return [p.name for p in form_files(folder) if p.name not in own]


def _last_year(root: Path, folder: Path, framework_name: str | None, index: sqlite3.Connection,
               scheduler: str | None) -> None:
    """Each of last year's forms reviewed, its score kept in the index (the forms themselves are not kept)."""
    names = _names(folder, bureau=False)
    for _, forms in _results(root, folder, names, desk(root, framework_name, Settings()), "上年", scheduler):
        for r in forms:
            review_index.remember(index, r)


def _shared(root: Path) -> list[str]:
    return [p.stem for p in (root / "inputs" / "frameworks").glob("*.yaml")]


def _results(root: Path, folder: Path, names: list[str], at: Desk | None, what: str,
             scheduler: str | None = None) -> Iterator[tuple[str, list[Reviewed]]]:
    """Each file's name and its forms' rows as each is done (on a cluster, in the order they finish)."""
    from tqdm import tqdm  # 0.05 s to import: only a review of many forms shows a progress bar
    with tqdm(total=len(names), desc=what, unit="份", file=sys.stderr, disable=len(names) < BAR_FROM) as bar:
        regular = []
        for name in names:
            if stat.S_ISREG((folder / name).lstat().st_mode):
                regular.append(name)
            else:
                yield name, [not_read(folder / name)]
                bar.update(1)
        if scheduler:
            yield from _on_cluster(root, folder, regular, at, scheduler, bar)
            return
        for name in regular:
            yield name, review_alone(root, folder / name, at)
            bar.update(1)


def _on_cluster(root: Path, folder: Path, names: list[str], at: Desk | None, scheduler: str,
                bar) -> Iterator[tuple[str, list[Reviewed]]]:
    from ..cluster import Failure, as_done
    from ..deadline import run_seconds
    shared = folder.resolve()
    for name, got in as_done(scheduler, {name: (review_alone, root.resolve(), shared / name, at) for name in names},
                             run_seconds()):
        bar.update(1)
        yield name, [Reviewed(name, status="无法读取或有错误，未重算", findings=[(UNREADABLE, "", "", "", "", got.message)])
                     ] if isinstance(got, Failure) else got


def _record(forms: list[Reviewed]) -> tuple:
    return tuple(map(reviewed_record, forms))


def _from_record(records: tuple) -> list[Reviewed]:
    return [reviewed_from_record(r) for r in records]
