"""An Outcome is changed with dataclasses.replace, never rebuilt field by field: a rebuild that forgets a field (the
rate, the status) drops it silently."""
from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from pipeline.rules.outcome import Outcome

PACKAGE = Path(__file__).resolve().parents[2] / "pipeline"
FIELDS = {f.name for f in dataclasses.fields(Outcome)}


def rebuilds(tree: ast.AST) -> list[int]:
    """Lines where an Outcome is made from two or more fields of one other value passed on as they are (o.standard,
    o.inputs …); an outcome made of its parts' fields (a composite's) is a new one, not a copy."""
    found = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        if not (isinstance(call.func, ast.Name) and call.func.id == "Outcome"):
            continue
        copied = [arg.value.id for arg in [*call.args, *(k.value for k in call.keywords)]
                  if isinstance(arg, ast.Attribute) and arg.attr in FIELDS and isinstance(arg.value, ast.Name)]
        if any(copied.count(name) >= 2 for name in copied):
            found.append(call.lineno)
    return found


def test_no_outcome_is_rebuilt_field_by_field():
    found = {path.relative_to(PACKAGE).as_posix(): lines for path in sorted(PACKAGE.rglob("*.py"))
             if (lines := rebuilds(ast.parse(path.read_text(encoding="utf-8"))))}
    assert not found, f"use dataclasses.replace: {found}"


def test_the_probe_sees_a_rebuild():
    assert rebuilds(ast.parse("Outcome(o.points, o.standard, o.inputs, reason)"))
    assert rebuilds(ast.parse("Outcome(ZERO, outcome.standard, reason=r, rate=outcome.rate)"))
    assert not rebuilds(ast.parse("Outcome(points, standard, inputs, deducted(node, points, what), rate)"))
    assert not rebuilds(ast.parse("Outcome(sum(o.points for o in parts), '；'.join(o.standard for o in parts))"))
