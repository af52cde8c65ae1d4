"""pipeline/limits.py is the one table of limits: every limit has its reason beside it, and no other module of the
package defines a limit of its own (a second MAX_ROWS of another value, a size or a timeout in a corner)."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
TABLE = PACKAGE / "limits.py"
# what a limit is called: the most, the largest, how deep, how long, how many bytes
LIMIT_NAME = re.compile(r"^(MAX|MIN|MOST|LARGEST|LONGEST|DEEPEST|TIMEOUT)(_|$)|_(SECONDS|TIMEOUT|BYTES|LIMIT|GRACE)$")


def _numeric(node: ast.AST) -> bool:
    """A number, or arithmetic on numbers (5 * 2**20)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    if isinstance(node, ast.BinOp):
        return _numeric(node.left) and _numeric(node.right)
    return isinstance(node, ast.UnaryOp) and _numeric(node.operand)


def constants(tree: ast.Module) -> list[tuple[str, int]]:
    """Names given a number at module or class level: (name, line)."""
    found = []
    bodies = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for node in body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            value = getattr(node, "value", None)
            found += [(t.id, node.lineno) for t in targets if isinstance(t, ast.Name) and value is not None and _numeric(value)]
    return found


def test_no_module_but_limits_defines_a_limit() -> None:
    own = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == TABLE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own += [f"{path.relative_to(ROOT).as_posix()}:{line} {name}" for name, line in constants(tree)
                if LIMIT_NAME.search(name)]
    assert not own, "limits belong in pipeline/limits.py, with their reason: " + ", ".join(own)


def test_the_walk_sees_a_limit_where_one_is_defined() -> None:
    """The probe itself: the table's own constants, and one planted in a class, are found."""
    names = {name for name, _ in constants(ast.parse(TABLE.read_text(encoding="utf-8")))}
    assert {"MAX_ROWS", "RUN_SECONDS", "MAX_TEXT_BYTES"} <= names
    planted = ast.parse("class Cache:\n    LARGEST = 16\nTIMEOUT = 2 * 60\nNAME = 'x'\n")
    assert sorted(name for name, _ in constants(planted) if LIMIT_NAME.search(name)) == ["LARGEST", "TIMEOUT"]


def test_every_limit_in_the_table_says_why() -> None:
    source = TABLE.read_text(encoding="utf-8")
    commented = {token.start[0] for token in tokenize.generate_tokens(io.StringIO(source).readline)
                 if token.type == tokenize.COMMENT}
    table = constants(ast.parse(source))
    assert len(table) >= 40
    silent = [name for name, line in table if line not in commented]
    assert not silent, f"limits without a reason: {silent}"


def test_one_row_limit_for_data_tables_and_forms_alike(tmp_path: Path) -> None:
    """The importer's Word tables and a unit's CSV and sheets stop at the same count (once 5,000 against 10,000)."""
    from pipeline.importer import docx_tables
    from pipeline.inputs import tables, workbook
    from pipeline.limits import MAX_ROWS
    assert docx_tables.MAX_ROWS is tables.MAX_ROWS is workbook.MAX_ROWS is MAX_ROWS
