"""What the unit's workbook holds, as data: each sheet's columns (what they take, how they are explained) and its
rows, the indicator rows one per leaf of the framework with the columns its rule needs open. No openpyxl here."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..inputs import models as m
from ..inputs.framework_checks import parts, walk
from ..inputs.kinds import KINDS, TABLES
from ..inputs.tree import MANUAL
from ..inputs.workbook import SHOWN_ONLY
from ..rules import registry as rules

MONEY, POINTS, COUNT, TEXT, VALUE = "money", "points", "count", "text", "value"  # VALUE: a number or a word
BLANK_ROWS = 10  # empty rows left open under the filled ones, for lines and the unit's own indicators


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    prompt: str
    width: int = 12
    choices: tuple[str, ...] = ()  # a dropdown, the same on every row


@dataclass(frozen=True)
class Row:
    values: dict[str, str]  # header → text as a CSV would hold it
    open: frozenset[str]  # the columns the officer fills on this row; the others are shown greyed and locked
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # this row's own dropdowns (档次 …)
    percent: bool = False  # 目标值 and 实际值 are rates: shown in Excel's percent format
    kinds: dict[str, str] = field(default_factory=dict)  # what this row's cell of a column takes, when not the column's


@dataclass(frozen=True)
class Sheet:
    key: str  # the table (kinds.TABLES)
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    frozen: str = "B2"  # the first cell that scrolls: the header row and the naming column stay in view


MONEY_NOTE = "金额，单位万元，保留两位小数，例如 1234.56；不要写“元”"
LINE_COLUMNS = {
    "单位名称": (TEXT, "本单位及所属单位的名称，每个单位一行，例如 某某局（本级）", 28),
    "资金来源": (TEXT, "每个资金来源一行，例如 中央转移支付资金", 26),
    "资金性质": (TEXT, "从下拉列表中选择：财政拨款、上年结转或其他资金", 12),
    "支出分类": (TEXT, "支出功能或经济分类的名称，每类一行，例如 卫生健康支出", 26),
    "年初预算数": (MONEY, "年初预算数，" + MONEY_NOTE, 14),
    "全年预算数": (MONEY, "调整后的全年预算数，" + MONEY_NOTE, 14),
    "决算数": (MONEY, "决算数（实际支出），" + MONEY_NOTE, 14),
    "到位数": (MONEY, "实际到位（拨付）的资金，" + MONEY_NOTE, 14),
    "已支出": (MONEY, "实际支出，" + MONEY_NOTE, 14),
    "金额": (MONEY, MONEY_NOTE, 14),
    "基本支出": (MONEY, "选填：其中基本支出，" + MONEY_NOTE, 14),
    "项目支出": (MONEY, "选填：其中项目支出，" + MONEY_NOTE, 14),
    "来源": (TEXT, "选填：数据出处，例如 2024年决算报表", 20),
}
COMPARATORS = ("≥", "≤", "=", "是否", "定性")
INDICATOR_COLUMNS = (
    Column("指标编号", TEXT, "评价体系的末级指标编号（不能改）；自设指标写自己的编号，例如 P01", 10),
    Column("指标名称", TEXT, "指标名称（评价体系的指标不能改）；自设指标写名称", 24),
    Column("上级指标", TEXT, "评价体系中的上级指标，仅供查看", 20),
    Column("分值", POINTS, "评价体系规定的分值，仅供查看", 7),
    Column("评分标准", TEXT, "评价体系规定的评分规则，仅供查看；本行需要填写的列为白色，灰色的列不用填", 36),
    Column("一级指标", TEXT, "自设指标所属的一级指标，从下拉列表中选择", 12),
    Column("二级指标", TEXT, "自设指标所属的二级指标，例如 数量指标、质量指标、时效指标、成本指标、社会效益指标", 14),
    Column("权重", POINTS, "自设指标的权重（分），各指标之和应等于评价体系中该类的分值", 7),
    Column("评分规则", TEXT, "选填：留空按评价体系的规则计分；选 manual 时按“自评得分”计分，并在“说明”写明理由", 10),
    Column("目标值", VALUE, "年度目标值：数字（如 95），是否类写“是”，定性指标写文字", 12),
    Column("比较符", TEXT, "从下拉列表中选择：≥ 越大越好，≤ 越小越好，= 等于，是否，定性", 8, COMPARATORS),
    Column("计量单位", TEXT, "目标值和实际值的单位，例如 %、人、个；比率写 %", 9),
    Column("实际值", VALUE, "实际完成值，单位同目标值；是否类写“是”或“否”", 12),
    Column("扣分项数", COUNT, "发现的问题项数（整数），没有问题填 0", 9),
    Column("已完成项", TEXT, "达到的清单项名称，用顿号分隔；全部达到写“全部”，均未达到写“无”", 18),
    Column("档次", TEXT, "从下拉列表中选择本指标的档次", 14),
    Column("自评得分", POINTS, "自评得分（分），两位小数，不超过分值", 9),
    Column("发生情形", TEXT, "评分规则中的得0分情形是否发生：写发生的情形名称，没有发生写“无”", 14),
    Column("不适用原因", TEXT, "选填：本指标不适用时写明原因（该指标不计分，总分按适用指标得分折算）", 16),
    Column("说明", TEXT, "情况说明或扣分理由，写入报告", 40),
    Column("偏差原因", TEXT, "未达目标（或大幅超额）时的原因", 24),
    Column("来源", TEXT, "选填：数据出处", 14),
)
# the columns every row of the indicators sheet may fill, whatever its rule
EVERY_ROW = frozenset({"不适用原因", "说明", "来源"})
OWN_ROW = frozenset({"指标编号", "指标名称", "一级指标", "二级指标"})


def line_columns(key: str) -> tuple[Column, ...]:
    """The columns of a table of lines (budget, funds, spending), in the order of its row model."""
    columns = []
    for name, info in m.ROW_MODELS[key].model_fields.items():
        header = info.alias or name  # every row model's field has its Chinese alias
        kind, prompt, width = LINE_COLUMNS[header]
        columns.append(Column(header, kind, prompt, width, m.NATURES if header == "资金性质" else ()))
    return tuple(columns)


def line_sheet(key: str, filled: list[dict[str, str]]) -> Sheet:
    columns = line_columns(key)
    headers = frozenset(c.header for c in columns)
    rows = [Row({h: v for h, v in values.items() if h in headers}, headers) for values in filled]
    rows += [Row({}, headers) for _ in range(BLANK_ROWS)]
    return Sheet(key, TABLES[key].sheet, columns, tuple(rows))


def sheet_keys(kind: str) -> tuple[str, ...]:
    """The tables a unit of this kind fills in its workbook: the required ones, and 支出分类 for a department."""
    return tuple(key for key in TABLES if key in KINDS[kind].tables or (kind == "department" and key == "spending"))


# ---------- indicators ----------


def needs(rule: m.Rule | None) -> set[str]:
    """The columns a rule reads from the unit's row (its own parts with their own 编号 excepted)."""
    if rule is None:
        return set()
    found = rules.reads(rule, needs)
    for zero in rule.zero_if:
        found |= {"发生情形"} if zero.situation else {o for o in ("实际值", "目标值") if o in (zero.compare or "")}
    return found


