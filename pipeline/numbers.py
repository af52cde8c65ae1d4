"""Exact decimal arithmetic and the way these reports print numbers (DOMAIN §5)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# a rate is kept to 0.01% (four decimals of the fraction), as it is printed
RATE_STEP = Decimal("0.0001")
NOT_A_NUMBER = "—"
# the money units and their worth in 元
MONEY = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}


def to_decimal(value: object) -> Decimal:
    """Exact decimal from text or an int; floats go through str so 12.3 stays 12.3."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation(value)
    if isinstance(value, float):
        value = repr(value)
    return Decimal(str(value).strip())


def q2(value: Decimal) -> Decimal:
    """Round half up to 2 decimals (四舍五入)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator rounded to 0.01%, or None when the base is zero or missing."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return (numerator / denominator).quantize(RATE_STEP, rounding=ROUND_HALF_UP)


def step(places: int) -> Decimal:
    """The smallest printed amount at this many decimals: 2 → 0.01."""
    return Decimal(1).scaleb(-places)


def to_places(value: Decimal, places: int = 2) -> Decimal:
    """An amount rounded half up to the decimals a unit prints (2 by default)."""
    return value.quantize(step(places), rounding=ROUND_HALF_UP)


def money(value: Decimal | None, separators: bool = False, places: int = 2) -> str:
    if value is None:
        return NOT_A_NUMBER
    return f"{to_places(value, places):{',' if separators else ''}.{places}f}"


def with_unit(value: Decimal, unit: str, separators: bool = False, places: int = 2) -> str:
    """A figure in its own unit as printed: an amount of money with its decimals (70.00万元), a count as it is (61人)."""
    return (money(value, separators, places) if unit in MONEY else plain(value)) + unit


def percent(rate: Decimal | None) -> str:
    """A fraction as a percentage with 2 decimals: 0.9822 → 98.22%."""
    if rate is None:
        return NOT_A_NUMBER
    return f"{q2(rate * HUNDRED):.2f}%"


def score(value: Decimal | None) -> str:
    if value is None:
        return NOT_A_NUMBER
    return f"{q2(value):.2f}"


def plain(value: Decimal | None) -> str:
    """A count or a value as entered, without trailing zeros: 34, 12.5."""
    if value is None:
        return NOT_A_NUMBER
    text = format(value.normalize(), "f")
    return text
