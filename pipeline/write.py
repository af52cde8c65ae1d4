"""Put a run's files in place all together: written beside the target, then swapped in, so a failure leaves the old output.

`create` puts a new folder in place the same way but never replaces one; `replace_file` swaps in one file."""
from __future__ import annotations

import ctypes
import errno
import glob
import os
import shutil
import sys
import tempfile
from pathlib import Path

AT_FDCWD = -100
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2
UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}


def write(files: dict[str, bytes], target: Path) -> list[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    for stale in target.parent.glob(f".{glob.escape(target.name)}.new-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale)
    staging = target.with_name(f".{target.name}.new-{os.getpid()}")
    staging.mkdir()
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
    """A new folder holding these files (names may have subfolders), in place at once; FileExistsError if there is one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
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


def replace_file(path: Path, content: bytes) -> Path:
    """One file written beside its place and renamed over it, so a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.new-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_dir(path.parent)
    return path


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

