"""The PDF figures of make bench: one document's latency through a LibreOffice kept running (unoserver), the throughput
of one such converter a core converting at once (as `make all`'s pool workers do, each with its own), the one-page
floor, and LibreOffice started once for all documents or once a document.

Latency is what one report waits; throughput is documents a second for the whole machine. They differ because each
converter is one LibreOffice doing one document at a time on one core.

    python -m tools.bench_pdf [--count 8]
"""
from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.batch import cores
from pipeline.report.pdf import FONTS, docxs_to_pdfs
from pipeline.report.pdf_pages import page_lines
from pipeline.run import prepare

UNIT = "huadu"


def _cpu(converters: list) -> float:
    """Processor seconds used so far by the converters' process groups (unoserver and its LibreOffice); 0 off Linux."""
    groups, ticks = {c.process.pid for c in converters}, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) in groups:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _timed(convert, docx: bytes, count: int) -> tuple[float, list[bytes | None]]:
    start = time.perf_counter()
    made = convert([docx] * count)
    return time.perf_counter() - start, made


def pdf_per_document(root: Path, count: int) -> list[str]:
    """The same Word report `count` times through one kept converter, then `count` times through each of `cores()`
    converters at once; a one-page document through one; LibreOffice once for all and once a document."""
    from pipeline.report import pdf_converter
    from pipeline.report.word.convert import markdown_to_docx
    docx = prepare(root, UNIT, None, ("docx",), charts=False).rendered.files["report.docx"]
    one_page = markdown_to_docx("正文一段。\n", None)
    lines = []
    if pdf_converter.available():
        jobs = max(2, cores())
        start = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            converters = list(pool.map(lambda _: pdf_converter.start(FONTS), range(jobs)))
        started = time.perf_counter() - start
        try:
            with ThreadPoolExecutor(jobs) as pool:  # warm: fonts and filters loaded in each
                list(pool.map(lambda c: docxs_to_pdfs([docx, one_page], c), converters))
            used = _cpu(converters[:1])
            kept, made = _timed(lambda d: docxs_to_pdfs(d, converters[0]), docx, count)
            kept_cpu = (_cpu(converters[:1]) - used) / count
            pages = len(page_lines(made[0]) or []) if made and made[0] is not None else 0
            start, used = time.perf_counter(), _cpu(converters)
            with ThreadPoolExecutor(jobs) as pool:
                together = list(pool.map(lambda c: docxs_to_pdfs([docx] * count, c), converters))
            at_once, at_once_cpu = time.perf_counter() - start, (_cpu(converters) - used) / (jobs * count)
            floor, _ = _timed(lambda d: docxs_to_pdfs(d, converters[0]), one_page, count)
        finally:
            for converter in converters:
                pdf_converter.stop(converter)
        done = sum(p is not None for batch in together for p in batch)
        lines.append(f"  常驻 LibreOffice（unoserver），一个转换器（一份的等待时间）：{UNIT} {pages} 页，{count} 份 {kept:.1f} 秒，"
                     f"每份 {kept / count:.2f} 秒，LibreOffice 的处理器时间每份 {kept_cpu:.2f} 秒（每页约 {kept / count / max(pages, 1):.3f} 秒；"
                     f"启动一个 {started:.1f} 秒；成功 {sum(p is not None for p in made)} 份）")
        lines.append(f"  {jobs} 个常驻转换器同时转换（整机吞吐，如 make all 的每个工作进程各一个）：{jobs * count} 份 {at_once:.1f} 秒，"
                     f"每秒 {jobs * count / at_once:.1f} 份，即平均每份 {at_once / (jobs * count):.2f} 秒，处理器时间每份 {at_once_cpu:.2f} 秒"
                     f"（成功 {done} 份；本机有别的负载时两个转换器分不到两个核）")
        lines.append(f"  常驻 LibreOffice 转换一页的文档（每份的下限）：每份 {floor / count:.3f} 秒")
    else:
        lines.append("  常驻 LibreOffice：本机不可用（需要 python3-uno 与 unoserver）")
    together_s, _ = _timed(docxs_to_pdfs, docx, count)
    start = time.perf_counter()
    for _ in range(count):
        docxs_to_pdfs([docx])
    apart = time.perf_counter() - start
    lines.append(f"  一个 LibreOffice 进程转换全部：{together_s:.1f} 秒（每份 {together_s / count:.2f} 秒）")
    lines.append(f"  每份启动一个 LibreOffice：{apart:.1f} 秒（每份 {apart / count:.2f} 秒）")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_pdf", description="PDF 每份的用时（只报数字）")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--count", type=int, default=8)
    args = parser.parse_args(argv)
    print("PDF：")
    for line in pdf_per_document(args.root.resolve(), args.count):
        print(line)


if __name__ == "__main__":
    main()
