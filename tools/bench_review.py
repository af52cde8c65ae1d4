"""make bench's figure for make review at a season's scale: a folder of N generated forms reviewed in a child process
as `make review DIR=…` runs it (the workbook and a notice per unit written), its time and the child's peak memory at
two sizes, and what each further form adds to the peak.

The forms are the corpus's real 自评表 workbooks, each copy under a unit name of its own (a notice per unit, as a
season has), made by changing the name in the sheet's XML: thousands are made in seconds.

    python -m tools.bench_review 200 1000      (the figures at these sizes)
    python -m tools.bench_review child 1000     (one child: prints forms, seconds, CPU seconds, peak MB)
"""
from __future__ import annotations

import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HOME = Path(__file__).resolve().parents[1]
FORMS = HOME / "tests" / "corpus" / "forms"
# each source form, the unit name its sheet carries (renamed in every copy), and the framework its project needs
SOURCES = (("f2-jishan-2021-自评表.xlsx", "稷山县翟店镇卫生院"), ("f5a-qingshen-2023-自评表.xlsx", "青神县发展和改革局"),
           ("f5b-daying-2023-自评表.xlsx", "大英县司法局"))
FRAMEWORKS = ("sichuan-project-2023.yaml",)


def made_forms(folder: Path, count: int) -> None:
    """`count` forms in `folder`, the sources in turn, each unit named apart (…局0001, …局0002)."""
    sources: list[tuple[bytes, list]] = []
    for file, unit in SOURCES:
        with zipfile.ZipFile(FORMS / file) as source:
            sources.append((_xml(unit), [(info, source.read(info)) for info in source.infolist()]))
    for number in range(count):
        named, members = sources[number % len(sources)]
        own = named + f"{number:06d}".encode()  # the name is told apart by a number after it
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info, data in members:
                copy.writestr(info, data.replace(named, own) if info.filename.startswith("xl/worksheets/") else data)
        (folder / f"{number:06d}.xlsx").write_bytes(out.getvalue())


def _xml(text: str) -> bytes:
    """Text as the sheet's XML holds it: every character past ASCII as a character reference."""
    return text.encode("ascii", "xmlcharrefreplace")


def project(root: Path) -> Path:
    """A project of the checkout's inputs, with the corpus frameworks the generated forms are scored under."""
    shutil.copytree(HOME / "inputs", root / "inputs")
    for name in FRAMEWORKS:
        shutil.copy(FORMS / "frameworks" / name, root / "inputs" / "frameworks" / name)
    return root


def _child(count: int) -> None:
    import contextlib

    from pipeline.__main__ import main
    with tempfile.TemporaryDirectory() as tmp:
        root, folder = project(Path(tmp) / "project"), Path(tmp) / "forms"
        folder.mkdir()
        made_forms(folder, count)
        start, cpu = time.perf_counter(), _cpu()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["--root", str(root), "review", str(folder)])
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        notices = len(list((root / "output" / "复核意见").iterdir()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts in KiB
    print(f"{code} {count} {notices} {seconds:.3f} {cpu:.3f} {peak:.1f}")


def _cpu() -> float:
    t = os.times()  # pandoc, which turns each notice into Word, is a child
    return t.user + t.system + t.children_user + t.children_system


def measured(count: int) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak MB of `make review` over `count` generated forms, in a child of its own."""
    done = subprocess.run([sys.executable, "-m", "tools.bench_review", "child", str(count)], capture_output=True,
                          text=True, timeout=7200, check=True, cwd=HOME)
    code, forms, notices, seconds, cpu, peak = done.stdout.split()
    if code != "0" or int(notices) != count:
        raise RuntimeError(f"make review of {forms} forms: exit {code}, {notices} notices")
    return float(seconds), float(cpu), float(peak)


def review_at_scale(small: int = 200, large: int = 1000) -> list[str]:
    """make review of `small` and of `large` forms (a unit each, so as many notices): time, CPU and peak memory, and
    the peak's growth per form between the two (what a form holds until the end: near nothing when it is streamed)."""
    lines, peaks = [], {}
    for count in (small, large):
        seconds, cpu, peak = measured(count)
        peaks[count] = peak
        lines.append(f"  {count:,} 份表格（各为一个单位，写出复核汇总.xlsx 与 {count:,} 份复核意见）：{seconds:.1f} 秒"
                     f"（处理器 {cpu:.1f} 秒，每份 {cpu / count * 1000:.0f} ms），内存峰值 {peak:.0f} MB")
    growth = (peaks[large] - peaks[small]) * 1024 / (large - small)
    lines.append(f"  每多一份表格，内存峰值多 {growth:.2f} KB（{small:,} → {large:,} 份）")
    return lines


if __name__ == "__main__":
    if sys.argv[1] == "child":
        _child(int(sys.argv[2]))
    else:
        print("\n".join(review_at_scale(*map(int, sys.argv[1:3]))))
