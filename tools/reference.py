"""docs/reference.md, written from the code's own tables: the rule types (as `make rules` lists them), the keys of
unit.yaml and the columns of the tables (the input models), the report blocks (as `make blocks` lists them), the
review rules, the codes of problems and findings, and the limits. `python -m tools.reference` rewrites it;
tests/test_docs.py fails when it is stale.

Nothing here is typed twice: a key's description is its model's field description or the comment on its line."""
from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from pipeline import codes, limits
from pipeline.inputs import models, review_rules
from pipeline.tools.rule_listing import rules_listing
from pipeline.tools.scaffold import blocks_listing

TARGET = Path("docs") / "reference.md"
HEADER = """# 参考 / Reference

本文由 `python -m tools.reference`（`make reference`）按代码中的定义生成，请勿手改；代码改了之后重新生成，
`tests/test_docs.py` 检查它与代码一致。使用说明见 [guide.md](guide.md)，规则的算例见 [rules.md](rules.md)。
"""
# the models of unit.yaml and of the tables, in the order a reader meets them
UNIT_MODELS = (models.Unit, models.Staffing, models.Controls, models.Declared, models.Published, models.Issue)
TABLE_MODELS = (("budget.csv / 工作表“预算执行”", models.BudgetRow), ("funds.csv / 工作表“项目资金”", models.FundRow),
                ("spending.csv / 工作表“支出分类”", models.SpendingRow),
                ("indicators.csv / 工作表“指标”", models.IndicatorFacts))
_COMMENT = re.compile(r"^\s+(\w+):.*?#\s*(.+)$")
_LIMIT = re.compile(r"^([A-Z][A-Z0-9_]*) = (.+?)\s+#\s*(.+)$")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _comments(model: type) -> dict[str, str]:
    """The comment at the end of each field's line in the model's source, by field name."""
    found = {}
    for line in inspect.getsource(model).splitlines():
        match = _COMMENT.match(line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def _default(info) -> str:
    if info.is_required():
        return "必填"
    if info.default_factory is not None or info.default in (None, "") or info.default is PydanticUndefined:
        return ""
    value = info.default
    return f"默认 {str(value).lower() if isinstance(value, bool) else value}"


def _nested(info) -> str:
    """What a key without a comment takes: a nested model, or one of a few words."""
    inner = info.annotation
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return f"见 {inner.__name__}"
    words = [arg for part in (get_args(inner) or (inner,)) if get_origin(part) is Literal for arg in get_args(part)]
    if get_origin(inner) is Literal:
        words = list(get_args(inner))
    return "可选：" + "、".join(map(str, words)) if words else ""


def model_table(model: type[BaseModel]) -> list[str]:
    comments = _comments(model)
    lines = ["| 键 | 必填或默认 | 说明 |", "| --- | --- | --- |"]
    for name, info in model.model_fields.items():
        note = info.description or comments.get(name, "") or _nested(info)
        lines.append(f"| `{info.alias or name}` | {_default(info)} | {_cell(note)} |")
    return lines


def _doc(model: type) -> list[str]:
    text = " ".join((model.__doc__ or "").split())
    return [text, ""] if text else []


def unit_section() -> list[str]:
    lines = ["## unit.yaml 的键", "", "取自 `pipeline/inputs/models.py`（说明为字段所在行的注释）。", ""]
    for model in UNIT_MODELS:
        lines += [f"### {model.__name__}", ""] + _doc(model) + model_table(model) + [""]
    lines += ["## 数据表的列", ""]
    for title, model in TABLE_MODELS:
        lines += [f"### {title}", ""] + _doc(model) + model_table(model) + [""]
    return lines


def review_section() -> list[str]:
    lines = ["## 复核规则", "", ("取自 `pipeline/inputs/review_rules.py`；评价体系在 `复核规则` 中选规则集、改级别"
             "（见 [rules.md](rules.md#复核规则评价体系遵循哪套复核规则)）。"), ""]
    for name, rules in review_rules.SETS.items():
        lines += [f"### 规则集：{name}", "", "| 规则 | 代码 | 级别 | 依据 | 适用 |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {_cell(r.name)} | `{r.code}` | {r.severity} | {_cell(r.basis)} | {'、'.join(r.kinds)} |"
                  for r in rules]
        lines.append("")
    return lines


def codes_section() -> list[str]:
    """Every code a problem, finding or difference carries: those of pipeline/codes.py, then the review rules'."""
    lines = ["## 代码", "", ("每一类问题、发现和不一致都有一个不变的代码（`checks.json` 的“代码”，可据此筛选）；取自"
             " `pipeline/codes.py` 和 `pipeline/inputs/review_rules.py`。"), "", "| 代码 | 种类 | 含义 |",
             "| --- | --- | --- |"]
    lines += [f"| `{code}` | {kind} | {_cell(meaning)} |" for code, (kind, meaning) in codes.CODES.items()]
    lines += [f"| `{code}` | 复核 | {_cell(name)} |" for code, name in review_rules.RULE_CODES.items()]
    return lines + [""]


def limits_section() -> list[str]:
    """Each limit of pipeline/limits.py as written there, with the reason on its line, under its group's comment."""
    lines = ["## 上限", "", "取自 `pipeline/limits.py`：每项的值照代码中的写法，理由为该行的注释。", ""]
    table_open = False
    for line in inspect.getsource(limits).splitlines():
        if line.startswith("# "):
            lines += ([""] if table_open else []) + [f"### {line[2:].strip()}", "", "| 名称 | 值 | 理由 |",
                                                     "| --- | --- | --- |"]
            table_open = True
            continue
        match = _LIMIT.match(line)
        if match:
            name, value, reason = match.groups()
            lines.append(f"| `{name}` | `{value}` | {_cell(reason)} |")
    return lines + [""]


def listing(title: str, command: str, text: str) -> list[str]:
    return [f"## {title}", "", f"即 `{command}` 的输出。", "", "```text", text.rstrip("\n"), "```", ""]


def reference() -> str:
    lines = [HEADER]
    lines += listing("评分规则类型及参数", "make rules", rules_listing())
    lines += unit_section()
    lines += listing("报告模板的块", "make blocks", blocks_listing())
    lines += review_section()
    lines += codes_section()
    lines += limits_section()
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.reference", description="按代码生成 docs/reference.md")
    parser.add_argument("--root", type=Path, default=Path("."), help="项目目录（默认当前目录）")
    args = parser.parse_args(argv)
    target = args.root / TARGET
    target.write_text(reference(), encoding="utf-8")
    print(f"已写出 {TARGET.as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
