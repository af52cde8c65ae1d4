"""A unit's files against other units, against the Word programs that open its output, and against a disk that refuses:
each class tried by several routes, with a canary file in another unit, a listener socket and a "ran" marker."""
from __future__ import annotations

import errno
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.__main__ import main
from pipeline.report.word.inert import inert_docx
from pipeline.run import build
from tests.test_security import FORMATS, HUADU, PWNED, SHAOGUAN, listener, world  # noqa: F401 (fixtures)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OTHER = "OTHER-UNIT-LIANJIANG-7c1e"  # planted in another unit's folder: no output or message of huadu may show it


def plant(project: Path) -> Path:
    """A line only lianjiang's unit.yaml holds, and a CSV of lianjiang's."""
    unit = project / "inputs/lianjiang/2024/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + f"# {OTHER}\n", encoding="utf-8")
    (project / "inputs/lianjiang/2024/secret.csv").write_text(f"a,b\n{OTHER},1\n", encoding="utf-8")
    return project / "inputs/lianjiang/2024"


def link(path: Path, target: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


# every place a unit's file is opened, each made a link into another unit or another year
ROUTES = {
    "unit.yaml": lambda p: link(p / HUADU / "unit.yaml", "../../lianjiang/2024/unit.yaml"),
    "budget table": lambda p: link(p / HUADU / "budget.csv", "../../lianjiang/2024/budget.csv"),
    "indicators": lambda p: link(p / HUADU / "indicators.csv", "../../lianjiang/2024/secret.csv"),
    "own framework": lambda p: link(p / HUADU / "frameworks/huadu-2023.yaml", "../../../lianjiang/2024/unit.yaml"),
    "report template": lambda p: link(p / HUADU / "templates/department/report.md.j2", "../../../../lianjiang/2024/unit.yaml"),
    "templates folder": lambda p: link(p / HUADU / "templates", "../../lianjiang/2024"),
    "reference.docx": lambda p: link(p / HUADU / "templates/reference.docx", "../../../lianjiang/2024/unit.yaml"),
    "report.css": lambda p: link(p / HUADU / "templates/report.css", "../../../lianjiang/2024/unit.yaml"),
    "another year": lambda p: link(p / HUADU / "templates/department/report.md.j2", "../../../2022/unit.yaml"),
    "year folder": lambda p: (shutil.rmtree(p / "inputs/huadu/2023"), link(p / "inputs/huadu/2023", "../lianjiang/2024")),
    "unit folder": lambda p: (shutil.rmtree(p / "inputs/huadu"), link(p / "inputs/huadu", "lianjiang")),
    "group folder": lambda p: link(p / "inputs/templates/grp", "../lianjiang/2024"),
}


def with_group(project: Path) -> None:
    unit = project / HUADU / "unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("\n评价体系:", "\n模板组: grp\n评价体系:", 1), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("route", list(ROUTES))
def test_a_unit_reads_no_other_unit_and_no_other_year(world, route, capsys):  # noqa: F811
    project = world["project"]
    plant(project)
    (project / "inputs/huadu/2022").mkdir()
    (project / "inputs/huadu/2022/unit.yaml").write_text(f"# {OTHER}\n单位名称: x\n", encoding="utf-8")
    if route == "group folder":
        with_group(project)
    if route == "own framework":
        unit = project / HUADU / "unit.yaml"
        name = re.search(r"^评价体系: *(\S+)", unit.read_text(encoding="utf-8"), re.M).group(1)
        link(project / HUADU / f"frameworks/{name}.yaml", "../../../lianjiang/2024/unit.yaml")
    else:
        ROUTES[route](project)
    code = main(["--root", str(project), "report", "huadu", "--formats", ",".join(FORMATS)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and OTHER not in err and "符号链接" in err, err
    assert re.search(r"inputs/(huadu|templates)\S*", err), err  # the file (or folder) is named
    assert re.search(r"指向 (inputs/lianjiang|inputs/huadu/2022)", err), err  # and where it leads
    assert not (project / "output/huadu").exists()
    assert world["seen"] == [] and not (Path.cwd() / PWNED).exists()


def test_the_writers_go_through_no_link(world, capsys):  # noqa: F811
    """new --from, next, styles and import: a link in the way is refused, nothing lands in the other unit."""
    project = world["project"]
    lianjiang = plant(project)
    before = sorted(p.name for p in lianjiang.rglob("*"))
    link(project / HUADU / "templates", "../../lianjiang/2024")
    assert main(["--root", str(project), "styles", "huadu"]) == 2
    assert main(["--root", str(project), "new", "copy", "--from", "huadu"]) == 2
    (project / HUADU / "templates").unlink()
    link(project / HUADU / "templates/reference.docx", "../../../lianjiang/2024/new.docx")  # dangling
    assert main(["--root", str(project), "styles", "huadu"]) == 2
    link(project / "inputs/other", "lianjiang")
    assert main(["--root", str(project), "new", "other", "--kind", "project"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and OTHER not in err and err.count("符号链接") >= 3, err
    assert sorted(p.name for p in lianjiang.rglob("*")) == before
    assert not (project / "inputs/copy").exists()
    assert not [p for p in (project / "inputs").iterdir() if p.name.startswith(".")]


def test_review_follows_no_link(world, tmp_path):  # noqa: F811
    from pipeline.importer.review import reviewing

    folder = tmp_path / "received"
    folder.mkdir()
    (folder / "a.docx").symlink_to(world["canary"])
    (folder / "b.xlsx").symlink_to(world["project"] / "inputs")
    (folder / "c.docx").mkdir()
    with reviewing(world["project"], folder) as done:
        rows = list(done.forms)
    assert [r.file for r in rows] == ["a.docx", "b.xlsx", "c.docx"]
    assert all(r.status == "未读取" and r.computed is None and len(r.findings) == 1 for r in rows)
    assert "符号链接" in rows[0].findings[0][-1] and "不是普通文件" in rows[2].findings[0][-1]


# ---------------------------------------------------------------- Word output

def hostile_parts(world: dict) -> tuple[str, dict[str, str]]:
    """Body XML that loads the canary or calls the listener in every way the brief names, and external relationships."""
    canary, port = str(world["canary"]), world["port"]
    ns = f'xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'

    def field(code: str, result: str, dirty: bool = False) -> str:
        mark = ' w:dirty="true"' if dirty else ""
        return (f'<w:r><w:fldChar w:fldCharType="begin"{mark}/></w:r><w:r><w:instrText xml:space="preserve">{code}'
                f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>')

    nested = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> QUOTE </w:instrText></w:r>'
              + field(f' INCLUDEPICTURE "http://127.0.0.1:{port}/q.png" \\d ', "内层")
              + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>外层</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    body = "".join(f"<w:p {ns}>{p}</w:p>" for p in (
        nested,
        f'<w:fldSimple w:instr=" QUOTE "><w:fldSimple w:instr=\'INCLUDETEXT "{canary}"\'><w:r><w:t>简单</w:t></w:r>'
        '</w:fldSimple></w:fldSimple>',
        field(f' HYPERLINK "file:///{canary}" ', "链接"),
        field(f' LINK Excel.Sheet "{canary}" "" \\a ', "嵌入"),
        field(' DATE \\@ "yyyy" ', "日期"),
        field(" PAGE ", "1", dirty=True),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>INCLUDE</w:instrText></w:r>'
        f'<w:r><w:instrText>TEXT "{canary}"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
        f'<w:r><w:pict><v:shape><v:imagedata src="file:///{canary}" o:href="http://127.0.0.1:{port}/v.png"/>'
        '</v:shape></w:pict></w:r>',
    ))
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    external = {kind: f'<Relationship Id="rIdX{i}" Type="{rel}{kind}" Target="{target}" TargetMode="External"/>'
                for i, (kind, target) in enumerate((("image", f"file:///{canary}"), ("hyperlink", f"file:///{canary}"),
                                                    ("oleObject", f"http://127.0.0.1:{port}/o"),
                                                    ("attachedTemplate", f"http://127.0.0.1:{port}/t.dotm"),
                                                    ("font", f"http://127.0.0.1:{port}/f.ttf"),
                                                    ("frame", f"http://127.0.0.1:{port}/frame.html")))}
    return body, external


def hostile_docx(data: bytes, world: dict) -> bytes:
    """A Word file with the hostile body in its document, headers and footers, external relationships in every part
    (document, headers, footers, styles, settings, fonts, numbering, webSettings, customXml) and settings acting on open."""
    body, external = hostile_parts(world)
    rels = "".join(external.values())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name in [n for n in parts if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]:
        text = parts[name].decode("utf-8")
        anchor = "<w:body>" if name == "word/document.xml" else re.search(r"<w:(hdr|ftr)[^>]*>", text).group(0)
        parts[name] = text.replace(anchor, anchor + body, 1).encode("utf-8")
    settings = parts["word/settings.xml"].decode("utf-8")
    opening = re.search(r"<w:settings[^>]*>", settings).group(0)
    parts["word/settings.xml"] = settings.replace(opening, opening + (
        f'<w:attachedTemplate xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdX3"/>'
        '<w:updateFields w:val="true"/><w:linkStyles/><w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
        f'<w:query w:val="SELECT * FROM {world["canary"]}"/></w:mailMerge>'), 1).encode("utf-8")
    parts["customXml/item1.xml"] = b'<?xml version="1.0"?><data/>'
    for part in ("document", "styles", "settings", "fontTable", "numbering", "webSettings", "footer1", "header1"):
        name = f"word/_rels/{part}.xml.rels"
        old = parts.get(name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                              b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
        parts[name] = old.replace(b"</Relationships>", rels.encode("utf-8") + b"</Relationships>")
    parts["customXml/_rels/item1.xml.rels"] = parts["word/_rels/styles.xml.rels"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


KEPT_FIELD = re.compile(r"\s*(PAGE|NUMPAGES|TOC|PAGEREF|REF|SEQ|STYLEREF|SECTIONPAGES)\b")


def assert_shows_only(data: bytes, world: dict) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            if not name.endswith((".xml", ".rels")):
                continue
            text = content.decode("utf-8")
            assert str(world["canary"]) not in text and f"127.0.0.1:{world['port']}" not in text, name
            for found in re.findall(r"<Relationship [^>]*>", text):  # only a web or mail hyperlink points outside
                assert 'TargetMode="External"' not in found or re.search(
                    r'/hyperlink" Target="(https?://|mailto:)', found), (name, found)
            root = etree.fromstring(content)
            codes = [e.get(f"{{{W}}}instr", "") for e in root.iter(f"{{{W}}}fldSimple")]
            codes += ["".join(e.text or "" for e in root.iter(f"{{{W}}}instrText"))] if name.startswith("word/") else []
            for code in codes:
                assert not code or KEPT_FIELD.match(code), (name, code)
            for tag in ("updateFields", "linkStyles", "mailMerge", "attachedTemplate"):
                assert root.find(f".//{{{W}}}{tag}") is None, (name, tag)
            assert not root.xpath("//@w:dirty", namespaces={"w": W}), name
            assert not [a for e in root.iter(etree.Element) for a in e.attrib
                        if a.startswith("{urn:schemas-microsoft-com:") and a.endswith(("href", "}src"))], name


@pytest.mark.slow
def test_word_output_keeps_no_external_reference_and_nothing_that_updates(world):  # noqa: F811
    from pipeline.report.word.reference import reference_docx

    hostile = hostile_docx(reference_docx(), world)
    assert "内层" not in inert_docx(hostile).decode("latin-1")  # a field nested in another's code goes with it
    assert_shows_only(inert_docx(hostile), world)
    folder = world["project"] / SHAOGUAN / "templates"
    (folder / "project").mkdir(parents=True)
    form = (Path(__file__).parent.parent / "pipeline/templates/project/自评表.docx").read_bytes()
    (folder / "project/自评表.docx").write_bytes(hostile_docx(form, world))
    (folder / "reference.docx").write_bytes(hostile)
    own = world["project"] / HUADU / "templates"
    own.mkdir(parents=True)
    (own / "reference.docx").write_bytes(hostile)
    for dept in ("shaoguan", "huadu"):
        _, written = build(world["project"], dept, formats=("md", "docx"))
        for docx in [p for p in written if p.suffix == ".docx"]:
            assert_shows_only(docx.read_bytes(), world)
    assert world["seen"] == []


@pytest.mark.slow
def test_our_own_report_loses_nothing(built_report):
    """The allow-list removes nothing from what the pipeline itself writes: inert_docx gives the same bytes."""
    assert inert_docx(built_report) == built_report


@pytest.fixture
def built_report(project):
    unit = project / HUADU / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    if "目录:" not in text:
        unit.write_text(text + "目录: true\n", encoding="utf-8")
    _, written = build(project, "huadu", formats=("docx",))
    return next(p for p in written if p.suffix == ".docx").read_bytes()


# ---------------------------------------------------------------- messages, files, processes

def test_refusals_are_located_chinese_messages(project, capsys, monkeypatch):
    root = ["--root", str(project)]
    unit = project / HUADU / "unit.yaml"
    original = unit.read_text(encoding="utf-8")
    for tagged in ("额外: !!float 1e400", "填报人: !!binary aGVsbG8=", "填报人: !!python/object:os.system x"):
        unit.write_text(original + tagged + "\n", encoding="utf-8")
        assert main([*root, "check", "huadu"]) == 2
        err = capsys.readouterr().err
        assert "不支持 YAML 标签 !!" in err and "unit.yaml 第" in err and not re.search(r"[a-z]{4,} [a-z]{4,}", err), err
    unit.write_text(original, encoding="utf-8")
    shutil.copytree(project / HUADU, project / "inputs/wide/２０２３")
    assert main([*root, "check", "wide"]) == 2
    assert "“２０２３”含全角" in capsys.readouterr().err
    form = Path(__file__).parent / "corpus" / "forms" / "f2-jishan-2021-自评表.xlsx"  # a form that imports
    assert main([*root, "import", str(form), "newunit", "--year", "99999"]) == 2
    err = capsys.readouterr().err
    assert "年度 99999 不合理" in err and "现有单位" not in err
    # a disk that refuses: located, exit 1, no traceback, nothing half made
    refuse = lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EROFS, os.strerror(errno.EROFS)))  # noqa: E731
    monkeypatch.setattr(Path, "mkdir", refuse)
    for command in (["next", "huadu"], ["new", "fresh", "--kind", "project"], ["styles", "huadu"]):
        assert main([*root, *command]) == 1, command
        err = capsys.readouterr().err
        assert "只读或没有权限" in err and "Traceback" not in err, err
    monkeypatch.undo()
    assert not (project / "inputs/fresh").exists() and not (project / "inputs/huadu/2024").exists()


def test_staging_left_by_a_killed_process_is_swept_and_files_have_usual_permissions(project):
    from pipeline.write import create, replace_file

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    leftovers = [project / "inputs/huadu" / f".2024.new-{dead}", project / "output" / f".汇总表.xlsx.new-{dead}-ab12"]
    leftovers[0].mkdir(parents=True)
    leftovers[1].parent.mkdir(parents=True, exist_ok=True)
    leftovers[1].write_bytes(b"half")
    alive = project / "inputs/huadu" / f".2025.new-{os.getpid()}-cd34"  # this process: still writing
    alive.mkdir()
    old = os.umask(0o022)
    try:
        create({"unit.yaml": b"x: 1\n"}, project / "inputs/huadu/2024")
        create({"2024/unit.yaml": b"x: 1\n"}, project / "inputs/brandnew")
        target = replace_file(project / "output/汇总表.xlsx", b"data")
    finally:
        os.umask(old)
    assert not leftovers[0].exists() and not leftovers[1].exists() and alive.exists()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert stat.S_IMODE((project / "inputs/huadu/2024").stat().st_mode) == 0o755
    assert stat.S_IMODE((project / "inputs/brandnew").stat().st_mode) == 0o755
    assert stat.S_IMODE((project / "inputs/huadu/2024/unit.yaml").stat().st_mode) == 0o644
