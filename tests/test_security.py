"""A unit's files against the rest of the machine. Every escape is tried in several forms, from every place a unit can
write to (its narrative text, its own report template, its stylesheet, its Word styles and form), with a canary file
outside the unit's folder, a local server that records every connection, and a file that any command run would
create. Whatever the run does — refuse with a message or build — the canary's content is in no output, the server
saw no connection and no command ran."""
from __future__ import annotations

import base64
import io
import re
import socket
import threading
import zipfile
from pathlib import Path

import lxml.html
import pytest
from docx import Document
from lxml import etree

from pipeline.__main__ import main
from pipeline.errors import PipelineError
from pipeline.report.template_files import DEFAULTS
from pipeline.run import build

SECRET = "CANARY-7f3a-单位以外的文件"
PWNED = "pwned-by-template"
HUADU = "inputs/huadu/2023"
SHAOGUAN = "inputs/shaoguan/2024"
FORMATS = ("md", "docx", "html")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def listener():
    """A local TCP server that accepts and records every connection: a build must never make one."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    seen: list[tuple] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except OSError:
                continue
            seen.append(address)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def world(project: Path, listener, monkeypatch):
    """The copied project, a canary file beside inputs/ (outside every unit's folder) and the server's port."""
    canary = project / "secret" / "canary.txt"
    canary.parent.mkdir()
    canary.write_text(SECRET, encoding="utf-8")
    monkeypatch.chdir(project)  # a command run with a relative path would create its file here
    port, seen = listener
    return {"project": project, "canary": canary, "port": port, "seen": seen}


def fill(text: str, world: dict) -> str:
    return text.replace("CANARY", str(world["canary"])).replace("PORT", str(world["port"])).replace("PWNED", PWNED)


def output_text(folder: Path) -> str:
    """Every output file as text: Markdown and HTML as they are, each part of a .docx unpacked."""
    texts = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        else:
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


def attempt(world: dict, dept: str = "huadu", formats: tuple[str, ...] = FORMATS) -> Path | None:
    """Build the unit; a refusal is fine when it is a located Chinese message. The output folder, or None."""
    try:
        _, written = build(world["project"], dept, formats=formats)
    except PipelineError as exc:
        message = str(exc)
        assert re.search(r"[\u4e00-\u9fff]", message) and "Traceback" not in message
        assert SECRET not in message
        return None
    return written[0].parent


def assert_contained(world: dict, out: Path | None) -> None:
    if out is not None:
        text = output_text(out)
        assert SECRET not in text
        assert base64.b64encode(SECRET.encode("utf-8"))[:24].decode() not in text
        html = out / "report.html"
        if html.exists():
            assert_inert_html(html.read_bytes())
        for docx in out.glob("*.docx"):
            assert_inert_docx(docx.read_bytes())
    assert world["seen"] == [], "the build connected to the local server"
    assert not list(world["project"].rglob(PWNED + "*")) and not (Path.cwd() / PWNED).exists(), "a command ran"


def assert_inert_html(page: bytes) -> None:
    document = lxml.html.document_fromstring(page)
    assert not document.xpath("//script|//iframe|//object|//embed|//link|//base|//form|//svg|//math|//meta[@http-equiv]")
    for element in document.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src"):
                assert re.match(r"(https?://|mailto:|#|data:image/png;base64,)", value), (element.tag, value)
                assert "127.0.0.1" not in value or element.tag == "a"
    for style in document.xpath("//style"):
        assert not re.search(r"@import|url\(", style.text_content())


def assert_inert_docx(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".rels"):
                rels = archive.read(name).decode("utf-8")
                for found in re.finditer(r"<Relationship [^>]*>", rels):
                    external = 'TargetMode="External"' in found.group(0)
                    assert not external or "/hyperlink" in found.group(0), found.group(0)
            elif name.endswith(".xml"):
                root = etree.fromstring(archive.read(name))
                fields = [e.get(f"{{{W}}}instr", "") for e in root.iter(f"{{{W}}}fldSimple")]
                fields += [e.text or "" for e in root.iter(f"{{{W}}}instrText")]
                for instruction in fields:
                    assert not re.match(r"\s*(INCLUDE|LINK|DDE|IMPORT)", instruction), (name, instruction)


# ---------------------------------------------------------------- narrative text in unit.yaml

def narrative(world: dict, value: str) -> None:
    path = world["project"] / HUADU / "unit.yaml"
    text = path.read_text(encoding="utf-8")
    block = "  存在的主要问题: |\n" + "".join(f"    {line}\n" for line in fill(value, world).split("\n"))
    changed, count = re.subn(r"^  存在的主要问题: \|\n(?:    .*\n|\n)+?(?=  \S)", lambda _: block, text, flags=re.M)
    assert count == 1
    path.write_text(changed, encoding="utf-8")


NARRATIVE = [
    # local files and addresses through pictures, links and raw HTML
    "![x](CANARY)", "![x](file://CANARY)", "![x](../../../secret/canary.txt)", "![x](http://127.0.0.1:PORT/a.png)",
    '<img src="CANARY">', '<img src="http://127.0.0.1:PORT/x">', "<iframe src='http://127.0.0.1:PORT/'></iframe>",
    "[点此](javascript:alert(1))", "<a href='javascript:alert(1)'>点此</a>", '<p onclick="alert(1)">文字</p>',
    "<script>alert(1)</script>", "<link rel=stylesheet href='http://127.0.0.1:PORT/a.css'>",
    # raw blocks, metadata, TeX
    "```{=html}\n<img src='http://127.0.0.1:PORT/raw'>\n```",
    '```{=openxml}\n<w:p><w:fldSimple w:instr="INCLUDETEXT CANARY"/></w:p>\n```',
    "---\ntitle: x\nheader-includes: <script src='http://127.0.0.1:PORT/'></script>\n---",
    "\\input{CANARY}", "\\include{CANARY}", "$\\input{CANARY}$", "\\immediate\\write18{touch PWNED}",
    # commands through the sandbox
    '{{ cycler.__init__.__globals__.os.system("touch PWNED") }}',
    '{{ lipsum.__globals__["os"].popen("touch PWNED").read() }}',
    "{% include 'CANARY' %}", "{% include '../../../secret/canary.txt' %}",
]


@pytest.mark.slow
@pytest.mark.parametrize("value", NARRATIVE)
def test_narrative_text_reads_no_file_opens_no_address_runs_nothing(world, value):
    narrative(world, value)
    assert_contained(world, attempt(world))


@pytest.mark.parametrize(("typed", "shown"), [
    ("D:\\data\\report\\new", "D:\\data\\report\\new"),
    ("路径 C:\\temp\\x_1\\*.csv 与 \\\\server\\share", "路径 C:\\temp\\x_1\\*.csv 与 \\\\server\\share"),
    ("```{=html}\n<b>粗</b>\n```", "```{=html} <b>粗</b> ```"),
    ("$x^2$ 与 \\textbf{粗} 与 \\newline", "$x^2$ 与 \\textbf{粗} 与 \\newline"),
    ("[链接](javascript:alert(1))", "[链接](javascript:alert(1))"),
    ("---\ntitle: 覆盖\n---", "--- title: 覆盖 ---"),
])
@pytest.mark.slow
def test_narrative_comes_out_as_typed_in_word_and_html(world, typed, shown):
    narrative(world, typed)
    out = attempt(world)
    assert out is not None
    page = lxml.html.document_fromstring((out / "report.html").read_bytes())
    html_text = " ".join(p.text_content() for p in page.xpath("//p"))
    word_text = " ".join(p.text for p in Document(str(out / "report.docx")).paragraphs)
    squeeze = lambda s: " ".join(s.split())  # noqa: E731 (line breaks of the YAML block become spaces)
    assert squeeze(shown) in squeeze(html_text)
    assert squeeze(shown) in squeeze(word_text)


# ---------------------------------------------------------------- the unit's own report template

CHAPTER = '{%% extends "default/department/report.md.j2" %%}\n{%% block problems %%}\n## 存在的主要问题\n\n%s\n{%% endblock %%}\n'

TEMPLATE = NARRATIVE + [
    "![x](CANARY){width=10cm}", "[x]{style=\"background:url(http://127.0.0.1:PORT/)\"}",
    "::: {onclick=alert(1)}\n文字\n:::", "```{=latex}\n\\input{CANARY}\n```",
    '```{=openxml}\n<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>INCLUDEPICTURE '
    '"http://127.0.0.1:PORT/x.png"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>\n```',
    '```{=openxml}\n<w:p><w:hyperlink r:id="rId1"><w:r><w:t>x</w:t></w:r></w:hyperlink></w:p>\n```',
    "{% include '/etc/passwd' %}", "{% import 'CANARY' as x %}",
    '{{ self.__init__.__globals__.__builtins__.__import__("os").system("touch PWNED") }}',
    '{{ "".__class__.__mro__[1].__subclasses__() }}',
]


@pytest.mark.slow
@pytest.mark.parametrize("body", TEMPLATE)
def test_a_unit_template_reads_no_file_opens_no_address_runs_nothing(world, body):
    own = world["project"] / HUADU / "templates/department/report.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text(CHAPTER % fill(body, world), encoding="utf-8")
    assert_contained(world, attempt(world))


# ---------------------------------------------------------------- stylesheet, Word styles and form

@pytest.mark.parametrize("css", [
    "@import url(http://127.0.0.1:PORT/a.css);", "@import 'CANARY';", "body { background: url(CANARY) }",
    "body { background: URL( 'http://127.0.0.1:PORT/x' ) }", "body { background-image: image-set('x.png' 1x) }",
    "body { background: u\\72l(http://127.0.0.1:PORT/) }", "body { width: expression(alert(1)) }",
    "body { color: red } </style><script>alert(1)</script>", "@font-face { src: url(http://127.0.0.1:PORT/f.woff) }",
])
@pytest.mark.slow
def test_a_unit_stylesheet_cannot_pull_anything_in(world, css):
    sheet = world["project"] / HUADU / "templates/report.css"
    sheet.parent.mkdir(parents=True)
    sheet.write_text("p { color: #000; }\n" + fill(css, world) + "\n", encoding="utf-8")
    assert attempt(world) is None  # refused with the file and line
    assert_contained(world, None)


def linked_document(world: dict, external: str) -> bytes:
    """A Word file that asks to load `external`: a linked picture, an attached template, and INCLUDE fields."""
    document = Document(str(DEFAULTS / "project/自评表.docx"))
    part = document.part
    rid = part.relate_to(external, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
                         is_external=True)
    paragraph = document.add_paragraph()
    paragraph._p.append(paragraph._p.makeelement(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fldSimple",
        {"{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instr": f'INCLUDETEXT "{world["canary"]}"'}))
    blip = paragraph._p.makeelement("{http://schemas.openxmlformats.org/drawingml/2006/main}blip",
                                    {"{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link": rid})
    paragraph._p.append(blip)
    document.part._settings_part.relate_to(
        "file://" + str(world["canary"]),
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate", is_external=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("target", ["http://127.0.0.1:PORT/x.png", "file://CANARY", "CANARY"])
def test_word_files_of_a_unit_load_nothing_in_the_outputs(world, target):
    """A form or reference.docx that links pictures, templates or files: the outputs keep none of the links."""
    folder = world["project"] / SHAOGUAN / "templates"
    (folder / "project").mkdir(parents=True)
    (folder / "project/自评表.docx").write_bytes(linked_document(world, fill(target, world)))
    (folder / "reference.docx").write_bytes(linked_document(world, fill(target, world)))
    out = attempt(world, "shaoguan")
    assert out is not None
    assert_contained(world, out)


@pytest.mark.parametrize("tag", [
    '{{ project.__class__.__mro__[1].__subclasses__() }}', '{{ cycler.__init__.__globals__.os.system("touch PWNED") }}',
    "{% include 'CANARY' %}", "{% import '/etc/passwd' as x %}", "{{ range(10**9) | list }}",
    '{{ "x".ljust(10**9) }}', '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}',
    '{{ "%s" | format("<w:fldSimple w:instr=\'INCLUDETEXT CANARY\'/>") | safe }}',
])
@pytest.mark.slow
def test_a_unit_form_runs_in_the_sandbox(world, tag):
    document = Document(str(DEFAULTS / "project/自评表.docx"))
    document.add_paragraph(fill(tag, world))
    form = world["project"] / SHAOGUAN / "templates/project/自评表.docx"
    form.parent.mkdir(parents=True)
    document.save(str(form))
    assert_contained(world, attempt(world, "shaoguan"))


# ---------------------------------------------------------------- symlinks out of inputs/

def link_template(world: dict) -> None:
    own = world["project"] / HUADU / "templates/department"
    own.mkdir(parents=True)
    (own / "report.md.j2").symlink_to(world["canary"])


def link_folder(world: dict) -> None:
    outside = world["canary"].parent / "department"
    outside.mkdir()
    (outside / "report.md.j2").write_text(SECRET, encoding="utf-8")
    (world["project"] / HUADU / "templates").symlink_to(world["canary"].parent)


def link_include(world: dict) -> None:
    own = world["project"] / HUADU / "templates/department"
    own.mkdir(parents=True)
    (own / "secret.md").symlink_to(world["canary"])
    (own / "report.md.j2").write_text(CHAPTER % '{% include "department/secret.md" %}', encoding="utf-8")


def link_subfolder(world: dict) -> None:
    own = world["project"] / HUADU / "templates"
    own.mkdir(parents=True)
    (own / "department").symlink_to(world["canary"].parent)
    (world["canary"].parent / "report.md.j2").write_text(SECRET, encoding="utf-8")


def link_stylesheet(world: dict) -> None:
    own = world["project"] / HUADU / "templates"
    own.mkdir(parents=True)
    (own / "report.css").symlink_to(world["canary"])


def link_device(world: dict) -> None:
    own = world["project"] / HUADU / "templates/department"
    own.mkdir(parents=True)
    (own / "report.md.j2").symlink_to("/dev/zero")


def link_reference(world: dict) -> None:
    own = world["project"] / HUADU / "templates"
    own.mkdir(parents=True)
    (own / "reference.docx").symlink_to(world["canary"])


def link_loop(world: dict) -> None:
    own = world["project"] / HUADU / "templates"
    own.mkdir(parents=True)
    (own / "report.css").symlink_to(own / "report.css")


@pytest.mark.slow
@pytest.mark.parametrize("setup", [link_template, link_folder, link_include, link_subfolder, link_stylesheet,
                                   link_device, link_reference, link_loop])
def test_symlinks_out_of_inputs_are_refused(world, setup):
    setup(world)
    with pytest.raises(PipelineError) as caught:
        build(world["project"], "huadu", formats=FORMATS)
    message = str(caught.value)
    assert SECRET not in message
    assert re.search(r"符号链接|不是普通文件", message), message
    assert not (world["project"] / "output").exists()


def test_a_symlink_inside_the_unit_is_followed_and_one_to_shared_templates_is_not(world):
    """A link that stays in the unit's own folder is followed; sharing a template goes through a template group (模板组),
    not a link to inputs/templates/."""
    kept = world["project"] / HUADU / "drafts/chapter.md.j2"
    kept.parent.mkdir(parents=True)
    kept.write_text(CHAPTER % "单位自己的文字。", encoding="utf-8")
    own = world["project"] / HUADU / "templates/department"
    own.mkdir(parents=True)
    (own / "report.md.j2").symlink_to("../../drafts/chapter.md.j2")
    _, written = build(world["project"], "huadu", formats=("md",))
    assert "单位自己的文字。" in (written[0].parent / "report.md").read_text(encoding="utf-8")
    shared = world["project"] / "inputs/templates/shared.md.j2"
    shared.parent.mkdir(parents=True, exist_ok=True)
    shared.write_text(CHAPTER % "共用模板的文字。", encoding="utf-8")
    (own / "report.md.j2").unlink()
    (own / "report.md.j2").symlink_to(shared)
    with pytest.raises(PipelineError, match="inputs/templates/shared.md.j2 的符号链接"):
        build(world["project"], "huadu", formats=("md",))


def test_the_command_line_refuses_without_a_traceback(world, capsys):
    link_include(world)
    assert main(["--root", str(world["project"]), "report", "huadu"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "符号链接" in err and SECRET not in err


def test_copying_a_unit_with_a_link_out_is_refused(world, capsys):
    """make new --from: a link out of the copied unit's folder is neither followed nor carried into the new unit."""
    link_include(world)
    assert main(["--root", str(world["project"]), "new", "copied", "--from", "huadu"]) == 2
    err = capsys.readouterr().err
    assert "templates/department/secret.md" in err and "符号链接" in err and SECRET not in err
    assert not (world["project"] / "inputs/copied").exists()
    assert not [p for p in (world["project"] / "inputs").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(("body", "reason"), [
    ("![x](/etc/passwd)", "报告引用了没有生成的图片：/etc/passwd"),
    ("```{=html}\n<script>alert(1)</script>\n```", "不允许的原始 html 内容"),
    ("```{=latex}\n\\input{/etc/passwd}\n```", "不允许的原始 latex 内容"),
])
@pytest.mark.slow
def test_a_refused_picture_or_raw_block_names_the_unit_template(project, body, reason):
    own = project / HUADU / "templates/department/report.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text(CHAPTER % body, encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        build(project, "huadu", formats=("docx",))
    assert str(caught.value).startswith("inputs/huadu/2023/templates/department/report.md.j2：")
    assert reason in str(caught.value)
