"""Many units at once (make all): each built in a worker process of its own, a failure kept to its unit,
a progress bar, and the bureau's summary of what was built."""
from __future__ import annotations

import contextlib
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .deadline import cap_memory, die_with_parent, run_seconds
from .errors import InputError, PipelineError
from .numbers import score
from .report.formats import DEFAULT_FORMATS
from .report.pdf import PDF_FAILED, kept_converter, paged
from .report.summary import Row, failed_row, row_from_record, row_record, summary_csv, summary_row, summary_xlsx
from .run import Result, prepare, publish
from .spool import Mapped, Spool, spooled
from .write import replace_file

SUMMARY = "汇总表"
PDF_CHUNK = 20  # units whose PDFs one LibreOffice process makes
DIED = "工作进程异常退出（超出时间或内存上限，或进程被终止），该单位未生成；请用 make report DEPT=该单位 查看原因"
_CONVERTER: dict = {}  # this process's running LibreOffice, started at its first PDF: a worker keeps it for its units
LISTED = 100  # built units listed one by one at the end; more are counted (the summary workbook lists them all)


@dataclass(frozen=True)
class UnitRun:
    """One unit's run, as a worker hands it back: its summary row when built, its first problem when not."""

    dept: str
    row: Row | None = None
    warnings: int = 0
    error: str = ""  # the first message of the failure
    problems: int = 0  # how many problems the failure reported
    exit_code: int = 0  # 2 the unit's input or template, 1 this machine or a fault of the program
    detail: str = ""  # a fault of the program: its traceback, to be reported
    seconds: float = 0.0
    peak_mb: float = 0.0  # the largest the worker process has been so far
    missing: str = ""  # built, but a file asked for could not be made (the PDF): why


def run_record(o: UnitRun) -> tuple:
    """A unit's run as plain values, for the batch's spool (run_from_record gives it back)."""
    return (o.dept, None if o.row is None else row_record(o.row), o.warnings, o.error, o.problems, o.exit_code,
            o.detail, o.seconds, o.peak_mb, o.missing)


def run_from_record(r: tuple) -> UnitRun:
    return UnitRun(r[0], None if r[1] is None else row_from_record(r[1]), *r[2:])


@contextlib.contextmanager
def spooled_runs(depts: list[str]) -> Iterator[Spool]:
    """Where the batch keeps each unit's run as it arrives, read back in the order of `depts`."""
    with spooled(depts, run_record, run_from_record) as spool:
        yield spool


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def build_one(root: Path, dept: str, formats: tuple[str, ...] = DEFAULT_FORMATS, charts: bool = True,
              strict: bool = False, seconds: float | None = None) -> UnitRun:
    """Build one unit; whatever goes wrong is returned, never raised, so that the other units go on."""
    return build_chunk(root, [dept], formats, charts, strict, seconds)[0]


def build_chunk(root: Path, depts: list[str], formats: tuple[str, ...] = DEFAULT_FORMATS, charts: bool = True,
                strict: bool = False, seconds: float | None = None) -> list[UnitRun]:
    """Several units one after another in this process; with PDF asked for, all their Word documents go through
    one LibreOffice process (starting it costs more than converting a report)."""
    pdf = "pdf" in formats
    rendered = tuple(f for f in formats if f != "pdf") + (("docx",) if pdf and "docx" not in formats else ())
    prepared: dict[str, tuple[Result, float]] = {}
    outcomes: dict[str, UnitRun] = {}
    for dept in depts:
        start = time.perf_counter()
        try:
            prepared[dept] = (prepare(root, dept, None, rendered, charts, strict, seconds), start)
        except Exception as error:  # MemoryError included: the unit's run has ended and its memory is free again
            outcomes[dept] = failed(dept, error, start)
    if pdf and prepared:
        start = time.perf_counter()
        pdfs = pdf_files({dept: result.rendered.files["report.docx"] for dept, (result, _) in prepared.items()})
        share = (time.perf_counter() - start) / max(len(prepared), 1)
        prepared = {dept: (with_pdf(result, *pdfs[dept], "docx" in formats), begun - share)
                    for dept, (result, begun) in prepared.items()}
    for dept, (result, start) in prepared.items():
        try:
            publish(root, result)
            outcomes[dept] = _timed(UnitRun(dept, summary_row(result), warnings=len(result.warnings),
                                            missing="；".join(result.rendered.missing)), start)
        except Exception as error:
            outcomes[dept] = failed(dept, error, start)
    return [outcomes[dept] for dept in depts]


