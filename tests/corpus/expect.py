"""The corpus's expectations, read from tests/corpus/cases/*.yaml, and each one tried on a built case.

A case is a unit folder under tests/corpus/units/ or a filled form under tests/corpus/forms/ (imported, then built).
Every expectation may carry `expected_failure: "issue NN: …"`: it is known to fail today; when it holds, the run says
so and fails until the mark is taken off (strict)."""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import docx
import yaml

from pipeline.errors import PipelineError
from pipeline.importer.cli import import_command
from pipeline.run import Result, build

CORPUS = Path(__file__).resolve().parent
PROJECT = CORPUS.parent.parent


@dataclass
class Built:
    name: str
    root: Path
    dept: str
    result: Result | None = None
    folder: Path | None = None
    error: str = ""  # why the case gave no unit (import refused, input refused)
    imported: str = ""  # what the import printed


@dataclass(frozen=True)
class Expectation:
    case: str
    id: str
    check: Callable[[Built], str | None]  # None when it holds, else what is wrong (Chinese)
    expected_failure: str = ""


def cases() -> list[dict]:
    """Every case file; scalars read as text (no YAML 1.1 numbers), so 12.30 stays 12.30."""
    out = []
    for path in sorted((CORPUS / "cases").glob("*.yaml")):
        case = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        case["name"] = path.stem
        out.append(case)
    return out


def prepare(case: dict, tmp: Path, formats: tuple[str, ...]) -> Built:
    """The case laid out as a project (its unit or imported form beside the bundled frameworks) and built."""
    root = tmp / case["name"]
    shutil.rmtree(root, ignore_errors=True)
    (root / "inputs").mkdir(parents=True)
    shutil.copytree(PROJECT / "inputs" / "frameworks", root / "inputs" / "frameworks")
    dept = case.get("unit") or case.get("dept") or case["name"]
    built = Built(case["name"], root, dept)
    try:
        if "form" in case:
            for extra in (CORPUS / "forms" / "frameworks").glob("*.yaml"):
                shutil.copy(extra, root / "inputs" / "frameworks" / extra.name)
            built.imported = import_command(root, str(CORPUS / "forms" / case["form"]), dept, None, case.get("kind"),
                                            case.get("framework"))
        else:
            shutil.copytree(CORPUS / "units" / dept, root / "inputs" / dept)
        for edit in case.get("edits") or []:  # a variant of a case: one text changed in a copied file
            path = root / "inputs" / edit["file"]
            text = path.read_text(encoding="utf-8")
            if text.count(edit["old"]) != 1:  # twice: the edit could change a comment instead of the text meant
                raise ValueError(f"{case['name']}: edits: {edit['old']!r} is in {edit['file']} "
                                 f"{text.count(edit['old'])} times, not once")
            path.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
        year = int(case["year"]) if case.get("year") else None
        # a workbook of several forms imports as DEPT-1, DEPT-2 …: `build` names the one the case is about
        built.result, written = build(root, case.get("build", dept), year, formats)
        built.folder = written[0].parent
    except PipelineError as error:
        built.error = error.report()
    return built


def _number(text: str) -> Decimal | None:
    cleaned = "".join(text.split()).replace(",", "").rstrip("%％")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _figure(name: str, wanted: str) -> Callable[[Built], str | None]:
    def check(built: Built) -> str | None:
        quoted = built.result.quoted.get(name)
        if quoted is None:
            return f"没有名为“{name}”的数"
        got, want = _number(quoted.text), _number(wanted)
        same = got == want if got is not None and want is not None else "".join(quoted.text.split()) == wanted
        return None if same else f"{name}：应为 {wanted}，实为 {quoted.text}"
    return check


def entries(folder: Path) -> list[tuple[str, str]]:
    """checks.json as (级别, one line): each finding, and each figure that differs from the unit's."""
    data = json.loads((folder / "checks.json").read_text(encoding="utf-8"))
    found = [(f["级别"], "｜".join((f["级别"], f["规则"], f["说明"], f["位置"]["文字"]))) for f in data["发现"]]
    found += [("核对", "｜".join(("核对", c["项目"], f"填报{c['单位填报']}", f"计算{c['计算结果']}", c["填报位置"]["文字"])))
              for c in data["核对"]]
    return found


def _matches(item: dict, entry: tuple[str, str]) -> bool:
    level, line = entry
    words = item.get("contains", [])
    return (not item.get("level") or item["level"] == level) and all(w in line for w in words)


def _must(item: dict) -> Callable[[Built], str | None]:
    def check(built: Built) -> str | None:
        return None if any(_matches(item, e) for e in entries(built.folder)) else f"应报而未报：{item.get('contains')}"
    return check