def tier_names(rule: m.Rule | None) -> tuple[str, ...]:
    """The names the 档次 column may take under this rule, for its dropdown."""
    return rules.choices(rule) if rule is not None else ()


def rule_text(node: m.Node | None, rule: m.Rule | None) -> str:
    """The rule in a few words for the read-only 评分标准 column: the framework's own wording when it has one."""
    if node is not None and node.standard:
        return node.standard
    if rule is None:
        return ""
    text = (type(rule).__doc__ or "").strip().split("；")[0].split("。")[0]
    measure = getattr(rule, "measure", None)
    names = tier_names(rule)
    return text + (f"（测算指标：{measure}，由程序计算）" if measure else "") + (f"（档次：{'、'.join(names)}）" if names else "")


def _row(values: dict[str, str], node: m.Node | None, rule: m.Rule | None, above: str, weight: str,
         extra_open: frozenset[str] = frozenset(), choices: tuple[str, ...] = ()) -> Row:
    opened = EVERY_ROW | needs(rule) | extra_open | {"评分规则"}
    shown = dict(values)
    shown.update({"上级指标": above, "分值": weight, "评分标准": rule_text(node, rule)})
    if node is not None:
        shown.setdefault("指标编号", node.id)
        shown["指标名称"] = shown.get("指标名称") or node.name
    lists = {"评分规则": (MANUAL, *choices)}
    if tier_names(rule):
        lists["档次"] = tier_names(rule)
    return Row(shown, frozenset(opened), lists, str(values.get("计量单位", "")).strip() in ("%", "％"))


