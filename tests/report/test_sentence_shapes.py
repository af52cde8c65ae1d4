"""Every sentence shape the default templates and the sentence helpers write, tried on hostile but valid units: each
sentence says only what the data holds, and a sentence about a figure is dropped or reworded when the figure is
missing or zero. Expected text is written by hand from the edited inputs.

The catalogue of sentence shapes (each shape, the data it speaks of, what it does without them) is docs/sentences.md.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.run import build
from tests.conftest import copy_inputs

# what no generated sentence may hold: a label with nothing after it, a doubled word or number, a machine's value
EMPTY_SLOTS = {
    "目标或实际后无值": re.compile(r"(?:^|[，。；：])(?:目标|实际|实际完成)(?:是|为)?(?=[，。；）])"),
    "空标点": re.compile(r"，，|，。|。。|；；|；。|、、|（）|\(\)|“”|：。|：，|：；"),
    "占0.00%": re.compile(r"占[^，。；|]{0,12}?(?<![0-9.])0\.00%"),
    "无值的率": re.compile(r"(?:率|占|为|计|共|得|额)—(?!—)|—%"),
    "叠词": re.compile(r"资金专项资金|经费专项资金|项目专项资金|资金资金|经费经费|项目项目|经费资金|年年度|年度年度|万元万元|%%"),
    "编号两次": re.compile(r"(指标\s*[0-9０-９]+)\s*[:：、.．]?\s*\1(?![0-9])|([①-⑳])\2"),
    "机器值": re.compile(r"(?<![A-Za-z])(?:None|nan|NaN|Infinity|inf|null)(?![A-Za-z])|Decimal\("),
    "标签重复": re.compile(r"([\u4e00-\u9fff]{2,8})：\1"),
}
TABLE_DASH = ("目标或实际后无值", "无值的率")  # a table cell may hold — for a figure that has none


def empty_slots(text: str) -> list[tuple[str, str]]:
    """(kind, the text around it) for every empty slot in a report's Markdown."""
    found = []
    for line in text.splitlines():
        for kind, pattern in EMPTY_SLOTS.items():
            if line.startswith("|") and kind in TABLE_DASH:
                continue
            found += [(kind, line[max(0, m.start() - 30):m.end() + 20]) for m in pattern.finditer(line)]
    return found


def test_the_patterns_catch_what_the_issue_saw():
    seen = ("预算编制及时性目标是，实际是，实现预期目标", "项目支出0.00万元，占0.00%", "安排高水平医院建设补助资金专项资金",
            "指标1 指标1:居民健康档案", "在职人员控制率—；", "变动率：变动率3.5%", "资金到位率None", "2024年，，安排")
    assert all(empty_slots(text) for text in seen)
    assert not empty_slots("目标≥90%，实际94.39%，完成率104.88%，实现预期目标。| 预算调剂 | — | — |")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _field(path: Path, key: str, value: str) -> None:
    """unit.yaml's 正文 entry `key`, a line or a block, given `value`."""
    text = path.read_text(encoding="utf-8")
    new = re.sub(rf"(?m)^  {key}: (?:\|\n(?:    .*\n|\n)+|.*\n)", f"  {key}: {value}\n", text, count=1)
    assert new != text, key
    path.write_text(new, encoding="utf-8")