def with_pdf(result: Result, docx: bytes, made: bytes | None, why: str, keep_docx: bool) -> Result:
    """The unit's files with the Word report LibreOffice numbered and its PDF; where LibreOffice gave none, the other
    files are still written and why is said: a unit is not lost to LibreOffice."""
    files = {**result.rendered.files, "report.docx": docx} | ({"report.pdf": made} if made is not None else {})
    if not keep_docx:
        del files["report.docx"]
    return replace(result, rendered=replace(result.rendered, files=files, missing=(why,) if made is None else ()))


def pdf_files(docxs: dict[str, bytes]) -> dict[str, tuple[bytes, bytes | None, str]]:
    """Each unit's Word report (its 目录 numbered), its PDF and why not where LibreOffice gave none: through this
    process's running converter where one can run, else one LibreOffice process for the group, then each alone."""
    converter = kept_converter(_CONVERTER)
    if converter is not None:
        made = paged(list(docxs.values()), converter)
        return {dept: (docx, pdf, "" if pdf else PDF_FAILED) for dept, (docx, pdf) in zip(docxs, made)}
    try:
        made = paged(list(docxs.values()))
        return {dept: (docx, pdf, "" if pdf else PDF_FAILED) for dept, (docx, pdf) in zip(docxs, made)}
    except Exception:  # one document may have stopped LibreOffice for all: each alone, to keep the others
        alone = {}
        for dept, docx in docxs.items():
            try:
                docx, pdf = paged([docx])[0]
                alone[dept] = (docx, pdf, "" if pdf else PDF_FAILED)
            except Exception as error:
                alone[dept] = (docx, None, f"report.pdf：{failed(dept, error, 0.0).error}")
        return alone


def failed(dept: str, error: Exception, start: float) -> UnitRun:
    """A unit that could not be built, said by its first problem; a fault of the program keeps its traceback."""
    if isinstance(error, InputError):
        first = str(error.problems[0]) if error.problems else str(error)
        outcome = UnitRun(dept, error=first, problems=len(error.problems), exit_code=error.exit_code)
    elif isinstance(error, PipelineError):
        outcome = UnitRun(dept, error=str(error).splitlines()[0] if str(error) else type(error).__name__,
                          problems=1, exit_code=error.exit_code)
    else:
        outcome = UnitRun(dept, error=f"程序错误（请报告）：{type(error).__name__}: {error}", problems=1, exit_code=1,
                          detail="".join(traceback.format_exception(error)))
    return _timed(outcome, start)


def _timed(outcome: UnitRun, start: float) -> UnitRun:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts in KiB
    return replace(outcome, seconds=time.perf_counter() - start, peak_mb=peak)


def chunks(depts: list[str], size: int) -> list[list[str]]:
    return [depts[i:i + size] for i in range(0, len(depts), size)]


def build_all(root: Path, depts: list[str], formats: tuple[str, ...] = DEFAULT_FORMATS, charts: bool = True,
              strict: bool = False, jobs: int | None = None, progress: bool | None = None,
              seconds: float | None = None, scheduler: str | None = None) -> list[UnitRun]:
    """run_all's outcomes as a list, in the order of `depts`: for a batch small enough to hold."""
    with spooled_runs(depts) as spool:
        run_all(root, depts, spool, formats, charts, strict, jobs, progress, seconds, scheduler)
        return list(spool)


