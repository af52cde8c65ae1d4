"""What people type into a number cell or a YAML value, made plain where the meaning is clear: １２３，４５６．７８ → 123456.78.

One reader for every number a person types, in a CSV cell, a workbook cell or unit.yaml and the frameworks: a
decimal written in ASCII or full-width digits, with an optional sign, thousands separators and the unit the column
takes (万元, %). Anything else (octal, hex, base 60, exponents, digit groups of other sizes, other scripts' digits) is
refused with the reason, never guessed.
"""
from __future__ import annotations

import re

from ..codes import BAD_NUMBER

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
# the full-width forms of ASCII (Ｕ+FF01–FF5E) and the spaces and minus signs Chinese input methods type
WIDE: dict[int, int | str] = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: " ", 0xA0: " ", 0x2212: "-"}
DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?P<sep>[, ])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:\.[0-9]+)?")
EXPONENT = re.compile(r"[+-]?[0-9.]+[eE][+-]?[0-9]+")
TRUE_WORDS, FALSE_WORDS = ("是",), ("否",)
NUMBER_HINT = "应为数字，例如 1234.56"


class Unreadable(ValueError):
    """A value the reader refuses; `hint` shows what a readable one looks like."""

    def __init__(self, message: str, hint: str = "", code: str = BAD_NUMBER):
        super().__init__(message)
        self.hint = hint
        self.code = code  # the problem's kind (pipeline/codes.py): every reader here reads a number


def _plain(value: str) -> str:
    return value.translate(WIDE).strip()


def decimal_text(text: str) -> str:
    """The decimal a person wrote, as plain ASCII text (1,234.50 → 1234.50), or ValueError saying why it is not one."""
    if DECIMAL.fullmatch(text):
        number = text.lstrip("+")
    elif GROUPED.fullmatch(text):
        number = text.lstrip("+").replace(",", "").replace(" ", "")
    elif EXPONENT.fullmatch(text):
        raise Unreadable("不要用科学计数法（如 1.2E+05），请写出完整的数字", "例如 120000")
    elif re.fullmatch(r"[+-]?[0-9., ]+", text) and re.search(r"[0-9]", text):
        raise Unreadable("无法确定的数字写法：千分位应每三位一个逗号、小数用点，例如 1,234.56")
    else:
        raise Unreadable("不是有效的数字", NUMBER_HINT)
    digits = number.lstrip("-")
    sign = "-" if number.startswith("-") and re.search("[1-9]", digits) else ""  # -0 is 0, never printed "-0.00"
    digits = "0" + digits if digits.startswith(".") else digits
    return sign + (digits[:-1] if digits.endswith(".") else digits)


def number_text(value: object) -> object:
    """A plain number: full-width forms and thousands separators accepted, a percent sign refused."""
    if not isinstance(value, str):
        return value
    text = _plain(value)
    if text.endswith("%"):
        raise Unreadable("这一项不是百分数，不要带 %", "例如 12.5")
    return decimal_text(text)


def count_text(value: object) -> object:
    """A whole number (a count, a year, a number of decimals): as number_text; a whole number is what it asks for."""
    try:
        return number_text(value)
    except Unreadable as refused:
        if refused.hint != NUMBER_HINT:
            raise
        raise Unreadable("不是整数", "应为整数，例如 34") from None


def money_text(value: object) -> object:
    """An amount in 万元: as number_text, and a 万元 suffix dropped; a bare 元 is refused (it would be 10,000 times off)."""
    if not isinstance(value, str):
        return value
    text = _plain(value)
    if text.endswith("万元"):
        text = text[:-2].rstrip()
    elif text.endswith("元"):
        raise Unreadable("金额以万元为单位：请换算成万元，例如 12,345 元写作 1.2345")
    return number_text(text)


def percent_text(value: object) -> object:
    """A rate in percent: 98.22 or 98.22%."""
    if not isinstance(value, str):
        return value
    text = _plain(value)
    return decimal_text(text[:-1].rstrip() if text.endswith("%") else text)


def flag_text(value: object) -> object:
    """A yes/no setting: true/false as YAML writes it, or 是/否 as people do."""
    if isinstance(value, str) and value.strip() in TRUE_WORDS + FALSE_WORDS:
        return value.strip() in TRUE_WORDS
    return value


def clean(value: object) -> object:
    """Control characters removed from text everywhere (they are invalid in Word's XML); line breaks kept."""
    if isinstance(value, str):
        return CONTROL.sub("", value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value
