"""Start a unit and find one's way around customising it: `new` (a unit from a skeleton or another unit),
`blocks` (the default templates' block names, nested) and `styles` (the default Word styles, ready to edit)."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from ..errors import MachineError, ScaffoldError
from ..inputs.files import area, present, read_real, readable, refused, shown, writable
from ..inputs.kinds import KIND_CHOICES, KINDS, SAMPLE_SOURCE, TABLES
from ..inputs.load import NAME, UNIT_FILE, YEARS, available_units, resolve
from ..inputs.workbook import WORKBOOK_FILES
from ..inputs.yaml_files import read_yaml
from ..limits import MAX_WORKBOOK_BYTES
from ..report.template_files import DEFAULTS
from ..report.word.reference import reference_docx
from ..write import staging_folder, why_not_written
from .unit_template import (
    by_blocks,
    filled_blocks,
    filled_tables,
    indicator_csv,
    sample_rows,
    table_rows,
    unit_framework,
    unit_workbook,
    unit_yaml_moved,
    with_unit_figures,
)

SCAFFOLD = DEFAULTS / "scaffold"
TEMPLATES_README = SCAFFOLD / "templates-README.md"
RESERVED = {"frameworks", "templates"}  # shared folders under inputs/, never a unit
TEXT_SUFFIXES = {".yaml", ".yml", ".csv", ".md"}
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Created:
    folder: Path  # inputs/<dept>/<year>
    files: list[Path]
    notes: list[str]  # what to do besides editing the files


def default_year() -> int:
    """Reports are written on the year just ended."""
    return dt.date.today().year - 1


# ---------- new ----------


def new_unit(root: Path, dept: str, kind: str | None = None, source: str | None = None,
             year: int | None = None, csv: bool = False, framework: str | None = None) -> Created:
    """inputs/<dept>/<year>/ from the skeleton of the kind (its tables in 数据.xlsx, or as CSV files), or as a copy
    of another unit's newest year; with a framework, its kind and one indicator row per leaf of it."""
    inputs = root / "inputs"
    if not NAME.fullmatch(dept):
        shown = dept if dept.isprintable() else repr(dept)[1:-1]  # a line break or control character shown as \n
        raise ScaffoldError(f"单位代号“{shown}”不合法：只能使用字母、数字、连字符 - 和下划线 _，例如 baiyun 或 city-cdc")
    if dept in RESERVED:
        raise ScaffoldError(f"单位代号“{dept}”是保留名称（inputs/{dept}/ 用于共用的评价体系或模板），请换一个")
    if not inputs.is_dir():
        raise ScaffoldError(f"找不到 inputs/ 目录：{inputs}；请在项目目录下运行，或用 --root 指定项目目录")
    if present(inputs / dept):
        raise ScaffoldError(f"单位“{dept}”已存在：inputs/{dept}/；换一个代号，或直接修改该单位的数据")
    year = default_year() if year is None else year
    if year not in YEARS:
        raise ScaffoldError(f"年度 {year} 不合理：应在 {YEARS[0]}–{YEARS[-1]} 之间，例如 {default_year()}")
    if kind is not None and kind not in KINDS:
        raise ScaffoldError(f"报告类型“{kind}”无效：可选 {KIND_CHOICES}")
    if framework is not None:
        if source is not None:
            raise ScaffoldError("--framework 与 --from 不能同时使用：复制的单位沿用它自己的评价体系")
        kind = _framework_kind(inputs, framework, kind)
    made_from: str | tuple[Path, str]
    if source is not None:
        made_from = (_source_folder(root, source, kind), source)
    elif kind is not None:
        made_from = kind
    else:
        raise ScaffoldError(f"请指定报告类型：--kind {KIND_CHOICES}；"
                            "或用 --from <现有单位> 复制一个现有单位")
    try:
        return _new_unit(root, dept, made_from, year, csv, framework)
    except OSError as failure:  # inputs/ read-only, the disk full
        raise MachineError(why_not_written(failure, inputs / dept, "单位目录", "现有的单位不受影响")) from None


def _new_unit(root: Path, dept: str, made_from: str | tuple[Path, str], year: int, csv: bool,
              framework: str | None) -> Created:
    """made_from: the kind of the skeleton, or the folder of the unit copied and its 代号."""
    inputs = root / "inputs"
    staging = staging_folder(inputs, dept)  # renamed into place only when complete
    try:
        folder = staging / str(year)
        notes: list[str] = []
        if isinstance(made_from, str):
            _from_skeleton(folder, dept, made_from, year, framework)
            _indicators(root, folder, csv, framework)
        else:
            origin, source = made_from
            notes += _from_unit(origin, folder, source, year)
        readme = folder / "templates" / "README.md"
        if not readme.exists():
            readme.parent.mkdir(parents=True, exist_ok=True)
            readme.write_bytes(_fill(TEMPLATES_README.read_text(encoding="utf-8"), dept, _kind_of(folder), year))
        target = inputs / dept
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    final = target / str(year)
    files = sorted((p for p in final.rglob("*") if p.is_file()), key=lambda p: (len(p.relative_to(final).parts), p))
    return Created(final, files, notes)


