"""Random damage to the example inputs never ends in a traceback or a half-written report.

Each example copies inputs/ afresh, damages one file of one unit (a cell or a YAML value replaced by awkward text,
a line deleted or duplicated, two column headers swapped) and builds the Markdown report. Either the build succeeds
and the report names the unit, or it stops with InputError / TemplateError carrying a message and writes nothing.
Any other exception is a bug in the pipeline.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from pipeline.errors import InputError, TemplateError
from pipeline.report.markdown_text import escape
from pipeline.run import build

ROOT = Path(__file__).resolve().parents[2]
UNITS = {"huadu": 2023, "lianjiang": 2024, "shaoguan": 2024, "example-cdc": 2024}


def unit_files(unit: str) -> list[str]:
    """The files a unit's report is built from, relative to the project root: unit.yaml, its CSV tables, its framework."""
    folder = f"inputs/{unit}/{UNITS[unit]}"
    framework = yaml.safe_load((ROOT / folder / "unit.yaml").read_text(encoding="utf-8"))["评价体系"]
    tables = sorted(f"{folder}/{p.name}" for p in (ROOT / folder).glob("*.csv"))
    return [f"{folder}/unit.yaml", *tables, f"inputs/frameworks/{framework}.yaml"]


FILES = {unit: unit_files(unit) for unit in UNITS}
CSV_FILES = {unit: [f for f in files if f.endswith(".csv")] for unit, files in FILES.items()}

AWKWARD = [
    "", " ", "-1", "0", "-0", "abc", "１２３", "９８．５％", "98%", "100%", "12,345.6", "1,2,3", "1.234,56", "12345元",
    "3万元", "3 万元", "1e5", "NaN", "inf", "99999999999999999999999999", "0.0000001", "😀", "<b>粗</b>", "|", "a|b",
    "\x07", "\u200b", "\t", "是", "否", "定性", "≥", "全部", "无", "null", "~", "[]", "{}", "'", '"', "#", "- x",
    ": x", "\\", "{{ 数.不存在 }}", "{% if %}", "2024-02-30", "true", "1\n2", "长" * 3000, "A" * 200,
]
TEXT = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(st.sampled_from(list("0123456789０１２.,%-+ 万元ab😀<|\x07")), max_size=12),
    st.integers(-10**6, 10**13).map(str),
    st.decimals(-10**6, 10**7, places=3, allow_nan=False, allow_infinity=False).map(str),
)
# a YAML value after "key: " (block or flow style), and any number anywhere (weights, list items, years)
YAML_VALUE = re.compile(r"(?<=: )[^\s{}\[\],#][^{}\[\],#\n]*?(?=\s*(?:[,}\]]|\s#|$))", re.MULTILINE)
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def built_or_refused(root: Path, unit: str) -> None:
    """The property: a report that names the unit, or a clean refusal with a message and no output."""
    folder = root / "output" / unit / str(UNITS[unit])
    try:
        result, _ = build(root, unit, formats=("md",), charts=False)
    except InputError as error:
        assert error.problems, "InputError without problems"
        assert all(str(p).strip() for p in error.problems), error.problems
        assert not folder.exists(), f"refused but wrote {sorted(p.name for p in folder.iterdir())}"
        if currently_in_test_context():  # the regression cases below run outside hypothesis
            note(error.report())
        return
    except TemplateError as error:
        assert str(error).strip(), "TemplateError without a message"
        assert not folder.exists(), f"refused but wrote {sorted(p.name for p in folder.iterdir())}"
        return
    report = folder / "report.md"
    assert report.exists(), "build returned but report.md is missing"
    text = report.read_text(encoding="utf-8")
    name = result.inputs.unit.name
    assert name in text or escape(name) in text or " ".join(name.split()) in text, f"unit name {name!r} not in report.md"


def fresh_copy(tmp: str) -> Path:
    root = Path(tmp)
    shutil.copytree(ROOT / "inputs", root / "inputs")
    return root


@pytest.mark.slow
@FUZZ
@given(data=st.data(), unit=st.sampled_from(sorted(UNITS)))
def test_a_value_replaced_by_awkward_text(data, unit):
    file = data.draw(st.sampled_from(FILES[unit]), label="file")
    value = data.draw(TEXT, label="value")
    with tempfile.TemporaryDirectory() as tmp:
        root = fresh_copy(tmp)
        path = root / file
        if file.endswith(".csv"):
            rows = read_rows(path)
            r = data.draw(st.integers(0, len(rows) - 1), label="row")
            c = data.draw(st.integers(0, len(rows[r]) - 1), label="column")
            note(f"{file} row {r + 1} column {c + 1}: {rows[r][c]!r} → {value!r}")
            rows[r][c] = value
            write_rows(path, rows)
        else:
            text = path.read_text(encoding="utf-8")
            pattern = data.draw(st.sampled_from([YAML_VALUE, NUMBER]), label="pattern")
            spans = [m.span() for m in pattern.finditer(text)]
            start, end = data.draw(st.sampled_from(spans), label="span")
            quoted = data.draw(st.booleans(), label="quoted")
            new = json.dumps(value, ensure_ascii=False) if quoted else value
            note(f"{file} line {text.count(chr(10), 0, start) + 1}: {text[start:end]!r} → {new!r}")
            path.write_text(text[:start] + new + text[end:], encoding="utf-8")
        built_or_refused(root, unit)


