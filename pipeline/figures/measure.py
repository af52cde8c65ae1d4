"""A measure as computed: its value, what it divides, and for a defined one its label, formula and source."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Measure:
    name: str
    value: Decimal | None  # a fraction: 0.9822 is 98.22%
    numerator: str
    denominator: str
    numerator_value: Decimal | None
    denominator_value: Decimal | None
    unit: str = "%"  # “%”: value is a fraction, printed ×100; else the value itself in this unit
    what: str = ""  # a defined measure: its label, formula and source

    @property
    def available(self) -> bool:
        return self.numerator_value is not None and self.denominator_value is not None

    @property
    def described(self) -> str:
        return self.what or f"{self.numerator}/{self.denominator}"
