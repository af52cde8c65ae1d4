"""Long work (a full report, a bureau's review) in a process of its own, watched by a thread whose progress the page
reads every second. The process has the time a unit has under make all, per unit it handles (its alarm stops the
work with the stage named); one that does not stop is ended, so that a unit that hangs never holds the app."""
from __future__ import annotations

import multiprocessing
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..deadline import cap_memory, die_with_parent, run_budget, run_seconds
from ..errors import InputError, PipelineError
from ..limits import WATCHDOG_GRACE_SECONDS

KEPT_JOBS = 50  # finished jobs remembered for their downloads; older ones are forgotten


@dataclass
class Job:
    id: str
    owner: str  # the account that started it: no one else reads it
    title: str
    done: int = 0
    total: int = 1
    step: str = "排队中"
    finished: bool = False
    failed: list[str] = field(default_factory=list)  # the messages of a run that did not finish
    result: Any = None
    started: float = field(default_factory=time.monotonic)

    @property
    def percent(self) -> int:
        return 100 if self.finished else min(99, 100 * self.done // max(self.total, 1))

    @property
    def seconds(self) -> str:
        return f"{time.monotonic() - self.started:.1f}"


PROGRESS = ("done", "total", "step")  # what the work reports while it runs


class _Progress:
    """The job as the work in the process sees it: what it sets is sent to the app's watching thread."""

    def __init__(self, job: Job, send: Any) -> None:
        object.__setattr__(self, "_job", job)
        object.__setattr__(self, "_send", send)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._job, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._job, name, value)
        if name in PROGRESS:
            self._send(("progress", name, value))


def outcome(work: Callable[[Job], Any], job: Any) -> tuple[str, Any]:
    """("result", what the work gave) or ("failed", the messages for the page)."""
    try:
        return "result", work(job)
    except InputError as error:
        return "failed", [str(p) for p in error.problems]
    except PipelineError as error:
        return "failed", [error.report()]
    except Exception as error:  # noqa: BLE001 — shown on the page, not lost in a thread
        return "failed", [f"程序错误：{type(error).__name__}: {error}"]


def _child(work: Callable[[Job], Any], job: Job, seconds: float, pipe: Any) -> None:
    die_with_parent()
    cap_memory()
    try:
        with run_budget(job.title, seconds):
            got = outcome(work, _Progress(job, pipe.send))
        try:
            pipe.send(got)
        except Exception as error:  # noqa: BLE001 — a result that cannot be sent is told, not lost
            pipe.send(("failed", [f"程序错误：{type(error).__name__}: {error}"]))
    except BaseException as error:  # noqa: BLE001 — the budget's alarm outside the work
        pipe.send(("failed", [error.report() if isinstance(error, PipelineError) else f"未完成：{error!r}"]))
    finally:
        pipe.close()
        os._exit(0)  # the server's own exit handlers are not this process's


def _watch(job: Job, work: Callable[[Job], Any], seconds: float) -> None:
    """Run the work in a forked process and wait for it within its budget and the watchdog's grace."""
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=_child, args=(work, job, seconds, send), daemon=True)
    process.start()
    send.close()
    end = time.monotonic() + seconds + min(seconds, WATCHDOG_GRACE_SECONDS)
    kind, value = "failed", [f"{job.title}：用时超过 {seconds:g} 秒的上限，已停止；未写入任何文件"]
    try:
        while (left := end - time.monotonic()) > 0:
            if not receive.poll(min(0.5, left)):
                continue
            message = receive.recv()
            if message[0] != "progress":
                kind, value = message
                break
            setattr(job, message[1], message[2])
    except (EOFError, OSError):  # the process died without a word (its memory, a crash)
        value = [f"{job.title}：处理过程意外终止（可能超出内存上限）；未写入任何文件"]
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()
    if kind == "result":
        job.result = value
    else:
        job.failed = value


def start(jobs: dict[str, Job], owner: str, title: str, work: Callable[[Job], Any], units: int = 1) -> Job:
    """The work started for `units` units (each with make all's budget of one unit); the job that shows its progress."""
    job = Job(secrets.token_urlsafe(12), owner, title)
    for old in [j for j in jobs.values() if j.finished][:-KEPT_JOBS or None]:
        jobs.pop(old.id, None)
    jobs[job.id] = job
    seconds = run_seconds() * max(1, units)

    def run() -> None:
        try:
            if "fork" in multiprocessing.get_all_start_methods():
                _watch(job, work, seconds)
            else:  # no fork (Windows): in this thread, its programs held to the budget, the rest cooperative
                with run_budget(job.title, seconds):
                    kind, value = outcome(work, job)
                setattr(job, "result" if kind == "result" else "failed", value)
        except Exception as error:  # noqa: BLE001 — shown on the page, not lost in a thread
            job.failed = [f"程序错误：{type(error).__name__}: {error}"]
        finally:
            job.step = "已完成" if not job.failed else "未完成"
            job.finished = True
    threading.Thread(target=run, daemon=True, name=f"job-{job.id}").start()
    return job


def owned(jobs: dict[str, Job], job_id: str, owner: str) -> Job | None:
    job = jobs.get(job_id)
    return job if job is not None and job.owner == owner else None
