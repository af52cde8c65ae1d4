"""Long work (a full report, a bureau's review) in a thread of its own, its progress read by the page every second."""
from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, PipelineError

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


def start(jobs: dict[str, Job], owner: str, title: str, work: Callable[[Job], Any]) -> Job:
    job = Job(secrets.token_urlsafe(12), owner, title)
    for old in [j for j in jobs.values() if j.finished][:-KEPT_JOBS or None]:
        jobs.pop(old.id, None)
    jobs[job.id] = job

    def run() -> None:
        try:
            job.result = work(job)
        except InputError as error:
            job.failed = [str(p) for p in error.problems]
        except PipelineError as error:
            job.failed = [error.report()]
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
