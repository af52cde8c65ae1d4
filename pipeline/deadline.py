"""One unit's run within a wall-clock budget, and the programs it starts (pandoc, LibreOffice) within a time and a
memory limit: a unit's files cannot hold the machine however they are made.

The budget is an alarm: when it rings, the run stops where it is with a message naming the unit and the stage, and
nothing is written (files are written only after the run). It keeps ringing until the run has stopped, so that code
that catches an error and carries on is stopped again; a loop inside a C library that never returns to Python is
ended by a watchdog that exits the process.
"""
from __future__ import annotations

import ctypes
import functools
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import BadSetting, OutOfTime, OverLimit
from .limits import (
    CHILD_MEMORY,
    CHILD_SECONDS,
    REPEAT_SECONDS,
    RUN_SECONDS,
    RUN_SECONDS_ENV,
    WATCHDOG_GRACE_SECONDS,
    WORKER_MEMORY,
    size_text,
)

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


@dataclass
class RunBudget:
    """The running unit, when its time is up, and the stage it is in (for the message)."""

    unit: str
    seconds: float
    end: float
    stage: str = "读取与校验输入"

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def message(self) -> str:
        return (f"{self.unit}：生成用时超过 {self.seconds:g} 秒的上限，在“{self.stage}”阶段停止；未写入任何文件"
                f"（上限可用 --time-limit 秒数或环境变量 {RUN_SECONDS_ENV} 调整）")


_CURRENT: ContextVar[RunBudget | None] = ContextVar("budget", default=None)


def run_seconds(text: str | None = None) -> float:
    """The budget of one run: the value given (command line), else the environment setting, else RUN_SECONDS."""
    text = text if text is not None else os.environ.get(RUN_SECONDS_ENV)
    if text is None or not text.strip():
        return float(RUN_SECONDS)
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 86_400 or not math.isfinite(seconds):
        raise BadSetting(f"时间上限应为正的秒数（当前值：{text!r}），例如 {RUN_SECONDS}")
    return seconds


@contextmanager
def run_budget(unit: str, seconds: float | None = None) -> Iterator[RunBudget]:
    """Within this block the unit's run has `seconds` (default: run_seconds()); inside an active budget, that one."""
    current = _CURRENT.get()
    if current is not None:
        yield current
        return
    seconds = run_seconds() if seconds is None else seconds
    budget = RunBudget(unit, seconds, time.monotonic() + seconds)
    token = _CURRENT.set(budget)
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if alarm:
        def ring(signum, frame):
            raise OutOfTime(budget.message())
        previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
    # only where the alarm rings: a run in another thread (a server's) must never end the whole process
    watchdog = threading.Timer(seconds + min(seconds, WATCHDOG_GRACE_SECONDS), _abandon, (budget,)) if alarm else None
    if watchdog is not None:
        watchdog.daemon = True
        watchdog.start()
    try:
        yield budget
    except MemoryError:  # the run's objects are freed by now: say where it happened, as for the time
        raise OverLimit(f"{unit}：内存不足，在“{budget.stage}”阶段停止；未写入任何文件（请检查该单位的输入文件是否异常地大"
                        "或有大量重复、嵌套的内容）") from None
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if watchdog is not None:
            watchdog.cancel()
        _CURRENT.reset(token)


def _abandon(budget: RunBudget) -> None:
    """The alarm could not stop the run (it is inside a C library): end the process, with the same message."""
    print(budget.message(), file=sys.stderr, flush=True)
    os._exit(3)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Name what the run is doing, for the message when its time runs out."""
    budget = _CURRENT.get()
    if budget is None:
        yield
        return
    before, budget.stage = budget.stage, name
    yield
    budget.stage = before  # not on an error: the message names the stage it came from


def remaining(default: float = CHILD_SECONDS) -> float:
    """Seconds left to the running unit, or `default` outside any budget."""
    budget = _CURRENT.get()
    return default if budget is None else budget.remaining()


def cap_memory(memory: int = WORKER_MEMORY) -> None:
    """This process's address space capped at `memory` (never raised): a unit's files that make it ask for more (a
    template's texts, a workbook's cells) end its run with a MemoryError, told in Chinese by run_budget, instead of
    taking the machine's memory. Every process that runs a unit's files: the command line's, a batch worker, a web job."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory if hard == resource.RLIM_INFINITY else min(hard, memory)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def memory_cap() -> int | None:
    """The address space this process may take, None when unbounded."""
    soft = resource.getrlimit(resource.RLIMIT_AS)[0]
    return None if soft == resource.RLIM_INFINITY else soft


