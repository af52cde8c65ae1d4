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
    ("pipeline.codes", "pipeline.errors", "pipeline.limits", "pipeline.numbers", "pipeline.deadline"),
    ("pipeline.inputs", "pipeline.rules"),
    ("pipeline.figures",),
    ("pipeline.findings", "pipeline.evaluation"),  # what a re-check finds in the figures; the evaluation is the result
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


def _branches(path: Path, names: set[str]) -> list[int]:
    """The lines where a file compares a rule's type to a name, or reads a rule's audit entries (outcome.inputs) by key."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            typed = any(isinstance(s, ast.Attribute) and s.attr in ("type", "rule_type") or
                        isinstance(s, ast.Name) and s.id == "rule_type" for s in sides)
            if typed and any(isinstance(s, ast.Constant) and s.value in names for s in sides):
                found.append(node.lineno)
        target = node.value if isinstance(node, ast.Subscript) else (
            node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get" else None)
        if isinstance(target, ast.Attribute) and target.attr == "inputs" and (
                isinstance(target.value, ast.Attribute) and target.value.attr == "outcome"
                or isinstance(target.value, ast.Name) and target.value.id == "outcome"):
            found.append(node.lineno)
    return sorted(found)


def test_only_a_rule_types_module_knows_its_name_and_its_audit_entries():
    """The score table, the narrative, the form, the checks and the importer take a rule's wording from its module
    (rules.wording, Shown) and ask the registry what a type does; none branches on a type's name."""
    from pipeline.rules.registry import BY_NAME

    outside = [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "rules"]
    found = [f"{path.relative_to(ROOT)}:{line}" for path in outside for line in _branches(path, set(BY_NAME))]
    assert found == []


def test_the_branch_finder_sees_each_kind_of_branch(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('if leaf.rule_type == "completion":\n    x = leaf.outcome.inputs.get("档次")\n'
                      'y = outcome.inputs["测算指标"]\nz = row.type != "tiers"\nw = said.get("band")\n', encoding="utf-8")
    assert _branches(sample, {"completion", "tiers", "band"}) == [1, 2, 3, 4]
