"""What an Excel number format shows around a number: 0.00% scales it by 100 and adds %, 0"%" and 0.00"万元" only
add text. A workbook cell is read as the text it shows (as a CSV export would hold it), so one reader serves both."""
from __future__ import annotations

from dataclasses import dataclass

from .cells import Unreadable

# characters Excel shows as they are without quotes; ASCII letters are codes (E+00, General, AM/PM) and shown by none
BARE_LITERALS = set("$-+/():!^&'~{}<>= ")
PLACEHOLDERS = set("0#?.,")


@dataclass(frozen=True)
class Shown:
    prefix: str
    suffix: str
    percent: bool  # Excel's percent operator: the value is shown times 100


def _section(number_format: str, negative: bool) -> str:
    """The part of a format that applies: positive;negative;zero;text, split where ; is not quoted."""
    sections, current, quoted, escaped = [], "", False, False
    for char in number_format:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            current, escaped = current + char, True
        elif char == '"':
            current, quoted = current + char, not quoted
        elif char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    sections.append(current)
    return sections[1] if negative and len(sections) > 1 and sections[1] else sections[0]


def shown(number_format: str | None, negative: bool = False) -> Shown:
    """The text a format puts before and after a number, and whether it scales it; Unreadable where it is unclear."""
    section = _section(number_format or "General", negative)
    if section.strip().lower() in ("general", "@", ""):
        return Shown("", "", False)
    before: list[str] = []
    after: list[str] = []
    real = literal = 0
    seen_number = False
    i = 0
    while i < len(section):
        char = section[i]
        piece = ""
        if char == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            piece, i = section[i + 1:end], end + 1
        elif char == "\\":
            piece, i = section[i + 1:i + 2], i + 2
        elif char in "_*":  # _x pads with the width of x, *x fills with x: no text
            i += 2
            continue
        elif char == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            code = section[i + 1:end]
            piece = code[1:].split("-", 1)[0] if code.startswith("$") else ""  # [$¥-804] shows ¥
            i = end + 1
        else:
            i += 1
            if char == "%":
                real += 1
                piece = "%"
            elif char in PLACEHOLDERS:
                seen_number = True
                continue
            elif char == "-" and negative:  # the sign is written with the number itself
                continue
            elif char in BARE_LITERALS or ord(char) > 127:
                piece = char
            else:
                continue
        if char != "%" and "%" in piece.replace("％", "%"):
            literal += 1
        (after if seen_number else before).append(piece)
    if real > 1 or (real and literal):
        raise Unreadable(f"单元格的数字格式“{number_format}”中百分号的含义不明",
                         "请把单元格设为“百分比”格式，或设为常规格式并直接填写数字")
    return Shown("".join(before), "".join(after), real == 1)
