"""Compiled templates kept: every template once per process, and the shipped ones also on disk in the user's own cache
folder, so a fresh process does not compile them again (about a tenth of a second a report). A unit's own templates
stay in memory: a batch of thousands of units leaves nothing behind. The same folder keeps the files the program makes
the same way every time (Word's reference document), made once per user rather than once a process."""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from ..limits import MAX_REMEMBERED_TEMPLATES
from .template_files import DEFAULTS

SHIPPED = "shipped-"  # a cache key's prefix for a template of the defaults folder
HERE = Path(__file__).resolve().parent


def code_version() -> str:
    """What compiled code depends on besides a template's source: Python, Jinja and our sandbox's code generator and
    options. A change to any gives another folder, so code compiled by an older sandbox is never run."""
    digest = hashlib.sha256(f"{sys.version}|{jinja2.__version__}".encode())
    for name in ("sandbox.py", "jinja.py", "compiled.py"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def cache_folder(name: str | None = None) -> Path | None:
    """The user's cache folder for the shipped templates' code, or the one called `name` (XDG_CACHE_HOME, else
    ~/.cache); None without a home."""
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:
        return None
    return Path(base) / "selfeval-pipeline" / (name or f"templates-{code_version()}")


def kept(name: str, make: Callable[[], bytes]) -> bytes:
    """What `make` returns, kept under `name` in the user's private cache folder: `name` says everything the bytes
    depend on, so a file found is the one `make` would return."""
    folder = cache_folder("files")
    if folder is None or not private(folder):
        return make()
    try:
        return (folder / name).read_bytes()
    except OSError:
        pass
    data = make()
    partial = folder / f".{name}.{os.getpid()}"
    try:  # whole or not at all: another process may be reading it
        partial.write_bytes(data)
        partial.replace(folder / name)
    except OSError:  # a cache that cannot be written costs time, nothing else
        partial.unlink(missing_ok=True)
    return data


def private(folder: Path) -> bool:
    """Whether `folder` is ours alone: code read from it is run, so no one else may have written there."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and not folder.is_symlink() and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


class CompiledTemplates(jinja2.BytecodeCache):
    """Code checked against its template's source by hash (Jinja's bucket), so a changed template is compiled anew;
    `folder` None keeps everything in memory."""

    def __init__(self, folder: Path | None) -> None:
        self.compiled: dict[str, bytes] = {}
        self.code: dict[tuple[str, str], Any] = {}  # (key, source's checksum) → code object: unmarshalled once a process
        self.wanted, self.checked = folder, False  # made and checked at first use, not when the package loads

    @property
    def folder(self) -> Path | None:
        if not self.checked:
            self.checked = True
            self.wanted = self.wanted if self.wanted is not None and private(self.wanted) else None
        return self.wanted

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = super().get_cache_key(name, filename)
        shipped = filename is not None and Path(filename).resolve().is_relative_to(DEFAULTS.resolve())
        return SHIPPED + key if shipped else key

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = self.code.get((bucket.key, bucket.checksum))
        if known is not None:  # a fresh environment for each unit loads the same templates again
            bucket.code = known
            return
        code = self.compiled.get(bucket.key)
        if code is None and self.folder is not None and bucket.key.startswith(SHIPPED):
            try:
                code = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        if code is not None:
            try:
                bucket.bytecode_from_string(code)
            except Exception:  # a file cut short or garbled: compiled anew and written again
                bucket.reset()
            self._remember(bucket)

    def _remember(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            if len(self.code) >= MAX_REMEMBERED_TEMPLATES:
                self.code.clear()
            self.code[(bucket.key, bucket.checksum)] = bucket.code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self.compiled) >= MAX_REMEMBERED_TEMPLATES:
            self.compiled.clear()
        code = self.compiled[bucket.key] = bucket.bytecode_to_string()
        self._remember(bucket)
        if self.folder is not None and bucket.key.startswith(SHIPPED):
            partial = self.folder / f".{bucket.key}.{os.getpid()}"
            try:  # whole or not at all: another process may be reading it
                partial.write_bytes(code)
                partial.replace(self.folder / bucket.key)
            except OSError:  # a cache that cannot be written costs time, nothing else
                partial.unlink(missing_ok=True)