def _source_folder(root: Path, source: str, kind: str | None) -> Path:
    units = available_units(root)
    if source not in units:
        listing = "、".join(units) or "无"
        raise ScaffoldError(f"--from：没有单位“{source}”；现有单位：{listing}")
    origin = area(root / "inputs", source, str(units[source][-1]))
    copied = _kind_of(origin)
    if kind is not None and kind != copied:
        raise ScaffoldError(f"--kind {kind} 与被复制单位 {source} 的报告类型 {copied}（{KINDS[copied].label if copied in KINDS else '未知'}）不一致；"
                            "复制时可以不写 --kind")
    return origin


def _kind_of(folder: Path) -> str:
    doc = read_yaml(folder / UNIT_FILE, f"{folder.name}/{UNIT_FILE}")
    return str(doc.data.get("报告类型", ""))


def _fill(text: str, dept: str, kind: str, year: int) -> bytes:
    for token, value in (("__单位代号__", dept), ("__报告类型__", kind), ("__年度__", str(year)),
                         ("__次年__", str(year + 1)), ("__示例来源__", SAMPLE_SOURCE)):
        text = text.replace(token, value)
    return text.encode("utf-8")


def _framework_kind(inputs: Path, name: str, kind: str | None) -> str:
    """The report kind a shared framework is for (its 适用), checked against --kind when both are given."""
    found = sorted(p.stem for p in (inputs / "frameworks").glob("*.yaml"))
    if not NAME.fullmatch(name) or name not in found:
        shown = name if name.isprintable() else repr(name)[1:-1]
        raise ScaffoldError(f"找不到评价体系“{shown}”（inputs/frameworks/{shown}.yaml）；现有评价体系：" + ("、".join(found) or "无"))
    doc = read_yaml(inputs / "frameworks" / f"{name}.yaml", f"inputs/frameworks/{name}.yaml", inputs / "frameworks")
    meant = str(doc.data.get("适用", "")) if isinstance(doc.data, dict) else ""
    if meant not in KINDS:
        if kind is None:
            raise ScaffoldError(f"评价体系 {name} 没有写“适用”（department 或 project），请用 --kind 指定报告类型")
        return kind
    if kind is not None and kind != meant:
        raise ScaffoldError(f"--kind {kind} 与评价体系 {name} 的适用类型 {meant}（{KINDS[meant].label}）不一致；"
                            "指定评价体系时可以不写 --kind")
    return meant


def _skeleton_framework(kind: str) -> str:
    return str(read_yaml(SCAFFOLD / kind / UNIT_FILE, UNIT_FILE).data.get("评价体系", ""))


def _indicators(root: Path, folder: Path, csv: bool, framework: str | None) -> None:
    """The indicator rows generated from the unit's framework: the skeleton's examples kept only for the framework
    they were written for, so that no row names a leaf another framework lacks."""
    kind, chosen = unit_framework(root, folder)
    tables, sources = filled_tables(root, folder)
    if framework is not None and framework != _skeleton_framework(kind):
        tables["facts"] = sample_rows(chosen)
        unit = folder / UNIT_FILE
        text = by_blocks(unit.read_text(encoding="utf-8"), [n.name for n in chosen.indicators])
        unit.write_text(with_unit_figures(text, chosen.measures), encoding="utf-8")
    if csv:
        (folder / TABLES["facts"].file).write_bytes(indicator_csv(chosen, table_rows(tables.get("facts"))))
        return
    data, _ = unit_workbook(kind, chosen, tables, filled_blocks(root, folder, tables))
    (folder / WORKBOOK_FILES[0]).write_bytes(data)
    for path in sources:
        path.unlink()
    unit_yaml_moved(folder)


def _from_skeleton(folder: Path, dept: str, kind: str, year: int, framework: str | None = None) -> None:
    skeleton = SCAFFOLD / kind
    for path in sorted(skeleton.rglob("*")):
        target = folder / path.relative_to(skeleton)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8")
            if framework is not None and path.name == UNIT_FILE:  # our own skeleton: its one 评价体系 line
                text = re.sub(r"^评价体系: .*$", f"评价体系: {framework}", text, count=1, flags=re.MULTILINE)
            target.write_bytes(_fill(text, dept, kind, year))
        else:
            shutil.copyfile(path, target)


