"""What a rule reads of a unit's data, as structural types: the framework's nodes carry their rules, so the rules sit
below the models of the framework, the unit and the computed figures, and name only the parts they read. Each part is
read-only (a property), so the frozen models and dataclasses that hold them fit."""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol


class Node(Protocol):
    """An indicator of the framework."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def weight(self) -> Decimal: ...

    def __init__(self, *, id: str, name: str, weight: Decimal, rule: Any) -> None: ...  # a composite's part as a node


class Facts(Protocol):
    """A row of indicators.csv, as the unit wrote it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def target(self) -> str | None: ...
    @property
    def comparator(self) -> Any: ...
    @property
    def unit(self) -> str: ...
    @property
    def actual(self) -> str | None: ...
    @property
    def failed_items(self) -> int | None: ...
    @property
    def met_items(self) -> str | None: ...
    @property
    def band(self) -> str | None: ...
    @property
    def score(self) -> Decimal | None: ...
    @property
    def note(self) -> str: ...
    @property
    def shortfall(self) -> str: ...
    @property
    def situations(self) -> str | None: ...  # which zeroing situations occurred (read where zeroing is applied)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any: ...


class Framework(Protocol):
    """The parts of the evaluation framework a rule reads."""

    @property
    def achieved_at(self) -> Decimal: ...


class Measure(Protocol):
    """A computed measure: its value and the figures it divides."""

    @property
    def value(self) -> Decimal | None: ...
    @property
    def numerator(self) -> str: ...
    @property
    def denominator(self) -> str: ...
    @property
    def numerator_value(self) -> Decimal | None: ...
    @property
    def denominator_value(self) -> Decimal | None: ...
    @property
    def unit(self) -> str: ...


class Figures(Protocol):
    """The unit's computed figures a rule scores by."""

    @property
    def measures(self) -> Mapping[str, Measure]: ...
    @property
    def quarters(self) -> tuple[Decimal, ...] | None: ...
