"""The one rule for a unit's files: a run reads a file only inside the folder the program chose for it — the unit's own
inputs/<unit>/<year>/, its template group's folder, the bureau's frameworks, the package's defaults — and a link is
followed only while it stays in that same folder. A link to another unit, to another year of the same unit, out of
inputs/ or in a loop is refused with the file, the link and where it leads; so is anything that is not a regular file.
Last year's folder is read for 同比 because the program names it, never because a link leads there."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .. import codes as k
from ..errors import InputError, Location, Problem
from ..limits import size_text

PACKAGE = Path(__file__).resolve().parent.parent
DEFAULTS = PACKAGE / "templates"
LINK_HINT = "单位只能读取自己文件夹（inputs/<单位>/<年度>/）、模板组和默认模板中的文件；请把文件本身（而不是链接）放进单位文件夹"


def shown(path: Path | str) -> str:
    """A path as the user knows it: from inputs/ on, default/… for the package's own, else as it is."""
    parts = Path(path).parts
    if "inputs" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("inputs"):])
    try:
        return "default/" + Path(path).relative_to(DEFAULTS).as_posix()
    except ValueError:
        return str(path)


def refused(file: str, message: str, value: str | None = None, hint: str = LINK_HINT,
            code: str = k.FILE_REFUSED) -> InputError:
    """The one refusal of the rule, located at the file the program meant to read."""
    return InputError([Problem(Location(file), message, value, hint, code)])


def present(path: Path) -> bool:
    """A file is there, or a link is (a link that leads nowhere is still the unit's mistake to be told about)."""
    return path.exists() or path.is_symlink()


def _inside(real: str, home: str) -> bool:
    return os.path.commonpath([real, home]) == home


def _real(path: str) -> str | None:
    """The real path, every link followed; None for a loop."""
    try:
        return os.path.realpath(path, strict=True)
    except FileNotFoundError:
        return os.path.realpath(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None
        raise
    except RuntimeError:  # a loop, as some Python versions say it
        return None


def area(anchor: Path, *parts: str) -> Path:
    """anchor/parts as a folder a unit's run may read: refused when a folder on the way below anchor is a link (a year
    folder linked to another unit's year is that other unit's data under this unit's name)."""
    folder = Path(anchor)
    for part in parts:
        folder = folder / part
        if folder.is_symlink():
            raise refused(shown(folder), f"是指向 {shown(os.path.realpath(folder))} 的符号链接（链接内容：{os.readlink(folder)}），"
                                         "不能作为单位、模板组或评价体系的文件夹", hint="请把文件夹本身（而不是链接）放在 inputs/ 下")
    return folder


def _link_out(path: str, root: str, home: str) -> str | None:
    """The first link between `root` and `path` whose real path leaves `home`, or None."""
    relative = Path(os.path.relpath(path, root)).parts
    step = root
    for part in relative:
        step = os.path.join(step, part)
        if os.path.islink(step):
            real = _real(step)
            if real is None or not _inside(real, home):
                return step
    return None


def readable(path: Path, roots: tuple[Path, ...]) -> Path:
    """The real path of a file a run may read, decided once for every reader: `path` (as the program named it) lies in
    one of `roots` and so does its real path, links followed; an InputError naming the link and its target otherwise."""
    where, name = os.path.abspath(path), shown(path)
    root = next((os.path.abspath(r) for r in roots if _inside(where, os.path.abspath(r))), None)
    if root is None:
        raise refused(name, "不在单位可读取的文件夹中，不能读取")
    home = os.path.realpath(root)
    real = _real(where)
    if real is None:
        raise refused(name, "是循环的符号链接，不能读取")
    if not _inside(real, home):
        link = _link_out(where, root, home) or where
        lead = "" if link == where else f"路径中的 {shown(link)} "
        raise refused(name, f"{lead}是指向 {shown(os.path.realpath(link))} 的符号链接，指向单位自己的文件夹以外，不能读取",
                      os.readlink(link) if os.path.islink(link) else None)
    if not os.path.exists(real):
        dangling = os.path.islink(where)
        raise refused(name, "是指向不存在的文件的符号链接" if dangling else "文件不存在",
                      os.readlink(where) if dangling else None, LINK_HINT if dangling else "",
                      k.FILE_REFUSED if dangling else k.MISSING_FILE)
    return Path(real)


def read_real(real: Path, name: str, limit: int) -> bytes:
    """The bytes of a file `readable` allowed, at most `limit` of them: a device, a pipe or a folder is refused."""
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise refused(name, "文件不存在（读取时已被删除或移走）", hint="", code=k.MISSING_FILE) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link after the check
            raise refused(name, "是符号链接，不能读取") from None
        raise refused(name, f"无法打开文件：{exc.strerror}", hint="请检查文件的读取权限") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise refused(name, "不是普通文件（是目录、设备或管道），不能读取")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise refused(name, f"无法读取文件：{exc.strerror}", hint="请检查文件的读取权限") from None
    if len(data) > limit:
        raise refused(name, f"文件过大（超过 {size_text(limit)} 的上限）", hint="单位的文件通常只有几 KB 到几 MB；请检查是否放错了文件",
                      code=k.OVER_LIMIT)
    return data


def located(path: Path, roots: tuple[Path, ...], name: str | None = None) -> Path | None:
    """The real path of a regular file a run may read, by the one rule above; None when nothing has the name (a
    dangling link, a device, a pipe or a folder under the name is refused, not skipped)."""
    if not present(path):
        return None
    real = readable(path, roots)
    if not real.is_file():
        read_real(real, name or shown(path), 0)  # says what it is instead
    return real


def read_input(path: Path, name: str, base: Path | tuple[Path, ...], limit: int) -> bytes:
    """The bytes of a unit's file inside `base` (a folder or several), by the one rule above: the one reader of every
    file a unit supplies, data or template."""
    real = located(path, base if isinstance(base, tuple) else (base,), name)
    if real is None:
        raise refused(name, "文件不存在", hint="", code=k.MISSING_FILE)
    return read_real(real, name, limit)


def writable(path: Path, home: Path) -> Path:
    """`path`, about to be created inside `home`: refused when a folder on the way below `home`, or the name itself, is
    a link — a write never goes through one (it could land in another unit or outside inputs/)."""
    where, root = os.path.abspath(path), os.path.abspath(home)
    if not _inside(where, root):
        raise refused(shown(path), "不在单位的文件夹中，不能写入")
    step = root
    for part in Path(os.path.relpath(where, root)).parts:
        step = os.path.join(step, part)
        if os.path.islink(step):
            raise refused(shown(path), f"{'' if step == where else '路径中的 ' + shown(step) + ' '}是指向 "
                                       f"{shown(os.path.realpath(step))} 的符号链接，不会经由它写入", os.readlink(step),
                          "请删除该链接，或换成真正的文件夹")
    return path
