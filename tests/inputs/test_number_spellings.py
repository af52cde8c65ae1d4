"""Property tests: however a person spells a number, in YAML or in a workbook cell, it reads as the decimal they
meant or it is refused; never as another number (octal, base 60, hex, a percent scaled twice or not at all)."""
from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pipeline.errors import InputError
from pipeline.inputs import models as m
from pipeline.inputs.cells import Unreadable, money_text, percent_text
from pipeline.inputs.workbook import cell_text
from pipeline.inputs.yaml_files import yaml_doc

REFUSED = (ValidationError, InputError)  # by the number reader, or by YAML's own syntax
PROPERTY = settings(max_examples=300, deadline=None, derandomize=True, database=None)
WIDE_DIGITS = str.maketrans("0123456789.,+-", "０１２３４５６７８９．，＋－")

amounts = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False)


def grouped(digits: str, separator: str) -> str:
    """1234567 → 1,234,567 (groups of three from the right)."""
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


@st.composite
def spellings(draw) -> tuple[Decimal, str]:
    """A decimal and one way a person might type it: padded, grouped, signed, full-width, with 万元, quoted."""
    value = draw(amounts)
    whole, _, fraction = format(value, "f").partition(".")
    fraction = fraction.rstrip("0") + "0" * draw(st.integers(0, 2))
    if draw(st.booleans()) and len(whole) > 3:
        whole = grouped(whole, draw(st.sampled_from([",", " "])))
    whole = "0" * draw(st.integers(0, 2)) + whole  # leading zeros: YAML 1.1 would read 045 as octal 37
    text = whole + ("." + fraction if fraction or draw(st.booleans()) else "")
    text = draw(st.sampled_from(["", "+"])) + text
    if draw(st.booleans()):
        text = text.translate(WIDE_DIGITS)
    text += draw(st.sampled_from(["", "万元", " 万元"]))
    quote = draw(st.sampled_from(["", '"', "'"]))
    return value, f"{quote}{text}{quote}"


def read_yaml_amount(spelling: str) -> Decimal | None:
    doc = yaml_doc(f"控制数:\n  三公经费预算: {spelling}\n".encode(), "unit.yaml")
    return m.Controls.model_validate(doc.data["控制数"]).three_public_budget


@pytest.mark.slow
@PROPERTY
@given(spellings())
def test_a_yaml_amount_reads_as_the_decimal_meant_or_is_refused(case):
    value, spelling = case
    try:
        read = read_yaml_amount(spelling)
    except REFUSED:
        return
    assert read == value, (spelling, read)


NUMBERISH = st.text(st.sampled_from(list("0123456789０１２.,:_+-eExXob %万元 ")), min_size=1, max_size=10)


@pytest.mark.slow
@PROPERTY
@given(NUMBERISH)
def test_any_yaml_spelling_is_its_plain_decimal_or_refused(spelling):
    """Whatever is accepted equals the digits as written, separators dropped: no other base, no exponent."""
    if spelling.strip() != spelling or spelling.strip().startswith(("-", "%")) or ":" in spelling or spelling.strip() == "":
        spelling = f'"{spelling}"'  # keep the YAML shape simple: the reader, not the YAML syntax, is under test
    try:
        read = read_yaml_amount(spelling)
    except REFUSED:
        return
    if read is None:
        return
    plain = spelling.strip("\"' ").translate(str.maketrans("０１２", "012")).replace("万元", "").strip()
    assert re.fullmatch(r"[+-]?[0-9][0-9, ]*\.?[0-9]*|[+-]?\.[0-9]+", plain), (spelling, read)
    assert read == Decimal(plain.replace(",", "").replace(" ", "").rstrip(".") or "0"), (spelling, read)


@pytest.mark.parametrize("spelling", ["045", "0o17", "0x1F", "47:40", "1e3", "1_000", "yes", "on", "1.2.3", "12,34",
                                      ".", "+", "--1", "1,2345", "0b101", "∞", "٣", "१२"])
def test_spellings_yaml_1_1_or_other_scripts_would_misread(spelling):
    try:
        read = read_yaml_amount(spelling)
    except REFUSED:
        return
    assert spelling == "045" and read == Decimal(45)


# number formats as Excel and WPS write them: which scale the value (Excel's percent) and which only show a sign
PERCENT_FORMATS = ["0%", "0.00%", "0.0%;[Red]-0.0%", "#,##0.00%"]
LITERAL_PERCENT = ['0"%"', "0\\%", '0.00"%"', '0.0"％"']
PLAIN_FORMATS = ["General", "0.00", "#,##0.00", '0.00"万元"', "[Red]0.00", "0.0000", "@"]


@pytest.mark.slow
@PROPERTY
@given(amounts, st.sampled_from(PERCENT_FORMATS + LITERAL_PERCENT + PLAIN_FORMATS))
def test_a_workbook_cell_reads_as_it_is_shown_or_is_refused(value, number_format):
    try:
        text = cell_text(float(value), number_format)
    except Unreadable:
        return
    if number_format in PERCENT_FORMATS:
        assert Decimal(percent_text(text)) == value * 100, (value, number_format, text)
    elif number_format in LITERAL_PERCENT:
        assert Decimal(percent_text(text)) == value, (value, number_format, text)
        with pytest.raises(Unreadable):
            money_text(text)  # a literal % on an amount is refused, not read as a rate
    else:
        assert Decimal(money_text(text)) == value, (value, number_format, text)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(amounts, st.sampled_from(PERCENT_FORMATS + LITERAL_PERCENT + PLAIN_FORMATS))
def test_a_saved_workbook_cell_reads_as_it_is_shown(value, number_format):
    """The same through a file Excel could open: openpyxl writes the value and its format, the reader reads them."""
    book = openpyxl.Workbook()
    cell = book.active.cell(1, 1, float(value))
    cell.number_format = number_format
    saved = io.BytesIO()
    book.save(saved)
    read = openpyxl.load_workbook(io.BytesIO(saved.getvalue()), read_only=True).active
    [[stored]] = [list(row) for row in read.iter_rows()]
    assert cell_text(stored.value, stored.number_format) == cell_text(float(value), number_format)
