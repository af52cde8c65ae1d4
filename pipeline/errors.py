"""One exception family: every expected failure is a PipelineError that the command line prints without a traceback.

Exit codes: 2 when the user's input or template is at fault, 1 when the machine is (a program or font missing,
the disk full). Anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .codes import INVALID_INPUT

SHOWN_VALUE = 200  # characters of a bad value a message quotes: a 30,000-character cell is not repeated whole


def nth_line(number: int | None) -> str:
    """A row of a table or a line of a YAML file as users read it: 第3行 (empty when unknown)."""
    return f"第{number}行" if number else ""


@dataclass(frozen=True)
class Location:
    """A place in a unit's files as users find it; `str()` is the one way a place is written (console, checks.md, web)."""

    file: str  # as shown: inputs/huadu/2023/indicators.csv, or a workbook's name; "" when no file is concerned
    line: int | None = None  # a table's row or a YAML file's line, counted as editors count
    key: str = ""  # a YAML key path or a table's column header
    sheet: str = ""  # the worksheet, when file is a workbook
    column: str = ""  # the column's letter in that worksheet
    table: int | None = None  # the table's number in a Word or PDF document (表4)

    def __str__(self) -> str:
        if self.sheet:  # as Excel shows it: 数据.xlsx 工作表“指标”第5行 E列（目标值，单元格 E5）
            row = f"工作表“{self.sheet}”{nth_line(self.line)}"
            if not self.column:
                cell = f"“{self.key}”列" if self.key else ""
            elif self.line:
                cell = f"{self.column}列（{self.key + '，' if self.key else ''}单元格 {self.column}{self.line}）"
            else:
                cell = f"{self.column}列（{self.key}）"
            return " ".join(p for p in (self.file, row, cell) if p)
        row = f"表{self.table}{nth_line(self.line)}" if self.table is not None else nth_line(self.line)
        return " ".join(p for p in (self.file, row, self.key) if p)

    def fields(self) -> dict[str, Any]:
        """The place for machines (checks.json, check --json): each part on its own, with the text people read."""
        parts = {"文件": self.file, "行": self.line, "键或列": self.key, "工作表": self.sheet, "列号": self.column,
                 "表号": self.table}
        return {"文字": str(self)} | {name: value for name, value in parts.items() if value not in ("", None)}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the file allows, of a kind named by a stable code."""

    where: Location
    message: str
    value: str | None = None
    hint: str = ""  # what a valid value looks like
    code: str = INVALID_INPUT  # the kind of problem, short and stable (pipeline/codes.py)

    def __str__(self) -> str:
        text = f"{self.where}：{self.message}" if str(self.where) else self.message
        if self.value is not None:
            more = f"…，共 {len(self.value)} 个字符" if len(self.value) > SHOWN_VALUE else ""
            text += f"（当前值：{self.value[:SHOWN_VALUE]!r}{more}）" if self.value != "" else "（当前为空）"
        if self.hint:
            text += f"；{self.hint}"
        return text


class PipelineError(Exception):
    """The root of every failure the tool expects; `report()` is the text for the user, in Chinese."""

    exit_code = 2

    def report(self) -> str:
        return str(self)


class InputError(PipelineError):
    """The input cannot be turned into a report; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def report(self) -> str:
        lines = [f"输入有误，共 {len(self.problems)} 处，未生成任何文件："]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        return "\n".join(lines)


def problems_json(passed: bool, errors: list[Problem], warnings: list[Problem]) -> str:
    """What `check --json` prints: every problem with its code, so that a program can filter them by kind."""
    def one(level: str, problem: Problem) -> dict[str, Any]:
        return {"代码": problem.code, "级别": level, "说明": problem.message, "当前值": problem.value,
                "示例": problem.hint, "位置": problem.where.fields(), "文字": str(problem)}
    listed = [one("错误", p) for p in errors] + [one("警告", p) for p in warnings]
    return json.dumps({"通过": passed, "问题": listed}, ensure_ascii=False, indent=2)


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)


class TemplateError(PipelineError):
    """A template could not be rendered: names the template, its line and what went wrong."""

    def report(self) -> str:
        return f"模板错误：{self}"


class ScaffoldError(PipelineError):
    """A scaffolding command was refused; nothing was created."""

    def report(self) -> str:
        return f"{self}；未创建任何文件。"


class MachineError(PipelineError):
    """This machine lacks something the run needs (a program, a font, room on disk); the unit's files are fine."""

    exit_code = 1

    def report(self) -> str:
        return f"无法生成：{self}；未写入任何文件。"


class FormatUnavailable(MachineError):
    """A requested output format needs a program that is not installed."""


class OverLimit(PipelineError):
    """A unit's run went past a limit of time or memory (pipeline/limits.py); nothing was written."""

    def report(self) -> str:
        return str(self)


class OutOfTime(OverLimit):
    """A unit's run used up its time budget."""


class BadSetting(PipelineError):
    """The time limit given on the command line or in the environment is not a number of seconds."""
