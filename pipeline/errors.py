"""One exception family for problems in a unit's input, reported all at once."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the file allows."""

    file: str
    where: str  # "第3行" for a CSV row or YAML line, or "" when the whole file is concerned
    field: str  # column or key path
    message: str
    value: str | None = None
    hint: str = ""  # what a valid value looks like

    def __str__(self) -> str:
        place = ":".join(part for part in (self.file, self.where, self.field) if part)
        text = f"{place}: {self.message}"
        if self.value is not None:
            text += f"（当前值：{self.value!r}）" if self.value != "" else "（当前为空）"
        if self.hint:
            text += f"；{self.hint}"
        return text


class InputError(Exception):
    """The input cannot be turned into a report; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def report(self) -> str:
        lines = [f"输入有误，共 {len(self.problems)} 处，未生成任何文件："]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        return "\n".join(lines)


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)
