"""A number written in Chinese characters, as a narrative writes it: 一百二十, 两万两千, 一千零五, 三点六, 一万二 (12000),
一〇二 (digit by digit), 一亿二千万. Our own reader: the library we used cost a quarter of a second to import on every
report that quoted one."""
from __future__ import annotations

from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL = {"十": 10, "百": 100, "千": 1000}
LARGE = {"万": 10**4, "亿": 10**8}


def read_chinese_number(text: str) -> Decimal | None:
    """The value of `text` (only the characters above and 点), or None when it is not a well-formed number."""
    whole, point, fraction = text.partition("点")
    integer = _integer(whole)
    if integer is None or not all(c in DIGITS for c in fraction):
        return None
    if point and fraction:
        return Decimal(f"{integer}.{''.join(str(DIGITS[c]) for c in fraction)}")
    return Decimal(integer)


def _integer(text: str) -> int | None:
    if not text or not all(c in DIGITS or c in SMALL or c in LARGE for c in text):
        return None
    if all(c in DIGITS for c in text) and (text == "两" or "两" not in text):  # 一〇二: digit by digit; 一两 is a range
        return int("".join(str(DIGITS[c]) for c in text))
    done = below_yi = section = 0  # what 亿 has closed, what 万 has closed since, the part below 万
    digit: int | None = None
    last, gap = 0, False  # the last unit applied; a 零 since, so a final digit is units (一千零五), not 一千五
    for c in text:
        if c in DIGITS:
            if digit is not None:
                return None
            if DIGITS[c] == 0:
                gap = True
            else:
                digit = DIGITS[c]
        elif c in SMALL:
            if digit is None:
                if c != "十" or (section and not gap):  # 十一 and 一百零十 say 一 silently; 百 alone does not
                    return None
                digit = 1
            section += digit * SMALL[c]
            digit, last, gap = None, SMALL[c], False
        else:
            part = section + (digit or 0)
            if c == "万":
                if not part:
                    return None
                below_yi += part * LARGE[c]
            else:
                part += below_yi
                if not part:
                    return None
                done, below_yi = done + part * LARGE[c], 0
            section, digit, last, gap = 0, None, LARGE[c], False
    if digit is not None and last and not gap:
        digit *= last // 10  # 一百一 is 110, 一万二 is 12000
    return done + below_yi + section + (digit or 0)
