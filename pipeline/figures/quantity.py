"""A figure with its unit — 3.60 万元, 98.22 %, 120 人, 300 元/人 — as the narrative quotes it: printed with its unit,
converted between 元, 万元 and 亿元, and computed with others by the rules of units (人 × 元/人 → 元; 万元 + 元 in
万元; 万元 / 万元 → %; a % of an amount is an amount). A sum of unlike units, or a product that means nothing (人 × 人),
is refused with a message in Chinese; so is a result too large for any report."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from .. import numbers as n
from ..inputs.kinds import UNIT_SHEETS

# the one table of units: how many 元 one of each money unit is
MONEY = n.MONEY
PERCENT = "%"
POINTS = "分"
LARGEST = Decimal("1e18")  # no figure of a budget unit comes near it; bigger is a runaway computation


class QuantityError(ArithmeticError):
    """A computation with units that has no meaning, said in Chinese."""


def _family(unit: str) -> str:
    return "金额" if unit in MONEY else unit


@dataclass(frozen=True)
class Quantity:
    amount: Decimal
    unit: str  # 万元, 元, 亿元, %, 分, 人, 元/人 …
    places: int = 2  # decimals an amount in 万元 or 亿元 prints with (the unit's 金额小数位)
    separators: bool = False  # thousands separators in amounts (the unit's 金额千分位)
    decimals: int | None = None  # decimals of a % or 分 as entered (100%); None: 2 (98.22%)
    last: Quantity | None = field(default=None, compare=False)  # last year's figure, when known: the base of |变化

    def __post_init__(self) -> None:
        if not self.amount.is_finite() or abs(self.amount) >= LARGEST:
            raise QuantityError("计算结果过大或不是有限数：请检查引用的数和计算")

    # -- printing
    def __str__(self) -> str:
        return self.number() + self.unit

    def number(self) -> str:
        """The amount as the report prints it in this unit, without the unit."""
        if self.unit in MONEY:
            whole = self.unit == "元" and self.amount == self.amount.to_integral_value()
            return n.money(self.amount, self.separators, 0 if whole else 2 if self.unit == "元" else self.places)
        if self.unit in (PERCENT, POINTS):
            return n.money(self.amount, False, 2 if self.decimals is None else self.decimals)
        return n.plain(self.amount)

    def to(self, unit: str) -> Quantity:
        """The same amount of money in another money unit."""
        if self.unit not in MONEY or unit not in MONEY:
            raise QuantityError(f"只有金额可以换算为{unit}：“{self}”的单位是“{self.unit or '无'}”")
        return self._with(self.amount * MONEY[self.unit] / MONEY[unit], unit)

    def _with(self, amount: Decimal, unit: str) -> Quantity:
        return replace(self, amount=amount, unit=unit, last=None, decimals=self.decimals if unit == self.unit else None)

    def _like(self, other: object, doing: str) -> Quantity:
        """`other` in this unit, for a sum, a difference or a comparison."""
        if not isinstance(other, Quantity):
            raise QuantityError(f"带单位的数“{self}”不能与不带单位的数{doing}：两个数都应带单位")
        if _family(other.unit) != _family(self.unit):
            raise QuantityError(f"“{self}”与“{other}”单位不同，不能{doing}")
        return other.to(self.unit) if self.unit in MONEY else other

    # -- arithmetic
    def __add__(self, other: object) -> Quantity:
        return self._with(self.amount + self._like(other, "相加").amount, self.unit)

    def __sub__(self, other: object) -> Quantity:
        return self._with(self.amount - self._like(other, "相减").amount, self.unit)

    def __neg__(self) -> Quantity:
        return self._with(-self.amount, self.unit)

    def __abs__(self) -> Quantity:
        return self._with(abs(self.amount), self.unit)

    def __mul__(self, other: object) -> Quantity:
        if isinstance(other, (int, Decimal)) and not isinstance(other, bool):
            return self._with(self.amount * other, self.unit)
        if not isinstance(other, Quantity):
            raise QuantityError(f"“{self}”只能乘以数或带单位的数")
        for a, b in ((self, other), (other, self)):
            if b.unit == PERCENT:  # a share of a figure is in the figure's unit
                return a._with(a.amount * b.amount / n.HUNDRED, a.unit)
            if b.unit.endswith(f"/{a.unit}"):  # 人 × 元/人 → 元
                return b._with(a.amount * b.amount, b.unit[:-len(a.unit) - 1])
        raise QuantityError(f"“{self}”乘以“{other}”没有意义：只有如“人 × 元/人”那样单位相消的乘法，或乘以百分比")

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Quantity:
        if isinstance(other, (int, Decimal)) and not isinstance(other, bool):
            return self._with(self.amount / _nonzero(other), self.unit)
        if not isinstance(other, Quantity):
            raise QuantityError(f"“{self}”只能除以数或带单位的数")
        if _family(other.unit) == _family(self.unit):  # like units: a ratio, in percent
            return self._with(self.amount / _nonzero(self._like(other, "相除").amount) * n.HUNDRED, PERCENT)
        if "/" in self.unit or "/" in other.unit or PERCENT in (self.unit, other.unit):
            raise QuantityError(f"“{self}”除以“{other}”没有意义")
        return self._with(self.amount / _nonzero(other.amount), f"{self.unit}/{other.unit}")

    def __rtruediv__(self, other: object) -> Quantity:
        raise QuantityError(f"不能用数除以带单位的数“{self}”")

    # -- comparison
    def __lt__(self, other: object) -> bool:
        return self.amount < self._like(other, "比较").amount

    def __le__(self, other: object) -> bool:
        return self.amount <= self._like(other, "比较").amount

    def __gt__(self, other: object) -> bool:
        return self.amount > self._like(other, "比较").amount

    def __ge__(self, other: object) -> bool:
        return self.amount >= self._like(other, "比较").amount

    # Jinja's |int, |float and |round would print 0 for what they cannot convert: refused instead
    def __int__(self, *_: object) -> int:
        raise QuantityError(f"带单位的数“{self}”不能转为不带单位的数；换算单位请用 |元、|万元 或 |亿元")

    __float__ = __round__ = __int__


def _nonzero(divisor: Decimal | int) -> Decimal | int:
    if divisor == 0:
        raise QuantityError("除数为零：请检查引用的数")
    return divisor


def change(this: Quantity, base: Quantity | None = None) -> str:
    """增长 9.55% / 下降 4.86% / 持平 against last year's figure (or `base`); a rate changes by 个百分点."""
    last = _base(this, base)
    if this.unit == PERCENT:
        return _difference(this, last, ("提高", "降低"))
    rate = n.ratio(this.amount - last.amount, last.amount)
    if rate is None:  # last year's figure is zero
        raise QuantityError(f"上年的数为零，“{this}”的增减率无法计算")
    return "持平" if rate == 0 else f"{'增长' if rate > 0 else '下降'}{n.percent(abs(rate))}"


