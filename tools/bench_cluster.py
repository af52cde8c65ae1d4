"""A figure of make bench: the same generated units on a Dask LocalCluster (one worker process a core) against
this machine's own pool (the PDF figures are tools/bench_pdf.py).

A cluster is worth its scheduler only across machines; on one machine it shows what the engine itself costs.
"""
from __future__ import annotations

import time
from pathlib import Path

from pipeline.batch import build_all, cores


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
