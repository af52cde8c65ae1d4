"""Two figures of make bench measured whole-process, each in a child of its own: a cold `report` (a fresh interpreter,
start-up and imports included) against pandoc alone on the same Markdown, and the batch summary (汇总表.xlsx and .csv)
at 100,000 units with its time and the child's peak memory.

    python -m tools.bench_scale summary 100000   (the child: prints seconds and peak MB)
    python -m tools.bench_scale cold 9 ../before  (the cold figure alone, here and in another checkout, in turn)
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

UNIT = "huadu"
ALONE_RTS = "-H4m"  # the yardstick at its best: a 4 MB heap is the fastest setting for one pandoc run (measured)
HOME = Path(__file__).resolve().parents[1]  # the checkout: the children run its copy of the package, from where it lies


def _wall(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds the command took, and the processor seconds it and its children used (steadier on a busy machine)."""
    used, start = _children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300, cwd=cwd,
                   env=env)
    return time.perf_counter() - start, _children_cpu() - used


def _children_cpu() -> float:
    spent = resource.getrusage(resource.RUSAGE_CHILDREN)
    return spent.ru_utime + spent.ru_stime


def as_installed(checkout: Path) -> dict[str, str]:
    """The environment a user's command runs in: the package of `checkout` first on the path, its modules compiled
    once (as an installed package has them), so what is timed is the command, not compiling Python."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "pipeline")], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(checkout)}


def cold_report(root: Path, repeat: int, before: Path | None = None) -> str:
    """`python -m pipeline report huadu --no-charts` (make report DEPT=huadu CHARTS=0) in a fresh interpreter, run in a
    copy of the project's inputs, and pandoc alone turning its report.md into Word, in turn (A B A B …) so a drift in
    the machine's speed touches both; medians and their ratio. `before`: another checkout (the code before a change)
    timed in the same turns."""
    import pypandoc

    from pipeline.report.markdown_text import PANDOC_MARKDOWN
    from pipeline.report.word.reference import reference_docx

    checkouts = {"之前": before, "现在": HOME} if before is not None else {"": HOME}
    report = [sys.executable, "-m", "pipeline", "report", UNIT, "--no-charts"]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(root / "inputs", project / "inputs")
        envs = {name: as_installed(checkout) for name, checkout in checkouts.items()}
        for env in envs.values():
            _wall(report, project, env)  # warm: the disk cache, the template cache
        markdown = next((project / "output" / UNIT).glob("*/report.md"))
        reference = Path(tmp) / "reference.docx"
        reference.write_bytes(reference_docx())
        alone = [pypandoc.get_pandoc_path(), "--sandbox", "--from", PANDOC_MARKDOWN, "--to", "docx",
                 "--shift-heading-level-by=-1", "--reference-doc", str(reference), "--output",
                 str(Path(tmp) / "alone.docx"), str(markdown)]
        turns = [({name: _wall(report, project, env) for name, env in envs.items()},
                  _wall(alone, project, os.environ | {"GHCRTS": ALONE_RTS}))
                 for _ in range(repeat)]
    lines = [f"  冷启动 make report DEPT={UNIT} CHARTS=0（{repeat} 轮交替运行的中位数；括号内为处理器时间，含子进程）："
             f"pandoc 单独转换同一 Markdown {_median(p[0] for _, p in turns):.3f} 秒"
             f"（{_median(p[1] for _, p in turns):.3f}）"]
    for name in envs:
        lines.append(f"  {name}本程序 {_median(t[name][0] for t, _ in turns):.3f} 秒"
                     f"（{_median(t[name][1] for t, _ in turns):.3f}）；"
                     f"比值 {_median(t[name][0] / p[0] for t, p in turns):.1f}")
    return "\n".join(lines)


def _median(values) -> float:
    return statistics.median(list(values))


def summary_at_scale(count: int) -> str:
    """The batch's summary (汇总表.xlsx and .csv) of `count` made-up units, in a child process as `make all` makes it:
    each unit's outcome spooled as it arrives, then both files written from the spool. Its time (and processor time),
    its own peak memory, and how much that grew past the process before the batch (flat: no row is held)."""
    done = subprocess.run([sys.executable, "-m", "tools.bench_scale", "summary", str(count)],
                          capture_output=True, text=True, timeout=1800, check=True, cwd=HOME)
    seconds, cpu, spooling, peak, grown, size, csv_size = done.stdout.split()
    return (f"  汇总表 {count:,} 行（.xlsx 与 .csv，各单位的行逐个写入临时文件后读出）：{float(seconds):.1f} 秒"
            f"（处理器 {float(cpu):.1f} 秒，其中写入临时文件 {float(spooling):.1f} 秒），内存峰值 {float(peak):.0f} MB"
            f"（比批处理开始前多 {float(grown):.0f} MB），文件 {float(size):.1f} MB 与 {float(csv_size):.1f} MB")


def made_row(i: int):
    """A row shaped like a batch's: three 一级 indicators, names of a realistic length, grades spread."""
    from pipeline.report.summary import Row

    grades = ("优", "良", "中", "差")
    return Row(f"unit-{i:06d}", f"示例市第{i}区卫生健康局（部门整体支出）", "部门整体支出", 2024, "national-dept-2021",
               Decimal(9000 + i % 1000) / 100, grades[i % 4], grades,
               (("履职效能", Decimal(i % 5000) / 100, Decimal(50)), ("管理效率", Decimal(i % 3000) / 100, Decimal(30)),
                ("产出", Decimal(20), Decimal(20))),
               Decimal(i % 10000) / 10000, i % 3, i % 5, i % 2, f"示例市第{i % 40}部门",
               Decimal(100000 + i) / 100, Decimal(90000 + i) / 100)


def made_rows(count: int) -> list:
    return [made_row(i) for i in range(count)]


def _child(count: int) -> None:
    from pipeline.batch import SUMMARY, UnitRun, spooled_runs, write_summary

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_summary(root, [UnitRun("unit-000000", made_row(0))])  # openpyxl imported and its caches made first
        before = _resident_mb()
        start, cpu = time.perf_counter(), time.process_time()
        depts = [f"unit-{i:06d}" for i in range(count)]  # the batch's list of units, held by any batch
        with spooled_runs(depts) as spool:
            for i, dept in enumerate(depts):  # as the workers hand the outcomes back
                spool.add(dept, UnitRun(dept, made_row(i)))
            spooling = time.process_time() - cpu
            write_summary(root, spool)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts in KiB
        sizes = [(root / "output" / f"{SUMMARY}.{kind}").stat().st_size / 1e6 for kind in ("xlsx", "csv")]
    print(f"{seconds:.3f} {cpu:.3f} {spooling:.3f} {peak:.1f} {peak - before:.1f} {sizes[0]:.2f} {sizes[1]:.2f}")


def _resident_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


if __name__ == "__main__":
    if sys.argv[1] == "cold":  # python -m tools.bench_scale cold [N [CHECKOUT_BEFORE]]: the cold figure alone
        print(cold_report(HOME, int(sys.argv[2]) if len(sys.argv) > 2 else 9,
                          Path(sys.argv[3]).resolve() if len(sys.argv) > 3 else None))
    else:
        _child(int(sys.argv[2]))
