"""Two figures of make bench measured whole-process, each in a child of its own: a cold `report` (a fresh interpreter,
start-up and imports included) against pandoc alone on the same Markdown, and the batch summary 汇总表.xlsx at
100,000 units with its time and the child's peak memory.

    python -m tools.bench_scale summary 100000   (the child: prints seconds and peak MB)
"""
from __future__ import annotations

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
HOME = Path(__file__).resolve().parents[1]  # the checkout: the children run its copy of the package, from where it lies


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300, cwd=HOME)
    return time.perf_counter() - start


def cold_report(root: Path, repeat: int) -> str:
    """`python -m pipeline report huadu --no-charts` in a fresh interpreter, and pandoc alone turning its report.md
    into Word, run in turn (A B A B …) so a drift in the machine's speed touches both; medians and their ratio."""
    import pypandoc

    from pipeline.report.markdown_text import PANDOC_MARKDOWN
    from pipeline.report.word.styles import reference_docx

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(root / "inputs", Path(tmp) / "inputs")
        report = [sys.executable, "-m", "pipeline", "--root", tmp, "report", UNIT, "--no-charts"]
        _wall(report)  # warm: the disk cache, the compiled modules
        markdown = next((Path(tmp) / "output" / UNIT).glob("*/report.md"))
        reference = Path(tmp) / "reference.docx"
        reference.write_bytes(reference_docx())
        alone = [pypandoc.get_pandoc_path(), "--sandbox", "--from", PANDOC_MARKDOWN, "--to", "docx",
                 "--shift-heading-level-by=-1", "--reference-doc", str(reference), "--output",
                 str(Path(tmp) / "alone.docx"), str(markdown)]
        pairs = [(_wall(report), _wall(alone)) for _ in range(repeat)]
    ours, theirs = statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)
    ratio = statistics.median(a / b for a, b in pairs)
    return (f"  冷启动 make report DEPT={UNIT} CHARTS=0：{ours:.2f} 秒；pandoc 单独转换同一 Markdown {theirs:.2f} 秒；"
            f"比值 {ratio:.1f}（{repeat} 对交替运行的中位数）")


def summary_at_scale(count: int) -> str:
    """汇总表.xlsx of `count` made-up units, written in a child process: its time and its own peak memory."""
    done = subprocess.run([sys.executable, "-m", "tools.bench_scale", "summary", str(count)],
                          capture_output=True, text=True, timeout=1800, check=True, cwd=HOME)
    seconds, peak, size = done.stdout.split()
    return f"  汇总表.xlsx {count:,} 行：{float(seconds):.1f} 秒，内存峰值 {float(peak):.0f} MB，文件 {float(size):.1f} MB"


def made_rows(count: int) -> list:
    """Rows shaped like a batch's: three 一级 indicators, names of a realistic length, grades spread."""
    from pipeline.report.summary import Row

    grades = ("优", "良", "中", "差")
    return [Row(f"unit-{i:06d}", f"示例市第{i}区卫生健康局（部门整体支出）", "部门整体支出", 2024, "national-dept-2021",
                Decimal(9000 + i % 1000) / 100, grades[i % 4], grades,
                (("履职效能", Decimal(i % 5000) / 100, Decimal(50)), ("管理效率", Decimal(i % 3000) / 100, Decimal(30)),
                 ("产出", Decimal(20), Decimal(20))),
                Decimal(i % 10000) / 10000, i % 3, i % 5, i % 2, f"示例市第{i % 40}部门",
                Decimal(100000 + i) / 100, Decimal(90000 + i) / 100)
            for i in range(count)]


def _child(count: int) -> None:
    from pipeline.report.summary import summary_xlsx

    rows = made_rows(count)
    start = time.perf_counter()
    data = summary_xlsx(rows)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts in KiB
    print(f"{seconds:.3f} {peak:.1f} {len(data) / 1e6:.2f}")


if __name__ == "__main__":
    _child(int(sys.argv[2]))
