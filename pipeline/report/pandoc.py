"""pandoc kept running for a process's reports (pandoc_worker.lua): a batch worker, the web app or a test converts
report after report without paying pandoc's start and its data files each time (a third of a conversion). Each
conversion runs within the unit's remaining time (past it the pandoc is killed and a fresh one started for the next),
the pandoc within a memory limit and a CPU limit, and a fresh one is started after WORKER_CONVERSIONS conversions."""
from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..deadline import limited_start, out_of_time_message, over_limit, over_limit_message, remaining
from ..errors import MachineError, OutOfTime, OverLimit
from ..limits import CHILD_MEMORY, CHILD_SECONDS

# a kept pandoc collects its garbage less often with a 16 MB allocation area (touched once in its life): a third less
# time a conversion than the 4 MB heap best for a pandoc run once (measured); one built without RTS options ignores it
RTS = "-A16m"
HERE = Path(__file__).resolve().parent
WORKER, TREE = HERE / "pandoc_worker.lua", HERE / "safe_tree.lua"
WORKER_CONVERSIONS = 100  # then a fresh pandoc: what its heap has grown to is given back
# CPU for a pandoc's whole life (more when a unit's time limit asks for more): a report takes about 0.1 s
WORKER_CPU_SECONDS = CHILD_SECONDS + WORKER_CONVERSIONS * 2


@dataclass
class Worker:
    process: subprocess.Popen
    log: IO[bytes]  # its stderr, read when it ends
    cpu: float  # its limit of processor seconds, for its whole life
    served: int = 0
    pending: int = 0  # answers to warm-up requests not read yet
    last: bool = False  # a one-unit command's (start_early): ended as soon as it has answered its report
    ended: bool = False  # sent SIGKILL: never asked again (it may not have died yet), reaped by _stop


@dataclass
class Kept:
    """This process's pandoc; the lock lets one thread at a time talk to it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    worker: Worker | None = None


_KEPT: dict[int, Kept] = {}  # by process id: a forked child starts its own pandoc and never talks to its parent's


def convert(request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """pandoc_worker.lua's answer to one request (see there) and the .docx it wrote (b"" when none), within the
    running unit's remaining time. MachineError when pandoc refuses (e.g. a reference document it cannot read)."""
    payload = json.dumps(request, ensure_ascii=False).encode("utf-8")
    seconds = remaining()
    if seconds <= 0:
        raise OutOfTime(out_of_time_message("pandoc", seconds))
    kept = _KEPT.get(os.getpid()) or _kept()
    with kept.lock:
        answer, docx = _asked(kept, payload, seconds)
    if answer.get("error") is not None:
        raise MachineError(f"pandoc 转换失败：{str(answer['error']).strip()[:300]}")
    return answer, docx


def worker_seconds() -> float:
    """Processor time the running pandoc of this process has used (0 without one, or where /proc does not tell):
    a measurement adds it to this process's own, as it adds the time of the children it has waited for."""
    kept = _KEPT.get(os.getpid())
    return 0.0 if kept is None or kept.worker is None else _used(kept.worker)


def _used(worker: Worker) -> float:
    try:
        fields = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime: fields 14 and 15 of stat


def start_early(warm_up: dict[str, Any]) -> None:
    """This process's pandoc started now, before the first report needs it, and given `warm_up` (a small request) to
    convert meanwhile: its start and what its first conversion sets up once overlap the program's own loading (a
    one-unit command's). The answer is read, and let go, before the next request is sent; the report's answered, it
    is killed at once, so that its ending overlaps the rest of the run rather than following it (reaped at exit)."""
    kept = _KEPT.get(os.getpid()) or _kept()
    with kept.lock:
        worker = kept.worker = _ready(kept.worker, remaining())
        worker.last = True
        try:
            _send(worker, json.dumps(warm_up, ensure_ascii=False).encode("utf-8"))
        except BrokenPipeError:  # it has ended already: the first report starts another
            return
        worker.pending += 1


def _kept() -> Kept:
    """This process's holder, its pandoc ended when the process ends normally (a pool's worker included: those run
    multiprocessing's finalizers, not atexit), and waited for, so that its time counts as this process's child's."""
    kept = _KEPT[os.getpid()] = Kept()
    atexit.register(_end, kept)
    if "multiprocessing.util" in sys.modules:  # loaded in a pool's worker; never loaded just for this
        sys.modules["multiprocessing.util"].Finalize(kept, _end, args=(kept,), exitpriority=10)
    return kept


def _end(kept: Kept) -> None:
    if _KEPT.get(os.getpid()) is not kept:  # a forked child ending runs its parent's exit handlers too
        return
    worker, kept.worker = kept.worker, None
    if worker is not None:  # idle between reports: killed (half the time of letting it end by itself), and waited for
        _stop(worker)


