"""What people type into a number cell, made plain where the meaning is clear: １２３，４５６．７８ → 123456.78."""
from __future__ import annotations

import re
import unicodedata

THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain(value: str) -> str:
    # NFKC turns full-width digits, ．，％ and ideographic spaces into their ASCII forms
    return unicodedata.normalize("NFKC", value).strip().replace(" ", "")


def _separators(text: str) -> str:
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity", "snan"):
        raise ValueError("不是有效的数字")
    if "," not in text:
        return text
    if THOUSANDS.fullmatch(text):
        return text.replace(",", "")
    raise ValueError("无法确定的数字写法：千分位应每三位一个逗号、小数用点，例如 1,234.56")


def number_text(value: object) -> object:
    """A plain number: full-width forms and thousands separators accepted, a percent sign refused."""
    if not isinstance(value, str):
        return value
    text = _plain(value)
    if text.endswith("%"):
        raise ValueError("这一项不是百分数，不要带 %")
    return _separators(text)


def money_text(value: object) -> object:
    """An amount in 万元: as number_text, and a 万元 suffix dropped; a bare 元 is refused (it would be 10,000 times off)."""
    if not isinstance(value, str):
        return value
    text = _plain(value)
    if text.endswith("万元"):
        text = text[:-2]
    elif text.endswith("元"):
        raise ValueError("金额以万元为单位：请换算成万元，例如 12,345 元写作 1.2345")
    return number_text(text)


def percent_text(value: object) -> object:
    """A rate in percent: 98.22 or 98.22%."""
    if not isinstance(value, str):
        return value
    text = _plain(value)
    return _separators(text[:-1] if text.endswith("%") else text)


def clean(value: object) -> object:
    """Control characters removed from text everywhere (they are invalid in Word's XML); line breaks kept."""
    if isinstance(value, str):
        return CONTROL.sub("", value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value
