"""The narrative edited block by block: the 正文 keys the unit's report template reads, each saved back into
unit.yaml (the 正文 section rewritten, every other line kept), each previewed with its quoted figures filled in."""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Location, PipelineError, Problem
from ..figures.catalogue import quotes
from ..importer.write_unit import yaml_bytes
from ..inputs.kinds import KINDS
from ..inputs.load import UNIT_FILE
from ..inputs.yaml_files import read_yaml, yaml_doc
from ..limits import MAX_TEXT_BYTES
from ..report.context import narrative
from ..report.jinja import environment
from ..report.template_files import allowed_roots, first_file, template_dirs
from ..report.text_keys import FORM_TEXT_KEYS, template_reads
from ..run import Result

TEXT_KEY = "正文"
TOP_KEY = re.compile(r"^([^\s#][^:]*):")  # a top-level key of unit.yaml, at the start of its line


@dataclass(frozen=True)
class Block:
    key: str
    sub: str  # the 一级指标 of a key written per block (指标分析: {一级: …}); "" for a plain key
    text: str

    @property
    def label(self) -> str:
        return f"{self.key} · {self.sub}" if self.sub else self.key



def top_blocks(lines: list[str]) -> list[tuple[str, int, int]]:
    """Top-level keys of a YAML text with the lines they span: (key, first, end); the editor rewrites one block as
    text, so every other line and comment of unit.yaml stays byte for byte."""
    starts = [(m.group(1).strip(), i) for i, line in enumerate(lines) if (m := TOP_KEY.match(line))]
    return [(key, first, starts[j + 1][1] if j + 1 < len(starts) else len(lines)) for j, (key, first) in enumerate(starts)]


def replaced(lines: list[str], key: str, written: list[str], before: str | None = None) -> list[str]:
    """The lines with top-level `key`'s block replaced by `written`, the comments above the next key kept with that
    key; where there is no such block, `written` goes in before the `before` key's block, or at the end."""
    spans: dict[str, tuple[int, int]] = {}
    for name, first, end in top_blocks(lines):
        spans.setdefault(name, (first, end))
    if key in spans:
        first, end = spans[key]
        while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1  # the comments above the next key belong to it
        return lines[:first] + written + lines[end:]
    at = spans[before][0] if before in spans else len(lines)
    return lines[:at] + written + lines[at:]


def unit_text(folder: Path) -> dict:
    """The 正文 as written in unit.yaml, read even when the rest of the unit does not validate."""
    text = read_yaml(folder / UNIT_FILE, f"{UNIT_FILE}", folder).data.get(TEXT_KEY) or {}
    return text if isinstance(text, dict) else {}


def blocks(folder: Path, result: Result | None) -> list[Block]:
    """Every key the report prints, filled or not, in the order the unit wrote them and then the template's."""
    written = unit_text(folder)
    found: dict[tuple[str, str], str] = {}
    for key, value in written.items():
        for sub, text in (value.items() if isinstance(value, dict) else [("", value)]):
            found[(str(key), str(sub))] = "" if text is None else str(text)
    if result is not None:
        inputs = result.inputs
        search = template_dirs(folder, inputs.unit.template_group)
        roots = allowed_roots(folder, inputs.unit.template_group)
        reads = template_reads(environment(search, inputs.unit, roots), KINDS[inputs.unit.kind].template)
        names = [node.name for node in inputs.tree]
        form = FORM_TEXT_KEYS if first_file(search, KINDS[inputs.unit.kind].form, roots) else ()
        wanted = [(k, "") for k in sorted(reads.keys - reads.by_block) + list(form)]
        wanted += [(name + suffix, "") for suffix in sorted(reads.suffixes) for name in names]
        wanted += [(k, name) for k in sorted(reads.by_block) for name in names]
        for place in wanted:
            found.setdefault(place, "")
    return [Block(key, sub, text) for (key, sub), text in found.items()]


def save(folder: Path, key: str, sub: str, text: str, allowed: list[Block]) -> None:
    """unit.yaml with one block replaced, written whole; refused when the block is not one the report prints."""
    if (key, sub) not in {(b.key, b.sub) for b in allowed}:
        raise InputError([Problem(Location(UNIT_FILE, key=f"{TEXT_KEY}.{key}"), "报告中没有这一段", key)])
    path = folder / UNIT_FILE
    current = unit_text(folder)
    text = text.replace("\r\n", "\n").strip("\n")
    if sub:
        written = current.get(key)
        inner = written if isinstance(written, dict) else {}
        current[key] = {k: v for k, v in {**inner, sub: text}.items() if v not in ("", None)}
    else:
        current[key] = text
    current = {k: v for k, v in current.items() if v not in ("", {}, None)}
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    section = yaml_bytes({TEXT_KEY: current}, "").decode("utf-8").splitlines() if current else []
    write_lines(folder, replaced(lines, TEXT_KEY, section), f"{TEXT_KEY}.{key}")


def write_lines(folder: Path, lines: list[str], key: str) -> None:
    """unit.yaml replaced whole by these lines, once they are still YAML and within the limit."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if len(data) > MAX_TEXT_BYTES:
        raise InputError([Problem(Location(UNIT_FILE, key=key), "文字太长，unit.yaml 将超过上限")])
    yaml_doc(data, UNIT_FILE)  # still YAML, before it replaces the file
    handle, temporary = tempfile.mkstemp(prefix=".unit-", suffix=".yaml", dir=folder)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, folder / UNIT_FILE)


def preview(folder: Path, result: Result | None, text: str) -> str:
    """The block as the report will print it, quotes filled in; the reason in Chinese when a quote is wrong."""
    if result is None:
        return "（单位数据有误，改正后才能预览引用的数字）"
    unit = result.inputs.unit.model_copy(update={"text": {"预览": text}, "issues": []})
    env = environment(template_dirs(folder, unit.template_group), unit, allowed_roots(folder, unit.template_group))
    try:
        filled, _ = narrative(env, unit, quotes(result.quoted, unit.money_separators, unit.money_places))
    except PipelineError as error:
        return error.report()
    return filled["预览"]