def _from_unit(origin: Path, folder: Path, source: str, year: int) -> list[str]:
    """Every input file of the newest year (its own templates and frameworks too), unit.yaml marked as a copy."""
    copy_unit_files(origin, folder, origin)
    unit = folder / UNIT_FILE
    raw = unit.read_bytes()
    bom, body = (BOM, raw[len(BOM):]) if raw.startswith(BOM) else (b"", raw)
    newline = b"\r\n" if b"\r\n" in body.split(b"\n", 1)[0] + b"\n" else b"\n"
    copied_year = read_yaml(unit, UNIT_FILE).data.get("年度")
    # the year must match the new folder's (validation checks it); every other byte stays as copied
    body = re.sub(rb"^(\xe5\xb9\xb4\xe5\xba\xa6:[ \t]*)\d{4}", lambda m: m.group(1) + str(year).encode(), body,
                  count=1, flags=re.MULTILINE)
    unit.write_bytes(bom + f"# 由 {source} 复制，请逐项改为本单位的数据".encode() + newline + body)
    notes = []
    if str(copied_year) != str(year):
        notes.append(f"unit.yaml 中的 年度 已由 {copied_year} 改为 {year}，其余数据仍是 {source} {copied_year} 年度的，请逐项修改")
    return notes


def copy_unit_files(source: Path, target: Path, home: Path, skip: tuple[str, ...] = ("output",)) -> None:
    """A unit's folder copied as plain files and folders: each file read by the one rule (a link is followed only while
    it stays in `home`, the unit's folder) and written as what it holds; a link to a folder is refused."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        if entry.name in skip:
            continue
        real = readable(entry, (home,))
        if entry.is_symlink() and real.is_dir():
            raise refused(shown(entry), "是指向文件夹的符号链接，复制时不跟随", os.readlink(entry), "请把文件夹本身放在这里")
        if real.is_dir():
            copy_unit_files(entry, target / entry.name, home, ())
        else:
            (target / entry.name).write_bytes(read_real(real, shown(entry), MAX_WORKBOOK_BYTES))


# ---------- blocks ----------


def template_blocks(source: str) -> list[tuple[int, str]]:
    """(depth, name) of every {% block %} in a template, in order, depth 0 for the outermost."""
    tree = jinja2.Environment().parse(source)
    found: list[tuple[int, str]] = []

    def walk(node: nodes.Node, depth: int) -> None:
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Block):
                found.append((depth, child.name))
                walk(child, depth + 1)
            else:
                walk(child, depth)

    walk(tree, 0)
    return found


def blocks_listing() -> str:
    lines = []
    for kind, label in ((k.name, k.label) for k in KINDS.values()):
        path = DEFAULTS / kind / "report.md.j2"
        lines.append(f"{kind}（{label}）：templates/{kind}/report.md.j2")
        lines.append(f"  继承：{{% extends \"default/{kind}/report.md.j2\" %}}")
        lines += ["    " + "  " * depth + name for depth, name in template_blocks(path.read_text(encoding="utf-8"))]
        lines.append("")
    lines.append("缩进表示包含关系。在 inputs/<单位>/<年度>/templates/<类型>/report.md.j2 中继承默认模板，"
                 "只写要改的块；{{ super() }} 保留该块的默认内容。")
    return "\n".join(lines)


# ---------- styles ----------


def write_styles(root: Path, dept: str, year: int | None = None) -> Path:
    """The default Word styles as inputs/<dept>/<year>/templates/reference.docx, never over an existing one."""
    year = resolve(root, dept, year)
    folder = area(root / "inputs", dept, str(year))
    target = writable(folder / "templates" / "reference.docx", folder)  # never through a link out of the unit
    name = target.relative_to(root).as_posix()
    if present(target):
        raise ScaffoldError(f"{name} 已存在，未覆盖；要重新开始，先删除或改名该文件")
    data = reference_docx()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as out:  # exclusive: a file appearing meanwhile is not overwritten either
            _write_or_remove(out, data, target)
    except FileExistsError:
        raise ScaffoldError(f"{name} 已存在，未覆盖；要重新开始，先删除或改名该文件") from None
    except OSError as failure:
        raise MachineError(why_not_written(failure, target, "文件", "单位的其他文件不受影响")) from None
    return target


def _write_or_remove(out, data: bytes, target: Path) -> None:
    try:
        out.write(data)
        out.flush()
    except OSError:
        target.unlink(missing_ok=True)  # the disk filled: no half a Word file left to be read as styles
        raise


def styles_help(root: Path, target: Path, dept: str) -> str:
    shown = target.relative_to(root).as_posix()
    return "\n".join([
        f"已写入 {shown}（默认 Word 样式）。",
        "下一步：",
        f"  1. 用 Word 或 WPS 打开 {shown}；",
        "  2. 在页眉写上本单位的信头；按需要修改各样式（正文、标题 1 等）的字体、字号和“页面设置”中的页边距；",
        "     只修改、不要删除其中的样式；保存；",
        f"  3. make report DEPT={dept}：生成的 report.docx 即使用这些样式。",
        f"此样式只用于 {dept}，其他单位仍用默认样式。",
    ])
