"""Uploads are a unit's files from a stranger: the request's size is capped while it streams in, each file is given a
plain name of our choosing inside a scratch folder, and a zip is unpacked member by member under counted limits."""
from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fastapi import UploadFile

from ..errors import InputError, Location, Problem
from ..limits import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, MAX_ZIP_UNPACKED, size_text

CHUNK = 2**16
# a file's own name: no folder, no drive, no "..", no control character, not hidden
PLAIN = re.compile(r"[^\\/:*?\"<>|\x00-\x1f]{1,120}")


class TooLarge(Exception):
    pass


def limited(app, limit: int = MAX_UPLOAD_BYTES):
    """ASGI middleware: a request body past `limit` is cut off with 413 as it arrives, before anything parses it."""
    async def middleware(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        declared = dict(scope.get("headers", ())).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > limit:
            return await _refuse(send, limit)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge()
            return message
        try:
            return await app(scope, counted, send)
        except TooLarge:
            return await _refuse(send, limit)
    return middleware


async def _refuse(send, limit: int) -> None:
    body = f"上传的内容超过 {size_text(limit)} 的上限，未保存任何文件".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def plain_name(name: str, suffixes: tuple[str, ...]) -> str:
    """The file's own name when it is a plain one with an accepted suffix; otherwise InputError naming it."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if base != name or not PLAIN.fullmatch(name) or name.startswith(".") or name.strip(" .") != name.strip() \
            or name in (".", ".."):
        raise InputError([Problem(Location(name[:120]), "文件名不能含目录、盘符、“..”或特殊字符", name[:120], "例如 自评表.docx")])
    if PurePosixPath(name).suffix.lower() not in suffixes:
        raise InputError([Problem(Location(name), "不接受这种文件", PurePosixPath(name).suffix or name,
                                  "可上传：" + "、".join(suffixes))])
    return name


@dataclass(frozen=True)
class Saved:
    path: Path
    shown: str  # the name the user gave it


async def save_uploads(files: list[UploadFile], folder: Path, suffixes: tuple[str, ...], each: int) -> list[Saved]:
    """Every uploaded file copied into a numbered folder of its own under its plain name (checked: never a path),
    each at most `each` bytes; all problems at once, nothing kept when any."""
    files = [f for f in files if f.filename]
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(Location(""), "没有选择文件", hint="请选择要上传的文件"))
    if len(files) > MAX_UPLOAD_FILES:
        problems.append(Problem(Location(""), f"一次最多上传 {MAX_UPLOAD_FILES} 个文件", str(len(files))))
    saved: list[Saved] = []
    for number, upload in enumerate(files[:MAX_UPLOAD_FILES], 1):
        try:
            name = plain_name(upload.filename or "", suffixes)  # a part without a name is refused as a bad name
        except InputError as error:
            problems += error.problems
            continue
        target = folder / f"{number:03d}" / name  # its own folder: the name is shown in messages, never a path
        target.parent.mkdir()
        size = 0
        with target.open("xb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > each:
                    break
                out.write(chunk)
        if size > each:
            problems.append(Problem(Location(name), f"文件超过 {size_text(each)} 的上限", hint="请只保留需要的内容后另存"))
        saved.append(Saved(target, name))
    if problems:
        raise InputError(problems)
    return saved


UTF8_NAMES = 0x800  # the zip's flag for names in UTF-8; without it Python reads them as cp437


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it: Windows' own 压缩 writes names in the system's code page (GBK on a
    Chinese Windows) without the UTF-8 flag, which Python would show as cp437 gibberish."""
    if info.flag_bits & UTF8_NAMES:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def unzipped(archive: Path, folder: Path, suffixes: tuple[str, ...], each: int) -> list[Saved]:
    """The forms inside a zip, each in a numbered folder under its own plain name: a member's folders are dropped,
    links, nested archives and other files are skipped and named; counts and sizes are counted as they are read,
    never trusted from the zip's directory."""
    problems: list[Problem] = []
    saved: list[Saved] = []
    total = 0
    try:
        package = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise InputError([Problem(Location(archive.name), "无法读取这个 zip 压缩包", hint="请用系统自带的“压缩”重新打包")]) from None
    with package:
        members = [i for i in package.infolist() if not i.is_dir()]
        if len(members) > MAX_UPLOAD_FILES:
            raise InputError([Problem(Location(archive.name), f"压缩包中的文件超过 {MAX_UPLOAD_FILES} 个", str(len(members)))])
        for info in members:
            named = member_name(info)
            own = named.replace("\\", "/").rsplit("/", 1)[-1]
            if stat.S_ISLNK(info.external_attr >> 16):
                problems.append(Problem(Location(named[:120]), "压缩包中的符号链接不予读取"))
                continue
            if own.startswith(("~$", ".")) or PurePosixPath(own).suffix.lower() not in suffixes:
                continue  # a lock file, a thumbnail, a readme: not a form
            try:
                plain_name(own, suffixes)
            except InputError as error:
                problems += error.problems
                continue
            target = folder / f"z{len(saved) + 1:03d}" / own
            target.parent.mkdir()
            size = 0
            try:
                with package.open(info) as member, target.open("xb") as out:
                    while chunk := member.read(CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > each or total > MAX_ZIP_UNPACKED:
                            break
                        out.write(chunk)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as failure:
                problems.append(Problem(Location(named[:120]), f"无法解压（{failure}）"))
                continue
            if total > MAX_ZIP_UNPACKED:
                raise InputError([Problem(Location(archive.name), f"压缩包解压后超过 {size_text(MAX_ZIP_UNPACKED)} 的上限",
                                          hint="请分几次上传")])
            if size > each:
                problems.append(Problem(Location(named[:120]), f"文件解压后超过 {size_text(each)} 的上限"))
                continue
            saved.append(Saved(target, own))
    if problems:
        raise InputError(problems)
    return saved
