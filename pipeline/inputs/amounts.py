"""Amounts as the unit prints them, and rows that must be there once.

One rule for amounts: every amount is exact at the unit's 金额小数位 (2 by default, up to 4 for 万元 kept to the
元). An amount with more decimals than that is refused, never rounded behind the user's back, so every table
prints its rows as entered and its 合计 as their exact sum: printed rows always add up to the printed total.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, get_args

from pydantic import BaseModel

from .. import codes as k
from ..errors import Location, Problem, nth_line
from ..limits import MAX_PLACES
from .cells import money_text

# the tables whose rows are one sub-unit, source or category each (a name twice would be summed twice): the column
# that names a row, and the attributes that together say which row it is
ROW_NAMES = {"budget": ("单位名称", ("name",)), "funds": ("资金来源", ("source_name", "nature")),
             "spending": ("支出分类", ("category",))}


def _is_amount(annotation: Any, metadata: Sequence[Any] = ()) -> bool:
    found = list(metadata) + list(getattr(annotation, "__metadata__", ()))
    if any(getattr(item, "func", None) is money_text for item in found):
        return True
    return any(_is_amount(arg) for arg in get_args(annotation))


def amounts(record: BaseModel, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Decimal]]:
    """Every amount in a model and the models inside it, with its key path (aliases, as the file spells them)."""
    for name, field in type(record).model_fields.items():
        value, key = getattr(record, name), path + (field.alias or name,)
        if isinstance(value, BaseModel):
            yield from amounts(value, key)
        elif isinstance(value, Decimal) and _is_amount(field.annotation, field.metadata):
            yield key, value


def decimals(value: Decimal) -> int:
    """Decimals the amount needs, trailing zeros aside: 1.500 → 1, 1.005 → 3."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _too_precise(value: Decimal, places: int) -> tuple[str, str] | None:
    """(message, hint) when the amount has more decimals than the unit prints."""
    needed = decimals(value)
    if needed <= places:
        return None
    message = f"金额有 {needed} 位小数，多于本单位的金额小数位 {places}"
    if needed <= MAX_PLACES:
        return message, f"请按 {places} 位小数填写，或在 unit.yaml 设 金额小数位: {needed}（金额按此列示和合计）"
    return message, f"金额最多保留 {MAX_PLACES} 位小数（万元精确到元）；请四舍五入后填写，并在 unit.yaml 设 金额小数位: {MAX_PLACES}"


def check_places(places: int, unit: BaseModel, unit_file: str, unit_lines: dict[tuple, int],
                 tables: dict[str, list[tuple[int, BaseModel]]], files: dict[str, str]) -> list[Problem]:
    """Every amount, in unit.yaml and in each table, that the unit's printed precision cannot show exactly."""
    problems = []
    for key, value in amounts(unit):
        if found := _too_precise(value, places):
            problems.append(Problem(Location(unit_file, unit_lines.get(key), ".".join(key)), found[0], str(value), found[1],
                                    k.BAD_NUMBER))
    for table, rows in tables.items():
        for line, row in rows:
            for key, value in amounts(row):
                if found := _too_precise(value, places):
                    problems.append(Problem(Location(files[table], line, key[-1]), found[0], str(value), found[1],
                                            k.BAD_NUMBER))
    return problems


def check_duplicates(tables: dict[str, list[tuple[int, BaseModel]]], files: dict[str, str]) -> list[Problem]:
    """A sub-unit, source or category named on two rows (its amounts would be counted twice): an error naming both."""
    problems = []
    for table, (column, attributes) in ROW_NAMES.items():
        first: dict[tuple[str, ...], int] = {}
        for line, row in tables.get(table, ()):
            name = tuple(" ".join(str(getattr(row, a)).split()) for a in attributes)
            if name in first:
                problems.append(Problem(Location(files[table], line, column), f"与{nth_line(first[name])}重复", name[0],
                                        "同一名称只能有一行：请合并这两行的金额，或改用能区分的名称", k.DUPLICATE_ROW))
            else:
                first[name] = line
    return problems