def _asked(kept: Kept, payload: bytes, seconds: float) -> tuple[dict[str, Any], bytes]:
    worker = kept.worker = _ready(kept.worker, seconds)
    try:
        answer, docx = _exchange(worker, payload, seconds)
    except BaseException:  # out of time, over a limit, interrupted: it may be anywhere in a conversion
        kept.worker = None
        _stop(worker)
        raise
    worker.served += 1
    if worker.last:
        _signal_end(worker)
    return answer, docx


def _ready(worker: Worker | None, seconds: float) -> Worker:
    """The running pandoc, or a fresh one when there is none, it has ended or served its conversions, or what is left
    of its CPU limit is less than this conversion's `seconds` (a unit given a long time limit)."""
    if worker is not None and (worker.ended or worker.served >= WORKER_CONVERSIONS or worker.process.poll() is not None
                               or _used(worker) + seconds > worker.cpu):
        _stop(worker)
        worker = None
    if worker is not None:
        return worker
    cpu = max(WORKER_CPU_SECONDS, seconds + 1)
    log = tempfile.TemporaryFile()
    # LUA_INIT and LUA_PATH would run or load code of the environment's choosing before the worker
    process = limited_start([pandoc_path(), "lua", str(WORKER), str(TREE)], cpu, CHILD_MEMORY,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                            env={**{k: v for k, v in os.environ.items() if not k.startswith("LUA_")}, "GHCRTS": RTS})
    return Worker(process, log, cpu)


def _stop(worker: Worker) -> None:
    """Kill it and what it started, and reap it; its pipes and log closed."""
    if worker.process.poll() is None:
        _signal_end(worker)
        worker.process.wait()
    for stream in (worker.process.stdin, worker.process.stdout, worker.log):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _signal_end(worker: Worker) -> None:
    """SIGKILL to it and what it started (not once it is reaped: its group id may be someone else's by then)."""
    if worker.process.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(worker.process.pid, signal.SIGKILL)
    worker.ended = True


def _exchange(worker: Worker, payload: bytes, seconds: float) -> tuple[dict[str, Any], bytes]:
    worker.log.seek(0)
    worker.log.truncate()  # its file offset is shared: pandoc writes from the start again
    assert worker.process.stdout is not None
    end = time.monotonic() + seconds
    try:
        if worker.pending:  # a warm-up's answer, long there: nothing else is in the pipe before the next request
            _frames(worker.process.stdout.fileno(), end, 2 * worker.pending)
            worker.pending = 0
        _send(worker, payload)
        answer, docx = _frames(worker.process.stdout.fileno(), end, 2)
    except (EOFError, BrokenPipeError):  # it ended while reading the request or converting
        worker.log.seek(0)
        said = worker.log.read()[-2000:]
        code = worker.process.wait()
        if over_limit(code, said):
            raise OverLimit(over_limit_message("pandoc", seconds, CHILD_MEMORY)) from None
        raise MachineError(f"pandoc 转换失败（{code}）：{said.decode('utf-8', 'replace').strip()[:300]}") from None
    except TimeoutError:
        raise OutOfTime(out_of_time_message("pandoc", seconds)) from None
    return json.loads(answer), docx


def _send(worker: Worker, payload: bytes) -> None:
    assert worker.process.stdin is not None
    worker.process.stdin.write(b"%d\n" % len(payload) + payload)
    worker.process.stdin.flush()


def _frames(fd: int, end: float, count: int) -> list[bytes]:
    """`count` length-framed messages read from a pipe by the time `end` (TimeoutError past it, EOFError when the
    pipe closes first)."""
    buffer, frames = bytearray(), list[bytes]()
    while len(frames) < count:
        newline = buffer.find(b"\n")
        if newline >= 0 and len(buffer) - newline - 1 >= int(buffer[:newline]):
            size = int(buffer[:newline])
            frames.append(bytes(buffer[newline + 1:newline + 1 + size]))
            del buffer[:newline + 1 + size]
            continue
        wait = end - time.monotonic()
        if wait <= 0 or not select.select([fd], [], [], wait)[0]:
            raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise EOFError
        buffer += chunk
    return frames


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc pypandoc-binary bundles (the version the project pins), found without importing pypandoc, whose
    get_pandoc_path starts a `pandoc --version` for every place pandoc might be; pypandoc's own search otherwise."""
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations and not os.environ.get("PYPANDOC_PANDOC"):
        bundled = Path(next(iter(spec.submodule_search_locations)), "files", "pandoc")
        if os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc
    return pypandoc.get_pandoc_path()