def _must_not(item: dict) -> Callable[[Built], str | None]:
    def check(built: Built) -> str | None:
        wrong = [line for e in entries(built.folder) if _matches(item, e) for line in [e[1]]]
        return f"不应报而报了：{wrong[0]}" if wrong else None
    return check


def _no_false_errors(must: list[dict]) -> Callable[[Built], str | None]:
    def check(built: Built) -> str | None:
        wrong = [line for level, line in entries(built.folder)
                 if level == "错误" and not any(_matches(m, (level, line)) for m in must)]
        return f"误报错误{len(wrong)}处：{wrong[0]}" if wrong else None
    return check


def text_of(path: Path) -> str:
    """A file's text as a reader sees it, white space removed: Word's paragraphs and table cells, or the text."""
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        text = "\n".join(parts)
    else:
        text = path.read_text(encoding="utf-8")
    return "".join(text.split())


def _output(file: str, word: str, present: bool) -> Callable[[Built], str | None]:
    def check(built: Built) -> str | None:
        path = built.folder / file
        if not path.exists():
            return f"没有生成 {file}"
        found = "".join(word.split()) in text_of(path)
        if found == present:
            return None
        return f"{file} {'缺少' if present else '不应有'}“{word}”"
    return check


def _imported(word: str) -> Callable[[Built], str | None]:
    def check(built: Built) -> str | None:
        return None if "".join(word.split()) in "".join(built.imported.split()) else f"导入结果中没有“{word}”"
    return check


def _holds(built: Built) -> str | None:
    return None


def _items(value) -> list[dict]:
    """A list entry is a text or a mapping with the text under `text` and its own expected_failure."""
    return [item if isinstance(item, dict) else {"text": item} for item in value or []]


def expectations(case: dict) -> list[Expectation]:
    name, default = case["name"], case.get("expected_failure", "")
    out = [Expectation(name, f"{name}:builds", _holds, case.get("builds_expected_failure", default))]
    for figure, wanted in (case.get("figures") or {}).items():
        wanted, mark = (wanted["value"], wanted.get("expected_failure", default)) if isinstance(wanted, dict) else (wanted, default)
        out.append(Expectation(name, f"{name}:figure:{figure}", _figure(figure, wanted), mark))
    findings = case.get("findings") or {}
    must = findings.get("must") or []
    for i, item in enumerate(must):
        out.append(Expectation(name, f"{name}:finding:{i + 1}", _must(item), item.get("expected_failure", default)))
    for i, item in enumerate(findings.get("must_not") or []):
        out.append(Expectation(name, f"{name}:not-finding:{i + 1}", _must_not(item), item.get("expected_failure", default)))
    if "no_false_errors" in findings:
        mark = findings["no_false_errors"]
        out.append(Expectation(name, f"{name}:no-false-errors", _no_false_errors(must),
                               mark.get("expected_failure", default) if isinstance(mark, dict) else default))
    for file, wants in (case.get("outputs") or {}).items():
        for key, present in (("contains", True), ("not_contains", False)):
            for item in _items(wants.get(key)):
                out.append(Expectation(name, f"{name}:{file}:{key}:{item['text']}", _output(file, item["text"], present),
                                       item.get("expected_failure", default)))
    for item in _items(case.get("import_says")):
        out.append(Expectation(name, f"{name}:import:{item['text']}", _imported(item["text"]),
                               item.get("expected_failure", default)))
    return out


def outcome(expectation: Expectation, built: Built) -> tuple[str, str]:
    """(PASS | FAIL | XFAIL | XPASS, detail): XPASS is an expected failure that now holds, to be promoted."""
    if built.result is None:
        problem = "未能生成：" + built.error.strip().splitlines()[0][:200] if built.error else "未能生成"
    else:
        try:
            problem = expectation.check(built)
        except (OSError, KeyError, ValueError) as error:
            problem = f"无法检查：{error}"
    if expectation.expected_failure:
        return ("XFAIL", problem) if problem else ("XPASS", f"已经通过，请去掉 expected_failure（{expectation.expected_failure}）")
    return ("FAIL", problem) if problem else ("PASS", "")


def layout_marks(case: dict) -> dict[str, dict[str, str]]:
    """pdf name → rule name → the issue that will fix it (rules known to break on that PDF today)."""
    return {pdf: dict(rules or {}) for pdf, rules in (case.get("layout") or {}).items()}


def signature(built: Built) -> tuple[str, ...]:
    unit = built.result.inputs.unit
    return (unit.name,)


def title_words(case: dict, built: Built) -> tuple[str, ...]:
    unit = built.result.inputs.unit
    words = [unit.name, f"{unit.year}年度", "自评报告", "绩效"] + list(case.get("title_words") or [])
    return tuple(dict.fromkeys(w for w in words if w))
