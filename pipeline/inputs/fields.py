"""The value types every input model shares: amounts, points, percentages, counts, years and yes/no settings.

Each is read by the one number reader (cells.py) whether it comes from a CSV cell, a workbook or YAML, a grade
name that could break a table is refused.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

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


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