def difference(this: Quantity, base: Quantity | None = None) -> str:
    """增加 0.30万元 / 减少 61人 / 持平 against last year's figure (or `base`)."""
    return _difference(this, _base(this, base), ("增加", "减少"))


def _base(this: Quantity, base: Quantity | None) -> Quantity:
    if not isinstance(this, Quantity):
        raise QuantityError("|变化 和 |增减 只用于带单位的数，如 {{ 数.决算数|变化 }}")
    base = base if base is not None else this.last
    if base is None:
        sheet = UNIT_SHEETS["last_year"].sheet
        raise QuantityError(f"没有上年的数，“{this}”的变化无法计算：在 unit.yaml 的“上年”中填写（工作簿为“{sheet}”表），"
                            "或写作 |变化(上年的数)")
    return this._like(base, "比较变化")


def _difference(this: Quantity, last: Quantity, words: tuple[str, str]) -> str:
    step = this - last
    if step.amount == 0:
        return "持平"
    text = str(abs(step)) if this.unit != PERCENT else f"{abs(step).number()}个百分点"
    return (words[0] if step.amount > 0 else words[1]) + text


def in_unit(value: Quantity, unit: str) -> str:
    """|元, |万元, |亿元: an amount printed in another money unit."""
    if not isinstance(value, Quantity):
        raise QuantityError(f"|{unit} 只用于金额，如 {{{{ 数.决算数|{unit} }}}}")
    return str(value.to(unit))


def parsed(text: str, unit: str, places: int = 2, separators: bool = False) -> Quantity | None:
    """An entered value (an indicator's 实际值) with its unit, when it is a number; a % with the decimals entered."""
    try:
        amount = Decimal(text.strip().replace(",", ""))
        exponent = amount.as_tuple().exponent  # a letter (n, N, F) for what is not a finite number
        entered = max(0, -exponent) if isinstance(exponent, int) else 0
        return Quantity(amount, unit, places, separators, entered) if unit else None
    except (InvalidOperation, QuantityError):
        return None