def run_all(root: Path, depts: list[str], spool: Spool, formats: tuple[str, ...] = DEFAULT_FORMATS,
            charts: bool = True, strict: bool = False, jobs: int | None = None, progress: bool | None = None,
            seconds: float | None = None, scheduler: str | None = None) -> None:
    """Every unit, `jobs` at a time (default: every core), or on the Dask cluster whose scheduler is at `scheduler`;
    each outcome goes to `spool` as it arrives, so the batch holds no unit's row past its arrival."""
    jobs = max(1, min(jobs or cores(), len(depts) or 1))
    size = max(1, min(PDF_CHUNK, -(-len(depts) // jobs))) if "pdf" in formats else 1
    from tqdm import tqdm  # 0.05 s to import: only a batch shows a progress bar
    bar = tqdm(total=len(depts), desc="生成报告", unit="个单位", file=sys.stderr, dynamic_ncols=True,
               disable=None if progress is None else not progress)

    def keep(outcomes: list[UnitRun]) -> None:
        for outcome in outcomes:
            spool.add(outcome.dept, outcome)

    try:
        if scheduler:
            from .cluster import Failure, as_done
            budget = seconds if seconds is not None else run_seconds()
            # one unit a task: a worker keeps its LibreOffice between units, so nothing is gained by grouping them
            for dept, r in as_done(scheduler, {dept: (build_chunk, root, [dept], formats, charts, strict, budget)
                                               for dept in depts}, budget):
                keep([UnitRun(dept, error=r.message, problems=1, exit_code=1) if isinstance(r, Failure) else r[0]])
                bar.update(1)
        elif jobs == 1:
            for chunk in chunks(depts, size):
                keep(build_chunk(root, chunk, formats, charts, strict, seconds))
                bar.update(len(chunk))
        else:
            args = (root, formats, charts, strict, seconds)
            broken = _in_pool(chunks(depts, size), jobs, keep, bar, args)
            for chunk in broken:  # a worker died and took the pool down: each unit of the group alone, to find which
                for dept in chunk:
                    for again in _in_pool([[dept]], 1, keep, bar, args, count=False):
                        keep([UnitRun(d, error=DIED, problems=1, exit_code=1) for d in again])
                bar.update(len(chunk))
    finally:
        bar.close()


def _in_pool(groups: list[list[str]], jobs: int, keep: Callable[[list[UnitRun]], Any], bar: Any, args: tuple,
             count: bool = True) -> list[list[str]]:
    """Run the groups in a pool of `jobs` workers; return those whose worker died (or that a dying pool took down)."""
    broken = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=worker_start, initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(build_chunk, args[0], group, *args[1:]): group for group in groups}
        for future in as_completed(futures):
            group = futures[future]
            try:
                keep(future.result())
            except BrokenProcessPool:
                broken.append(group)
                continue
            if count:
                bar.update(len(group))
    return broken


def worker_start(parent: int) -> None:
    """A worker ends with the batch (killing only the parent leaves none running), and a unit that asks for more
    memory than the cap gets a MemoryError in its own run instead of the machine's memory."""
    die_with_parent()
    cap_memory()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def write_summary(root: Path, outcomes: Iterable[UnitRun]) -> list[Path]:
    """output/汇总表.xlsx and .csv beside the units' folders, each replaced in one step. `outcomes` is read several
    times over (a list, or the batch's spool)."""
    rows = Mapped(lambda o: o.row or failed_row(o.dept, o.error), outcomes)
    folder = root / "output"
    return [replace_file(folder / f"{SUMMARY}.xlsx", summary_xlsx(rows)),
            replace_file(folder / f"{SUMMARY}.csv", summary_csv(rows))]


def closing(outcomes: Iterable[UnitRun], seconds: float, summary: list[Path], root: Path) -> Iterator[str]:
    """What was built and what failed (each with its first message), as the batch's last words, line by line."""
    count = built = 0
    for o in outcomes:
        count, built = count + 1, built + (o.row is not None)
    yield (f"共 {count} 个单位：已生成 {built} 个，失败 {count - built} 个，用时 {seconds:.1f} 秒"
           + (f"（每分钟 {count / seconds * 60:.0f} 个）" if seconds > 0 else ""))
    if built <= LISTED:
        for o, row in ((o, o.row) for o in outcomes if o.row is not None):
            warned = f"，警告 {o.warnings} 条" if o.warnings else ""
            yield f"  已生成 {o.dept} {row.year}：总分 {score(row.total)}，等级 {row.grade}{warned}"
    for o in outcomes:
        if o.row is not None and o.missing:
            yield f"  {o.dept} 未生成 {o.missing}"
    for o in outcomes:
        if o.row is None:
            more = f"（共 {o.problems} 处问题，make check DEPT={o.dept} 列出全部）" if o.problems > 1 else ""
            yield f"  失败 {o.dept}：{o.error}{more}；该单位原有的输出未改动"
    yield from (f"  汇总表：{path.relative_to(root).as_posix()}" for path in summary)


def exit_code(outcomes: Iterable[UnitRun]) -> int:
    """0 when every unit was built whole; 2 when a unit's input is at fault, else 1 (a PDF missing included)."""
    codes = {o.exit_code for o in outcomes if o.row is None} | {1 for o in outcomes if o.missing}
    return 0 if not codes else 2 if 2 in codes else 1