def _rows(path: Path, change) -> None:
    """indicators.csv with each row given to `change` (its cells) in turn."""
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    out = [lines[0]] + [",".join(change(dict(zip(head, line.split(","))), head)) for line in lines[1:]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _report(root: Path, dept: str) -> str:
    _, written = build(root, dept, formats=("md",), charts=False)
    return (written[0].parent / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> str:
    """example-cdc made hostile: its name carries its year and 项目, no 资金安排依据, a source of 0, a 定性 target
    按规定执行, a 是否 target, full-width digits, a 0 weight, an own-numbered name, a long name, notes ending in 。,
    满意度 (a whole 一级) 不适用, an empty 自评结论."""
    root = copy_inputs(tmp_path_factory.mktemp("project"))
    unit = root / "inputs" / "example-cdc" / "2024"
    _edit(unit / "unit.yaml", "项目名称: 免疫规划冷链能力提升", "项目名称: 2024年免疫规划冷链能力提升项目")
    _edit(unit / "unit.yaml", "  资金安排依据: 根据《关于下达2024年基本公共卫生服务补助资金的通知》（示财社〔2024〕5号）\n", "")
    _field(unit / "unit.yaml", "自评结论", '""')
    _edit(unit / "funds.csv", "区级配套资金,财政拨款,120.00,120.00,120.00,118.40", "区级配套资金,财政拨款,0.00,0.00,0.00,0.00")
    long_name = "国家免疫规划疫苗接种剂次（含第二类疫苗、应急接种、补种和查漏补种在内的全部接种剂次统计口径）"

    def change(row: dict, head: list) -> list:
        row["不适用原因"] = "本年度未开展满意度调查" if row["指标编号"] == "C07" else ""
        if row["指标编号"] == "C01":
            row.update({"指标名称": long_name, "目标值": "按规定执行", "比较符": "定性", "计量单位": "",
                        "实际值": "按规定执行", "档次": "达成预期指标", "自评得分": "15"})
        if row["指标编号"] == "C02":
            row.update({"目标值": "２０", "实际值": "１８"})
        if row["指标编号"] == "C03":
            row.update({"权重": "20", "说明": "按接种信息系统统计。"})
        if row["指标编号"] == "C04":
            row.update({"权重": "0"})
        if row["指标编号"] == "C05":
            row.update({"指标名称": "指标5：适龄儿童免疫屏障巩固"})
        if row["指标编号"] == "C06":
            row.update({"目标值": "是", "比较符": "是否", "计量单位": "", "实际值": "是"})
        return [row[key] for key in head + ["不适用原因"]]
    path = unit / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("偏差原因,来源", "偏差原因,来源,不适用原因", 1), encoding="utf-8")
    _rows(path, lambda row, head: change(row, head[:-1]))
    return _report(root, "example-cdc")


@pytest.fixture(scope="module")
def hostile_department(tmp_path_factory: pytest.TempPathFactory) -> str:
    """example-dept made hostile: one unit, no 基本支出, 编制数 0, a spending category of 0, every leaf of 部门决策
    不适用, an empty 总体评价 and 收支情况说明, no 离退休说明."""
    root = copy_inputs(tmp_path_factory.mktemp("department"))
    unit = root / "inputs" / "example-dept" / "2024"
    _edit(unit / "budget.csv", "某某中心,300.00,320.00,300.00,120.00,180.00,示例：2024年度决算报表\n", "")
    _edit(unit / "budget.csv", "1000.00,1200.00,1150.00,400.00,750.00", "1000.00,1200.00,1150.00,0.00,1150.00")
    _edit(unit / "spending.csv", "公共卫生,400.00", "公共卫生,0.00")
    _edit(unit / "unit.yaml", "  编制数: 50", "  编制数: 0")
    _edit(unit / "unit.yaml", "  离退休说明: 离退休人员经费由社保统筹发放\n", "")
    _field(unit / "unit.yaml", "总体评价", '""')
    _field(unit / "unit.yaml", "收支情况说明", '""')

    def change(row: dict, head: list) -> list:
        if row["指标编号"].startswith("A"):
            row = {key: "" for key in head} | {"指标编号": row["指标编号"], "指标名称": row["指标名称"],
                                               "不适用原因": "本年度不涉及", "来源": "示例"}
        return [row[key] for key in head]
    _rows(unit / "indicators.csv", change)
    return _report(root, "example-dept")


@pytest.fixture(scope="module")
def full_marks_project(tmp_path_factory: pytest.TempPathFactory) -> str:
    """example-cdc with every target met, every yuan spent, no problem listed and nothing proposed."""
    root = copy_inputs(tmp_path_factory.mktemp("full"))
    unit = root / "inputs" / "example-cdc" / "2024"
    _edit(unit / "indicators.csv", "数量指标,15,20,≥,台,18", "数量指标,15,20,≥,台,20")
    _edit(unit / "indicators.csv", "时效指标,10,10,≤,月,11", "时效指标,10,10,≤,月,10")
    for old, new in (("320.00,305.60", "320.00,320.00"), ("120.00,118.40", "120.00,120.00"), ("25.00,20.00", "25.00,25.00")):
        _edit(unit / "funds.csv", old, new)
    text = (unit / "unit.yaml").read_text(encoding="utf-8")
    (unit / "unit.yaml").write_text(text.split("问题清单:")[0], encoding="utf-8")
    _field(unit / "unit.yaml", "改进意见", '""')
    _field(unit / "unit.yaml", "资金安排依据", '" "')  # blank: no clause, as when absent
    return _report(root, "example-cdc")


def _body(text: str) -> str:
    return text.split("\n## 附")[0]


@pytest.mark.parametrize("unit", ["hostile_project", "hostile_department", "full_marks_project"])
def test_no_sentence_has_an_empty_slot(unit, request):
    assert empty_slots(request.getfixturevalue(unit)) == []


def test_project_funds_sentence_says_only_what_is_there(hostile_project):
    # 320 + 0 + 25 = 345 万元 arranged and received; 305.60 + 20.00 = 325.60 spent: 94.38%; no 依据 given
    assert ("\n2024年，安排2024年免疫规划冷链能力提升项目资金345.00万元，其中中央转移支付资金320.00万元，"
            "上年结转资金25.00万元。截至2024年12月31日，资金到位345.00万元，资金到位率100.00%；已支出325.60万元，"
            "支出率94.38%，资金安排及使用情况见表1-1。") in hostile_project
    assert "根据有关文件" not in hostile_project and "区级配套资金0" not in hostile_project


def test_project_name_with_its_year_and_project_is_not_given_them_twice(hostile_project):
    assert "我单位开展了2024年免疫规划冷链能力提升项目支出绩效自评工作，" in hostile_project


def test_indicator_lines_of_odd_targets(hostile_project):
    body = _body(hostile_project)
    assert "目标≥20台，实际完成18台，完成率90.00%，基本实现预期目标。" in body  # ２０ and １８ as typed, read as 20 and 18
    assert "\n指标5：适龄儿童免疫屏障巩固。" in body and "指标5 指标5" not in body
    assert "（%）。按接种信息系统统计。目标≥95%，" in body  # the note's own 。 once
    assert "预防接种信息化管理覆盖率。辖区全部接种门诊接入预防接种信息系统。实现预期目标。" in body  # 是 of 是: met
    assert "目标为“按规定执行”，实际为“按规定执行”，自评为“达成预期指标”档，实现预期目标。" in body
    # 满意度 does not apply: it is neither analysed nor scored, and the count of indicators still lists its row
    assert "③满意度指标" not in body and "受种者家长满意度（分值10分，本年度未开展满意度调查）" in body
    assert "2024年共设置绩效指标7个，其中产出指标4个，效益指标2个，满意度指标1个（见表1-2）。" in body


def test_empty_conclusion_text_leaves_the_sentence_whole(hostile_project):
    assert "### （一）自评结论\n\n最终评定绩效自评得分" in hostile_project


def test_department_figures_with_no_base_are_unsaid(hostile_department):
    # 编制数 0: no 在职人员控制率; 8 of 46 + 8 = 14.81% 编外
    assert ("\n截至2024年12月31日，本单位人员编制0人，实有在职人员46人；编外人员8人，编外人员控制率14.81%；"
            "离退休人员12人。\n") in hostile_department
    # one unit, all of it 项目支出: 1150 of 1200 = 95.83%
    assert ("决算支出1150.00万元，预算执行率95.83%。决算支出均为项目支出。预算执行情况见表1-1。"
            in hostile_department)


def test_a_first_level_all_not_applicable_is_left_out(hostile_department):
    body = _body(hostile_department)
    assert "评价指标分为两个一级指标：部门管理（权重30分）" in body
    assert "### （二）部门决策分析" not in body and "部门决策部分" not in body


def test_full_marks_say_so_once(full_marks_project):
    body = _body(full_marks_project)
    assert "各项绩效指标均实现预期目标，未发现问题。" in body
    assert "未完全实现预期目标" not in body and "扣0.00分" not in body
    assert "\n2024年，安排免疫规划冷链能力提升专项资金465.00万元，其中" in body
    assert "已支出465.00万元，支出率100.00%，资金安排及使用情况见表1-1。" in body  # 按到位资金计算: the same, unsaid
