"""Imported data as a unit's files: written to a scratch project, run through the normal load and validate, then put in place.

Problems the normal checks find in the scratch files are told back at the form's own rows, so the user
corrects the document they have, not files that were never written.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import yaml

from ..errors import InputError, Location, Problem, ScaffoldError
from ..inputs.files import area, present, read_input, writable
from ..inputs.load import NAME, YEARS, load, unit_dir
from ..inputs.validate import validate
from ..limits import MAX_TEXT_BYTES
from ..run import Result, check
from ..tools.scaffold import RESERVED, default_year
from ..write import create

T = TypeVar("T")

# a column of the written files → the column of the form it came from
FORM_COLUMNS = {"权重": "分值", "目标值": "年度指标值", "比较符": "年度指标值", "计量单位": "年度指标值", "实际值": "实际完成值",
                "档次": "得分", "自评得分": "得分", "指标名称": "三级指标", "说明": "偏差原因", "偏差原因": "偏差原因",
                "年初预算数": "年初预算数", "全年预算数": "全年预算数", "已支出": "全年执行数", "到位数": "全年预算数"}


@dataclass(frozen=True)
class Note:
    """Something the import assumed or found, at the form's row it concerns; Location("") when it concerns the whole form."""

    text: str
    where: Location = Location("")

    def __str__(self) -> str:
        return f"{self.where}：{self.text}" if str(self.where) else self.text


@dataclass
class Draft:
    """A unit's files before they exist: names relative to inputs/<dept>/<year>/, and where each row came from."""

    source: str  # the document's name, as shown in messages
    dept: str
    year: int
    framework: str  # the framework's name; its file is the unit's own (in files) or a shared one
    files: dict[str, bytes] = field(default_factory=dict)
    origins: dict[tuple[str, int], Location] = field(default_factory=dict)  # (file, line) → the form's row
    places: dict[str, Location] = field(default_factory=dict)  # unit.yaml key (已公布.总分) → the form's row it was read from
    notes: list[Note] = field(default_factory=list)  # what the import assumed or found, for the user
    unread: list[str] = field(default_factory=list)  # cells of the document no field took: where and what
    sums: tuple[Decimal, Decimal] | None = None  # the printed total and the sum of the printed scores, for review
    weight_gaps: int = 0  # weights printed on the form that differ from the framework's


class _Dumper(yaml.SafeDumper):
    """Numbers as plain decimals, multi-line text as a block: the YAML a person would type."""


# tagged as the plain scalar resolves (int or float), so it is written bare; the tool reads it back as exact text
_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:" + ("float" if "." in format(v, "f") else "int"), format(v, "f")))
_Dumper.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|" if "\n" in v else None))


def yaml_bytes(data: dict, comment: str) -> bytes:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
    return ("".join(f"# {line}\n" for line in comment.splitlines()) + text).encode("utf-8")


def csv_bytes(headers: list[str], rows: list[dict[str, object]]) -> bytes:
    """A UTF-8 CSV with one physical line a row, so row n of the data is line n + 1 of the file."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([" ".join(str(row.get(h, "") if row.get(h) is not None else "").split()) for h in headers])
    return stream.getvalue().encode("utf-8")


def neutral(text: str) -> str:
    """Text from a document kept as text: {{ and {% would be read as a quoted figure or a template tag."""
    return text.replace("{{", "｛｛").replace("{%", "｛%").replace("{#", "｛#")


def check_target(root: Path, dept: str, year: int) -> None:
    if not NAME.fullmatch(dept) or dept in RESERVED:
        raise ScaffoldError(f"单位代号“{dept}”不合法：只能使用字母、数字、连字符 - 和下划线 _（且不能是 "
                            f"{'、'.join(sorted(RESERVED))}），例如 baiyun 或 city-cdc")
    if year not in YEARS:
        raise ScaffoldError(f"年度 {year} 不合理：应为 {YEARS[0]}–{YEARS[-1]} 之间的四位数年度，例如 {default_year()}；"
                            "可以不写 YEAR，按表中写明的年度导入")
    writable(unit_dir(root, dept, year), root / "inputs")  # never written through a link (to another unit, out of inputs/)
    if present(unit_dir(root, dept, year)):
        raise ScaffoldError(f"inputs/{dept}/{year}/ 已存在，导入不会覆盖现有单位；换一个代号（DEPT=…）或年度（YEAR=…）")


def origin(at: Location, draft: Draft) -> Location | None:
    """The document's row a place in the scratch files was written from (its file, as shown, ends in the file's name)."""
    return draft.origins.get((at.file.rsplit("/", 1)[-1], at.line or 0))


def relocate(problem: Problem, draft: Draft) -> Problem:
    """A problem in a scratch file told at the document's row it came from, when it came from one."""
    at = problem.where
    found = origin(at, draft)
    if found is None:
        return problem
    return replace(problem, where=replace(found, file=draft.source, key=FORM_COLUMNS.get(at.key, at.key)))


def _scratch(root: Path, draft: Draft, scratch: Path) -> None:
    shared = root / "inputs" / "frameworks" / f"{draft.framework}.yaml"
    (scratch / "inputs" / "frameworks").mkdir(parents=True)
    if f"frameworks/{draft.framework}.yaml" not in draft.files and present(shared):
        data = read_input(shared, f"inputs/frameworks/{shared.name}", area(root / "inputs", "frameworks"), MAX_TEXT_BYTES)
        (scratch / "inputs" / "frameworks" / shared.name).write_bytes(data)
    folder = unit_dir(scratch, draft.dept, draft.year)
    for name, content in draft.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)


def _in_scratch(root: Path, draft: Draft, run: Callable[[Path], T]) -> T:
    """`run` over a scratch project holding the draft; its problems told at the document's rows."""
    with tempfile.TemporaryDirectory(prefix="import-") as scratch:
        _scratch(root, draft, Path(scratch))
        try:
            return run(Path(scratch))
        except InputError as error:
            # two columns written from one cell of the form (到位数 from 全年预算数) give one message there
            raise InputError(list(dict.fromkeys(relocate(p, draft) for p in error.problems))) from None


def trial(root: Path, draft: Draft) -> Result:
    """The draft checked as `make check` would check it; a form's empty row is refused."""
    return _in_scratch(root, draft, lambda scratch: check(scratch, draft.dept, draft.year, draft=False))


def readable(root: Path, draft: Draft) -> None:
    """The draft loaded and validated only, before the data its scores need are filled in."""
    _in_scratch(root, draft, lambda scratch: validate(load(scratch, draft.dept, draft.year)))


def put_in_place(root: Path, draft: Draft) -> list[Path]:
    """The unit's folder created whole; an existing one is never touched."""
    check_target(root, draft.dept, draft.year)
    dept_folder = root / "inputs" / draft.dept
    try:
        if dept_folder.exists():
            return create(draft.files, dept_folder / str(draft.year))
        return create({f"{draft.year}/{name}": content for name, content in draft.files.items()}, dept_folder)
    except FileExistsError:
        raise ScaffoldError(f"inputs/{draft.dept}/{draft.year}/ 已存在，导入不会覆盖现有单位") from None
