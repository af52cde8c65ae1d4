"""What a bureau puts beside the forms it received: 复核设置.yaml (which framework a form is scored under, who signs the
notices) and 应报单位.xlsx / .csv (the units expected to submit)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Location, Problem, raise_if
from ..inputs.yaml_files import read_yaml
from .grid import plain, tidy
from .xlsx_tables import read_xlsx

SETTINGS = "复核设置.yaml"
ROSTERS = ("应报单位.xlsx", "应报单位.csv")
SETTINGS_EXAMPLE = "评价体系: {甲单位自评表.xlsx: national-project-2020}；复核单位: 某市财政局；复核日期: 2025-04-30"


@dataclass
class Settings:
    frameworks: dict[str, str] = field(default_factory=dict)  # form file → framework
    signer: str = "（复核单位）"
    date: dt.date | None = None


@dataclass(frozen=True)
class Expected:
    name: str
    department: str = ""


def settings(folder: Path, frameworks: set[str], forms: set[str]) -> Settings:
    """复核设置.yaml when there is one; every bad entry told at once, with the valid names."""
    path = folder / SETTINGS
    if not path.is_file():
        return Settings()
    data = read_yaml(path, SETTINGS).data or {}
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError([Problem(Location(SETTINGS), "应为“键: 值”的设置", str(data)[:60], SETTINGS_EXAMPLE)])
    chosen = data.get("评价体系") or {}
    if not isinstance(chosen, dict):
        problems.append(Problem(Location(SETTINGS, key="评价体系"), "应为“文件名: 评价体系”的对应表", str(chosen)[:60], SETTINGS_EXAMPLE))
        chosen = {}
    for name, framework in chosen.items():
        if str(name) not in forms:
            problems.append(Problem(Location(SETTINGS, key=f"评价体系.{name}"), "文件夹中没有这个表格文件", str(name),
                                    "文件夹中的表格：" + "、".join(sorted(forms)[:10])))
        if str(framework) not in frameworks:
            problems.append(Problem(Location(SETTINGS, key=f"评价体系.{name}"), "没有这个评价体系", str(framework),
                                    "现有评价体系：" + "、".join(sorted(frameworks))))
    when = data.get("复核日期")
    try:
        when = dt.date.fromisoformat(str(when)) if when is not None and not isinstance(when, dt.date) else when
    except ValueError:
        problems.append(Problem(Location(SETTINGS, key="复核日期"), "不是日期", str(when), "复核日期: 2025-04-30"))
        when = None
    raise_if(problems)
    return Settings({str(k): str(v) for k, v in chosen.items()}, str(data.get("复核单位") or Settings.signer), when)


def roster(folder: Path) -> list[Expected] | None:
    """The units expected to submit, from 应报单位.xlsx or .csv (a 单位名称 column, 主管部门 beside it if wanted)."""
    path = next((folder / name for name in ROSTERS if (folder / name).is_file()), None)
    if path is None:
        return None
    if path.suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")  # saved by Excel on Chinese Windows
        rows = [[tidy(c) for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        rows = [[tidy(c) for c in row.cells] for row in read_xlsx(path, path.name).rows]
    header = next((i for i, row in enumerate(rows) if "单位名称" in map(plain, row)), None)
    if header is None:
        raise InputError([Problem(Location(path.name, key="单位名称"), "没有找到“单位名称”列", hint="第一行写表头：单位名称、主管部门")])
    titles = [plain(c) for c in rows[header]]
    name, department = titles.index("单位名称"), titles.index("主管部门") if "主管部门" in titles else None
    found = [Expected(row[name], row[department] if department is not None and department < len(row) else "")
             for row in rows[header + 1:] if name < len(row) and row[name]]
    return list(dict.fromkeys(found))

