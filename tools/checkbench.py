"""make checkbench: plants one slip at a time into real report sentences and counts what the check of typed figures
finds. Each ⟦⟧ mark in tests/figures/narratives/*.txt is a number the sentence states of the unit's own figure; it is
changed one way at a time (the value, the money unit, the value in Chinese numerals, the direction of a change, the
grade). Prints found, missed and the false 错误 on the unchanged texts (a ⟦!⟧ mark is a real slip of the source,
which must be found on the unchanged text).

    python -m tools.checkbench [--verbose]
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from pathlib import Path

import cn2an

from pipeline.errors import Location
from pipeline.findings.recheck import ERROR
from pipeline.findings.typed import check_text, own_names
from pipeline.findings.typed_names import targets
from pipeline.findings.typed_read import normal, numbers
from pipeline.run import evaluate

PROJECT = Path(__file__).resolve().parents[1]
NARRATIVES = PROJECT / "tests" / "figures" / "narratives"
MARK = re.compile(r"⟦(!?)([^⟦⟧]+)⟧")
GRADES = ("优", "良", "中", "差")



def _errors(text: str, found, year: int, where: Location, all_targets, own) -> list[str]:
    return [f.message for f in check_text(text, found, year, where, all_targets, own) if f.severity == ERROR]

def _units(root: Path) -> None:
    """A project folder with the bundled units and the ones set up from published reports."""
    shutil.copytree(PROJECT / "inputs", root / "inputs")
    for unit in (NARRATIVES / "units").iterdir():
        shutil.copytree(unit, root / "inputs" / unit.name)


def _plain(text: str) -> str:
    return MARK.sub(lambda m: m.group(2), text)


def _bump(number: Decimal, places: int) -> Decimal:
    return number + Decimal(1).scaleb(-places)


def plants(mark: str) -> Iterator[tuple[str, str]]:
    """(how, changed text) for one marked number: each way a person slips on it."""
    if mark in GRADES:
        yield "等级", GRADES[(GRADES.index(mark) + 1) % len(GRADES)]
        return
    read = numbers(normal(mark))
    if not read:
        return
    t = read[-1]
    head, tail = mark[:t.start], mark[t.end:]
    value = _bump(t.number, t.places)
    unit = "%" if t.unit == "%" else t.text[len(t.text) - len(t.unit):] if t.unit else ""
    yield "数值", f"{head}{value:f}{unit}{tail}"
    if t.kind == "金额":
        yield "金额单位", f"{head}{t.number:f}{'元' if t.unit != '元' else '万元'}{tail}"
    if t.places == 0:
        chinese = cn2an.an2cn(str(int(value)))
        yield "中文数字", f"{head}{'百分之' + chinese if t.unit == '%' else chinese + unit}{tail}"
    if t.direction:
        yield "方向", mark.replace("增长", "下降") if t.direction > 0 else mark.replace("下降", "增长")


def run(verbose: bool) -> tuple[int, int, int]:
    found = missed = false = 0
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _units(root)
        for fixture in sorted(NARRATIVES.glob("*.txt")):
            lines = fixture.read_text(encoding="utf-8").splitlines()
            dept, year = lines[0].split(":", 1)[1].split()
            result = evaluate(root, dept, int(year), strict=False, compare=False)
            quoted, all_targets = result.quoted, targets(result.quoted)
            errors = partial(_errors, found=quoted, year=int(year), where=Location(fixture.name), all_targets=all_targets,
                             own=own_names(result.inputs.unit))

            for line in filter(None, (raw.strip() for raw in lines[1:])):
                real = [m.group(2) for m in MARK.finditer(line) if m.group(1)]
                said = errors(_plain(line))
                wrong = [s for s in said if not any(f"“{r}”" in s for r in real)]
                false += len(wrong)
                missed += sum(not any(f"“{r}”" in s for s in said) for r in real)
                found += sum(any(f"“{r}”" in s for s in said) for r in real)
                for message in wrong if verbose else ():
                    print(f"误报 {fixture.name}：{message}")
                for mark in (m for m in MARK.finditer(line) if not m.group(1)):
                    for how, changed in plants(mark.group(2)):
                        text = _plain(line[:mark.start()]) + changed + _plain(line[mark.end():])
                        hit = len(errors(text)) > len(said)
                        found, missed = found + hit, missed + (not hit)
                        if verbose and not hit:
                            print(f"漏报 {fixture.name}（{how}）：{changed}  ← {mark.group(2)}")
    return found, missed, false


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.checkbench", description="叙述数字核对的基准")
    parser.add_argument("--verbose", action="store_true", help="列出每个漏报和误报")
    args = parser.parse_args(argv)
    found, missed, false = run(args.verbose)
    total = found + missed
    print(f"植入及原有笔误 {total} 处：发现 {found}，漏报 {missed}（发现率 {found * 100 / max(total, 1):.1f}%）；"
          f"未改动的原文误报错误 {false} 处")
    return 0


if __name__ == "__main__":
    sys.exit(main())
