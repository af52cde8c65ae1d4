"""CSV files as Excel and WPS save them: UTF-8 with or without BOM, or GBK; each row with its line number."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem, nth_line


@dataclass(frozen=True)
class Table:
    path: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line number, cells by header)




def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", raw, 0, 1, "neither UTF-8 nor GB18030")


def read_csv(path: Path, shown: str) -> Table:
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        raise InputError([Problem(shown, "", "", "无法识别文件编码", hint="请另存为 UTF-8 或 GBK 编码的 CSV")]) from None
    # a file passed twice through a BOM-adding program keeps a second BOM that would stick to the first header
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    records = [(reader.line_num, row) for row in reader]
    if not records:
        raise InputError([Problem(shown, "", "", "文件为空，缺少表头行")])
    headers = tuple(cell.strip() for cell in records[0][1])
    while headers and not headers[-1]:
        headers = headers[:-1]
    problems = [Problem(shown, "第1行", h, "列名重复", hint="每列的表头应不同") for i, h in enumerate(headers)
                if h and h in headers[:i]]
    rows = []
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        used = len(cells)
        while used and not cells[used - 1].strip():
            used -= 1
        if used > len(headers):
            problems.append(Problem(shown, nth_line(line), "", f"这一行有 {used} 格，比表头多 {used - len(headers)} 格",
                                    hint="数字中的千分位逗号要加引号（如 \"1,775.96\"）或去掉，文字中的逗号也要加引号"))
        rows.append((line, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers)}))
    if problems:
        raise InputError(problems)
    return Table(shown, headers, tuple(rows))

