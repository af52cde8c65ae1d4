"""Two figures of make bench: the same generated units on a Dask LocalCluster (one worker process a core) against
this machine's own pool, and PDF per document through a LibreOffice kept running against one started per document.

A cluster is worth its scheduler only across machines; on one machine it shows what the engine itself costs.
"""
from __future__ import annotations

import time
from pathlib import Path

from pipeline.batch import build_all, cores
from pipeline.report.pdf import FONTS, docxs_to_pdfs
from pipeline.run import prepare

UNIT = "huadu"


def on_local_cluster(root: Path, depts: list[str], charts: bool) -> list[str]:
    """The units built through the cluster path on a LocalCluster of `cores()` single-threaded worker processes, paired
    with the local pool on the same units (pool, cluster, pool, cluster) so that a drift in load touches both."""
    try:
        import dask
        from distributed import LocalCluster
    except ImportError:
        return ["  （未安装 dask/distributed：pip install '.[cluster]'）"]
    jobs = cores()
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        start = time.perf_counter()
        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster:
            started = time.perf_counter() - start
            timed = {"本机进程池": [], "Dask LocalCluster": []}
            for _ in range(2):
                for name, scheduler in (("本机进程池", None), ("Dask LocalCluster", cluster.scheduler_address)):
                    start = time.perf_counter()
                    outcomes = build_all(root, depts, charts=charts, jobs=jobs, progress=False, scheduler=scheduler)
                    timed[name].append(time.perf_counter() - start)
                    assert all(o.row is not None for o in outcomes), [o.error for o in outcomes if o.row is None]
    best = {name: min(times) for name, times in timed.items()}
    lines = [f"  {name}（{jobs} 个工作进程）：{len(depts)} 个单位 {s:.1f} 秒，每分钟 {len(depts) / s * 60:.0f} 个"
             f"（两次取快者：{'、'.join(f'{t:.1f}' for t in timed[name])} 秒）" for name, s in best.items()]
    slower = best["Dask LocalCluster"] / best["本机进程池"] - 1
    lines.append(f"  LocalCluster 比本机进程池{'慢' if slower >= 0 else '快'} {abs(slower) * 100:.0f}%；"
                 f"启动集群（调度器与工作进程）另用 {started:.1f} 秒")
    return lines


def pdf_per_document(root: Path, count: int) -> list[str]:
    """The same Word report `count` times: through a LibreOffice kept running (unoserver), through one LibreOffice
    process for all, and one process each."""
    from pipeline.report import pdf_converter
    from pipeline.report.word.convert import markdown_to_docx
    docx = prepare(root, UNIT, None, ("docx",), charts=False).rendered.files["report.docx"]
    one_page = markdown_to_docx("正文一段。\n", None)
    lines = []
    if pdf_converter.available():
        start = time.perf_counter()
        converter = pdf_converter.start(FONTS)
        started = time.perf_counter() - start
        try:
            docxs_to_pdfs([docx], converter)  # warm: fonts and filters loaded
            start = time.perf_counter()
            made = docxs_to_pdfs([docx] * count, converter)
            kept = time.perf_counter() - start
            start = time.perf_counter()
            docxs_to_pdfs([one_page] * count, converter)
            floor = time.perf_counter() - start
        finally:
            pdf_converter.stop(converter)
        lines.append(f"  常驻 LibreOffice（unoserver）：{count} 份 {kept:.1f} 秒，每份 {kept / count:.2f} 秒"
                     f"（另：启动一次 {started:.1f} 秒；成功 {sum(p is not None for p in made)} 份）")
        lines.append(f"  常驻 LibreOffice 转换一页的文档（每份的下限）：每份 {floor / count:.2f} 秒")
    else:
        lines.append("  常驻 LibreOffice：本机不可用（需要 python3-uno 与 unoserver）")
    start = time.perf_counter()
    docxs_to_pdfs([docx] * count)
    together = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(count):
        docxs_to_pdfs([docx])
    apart = time.perf_counter() - start
    lines.append(f"  一个 LibreOffice 进程转换全部：{together:.1f} 秒（每份 {together / count:.2f} 秒）")
    lines.append(f"  每份启动一个 LibreOffice：{apart:.1f} 秒（每份 {apart / count:.2f} 秒）")
    return lines
