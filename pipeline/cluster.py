"""make all and make review on many machines: the same per-unit functions, run by a Dask cluster's workers
(SCHEDULER=tcp://host:8786) instead of this machine's pool.

Every worker reads the units from the same project folder, shared at the same path on every machine (NFS, SMB): a
unit is a folder of files beside shared frameworks and templates, and its outputs land in that folder too, so only the
summary row of each unit travels back through the scheduler. A task is rebuilt every time (pure=False) and never
retried by us; a unit that raises, whose worker dies, or that runs past its time costs that unit only.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import MachineError
from .limits import CONNECT_SECONDS, MARGIN_SECONDS

DIED = "集群中的工作进程在处理该单位时异常退出（超出内存，或进程、机器被终止），该单位未完成"
HUNG = "在集群上超过 {seconds:.0f} 秒仍未完成，已放弃（该工作进程已重启）"


@dataclass(frozen=True)
class Failure:
    """A task that gave no result: its worker died, it ran out of time, or it raised past the per-unit function."""

    message: str


def on_cluster(address: str, tasks: dict[str, tuple], seconds: float,
               done: Callable[[str], None] = lambda name: None) -> dict[str, Any]:
    """Each task (name → function and its arguments) on the cluster at `address`; name → its result or a Failure."""
    results: dict[str, Any] = {}
    for name, result in as_done(address, tasks, seconds):
        results[name] = result
        done(name)
    return results


def as_done(address: str, tasks: dict[str, tuple], seconds: float) -> Iterator[tuple[str, Any]]:
    """Each task's name and its result or a Failure, as each ends, so that nobody need hold them all.
    No more tasks are handed out than the cluster has threads, so that a task's clock starts when it starts."""
    from distributed import Client, wait
    from distributed.client import FIRST_COMPLETED
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as error:
        raise MachineError(f"无法连接 Dask 调度器 {address}（{error}）；请确认调度器已启动、地址和端口正确，"
                           "或不设 SCHEDULER 在本机生成") from None
    with client:
        slots = max(1, sum(client.nthreads().values()))
        waiting = list(tasks)[::-1]
        running: dict[Any, tuple[str, float]] = {}  # future → its task's name and deadline
        while waiting or running:
            while waiting and len(running) < slots:
                name = waiting.pop()
                function, *arguments = tasks[name]
                future = client.submit(function, *arguments, pure=False, retries=0)
                running[future] = (name, time.monotonic() + seconds + MARGIN_SECONDS)
            soonest = min(deadline for _, deadline in running.values())
            try:
                wait(list(running), timeout=max(0.1, soonest - time.monotonic()), return_when=FIRST_COMPLETED)
            except TimeoutError:
                pass
            for future, (name, deadline) in list(running.items()):
                if future.done():
                    result = _result(future)
                elif time.monotonic() > deadline:
                    _abandon(client, future)
                    result = Failure(HUNG.format(seconds=seconds + MARGIN_SECONDS))
                else:
                    continue
                del running[future]
                yield name, result


def _result(future) -> Any:
    from distributed import KilledWorker
    if future.status == "finished":
        return future.result()
    error = future.exception()
    if isinstance(error, KilledWorker):
        return Failure(DIED)
    return Failure(f"程序错误（请报告）：{type(error).__name__}: {error}")


def _abandon(client, future) -> None:
    """A thread cannot be stopped: the worker still running the task is restarted by its nanny, the task forgotten.
    The workers are asked themselves: once cancelled, the scheduler no longer counts the task as anyone's, while its
    thread goes on holding the worker's only slot."""
    key = future.key
    future.cancel()
    try:  # a worker that cannot answer (one still restarting after a death) is left out, not the whole question
        answers = client.run(_running, key, on_error="return")
    except Exception:  # the scheduler itself did not answer: the hung worker is left to its nanny
        return
    stuck = [worker for worker, running in answers.items() if running is True]
    if stuck:
        try:
            client.restart_workers(stuck, timeout=CONNECT_SECONDS * 2)
        except Exception:  # a worker without a nanny cannot be restarted: it stays busy, the others go on
            pass


def _running(key, dask_worker=None) -> bool:
    """On a worker: whether it is still executing the task `key` (a cancelled task's thread runs on)."""
    return any(task.key == key for task in dask_worker.state.executing)
