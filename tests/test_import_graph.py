"""The modules import with the flow of the data: what a unit typed (inputs, with the rules its framework carries) →
the figures computed from it → the report → the commands and tools; no module imports one of a later stage, and no
files import each other in a loop (imports made only for type hints count too)."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
# stages, earliest first; a module may import its own stage and earlier ones (a name not listed is a later stage)
STAGES = (
    ("pipeline.errors", "pipeline.limits", "pipeline.numbers", "pipeline.deadline"),
    ("pipeline.inputs", "pipeline.rules"),
    ("pipeline.figures",),
    ("pipeline.report",),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The pipeline modules a file imports, at any depth of its code (a type-only import too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pipeline"))
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            if target.startswith("pipeline"):
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
    return found


def graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the modules it imports; a package's face (its __init__) is left out: it only hands names on."""
    files = {module_name(p): p for p in root.rglob("*.py") if p.name != "__init__.py"}
    return {name: {t for t in imported(path) if t in files and t != name} for name, path in files.items()}


def stage(name: str) -> int:
    return next((i for i, group in enumerate(STAGES) if any(name == g or name.startswith(g + ".") for g in group)),
                len(STAGES))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_a_later_stage() -> None:
    against = sorted(f"{a} → {b}" for a, targets in graph().items() for b in targets
                     if stage(b) > stage(a))
    assert not against, "imports against the flow:\n" + "\n".join(against)


def test_no_files_import_each_other_in_a_loop() -> None:
    assert cycles(graph()) == []


def test_the_rules_read_the_unit_through_their_own_types() -> None:
    """A rule type names no model of the framework, the unit or the figures: those carry the rules."""
    edges = graph()
    for name, targets in edges.items():
        if name.startswith("pipeline.rules"):
            assert not {t for t in targets if t in ("pipeline.inputs.models", "pipeline.inputs.framework",
                                                    "pipeline.inputs.rule_types") or stage(t) > 1}, name


def test_the_checks_see_a_loop_and_a_backward_import(tmp_path: Path) -> None:
    """The walker is not blind: a loop and an import of a later stage written on purpose are found."""
    package = tmp_path / "pipeline"
    (package / "rules").mkdir(parents=True)
    (package / "figures").mkdir()
    for init in (package, package / "rules", package / "figures"):
        (init / "__init__.py").write_text("")
    (package / "rules" / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                            "    from ..figures.b import B\n")
    (package / "figures" / "b.py").write_text("from ..rules import a\n")
    import tests.test_import_graph as me
    original = me.ROOT
    me.ROOT = tmp_path
    try:
        edges = graph(package)
    finally:
        me.ROOT = original
    assert edges["pipeline.rules.a"] == {"pipeline.figures.b"}
    assert cycles(edges) == [["pipeline.figures.b", "pipeline.rules.a"]]
    assert stage("pipeline.figures.b") > stage("pipeline.rules.a")
