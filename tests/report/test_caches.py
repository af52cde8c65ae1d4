"""What a process keeps from one unit for the next (compiled templates and forms, checked Word packages, the default
styles) holds nothing of a unit's data: a unit rendered after others gives the bytes it gives alone, and a unit's own
form or template is never served to another unit, nor a changed file served as it was."""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import TemplateError
from pipeline.run import prepare
from tests.conftest import ROOT
from tests.helpers import edit

pytestmark = pytest.mark.slow  # whole reports built in fresh interpreters

DEFAULT_FORM = ROOT / "pipeline/templates/project/自评表.docx"
FORMATS = ("md", "docx", "html")
ALONE = """
import hashlib, json, sys
from pathlib import Path
from pipeline.run import prepare
result = prepare(Path(sys.argv[1]), sys.argv[2], None, tuple(sys.argv[3].split(",")), True)
print(json.dumps({name: hashlib.sha256(data).hexdigest() for name, data in result.rendered.files.items()}))
"""


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def alone(root: Path, dept: str) -> dict[str, str]:
    """The unit's files made by a process that has rendered nothing else."""
    done = subprocess.run([sys.executable, "-c", ALONE, str(root), dept, ",".join(FORMATS)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def form_with(text: str, old: str = "项目支出绩效自评表") -> bytes:
    """The default form with one piece of its text changed."""
    source = zipfile.ZipFile(DEFAULT_FORM)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), text.encode())
            target.writestr(info, data)
    return out.getvalue()


def form_text(files: dict[str, bytes]) -> str:
    return zipfile.ZipFile(io.BytesIO(files["自评表.docx"])).read("word/document.xml").decode("utf-8")


def test_units_in_one_process_give_the_bytes_each_gives_alone(project):
    """Units of both kinds, with and without a form, in an order that makes every cache hit: the same bytes as a
    fresh process makes for each."""
    order = ["shaoguan", "huadu", "example-cdc", "lianjiang", "shaoguan", "example-cdc", "huadu"]
    together = [digests(prepare(project, dept, None, FORMATS, True).rendered.files) for dept in order]
    for dept in dict.fromkeys(order):
        expected = alone(project, dept)
        for position, got in zip(order, together):
            if position == dept:
                assert got == expected, dept


def test_a_units_own_form_stays_its_own(project):
    """shaoguan fills a form of its own (a title as long as the default one); example-cdc, before and after it in the
    same process, the default one."""
    own = project / "inputs/shaoguan/2024/templates/project"
    own.mkdir(parents=True)
    (own / "自评表.docx").write_bytes(form_with("韶关本单位的自评表"))
    before = prepare(project, "example-cdc", None, ("md",), False).rendered.files
    mine = prepare(project, "shaoguan", None, ("md",), False).rendered.files
    after = prepare(project, "example-cdc", None, ("md",), False).rendered.files
    assert "韶关本单位的自评表" in form_text(mine) and "项目支出绩效自评表" not in form_text(mine)
    for files in (before, after):
        assert "韶关本单位的自评表" not in form_text(files) and "项目支出绩效自评表" in form_text(files)
    assert before["自评表.docx"] == after["自评表.docx"]


@pytest.mark.parametrize("second", [
    form_with("{{ project.name }}（{{ no_such_name }}）"),  # the same file, now naming what does not exist
    b"PK\x03\x04 not a Word document any more",  # the same file, now broken
], ids=["unknown-name", "broken"])
def test_a_changed_form_is_read_again(project, second):
    """A form that was fine, then changed in place: the change counts, not what the process saw before."""
    own = project / "inputs/shaoguan/2024/templates/project"
    own.mkdir(parents=True)
    (own / "自评表.docx").write_bytes(form_with("第一版自评表"))
    assert "第一版自评表" in form_text(prepare(project, "shaoguan", None, ("md",), False).rendered.files)
    (own / "自评表.docx").write_bytes(second)
    with pytest.raises(TemplateError, match="自评表.docx"):
        prepare(project, "shaoguan", None, ("md",), False)


def test_a_units_own_template_and_styles_stay_its_own(project):
    """A unit's own report template and reference.docx after and before the defaults, in one process."""
    from docx import Document

    from pipeline.report.word.reference import reference_docx

    folder = project / "inputs/huadu/2023/templates"
    (folder / "department").mkdir(parents=True)
    (folder / "department/report.md.j2").write_text(
        '{% extends "default/department/report.md.j2" %}\n{% block preface %}本单位自己的前言。\n{% endblock %}\n',
        encoding="utf-8")
    styles = Document(io.BytesIO(reference_docx()))
    styles.styles["Body Text"].font.size = styles.styles["Body Text"].font.size * 2
    styles.save(str(folder / "reference.docx"))
    plain = prepare(project, "lianjiang", None, ("md", "docx"), False).rendered.files
    own = prepare(project, "huadu", None, ("md", "docx"), False).rendered.files
    again = prepare(project, "lianjiang", None, ("md", "docx"), False).rendered.files
    assert "本单位自己的前言。" in own["report.md"].decode("utf-8")
    assert "本单位自己的前言。" not in again["report.md"].decode("utf-8")
    assert plain == again
    size = Document(io.BytesIO(own["report.docx"])).styles["Body Text"].font.size
    assert size == Document(io.BytesIO(plain["report.docx"])).styles["Body Text"].font.size * 2
    edit(folder / "department/report.md.j2", "本单位自己的前言。", "改过的前言。")
    changed = prepare(project, "huadu", None, ("md",), False).rendered.files["report.md"].decode("utf-8")
    assert "改过的前言。" in changed and "本单位自己的前言。" not in changed
