"""Reading a unit's file, and nothing else: a regular file whose real path lies inside the project's inputs/, within
the size budget. A link out of inputs/ (to /etc/passwd, /dev/zero, another project) is refused, not followed."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError, Problem
from ..limits import size_text

LINK_HINT = "请把文件本身（而不是指向别处的链接）放在 inputs/ 下的单位目录中"


def present(path: Path) -> bool:
    """A file is there, or a link is (a link that leads nowhere is still the unit's mistake to be told about)."""
    return path.exists() or path.is_symlink()


def inside(path: Path, base: Path) -> bool:
    """The real path of `path`, every link followed, lies inside the real path of `base`."""
    real, home = os.path.realpath(path), os.path.realpath(base)
    return os.path.commonpath([real, home]) == home


def read_input(path: Path, shown: str, base: Path, limit: int) -> bytes:
    """The bytes of a unit's file; InputError if it is missing, leads outside `base`, is not a file or is too big."""
    if not present(path):
        raise InputError([Problem(shown, "", "", "文件不存在")])
    if not inside(path, base):
        raise InputError([Problem(shown, "", "", "这个文件（或它所在的目录）是指向 inputs/ 以外的链接，不能读取",
                                  hint=LINK_HINT)])
    try:
        fd = os.open(os.path.realpath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError([Problem(shown, "", "", "文件不存在（链接指向的文件不存在）", hint=LINK_HINT)]) from None
    except OSError as exc:
        raise InputError([Problem(shown, "", "", f"无法打开文件：{exc.strerror}", hint="请检查文件的读取权限")]) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError([Problem(shown, "", "", "不是普通文件（是目录、设备或管道），不能读取", hint=LINK_HINT)])
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError([Problem(shown, "", "", f"文件过大（超过 {size_text(limit)} 的上限）",
                                  hint="单位的数据文件通常只有几 KB；请检查是否放错了文件")])
    return data
