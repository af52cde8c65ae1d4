"""One writer of a unit's output: make report, make all, the cluster and the web app all hand their files to
run.publish, the only caller of write.write; no other module of the program opens a file for writing except those
listed here, each for a reason that is not a unit's output."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
WRITER = "write.py"
# modules that write files themselves, and what they write (never output/<unit>/<year>/)
WRITES_ITSELF = {
    "importer/convert.py": "a copy of a form in a scratch folder, for LibreOffice to convert",
    "importer/write_unit.py": "a unit's input files in a scratch folder, to check them before they are created",
    "report/compiled.py": "the shipped templates' compiled code in the user's private cache folder",
    "report/markdown_ast.py": "the reference document in a scratch folder, for pandoc to read",
    "report/pdf.py": "the Word report in LibreOffice's scratch folder",
    "report/pdf_converter.py": "LibreOffice's log in its scratch folder",
    "tools/next_year.py": "next year's input files in a staging folder, put in place by write.create",
    "tools/scaffold.py": "a new unit's input files",
    "tools/unit_template.py": "a unit's 数据.xlsx, swapped in beside its inputs",
    "web/accounts.py": "the web app's accounts file",
    "web/app.py": "a scratch copy of inputs/ for the demonstration",
    "web/narrative.py": "unit.yaml's 正文 edited in the browser",
    "web/units.py": "unit.yaml's framework chosen in the browser",
    "web/uploads.py": "files uploaded into a unit's input folder",
}
WRITE_MODES = set("wax+")
WRITE_METHODS = {"write_bytes", "write_text"}
# module functions that make or move files: os.replace, shutil.copyfile, tempfile.mkstemp …
WRITE_FUNCTIONS = {"os": {"replace", "rename"}, "shutil": {"copyfile", "copy", "copy2", "copytree", "move"},
                   "tempfile": {"mkstemp"}}


def modules() -> dict[str, ast.Module]:
    return {path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def _mode(call: ast.Call, position: int) -> str:
    """The mode an open() call is given, by keyword or at its place; "" when none or not a literal."""
    mode = next((k.value for k in call.keywords if k.arg == "mode"), None)
    if mode is None and len(call.args) > position:
        mode = call.args[position]
    return mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else ""


def writes(tree: ast.Module) -> list[int]:
    """Lines where the module opens or makes a file for writing itself."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "open" and isinstance(func, ast.Name):
            written = bool(WRITE_MODES & set(_mode(node, 1)))
        elif name in ("open", "fdopen") and isinstance(func, ast.Attribute):  # path.open(mode) / os.fdopen(fd, mode)
            written = bool(WRITE_MODES & set(_mode(node, 1 if name == "fdopen" else 0)))
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in WRITE_FUNCTIONS:
            written = name in WRITE_FUNCTIONS[func.value.id]
        else:
            written = name in WRITE_METHODS
        if written:
            found.append(node.lineno)
    return found


def test_no_module_but_the_writer_and_those_listed_writes_files():
    found = {name for name, tree in modules().items() if writes(tree)} - {WRITER}
    assert found <= set(WRITES_ITSELF), f"writes files without going through pipeline/{WRITER}: {sorted(found - set(WRITES_ITSELF))}"


def test_the_probe_sees_a_writer():
    """The walk finds what it claims to: the writer module itself, and a written probe of each kind."""
    assert writes(modules()[WRITER])
    probe = ast.parse("open(p, 'wb')\np.open('a')\npath.write_text('x')\nos.replace(a, b)\nos.fdopen(h, 'w')\n"
                      "shutil.copyfile(a, b)\ntempfile.mkstemp()\nopen(p, mode='x')")
    assert len(writes(probe)) == 8
    assert not writes(ast.parse("open(p)\np.open('rb')\nos.fdopen(h)\ntext.replace(a, b)\nread_text()\na.copy()"))


def callers(name: str) -> set[tuple[str, str]]:
    """(module, function) of every call of write.<name> in the program."""
    found = set()
    for module, tree in modules().items():
        imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and (node.module or "").split(".")[-1] == "write" for alias in node.names if alias.name == name}
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                f = call.func
                if isinstance(f, ast.Name) and f.id in imported and module != WRITER \
                        or isinstance(f, ast.Attribute) and f.attr == name and isinstance(f.value, ast.Name) \
                        and f.value.id == "write":
                    found.add((module, function.name))
    return found


def test_a_units_output_is_written_by_one_function():
    assert callers("write") == {("run.py", "publish")}


def called(name: str) -> set[tuple[str, str]]:
    """(module, innermost function) of every call of a function by this name."""
    found = set()
    for module, tree in modules().items():
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            inner = {id(c) for f in ast.walk(function) if f is not function and isinstance(f, ast.FunctionDef)
                     for c in ast.walk(f)}
            if any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == name and id(c) not in inner
                   for c in ast.walk(function)):
                found.add((module, function.name))
    return found


def test_every_path_that_writes_a_unit_goes_through_the_one_writer():
    """make report and the web app build with run.build; make all and the cluster with batch.build_chunk."""
    assert called("publish") == {("run.py", "build"), ("batch.py", "build_chunk")}
    assert ("web/unit_page.py", "work") in called("build")
    assert ("batch.py", "build_one") in called("build_chunk")  # the pool and the cluster are handed build_chunk itself
    assert "build_chunk" in ast.unparse(modules()["batch.py"]).split("def build_all", 1)[1].split("def _in_pool")[0]
