"""The reference document pandoc takes its Word styles from, found without loading python-docx: a report hands it to
pandoc first and lays out pandoc's Word afterwards, so python-docx is imported while pandoc runs (render.py)."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
from pathlib import Path

from ..compiled import kept
from ..pandoc import pandoc_path

HERE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=1)
def reference_docx() -> bytes:
    """pandoc's reference document with our styles (styles.made_reference), made once per user (a pandoc start and
    python-docx's work, a tenth of a second): kept by the code and the pandoc that make it."""
    return kept(f"reference-{_reference_version()}.docx", _made)


def _made() -> bytes:
    from . import styles  # python-docx: only when the kept document is missing
    return styles.made_reference()


def _reference_version() -> str:
    pandoc = Path(pandoc_path())
    found = pandoc.stat()
    digest = hashlib.sha256(f"{pandoc.resolve()}|{found.st_size}|{found.st_mtime_ns}".encode())
    python_docx = importlib.util.find_spec("docx")  # its version is in the package's first file, read without importing
    if python_docx is not None and python_docx.origin is not None:
        digest.update(Path(python_docx.origin).read_bytes())
    for source in sorted(HERE.glob("*.py")):  # this package's code makes the styles
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]
