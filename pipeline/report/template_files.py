"""The files a unit may put beside its data — templates, Word styles, forms, stylesheet — found in the unit's folder,
its group's or the defaults, and read by the one rule of inputs/files.py (no link out of the folder it was found in);
a file that is not what its name says (a .docx that is not a Word document, a template that is not UTF-8) is refused."""
from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

from ..errors import TemplateError, nth_line
from ..inputs.files import DEFAULTS, area, located, read_real, readable, shown
from ..limits import MAX_REMEMBERED_PACKAGES, MAX_TEMPLATE_BYTES, MAX_WORD_FILE_BYTES, size_text

WORD_PARTS = ("[Content_Types].xml", "word/document.xml")


def allowed_roots(unit_folder: Path | None, group: str | None = None) -> tuple[Path, ...]:
    """The folders a unit's templates may be read from: its own folder, its template group's, the defaults."""
    if unit_folder is None:
        return (DEFAULTS,)
    inputs = unit_folder.parent.parent
    own = area(inputs, unit_folder.parent.name, unit_folder.name)
    return (own, area(inputs, "templates", group), DEFAULTS) if group else (own, DEFAULTS)


def template_dirs(unit_folder: Path | None, group: str | None = None) -> list[Path]:
    """Where templates, styles and forms are looked for: the unit's own folder, its group's, then the defaults."""
    if unit_folder is None:
        return [DEFAULTS]
    roots = allowed_roots(unit_folder)
    own = [unit_folder / "templates"] if (unit_folder / "templates").is_dir() else []
    for folder in own:
        readable(folder, roots)
    if group is None:
        return own + [DEFAULTS]
    groups = unit_folder.parent.parent / "templates"
    if not (groups / group).is_dir():
        found = "、".join(sorted(p.name for p in groups.iterdir() if p.is_dir())) if groups.is_dir() else "无"
        raise TemplateError(f"unit.yaml 模板组“{group}”不存在：应为 inputs/templates/{group}/；现有模板组：{found}")
    allowed_roots(unit_folder, group)  # the group's folder is no link
    return own + [groups / group, DEFAULTS]


def first_file(search: list[Path], name: str, roots: tuple[Path, ...]) -> Path | None:
    """A unit's own file (styles, form, stylesheet) first, then the default one; its real path, checked."""
    for folder in search:
        found = located(folder / name, roots)
        if found is not None:
            return found
    return None


def decoded(data: bytes, where: str) -> str:
    """A template or stylesheet as text: UTF-8 (a BOM is allowed), else a TemplateError with the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise TemplateError(f"{where}:{nth_line(line)}：不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节 "
                            f"{data[exc.start:exc.start + 1].hex().upper()}）；请用文本编辑器另存为 UTF-8") from None


def read_text(path: Path, shown_as: str | None = None) -> str:
    """A template or stylesheet: at most MAX_TEMPLATE_BYTES bytes of UTF-8."""
    return decoded(read_real(path, shown_as or shown(path), MAX_TEMPLATE_BYTES), shown_as or shown(path))


def word_document(path: Path) -> bytes:
    """A .docx a unit supplies (styles, form), read and checked to be a Word document that can be opened."""
    data = read_real(path, shown(path), MAX_WORD_FILE_BYTES)
    problem = checked_package(data)
    if problem:
        raise TemplateError(f"{shown(path)}：不是可用的 Word 文档（{problem}）；请用 Word 或 WPS 打开后另存为 .docx")
    return data


@functools.lru_cache(maxsize=MAX_REMEMBERED_PACKAGES)
def checked_package(data: bytes) -> str | None:
    """docx_problem, worked out once per process for each content: a batch checks the default form once."""
    return docx_problem(data)


def docx_problem(data: bytes) -> str | None:
    """What makes these bytes no Word document, in Chinese; None when every XML part parses."""
    from lxml import etree  # python-docx and lxml only when a Word file is checked: `make check` writes Markdown only
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return "不是 .docx（zip）文件"
    with archive:
        names = set(archive.namelist())
        lacking = [part for part in WORD_PARTS if part not in names]
        if lacking:
            return "缺少 " + "、".join(lacking)
        if sum(info.file_size for info in archive.infolist()) > MAX_WORD_FILE_BYTES:
            return f"解压后超过 {size_text(MAX_WORD_FILE_BYTES)}"
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        for name in sorted(names):
            if name.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(archive.read(name), parser)
                except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as exc:
                    return f"{name} 损坏：{str(exc)[:100]}"
    return _unreadable(data)


def _unreadable(data: bytes) -> str | None:
    """Why python-docx (which docxtpl and our finishing use) cannot open a package whose parts all parse."""
    from docx import Document
    try:
        document = Document(io.BytesIO(data))
        if document.element.body is None:
            return "word/document.xml 中没有正文（w:body）"
        document.styles  # noqa: B018 (the styles part, opened or made)
    except Exception as exc:  # noqa: BLE001 (python-docx fails in many ways on a broken package; each means unusable)
        return f"Word 文档的结构不完整：{type(exc).__name__}：{str(exc)[:100]}"
    return None
