"""Put a run's files in place all together: written beside the target, then swapped in, so a failure leaves the old output.

One run at a time writes a unit's output: a second run of the same unit waits for the first (a lock file beside the
output folder), so it never deletes the first's staging folder; a staging folder left by a crash is deleted.
`create` puts a new folder in place the same way but never replaces one; `replace_file` swaps in one file.
Every staging name carries the writing process's id, so the next write beside it deletes what a killed process left.
Files and folders are made with the usual permissions (0644/0755 under a 022 umask), not mkstemp's private 0600/0700.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import MachineError
from .limits import LOCK_WAIT_SECONDS

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; runs of one unit are not expected to overlap there
    fcntl = None  # type: ignore[assignment]

AT_FDCWD = -100
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2
UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}
FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
FORBIDDEN = {errno.EROFS, errno.EACCES, errno.EPERM}


def write(files: dict[str, bytes], target: Path, wait: float = LOCK_WAIT_SECONDS) -> list[Path]:
    """Write the files as the whole content of target; MachineError (previous output kept) when the disk refuses."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with locked(target, wait):
            return _write(files, target)
    except OSError as failure:
        raise MachineError(why_not_written(failure, target)) from None


def why_not_written(failure: OSError, target: Path, what: str = "输出目录", kept: str = "原有报告保持不变") -> str:
    where = f"{what} {target.parent.name}/{target.name}"
    if failure.errno in FULL:
        return f"磁盘空间不足，无法写入{where}；{kept}，请清理磁盘后重试"
    if failure.errno in FORBIDDEN:
        return f"{where}不可写（只读或没有权限）；{kept}，请检查目录权限或换一个可写的位置"
    return f"写入{where}失败（{failure.strerror or failure}）；{kept}"


@contextlib.contextmanager
def locked(target: Path, wait: float) -> Iterator[None]:
    """Hold the unit's output lock; a run that finds it held waits up to `wait` seconds, then stops with a message.

    The holder deletes the lock file before letting go, so nothing is left beside the output; a run that locked a file
    deleted meanwhile sees that the path no longer names it and locks again.
    """
    if fcntl is None:
        yield
        return
    path, deadline = target.with_name(f".{target.name}.lock"), time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise MachineError(f"{target.parent.name}/{target.name} 的报告正在由另一次运行生成，"
                                   f"等待 {wait:g} 秒仍未完成；请等它结束后再试") from None
            time.sleep(0.1)
            continue
        if _same_file(fd, path):
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)  # closing the descriptor releases the lock


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _write(files: dict[str, bytes], target: Path) -> list[Path]:
    recover(target)
    sweep(target.parent, target.name, everyone=True)  # under the unit's lock no other run is writing here
    staging = staging_folder(target.parent, target.name)
    try:
        for name, content in sorted(files.items()):
            with open(staging / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        sync_dir(staging)
        leftover = swap(staging, target)
        sync_dir(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        recover(target)
        raise
    shutil.rmtree(leftover, ignore_errors=True)
    return [target / name for name in sorted(files)]


def create(files: dict[str, bytes], target: Path) -> list[Path]:
    """A new folder holding these files (names may have subfolders), in place at once; FileExistsError if there is one,
    MachineError when the disk refuses."""
    try:
        return _create(files, target)
    except FileExistsError:
        raise
    except OSError as failure:
        raise MachineError(why_not_written(failure, target, "目录", "现有的单位不受影响")) from None


def _create(files: dict[str, bytes], target: Path) -> list[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(target.parent, target.name)
    try:
        for name, content in sorted(files.items()):
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            with open(staging / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        sync_dir(staging)
        if not _rename(staging, target, RENAME_NOREPLACE):
            if target.exists():
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
            staging.rename(target)
        sync_dir(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in sorted(files)]


def replace_file(path: Path, content: bytes | Iterable[bytes]) -> Path:
    """One file written beside its place and renamed over it, so a reader sees the old file or the new, never half;
    MachineError when the disk refuses. `content`: the bytes, or their pieces written as they are made (a failure
    while making them leaves the old file too)."""
    try:
        return _replace_file(path, content)
    except OSError as failure:
        raise MachineError(why_not_written(failure, path, "文件", "原有文件保持不变")) from None


def _replace_file(path: Path, content: bytes | Iterable[bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep(path.parent, path.name)
    handle, temporary = _new_file(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            for piece in [content] if isinstance(content, bytes) else content:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_dir(path.parent)
    return path


def staging_folder(parent: Path, name: str) -> Path:
    """A new empty folder beside `name` for a write in progress, named by this process; stale ones are deleted first."""
    sweep(parent, name)
    while True:
        folder = parent / f".{name}.new-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            folder.mkdir()  # the umask's permissions: mkdtemp would make it 0700
            return folder
        except FileExistsError:
            continue


def _new_file(path: Path) -> tuple[int, Path]:
    while True:
        temporary = path.with_name(f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
        try:  # 0666 less the umask, as any other file: mkstemp would make it 0600
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666), temporary
        except FileExistsError:
            continue


def sweep(parent: Path, name: str, everyone: bool = False) -> None:
    """Delete what writes of `name` left beside it when their process is gone (all of them when `everyone`)."""
    for stale in parent.glob(f".{glob.escape(name)}.new-*"):
        pid = stale.name.rsplit(".new-", 1)[1].split("-", 1)[0]
        if stale.is_symlink() or not pid.isdigit() or (not everyone and _alive(int(pid))):
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":  # on Windows os.kill would end the process, not ask about it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or a system that cannot tell: kept
    return True


def swap(staging: Path, target: Path) -> Path:
    """Move staging to target; return where the previous output now is, to be deleted."""
    if not target.exists():
        staging.rename(target)
        return staging
    if exchange(staging, target):
        return staging
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    target.rename(old)
    staging.rename(target)
    return old


def recover(target: Path) -> None:
    """Put back the previous output if a run was killed between the two renames of the fallback swap."""
    old = target.with_name(f".{target.name}.old")
    if old.is_dir() and not target.exists():
        old.rename(target)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2); False where the system cannot."""
    return _rename(a, b, RENAME_EXCHANGE)


def _rename(a: Path, b: Path, flags: int) -> bool:
    """renameat2 with these flags; False where the system has no renameat2. EEXIST (NOREPLACE) is raised."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2 if sys.platform == "linux" else None
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def sync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory to fsync it
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

