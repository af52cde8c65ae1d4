"""What templates see is plain data only: the run's models and results turned, once per run, into str, int, Decimal,
bool, None, and tuples and dicts of them; a place (Location) becomes its one text. No template can reach a method of
ours or of pydantic (they read files, unpickle and evaluate text), so what a template can do is limited to what the
sandbox allows on these few types.

Field names stay as the templates know them (unit.name, b.points, leaf.outcome.reason); properties become entries
(b.lost, f.spent_rate); the few methods templates used become entries too (b.leaves, scores.leaves,
scores.deductions, row.target_text); dates become their ISO text (2024-04-15), as templates printed them."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..errors import Location
from ..figures.catalogue import target_text
from ..figures.quantity import Quantity
from ..figures.score import Scored, Scores
from ..inputs import models as m

# bool is an int, listed for the reader; a Quantity is a frozen number with its unit (figures/quantity.py)
PLAIN_TYPES = (str, int, Decimal, bool, type(None), tuple, dict, Quantity)
# what templates used to call on our objects, as entries of the same name
DERIVED: dict[type, dict[str, Callable[[Any], Any]]] = {
    Scored: {"leaves": Scored.leaves, "every_child": Scored.every_child},
    Scores: {"leaves": Scores.leaves, "deductions": Scores.deductions},
    m.IndicatorFacts: {"target_text": target_text},
}


def plain(value: Any) -> Any:
    """`value` as plain data: each object once (an object met twice is the same dict both times), so the leaves a
    block lists are the very leaves its children hold."""
    return _convert(value, {})


def _convert(value: Any, done: dict[int, tuple[Any, Any]]) -> Any:
    """`done`: id → (the object, kept alive so its id is not reused; its plain form)."""
    if value is None or isinstance(value, (str, bool, int, Decimal)):
        return _scalar(value)
    if type(value) is Quantity:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if type(value) is Location:
        return str(value)
    known = done.get(id(value))
    if known is not None:
        return known[1]
    if isinstance(value, dict):
        result: Any = {str(k): _convert(v, done) for k, v in value.items()}
    elif isinstance(value, (list, tuple)):
        result = tuple(_convert(v, done) for v in value)
    elif isinstance(value, BaseModel) or dataclasses.is_dataclass(value):
        result = _record(value, done)
    else:
        raise TypeError(f"no plain form for {type(value).__name__}")  # a new kind of data: give it one here
    done[id(value)] = (value, result)
    return result


def _record(value: Any, done: dict[int, tuple[Any, Any]]) -> dict[str, Any]:
    kind: type = type(value)
    record = {name: _convert(getattr(value, name), done) for name in _names(kind)}
    if isinstance(value, Scored) and not value.children:
        return {**record, "leaves": (dict(record),)}  # a leaf lists itself, as a copy: plain data has no cycles
    for name, derive in DERIVED.get(kind, {}).items():
        record[name] = _convert(derive(value), done)
    return record


@functools.cache
def _names(kind: type) -> tuple[str, ...]:
    """A model's or dataclass's fields, then the properties our own classes define on it."""
    if issubclass(kind, BaseModel):
        names = list(kind.model_fields)
    elif dataclasses.is_dataclass(kind):
        names = [f.name for f in dataclasses.fields(kind)]
    else:
        raise TypeError(f"no plain form for {kind.__name__}")
    names += [name for cls in kind.__mro__ if cls.__module__.startswith("pipeline.")
              for name, member in vars(cls).items() if isinstance(member, property) and not name.startswith("_")]
    return tuple(dict.fromkeys(names))


def _scalar(value: Any) -> Any:
    """Subclasses of the plain types (a str enum, Markup) as the plain type itself."""
    if value is None or type(value) in (str, bool, int, Decimal):
        return value
    if isinstance(value, bool):
        return bool(value)
    for kind in (str, int, Decimal):
        if isinstance(value, kind):
            return kind(value)
    raise TypeError(type(value).__name__)
