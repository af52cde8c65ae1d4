"""Advance widths of the printable ASCII characters in the Latin face the documents name (Times New Roman, drawn
as its metric twin Liberation Serif where Windows fonts are absent), in em, the wider of regular and bold: read
from the font files' hmtx tables (2048 units an em) once, so a column is planned on what the clients draw, not on
a guess. A Chinese character and full-width punctuation are one em in every CJK face."""
from __future__ import annotations

UNITS_PER_EM = 2048
_BY_ADVANCE = {451: "|", 512: " ,.", 569: "'/\\il", 682: "!()-:;[]`fjt", 797: "Is", 909: "cerz", 983: "{}",
               1024: "#$*0123456789?J_agovxy", 1108: "~", 1137: '"', 1139: "Sbdhknpqu", 1167: "+<=>", 1190: "^",
               1251: "FP", 1366: "BELTZ", 1479: "ACDNRUVXYw", 1593: "GHKOQ", 1706: "&m", 1905: "@", 1933: "M",
               2048: "%W"}
LATIN_ADVANCE = {char: units / UNITS_PER_EM for units, chars in _BY_ADVANCE.items() for char in chars}
OTHER_EM = 1.0  # a narrow character outside the table (Greek, accented Latin): counted as wide as a Chinese one


def latin_em(word: str) -> float:
    """The width of a run of Latin text, in em."""
    return sum(LATIN_ADVANCE.get(char, OTHER_EM) for char in word)
