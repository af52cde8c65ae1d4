"""What a rule reads of a unit's data, as structural types: the framework's nodes carry their rules, so the rules sit
below the models of the framework, the unit and the computed figures, and name only the parts they read."""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol


class Node(Protocol):
    """An indicator of the framework."""

    id: str
    name: str
    weight: Decimal

    def __init__(self, *, id: str, name: str, weight: Decimal, rule: Any) -> None: ...  # a composite's part as a node


class Facts(Protocol):
    """A row of indicators.csv, as the unit wrote it."""

    id: str
    name: str
    target: str | None
    comparator: Any
    unit: str
    actual: str | None
    failed_items: int | None
    met_items: str | None
    band: str | None
    score: Decimal | None
    note: str
    shortfall: str

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any: ...


class Framework(Protocol):
    """The parts of the evaluation framework a rule reads."""

    achieved_at: Decimal


class Measure(Protocol):
    """A computed measure: its value and the figures it divides."""

    value: Decimal | None
    numerator: str
    denominator: str
    numerator_value: Decimal | None
    denominator_value: Decimal | None
    unit: str


class Figures(Protocol):
    """The unit's computed figures a rule scores by."""

    measures: Mapping[str, Measure]
    quarters: tuple[Decimal, ...] | None
