"""A measure's formula (测算指标的公式): + − × ÷, brackets and absolute values (绝对值(…) or |…|) over named figures and
decimal numbers, read with Python's ast under an allow-list of node types and evaluated here in exact decimals — never
eval. “上年.决算数” names last
year's figure; a division by zero gives None (printed “—”)."""
from __future__ import annotations

import ast
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from ..codes import BAD_FORMULA
from ..limits import MAX_FACT, MAX_FORMULA_CHARS, MAX_FORMULA_NODES

LAST_YEAR = "上年"
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
ABSOLUTE = ("绝对值", "abs")  # 绝对值(本年 - 上年); |本年 - 上年| is read as the same
EXAMPLE = "例如 三公经费支出 / 上年.三公经费支出，或 决算数 / (全年预算数 + 上年结余)，或 绝对值(决算数 - 全年预算数) / 全年预算数"


class FormulaError(ValueError):
    """A formula that is not + − × ÷ over names and numbers; the message says what, in Chinese."""

    code = BAD_FORMULA


def _normalised(text: str) -> str:
    text = (text.replace("×", "*").replace("÷", "/").replace("（", "(").replace("）", ")").replace("－", "-")
            .replace("＋", "+").replace("／", "/").replace("＊", "*").replace("．", ".").replace("｜", "|").strip())
    if text.count("|") % 2:
        raise FormulaError(f"公式中的绝对值符号“|”不成对：{text}；{EXAMPLE}")
    parts = text.split("|")  # |x| pairs, read left to right: the odd parts are inside
    return "".join(part if i % 2 == 0 else f"{ABSOLUTE[0]}({part})" for i, part in enumerate(parts))


def parse(text: str) -> ast.expr:
    """The formula's tree, every node of an allowed type; FormulaError otherwise."""
    source = _normalised(text)
    if not source:
        raise FormulaError(f"公式为空，{EXAMPLE}")
    if len(source) > MAX_FORMULA_CHARS:
        raise FormulaError(f"公式过长（{len(source)} 个字符，最多 {MAX_FORMULA_CHARS} 个）")
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError):
        raise FormulaError(f"公式无法识别：只能用 + - × ÷、括号、绝对值、数字和数据名称，{EXAMPLE}") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_FORMULA_NODES:
        raise FormulaError(f"公式过于复杂（最多 {MAX_FORMULA_NODES} 项）")
    for node in nodes:
        _allowed(node)
    return tree.body


def _allowed(node: ast.AST) -> None:
    if isinstance(node, (ast.Expression, ast.Load, ast.Name, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)):
        return
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and type(node.value) is not bool \
            and Decimal(repr(node.value)).is_finite() and abs(node.value) < MAX_FACT:
        return
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == LAST_YEAR:
        return
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ABSOLUTE
            and len(node.args) == 1 and not isinstance(node.args[0], ast.Starred) and not node.keywords):
        return
    raise FormulaError(f"公式中不能有“{ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__}”："
                       f"只能用 + - × ÷、括号、绝对值、数字、数据名称和“上年.名称”，{EXAMPLE}")


def names(tree: ast.expr) -> list[str]:
    """Every figure the formula names, in order, once each; last year's as “上年.名称”."""
    found: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            found[f"{LAST_YEAR}.{node.attr}"] = None
        elif isinstance(node, ast.Name) and not _under_attribute(tree, node) and not _called(tree, node):
            found[node.id] = None
    return list(found)


def figure_name(node: ast.expr) -> str | None:
    """The figure a node names (“上年.名称” for last year's), or None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == LAST_YEAR:
        return f"{LAST_YEAR}.{node.attr}"
    return None


def quotient(tree: ast.expr) -> tuple[str, str] | None:
    """(numerator, denominator) of a formula that is one named figure over another, as every built-in rate is."""
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Div):
        numerator, denominator = figure_name(tree.left), figure_name(tree.right)
        if numerator is not None and denominator is not None:
            return numerator, denominator
    return None


def _under_attribute(tree: ast.expr, name: ast.Name) -> bool:
    return any(isinstance(n, ast.Attribute) and n.value is name for n in ast.walk(tree))


def _called(tree: ast.expr, name: ast.Name) -> bool:
    """The name of the absolute value, not of a figure."""
    return any(isinstance(n, ast.Call) and n.func is name for n in ast.walk(tree))


class Missing(Exception):
    """A figure the formula names has no value."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def evaluate(tree: ast.expr, value: Callable[[str], Decimal | None]) -> Decimal | None:
    """The formula in exact decimals; None when it divides by zero (or by a figure that could not be computed).
    value(name) gives a figure or raises Missing."""
    def walk(node: ast.expr) -> Decimal | None:
        if isinstance(node, ast.Constant):
            return Decimal(repr(node.value))  # a float's shortest repr, as written: 0.1 stays 0.1
        if isinstance(node, ast.Name):
            return value(node.id)
        if isinstance(node, ast.Attribute):
            return value(f"{LAST_YEAR}.{node.attr}")
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.Call):  # the absolute value, the only call parse() lets through
            inner = walk(node.args[0])
            return None if inner is None else abs(inner)
        if not isinstance(node, ast.BinOp):
            raise TypeError(f"formula node {ast.dump(node)} was not refused by parse()")
        left, right = walk(node.left), walk(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div):
            if right == 0:
                return None
            try:
                return left / right
            except InvalidOperation:
                return None
        if isinstance(node.op, ast.Add):
            return left + right
        return left - right if isinstance(node.op, ast.Sub) else left * right
    return walk(tree)
