"""The files a unit may put beside its data — templates, Word styles, forms, stylesheet — found in the unit's folder,
its group's or the defaults, and confined there: a file whose real path lies outside the project's inputs/ and the
default templates (a symlink to /etc/passwd, or a templates/ folder linked elsewhere) is refused, as is a file that
is not what its name says (a .docx that is not a Word document, a template that is not UTF-8)."""
from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

from ..errors import TemplateError, nth_line

DEFAULTS = Path(__file__).resolve().parent.parent / "templates"
WORD_PARTS = ("[Content_Types].xml", "word/document.xml")
LARGEST_TEXT_FILE = 1_000_000  # bytes of one template or stylesheet; the default report template is about 10 KB
LARGEST_WORD_FILE = 20_000_000  # bytes of a reference.docx or form, and of its parts once unpacked


def allowed_roots(unit_folder: Path | None) -> tuple[Path, ...]:
    """Where the real path of a template may lie: the project's inputs/ (the unit folder's grandparent), the defaults."""
    if unit_folder is None:
        return (DEFAULTS,)
    return (unit_folder.parent.parent.resolve(), DEFAULTS)


def shown(path: Path) -> str:
    """A template's path as the user knows it: from inputs/ on, or default/… for the package's own."""
    parts = path.parts
    if "inputs" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("inputs"):])
    try:
        return "default/" + path.relative_to(DEFAULTS).as_posix()
    except ValueError:
        return path.name


def confined(path: Path, roots: tuple[Path, ...]) -> Path:
    """The real path of a template file or folder, when it lies inside `roots`; a TemplateError otherwise."""
    try:
        real = path.resolve()
    except (RuntimeError, OSError):  # a symlink loop
        raise TemplateError(f"{shown(path)} 是循环的符号链接") from None
    if not any(real.is_relative_to(root) for root in roots):
        raise TemplateError(f"{shown(path)} 指向 inputs/ 以外的位置（{real}）：单位的模板、样式和表格只能是 inputs/ "
                            "中的文件或文件夹，不能是指向其他位置的符号链接")
    return real


def template_dirs(unit_folder: Path | None, group: str | None = None) -> list[Path]:
    """Where templates, styles and forms are looked for: the unit's own folder, its group's, then the defaults."""
    if unit_folder is None:
        return [DEFAULTS]
    roots = allowed_roots(unit_folder)
    own = [unit_folder / "templates"] if (unit_folder / "templates").is_dir() else []
    for folder in own:
        confined(folder, roots)
    if group is None:
        return own + [DEFAULTS]
    groups = unit_folder.parent.parent / "templates"
    if not (groups / group).is_dir():
        found = "、".join(sorted(p.name for p in groups.iterdir() if p.is_dir())) if groups.is_dir() else "无"
        raise TemplateError(f"unit.yaml 模板组“{group}”不存在：应为 inputs/templates/{group}/；现有模板组：{found}")
    confined(groups / group, roots)
    return own + [groups / group, DEFAULTS]


def present(path: Path, roots: tuple[Path, ...]) -> Path | None:
    """The real path of a template file that is there, checked; None when nothing has the name (a dangling link
    or a device, a pipe or a folder under a template's name is an error, not a file to skip)."""
    if not path.is_symlink() and not path.exists():
        return None
    real = confined(path, roots)
    if not real.exists():
        raise TemplateError(f"{shown(path)} 是指向不存在的文件的符号链接")
    if not stat.S_ISREG(real.stat().st_mode):
        raise TemplateError(f"{shown(path)} 不是普通文件（是文件夹、设备或管道）：模板、样式和表格必须是普通文件")
    return real


def first_file(search: list[Path], name: str, roots: tuple[Path, ...]) -> Path | None:
    """A unit's own file (styles, form, stylesheet) first, then the default one; its real path, checked."""
    for folder in search:
        found = present(folder / name, roots)
        if found is not None:
            return found
    return None


def read_limited(path: Path, limit: int, shown_as: str | None = None) -> bytes:
    """The bytes of a regular file, or a TemplateError when it is larger than `limit`."""
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise TemplateError(f"{shown_as or shown(path)} 超过 {limit // 1_000_000} MB：模板、样式和表格文件不应这么大，"
                            "请检查是否放错了文件")
    return data


def decoded(data: bytes, where: str) -> str:
    """A template or stylesheet as text: UTF-8 (a BOM is allowed), else a TemplateError with the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise TemplateError(f"{where}:{nth_line(line)}：不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节 "
                            f"{data[exc.start:exc.start + 1].hex().upper()}）；请用文本编辑器另存为 UTF-8") from None


def read_text(path: Path, shown_as: str | None = None) -> str:
    """A template or stylesheet: at most LARGEST_TEXT_FILE bytes of UTF-8."""
    return decoded(read_limited(path, LARGEST_TEXT_FILE, shown_as), shown_as or shown(path))


def word_document(path: Path) -> bytes:
    """A .docx a unit supplies (styles, form), read and checked to be a Word document that can be opened."""
    data = read_limited(path, LARGEST_WORD_FILE)
    problem = checked_package(data)
    if problem:
        raise TemplateError(f"{shown(path)}：不是可用的 Word 文档（{problem}）；请用 Word 或 WPS 打开后另存为 .docx")
    return data


VERDICTS: dict[bytes, str | None] = {}  # SHA-256 of a package → docx_problem's answer, which depends on the bytes alone
LARGEST_VERDICTS = 256  # packages remembered; units with files of their own cannot grow it without bound


def checked_package(data: bytes) -> str | None:
    """docx_problem, worked out once per process for each content: a batch checks the default form once."""
    digest = hashlib.sha256(data).digest()
    if digest not in VERDICTS:
        if len(VERDICTS) >= LARGEST_VERDICTS:
            VERDICTS.clear()
        VERDICTS[digest] = docx_problem(data)
    return VERDICTS[digest]


def docx_problem(data: bytes) -> str | None:
    """What makes these bytes no Word document, in Chinese; None when every XML part parses."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return "不是 .docx（zip）文件"
    with archive:
        names = set(archive.namelist())
        lacking = [part for part in WORD_PARTS if part not in names]
        if lacking:
            return "缺少 " + "、".join(lacking)
        if sum(info.file_size for info in archive.infolist()) > LARGEST_WORD_FILE:
            return f"解压后超过 {LARGEST_WORD_FILE // 1_000_000} MB"
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
    try:
        document = Document(io.BytesIO(data))
        if document.element.body is None:
            return "word/document.xml 中没有正文（w:body）"
        document.styles  # noqa: B018 (the styles part, opened or made)
    except Exception as exc:  # noqa: BLE001 (python-docx fails in many ways on a broken package; each means unusable)
        return f"Word 文档的结构不完整：{type(exc).__name__}：{str(exc)[:100]}"
    return None