def die_with_parent() -> None:
    """On Linux, this process gets SIGKILL when the process that started it ends, however that ends."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # without prctl the child ends by its own limits


def _limits(seconds: float, memory: int, with_parent: bool = True):
    cpu = math.ceil(seconds) + 1

    def apply() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        if with_parent:
            die_with_parent()
    return apply


@functools.lru_cache(maxsize=1)
def _limit_programs() -> tuple[str, str] | None:
    """util-linux's setpriv and prlimit, where this system has them."""
    setpriv, prlimit = shutil.which("setpriv", path="/usr/bin:/bin"), shutil.which("prlimit", path="/usr/bin:/bin")
    return (setpriv, prlimit) if sys.platform.startswith("linux") and setpriv and prlimit else None


def starts_children_cleanly() -> bool:
    """Whether a child program starts with no Python run between fork and exec (setpriv and prlimit at hand): only
    then may another thread be importing as it starts (a lock that thread held, the loader's among them, would stay
    held in a child that runs preexec_fn)."""
    return _limit_programs() is not None


def _limited(command: Sequence[str], seconds: float, memory: int,
             with_parent: bool = True) -> tuple[list[str], Callable[[], None] | None]:
    """The command and the preexec_fn that start it within its limits, and killed when its starter ends
    (`with_parent`). Where setpriv and prlimit are at hand they set them and exec it, same pid: Python then need not
    run code between fork and exec, and starts the child with vfork (a fork of a worker of 100 MB or more, with
    Python run in the child, costs about 6 ms of CPU more a start)."""
    programs = _limit_programs()
    if programs is None:
        return list(command), _limits(seconds, memory, with_parent)
    cpu = math.ceil(seconds) + 1
    return [programs[0], *(("--pdeathsig", "KILL") if with_parent else ()), programs[1], f"--as={memory}",
            f"--cpu={cpu}:{cpu + 1}", "--", *command], None


def limited_start(command: Sequence[str], seconds: float, memory: int, **popen) -> subprocess.Popen:
    """A program kept running (pandoc for a process's reports) within `seconds` of CPU in all and `memory` bytes, in a
    process group of its own. Not killed with the thread that starts it (a server's request threads come and go):
    it ends when its stdin closes, which happens however its owner ends."""
    argv, preexec = _limited(command, seconds, memory, with_parent=False)
    return subprocess.Popen(argv, start_new_session=True, preexec_fn=preexec, **popen)


def over_limit(returncode: int | None, stderr: bytes) -> bool:
    """A child ended by its memory or CPU limit (or killed), as its exit shows."""
    return returncode in (-signal.SIGXCPU, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT) or (
        returncode != 0 and b"out of memory" in stderr.lower())


def over_limit_message(what: str, seconds: float, memory: int) -> str:
    return (f"{what} 超出资源上限（内存 {size_text(memory)}、时间 {seconds:.0f} 秒）被终止；"
            "请检查报告的文字是否有异常的嵌套或超长内容；未写入任何文件")


def out_of_time_message(what: str, seconds: float) -> str:
    budget = _CURRENT.get()
    return budget.message() if budget else f"{what} 运行超过 {seconds:g} 秒的上限，已停止"


def limited_run(command: Sequence[str], what: str, *, input: bytes | None = None, env: dict | None = None,
                seconds: float | None = None, memory: int = CHILD_MEMORY) -> subprocess.CompletedProcess:
    """Run a program with the running unit's remaining time (or `seconds`) and `memory` bytes of address space;
    out of time raises OutOfTime, killed for its memory or CPU raises OverLimit naming `what`."""
    budget = _CURRENT.get()
    seconds = seconds if seconds is not None else remaining()
    if seconds <= 0:
        raise OutOfTime(budget.message() if budget else f"{what}：没有剩余时间")
    # a process group of its own, so that what it starts (LibreOffice's soffice.bin) is ended with it
    argv, preexec = _limited(command, seconds, memory)
    with subprocess.Popen(argv, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
                          preexec_fn=preexec) as process:
        try:
            out, err = process.communicate(input, timeout=seconds)
        except BaseException as error:  # out of time, the alarm, or an interrupt: nothing of it goes on running
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            if isinstance(error, subprocess.TimeoutExpired):
                raise OutOfTime(out_of_time_message(what, seconds)) from None
            raise
    done = subprocess.CompletedProcess(list(command), process.returncode, out, err)
    if over_limit(done.returncode, done.stderr):
        raise OverLimit(over_limit_message(what, seconds, memory))
    return done
