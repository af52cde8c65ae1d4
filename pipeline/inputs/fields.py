"""The value types every input model shares: amounts, points, percentages and counts, read by the cell normalisers."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .cells import money_text, number_text, percent_text

# upper bounds far above any real figure keep every sum and rounding inside Decimal's 28 digits
Amount = Annotated[Decimal, BeforeValidator(money_text), Field(ge=0, le=10**12)]
Points = Annotated[Decimal, BeforeValidator(number_text), Field(ge=0, le=10**6)]
Percent = Annotated[Decimal, BeforeValidator(percent_text), Field(ge=0, le=10**6)]
Count = Annotated[int, BeforeValidator(number_text), Field(ge=0, le=10**9)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

