"""The unit's own particulars (name, who filled it in, the date…) edited on its page: each a top-level line of
unit.yaml rewritten alone, every other line and comment kept, so an officer never opens the file."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Location, Problem
from ..importer.write_unit import yaml_bytes
from ..inputs.load import UNIT_FILE
from ..inputs.yaml_files import read_yaml
from ..limits import MAX_PARTICULAR_CHARS
from .narrative import TEXT_KEY, replaced, write_lines

# (key, what the page says about it, an example); the project ones only for a project's report
COMMON = (("单位名称", "单位全称，印在封面和落款", "白云区卫生健康局"),
          ("评价通知", "开展自评的通知名称和文号", "《关于开展2024年度绩效自评工作的通知》（某财绩〔2025〕1号）"),
          ("填报人", "", "张三"), ("单位负责人", "", "李四"), ("联系电话", "", "020-12345678"),
          ("填报日期", "年-月-日", "2025-03-31"))
PROJECT = (("项目名称", "", "基本公共卫生服务"), ("主管部门", "", "白云区卫生健康局"),
           ("实施单位", "", "白云区疾病预防控制中心"), ("项目负责人", "", "王五"))


def fields(folder: Path) -> list[tuple[str, str, str, str]]:
    """(key, hint, example, the value written) for every particular the unit's kind of report prints."""
    data = read_yaml(folder / UNIT_FILE, UNIT_FILE, folder).data
    wanted = COMMON + (PROJECT if data.get("报告类型") == "project" else ())
    return [(key, hint, example, "" if data.get(key) is None else str(data.get(key))) for key, hint, example in wanted]


def save(folder: Path, given: dict[str, str]) -> None:
    """Each particular given replaces its line (added before 正文 when the unit had none; removed when emptied)."""
    known = {key for key, *_ in fields(folder)}
    problems = [Problem(Location(UNIT_FILE, key=key), f"不能超过 {MAX_PARTICULAR_CHARS} 个字", value[:40] + "…")
                for key, value in given.items() if key in known and len(value) > MAX_PARTICULAR_CHARS]
    if problems:
        raise InputError(problems)
    lines = (folder / UNIT_FILE).read_text(encoding="utf-8-sig").splitlines()
    for key, value in given.items():
        if key not in known:
            continue
        value = " ".join(value.split())  # one line: a particular has no line breaks
        written = yaml_bytes({key: value}, "").decode("utf-8").splitlines() if value else []
        lines = replaced(lines, key, written, before=TEXT_KEY)
    write_lines(folder, lines, "单位信息")
