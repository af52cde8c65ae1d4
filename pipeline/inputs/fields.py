"""The value types every input model shares: amounts, points, percentages, counts, years and yes/no settings.

Each is read by the one number reader (cells.py) whether it comes from a CSV cell, a workbook or YAML, a grade
name that could break a table is refused.
"""
from __future__ import annotations

import sys
import types
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.version import VERSION as PYDANTIC_VERSION

from ..limits import MAX_FACT, MAX_PLACES
from .cells import count_text, flag_text, money_text, number_text, percent_text

# upper bounds far above any real figure keep every sum and rounding inside Decimal's 28 digits
Amount = Annotated[Decimal, BeforeValidator(money_text), Field(ge=0, le=MAX_FACT)]
Points = Annotated[Decimal, BeforeValidator(number_text), Field(ge=0, le=10**6)]
Percent = Annotated[Decimal, BeforeValidator(percent_text), Field(ge=0, le=10**6)]
Count = Annotated[int, BeforeValidator(count_text), Field(ge=0, le=10**9)]
Year = Annotated[int, BeforeValidator(count_text), Field(ge=2000, le=2100)]
Flag = Annotated[bool, BeforeValidator(flag_text)]
Places = Annotated[int, BeforeValidator(count_text), Field(ge=2, le=MAX_PLACES)]

# characters Markdown reads as syntax: a grade is printed bare in tables and sentences, so it may hold none of them
# (other names are escaped wherever they are printed)
MARKDOWN_MARKS = "|\\`*_[]<>#{}$~^&@"


def _grade(value: str) -> str:
    bad = sorted({char for char in value if char in MARKDOWN_MARKS or char.isspace()})
    if bad:
        raise ValueError("等级名称只能是文字，不能有空格或符号 " + " ".join(bad))
    return value


GradeName = Annotated[str, AfterValidator(_grade)]


def no_items() -> list:
    """A list field's default. Not `list`: pydantic reads a default factory's signature, and a builtin's only by
    tokenizing its text, which compiles Python's tokenizer patterns as the program starts (5 ms of each command)."""
    return []


def _without_plugins() -> None:
    """pydantic builds every model through its plugin loader, which imports importlib.metadata and reads each installed
    package's entry points to find plugins (15 ms of every command's start); the project uses none, so the loader it
    would import is one that finds none. Only for the pydantic series read for this (constraints.txt pins it): under
    another, its own loader runs."""
    loader = "pydantic.plugin._loader"
    if PYDANTIC_VERSION.startswith("2.14.") and loader not in sys.modules:
        module = types.ModuleType(loader, "pydantic's plugin loader, finding none (pipeline.inputs.fields)")
        module.get_plugins = _no_plugins  # type: ignore[attr-defined]
        sys.modules[loader] = module


def _no_plugins() -> tuple[()]:
    return ()


_without_plugins()


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

