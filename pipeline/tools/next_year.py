"""make next: next year's folder from the latest one — the same structure, this year's facts emptied, the narrative
carried as a draft that still quotes its figures, printed scores and dates removed."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from ..errors import InputError, MachineError, ScaffoldError
from ..inputs import models as m
from ..inputs.files import present, read_input
from ..inputs.framework_checks import check_file
from ..inputs.kinds import TABLES
from ..inputs.load import UNIT_FILE, RawInputs, load, resolve, unit_dir
from ..inputs.parse import parse_yaml
from ..inputs.validate import validate
from ..inputs.workbook import find_workbook
from ..inputs.yaml_files import read_yaml
from ..limits import MAX_TEXT_BYTES
from ..write import staging_folder, why_not_written
from .scaffold import Created, copy_unit_files
from .unit_template import write_template

# unit.yaml blocks that belong to the year just evaluated and are dropped
DROPPED = ("已公布", "已核实差异", "声明数", "上年", "填报日期", "评价通知")
# unit.yaml blocks whose values are this year's figures: the keys stay, the values are emptied
EMPTIED = ("人员", "控制数", "自定数据")
DRAFT = "草稿：以下文字沿用上年，请逐段改为本年度的情况；引用的数字（数.名称）会按本年数据自动更新"


def _round_trip() -> YAML:
    yaml = YAML()  # round-trip: comments, quotes, key order and block scalars kept as the unit wrote them
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # long lines stay one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _drop(mapping: CommentedMap, key: str, lines: list[str]) -> None:
    """A key removed with its value and its comments; the comment lines right above the next key (they say what the
    next key is, and ruamel keeps them with the key before) put back above the next key."""
    keys = list(mapping)
    following = keys[keys.index(key) + 1] if keys.index(key) + 1 < len(keys) else None
    mapping.ca.items.pop(key, None)
    del mapping[key]
    if following is None:
        return
    above: list[str] = []
    for line in reversed(lines[:mapping.lc.key(following)[0]]):
        if line.startswith("#"):
            above.insert(0, line[1:].strip())
        elif line.strip():
            break
    held = mapping.ca.items.get(following)
    if above and not (held and held[1]):  # after a flow value ruamel already holds them on the next key
        mapping.yaml_set_comment_before_after_key(following, before="\n".join(above))


def next_unit_yaml(text: str, year: int, new_year: int) -> str:
    """unit.yaml for next year, read and written as YAML (any style: flow mappings, quoted keys) with its comments:
    the year's figures emptied, what belonged to the year evaluated dropped, the narrative marked as a draft."""
    yaml = _round_trip()
    try:
        data = yaml.load(text)
    except YAMLError as error:  # read by the project's reader already; this one is stricter (duplicate keys)
        raise ScaffoldError(f"unit.yaml 无法按原样改写（{str(error).splitlines()[0]}），请检查后再生成下一年度") from None
    if not isinstance(data, CommentedMap):
        raise ScaffoldError("unit.yaml 的顶层应是“键: 值”的映射，无法生成下一年度")
    lines = text.splitlines()
    for key in [k for k in data if k in DROPPED]:
        _drop(data, key, lines)
    if "年度" in data:
        data["年度"] = new_year
    title = data.get("报告标题")
    if isinstance(title, str):
        data["报告标题"] = type(title)(title.replace(str(year), str(new_year)))  # a quoted title stays quoted
    for key in EMPTIED:
        block = data.get(key)
        if isinstance(block, CommentedMap):
            for child in block:
                block[child] = None
            block.fa.set_block_style()  # {编制数: 2860, …} becomes one key a line, each to be filled
    text_block = data.get("正文")
    if isinstance(text_block, CommentedMap) and text_block:
        first = next(iter(text_block))
        held = text_block.ca.items.get(first)
        if held and held[1]:  # comments already above the first section: the note goes first among them
            held[1].insert(0, CommentToken(f"# {DRAFT}\n", CommentMark(2), None))
        else:
            text_block.yaml_set_comment_before_after_key(first, before=DRAFT, indent=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return f"# 由 make next 从 {year} 年度生成：本年的数据已清空，叙述文字沿用上年作为草稿，请逐项更新。\n" + out.getvalue()


def _table_csv(headers: tuple[str, ...], rows: list[dict[str, str]], carried: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") if h in carried else "" for h in headers])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def framework_note(raw: RawInputs, current: m.Framework, year: int) -> str:
    """Which dated version of the unit's framework file scores the new year: picked by date, as validation will."""
    file, _ = parse_yaml(raw.framework, m.FrameworkFile)
    chosen = m.in_force(check_file(raw.framework, file)[0], year) or current
    name = raw.unit.data.get("评价体系")
    if chosen.valid_from != current.valid_from:
        return f"评价体系“{name}”：{year} 年度按 {chosen.valid_from} 起施行的版本评分（上一年度为 {current.valid_from} 版）"
    return (f"评价体系“{name}”：{year} 年度仍按 {chosen.valid_from} 起施行的版本评分；财政部门发布新版本时，"
            "在评价体系文件的“版本”下加入，或把 评价体系 改为新文件名")


def next_year(root: Path, dept: str) -> Created:
    year = resolve(root, dept, None)
    new_year = year + 1
    source, target = unit_dir(root, dept, year), unit_dir(root, dept, new_year)
    if present(target):
        raise ScaffoldError(f"{new_year} 年度已存在：inputs/{dept}/{new_year}/；不会覆盖")
    raw = load(root, dept, year)
    try:
        current = validate(raw).framework
    except InputError as error:
        raise ScaffoldError(f"{year} 年度的数据还不完整（{error.problems[0]} 等 {len(error.problems)} 处），"
                            f"请先填好并通过 make check DEPT={dept}，再生成下一年度") from None
    try:
        files = _next_folder(raw, source, target, dept, year, new_year)
    except OSError as failure:  # inputs/ read-only, the disk full
        raise MachineError(why_not_written(failure, target, "年度目录", "现有年度不受影响")) from None
    if find_workbook(source, f"inputs/{dept}/{year}") is None:
        notes = [f"{TABLES[k].file}：填写本年的 {'、'.join(c for c in t.headers if c not in TABLES[k].carried)}"
                 for k, t in raw.tables.items() if t is not None]
        notes.append("unit.yaml：填写 人员、控制数 的本年数字和 填报日期、评价通知；逐段更新 正文 和 问题清单")
    else:  # kept in Excel: the new year is a workbook too, its tables and 人员、控制数 in its sheets
        book = write_template(root, dept, new_year)
        _forget(book.moved, target)
        files = [f for f in files if f.exists()] + [book.path]
        notes = [f"{book.path.name}：填写各工作表中空着的本年数字（预算执行、人员与控制数等）",
                 "unit.yaml：填写 填报日期、评价通知；逐段更新 正文 和 问题清单"]
    return Created(target, files, [*notes, framework_note(raw, current, new_year)])


def _forget(moved: list[Path], target: Path) -> None:
    """The files the new year's workbook replaced, kept aside by write_template: made a moment ago by next_year, not
    the unit's, so not kept (nor the folders they leave empty)."""
    for path in moved:
        path.unlink(missing_ok=True)
    for folder in sorted({p.parent for p in moved} | {p.parent.parent for p in moved}, key=lambda f: -len(f.parts)):
        if folder != target and folder.is_relative_to(target) and not any(folder.iterdir()):
            folder.rmdir()


def _next_folder(raw: RawInputs, source: Path, target: Path, dept: str, year: int, new_year: int) -> list[Path]:
    staging = staging_folder(target.parent, target.name)  # moved into place only when complete
    try:
        for sub in ("templates", "frameworks"):
            if present(source / sub):
                copy_unit_files(source / sub, staging / sub, source, ())
        text = read_input(source / UNIT_FILE, raw.unit.path, source, MAX_TEXT_BYTES).decode("utf-8-sig")
        (staging / UNIT_FILE).write_text(next_unit_yaml(text, year, new_year), encoding="utf-8")
        files = [target / UNIT_FILE]
        for key, table in raw.tables.items():
            if table is None:
                continue
            spec = TABLES[key]
            (staging / spec.file).write_bytes(_table_csv(table.headers, [cells for _, cells in table.rows], spec.carried))
            files.append(target / spec.file)
        read_yaml(staging / UNIT_FILE, f"inputs/{dept}/{new_year}/{UNIT_FILE}")  # the edited text is still YAML
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files