def indicator_rows(framework: m.Framework, filled: list[dict[str, str]]) -> tuple[list[Row], list[str]]:
    """One row per leaf of the framework (and per part with its own 编号), then the unit's own indicators and blank
    rows for more; each keeps what was filled under its 编号. Also the 编号 of filled rows no leaf takes any more."""
    by_id = {values.get("指标编号", "").strip(): values for values in filled if values.get("指标编号", "").strip()}
    rows: list[Row] = []
    places = [(node.name, node.from_facts) for _, node in walk(framework.indicators) if node.from_facts is not None]
    classes = tuple(c for _, place in places for c in place.classes)
    taken: set[str] = set()

    def visit(nodes: list[m.Node], above: tuple[str, ...]) -> None:
        for node in nodes:
            if node.children:
                visit(node.children, above + (node.name,))
            elif node.from_facts is None:
                taken.add(node.id)
                rows.append(_row(by_id.get(node.id, {}), node, node.rule, " / ".join(above), _plain(node.weight)))
                for part in parts(node.rule) if node.rule else []:
                    if part.id:
                        taken.add(part.id)
                        rows.append(_row(by_id.get(part.id, {"指标名称": part.name}), None, part.rule,
                                         " / ".join(above + (node.name,)), _plain(part.points)))
    visit(framework.indicators, ())
    own = [values for values in filled if values.get("指标编号", "").strip() not in taken
           and values.get("一级指标", "").strip() in classes]
    for number, (name, place) in enumerate(places):
        extra = OWN_ROW | ({"权重"} if place.split == "权重" else set())
        mine = [v for v in own if v.get("一级指标", "").strip() in place.classes]
        for values in mine + ([{}] * BLANK_ROWS if number == len(places) - 1 else []):
            rows.append(_row(values, None, place.rule, name, "", frozenset(extra), tuple(place.choices)))
    kept = taken | {v.get("指标编号", "").strip() for v in own}
    dropped = [key for key in by_id if key not in kept]
    return rows, dropped


def own_classes(framework: m.Framework) -> tuple[str, ...]:
    return tuple(c for _, node in walk(framework.indicators) if node.from_facts for c in node.from_facts.classes)


def indicator_sheet(framework: m.Framework, filled: list[dict[str, str]]) -> tuple[Sheet, list[str]]:
    rows, dropped = indicator_rows(framework, filled)
    classes = own_classes(framework)
    columns = tuple(Column(c.header, c.kind, c.prompt, c.width, classes if c.header == "一级指标" else c.choices)
                    for c in INDICATOR_COLUMNS)
    used = {h for row in rows for h in row.open} | {h for row in rows for h, v in row.values.items() if v} | SHOWN_ONLY
    columns = tuple(c for c in columns if c.header in used or c.header == "指标编号")
    return Sheet("facts", TABLES["facts"].sheet, columns, tuple(rows), "C2"), dropped


def _plain(number: object) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