@pytest.mark.slow
@settings(FUZZ, max_examples=80)
@given(data=st.data(), unit=st.sampled_from(sorted(UNITS)), duplicate=st.booleans())
def test_a_line_deleted_or_duplicated(data, unit, duplicate):
    file = data.draw(st.sampled_from(FILES[unit]), label="file")
    with tempfile.TemporaryDirectory() as tmp:
        root = fresh_copy(tmp)
        path = root / file
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        # YAML files are long narrative; favour the lines that carry keys and numbers
        keyed = [i for i, line in enumerate(lines) if re.match(r"\s*(- )?[^\s#][^:]{0,20}:", line)] or list(range(len(lines)))
        i = data.draw(st.sampled_from(keyed if file.endswith(".yaml") else list(range(len(lines)))), label="line")
        note(f"{file} line {i + 1} {'duplicated' if duplicate else 'deleted'}: {lines[i]!r}")
        lines[i:i + 1] = [lines[i], lines[i]] if duplicate else []
        path.write_text("".join(lines), encoding="utf-8")
        built_or_refused(root, unit)


@pytest.mark.slow
@settings(FUZZ, max_examples=40)
@given(data=st.data(), unit=st.sampled_from(sorted(UNITS)))
def test_two_column_headers_swapped(data, unit):
    file = data.draw(st.sampled_from(CSV_FILES[unit]), label="file")
    with tempfile.TemporaryDirectory() as tmp:
        root = fresh_copy(tmp)
        path = root / file
        rows = read_rows(path)
        a, b = data.draw(st.lists(st.integers(0, len(rows[0]) - 1), min_size=2, max_size=2, unique=True), label="columns")
        note(f"{file}: headers {rows[0][a]!r} and {rows[0][b]!r} swapped")
        rows[0][a], rows[0][b] = rows[0][b], rows[0][a]
        write_rows(path, rows)
        built_or_refused(root, unit)


# The smallest damaging edits these properties have found (a longer, non-derandomized run), kept so that they are
# checked on every run: each must end in a report or a clean refusal, like any other input.
FOUND = {
    # a YAML value that starts with "{{" (a narrative reference written without quotes) is a mapping used as a key
    "YAML值以{{开头": ("example-cdc", "inputs/example-cdc/2024/unit.yaml", "单位名称: 示例区疾病预防控制中心",
                     "单位名称: {{ 数.不存在 }}"),
    # an impossible date without quotes is turned into a date by the YAML reader itself
    "不带引号的无效日期": ("shaoguan", "inputs/frameworks/shaoguan-project-2024.yaml", "生效日期: 2024-01-01", "生效日期: 2024-02-30"),
    # NaN and infinity are numbers to Decimal but cannot be compared or rounded
    "目标值NaN": ("lianjiang", "inputs/lianjiang/2024/indicators.csv", "F16,传染病和突发公共卫生事件报告率,95,",
                "F16,传染病和突发公共卫生事件报告率,NaN,"),
    "实际值inf": ("huadu", "inputs/huadu/2023/indicators.csv", "500,≥,人,523,", "500,≥,人,inf,"),
    # an amount too long to round to the cent within Decimal's 28 digits
    "26位数的金额": ("huadu", "inputs/huadu/2023/budget.csv", "花都区卫生监督所,2100.00,2315.26,2315.26,",
                 "花都区卫生监督所,2100.00,2315.26,99999999999999999999999999,"),
    # a project's own indicator whose id has a space, a sign or a symbol: validated only when put into the tree
    "自设指标编号含空格": ("shaoguan", "inputs/shaoguan/2024/indicators.csv", "\nP10,", "\n3 万元,"),
    "指标编号与计量单位表头互换": ("example-cdc", "inputs/example-cdc/2024/indicators.csv",
                       "指标编号,指标名称,一级指标,二级指标,权重,目标值,比较符,计量单位,",
                       "计量单位,指标名称,一级指标,二级指标,权重,目标值,比较符,指标编号,"),
}


@pytest.mark.parametrize("unit, file, old, new", FOUND.values(), ids=FOUND.keys())
def test_damage_found_by_fuzzing(unit, file, old, new):
    with tempfile.TemporaryDirectory() as tmp:
        root = fresh_copy(tmp)
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
        built_or_refused(root, unit)
