"""Forms as units really sent them (tests/corpus/forms/, not made by this project), imported as they are.

Every expected value below was read by hand from the workbook (opened in openpyxl, cell by cell), not from the importer.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from pipeline.__main__ import main
from pipeline.run import check
from tests.tools.test_importer_variants import unit_yaml

SENT = Path(__file__).parents[1] / "corpus" / "forms"  # the corpus forms, as units sent them
SICHUAN = str(SENT / "frameworks" / "sichuan-project-2023.yaml")
COLUMNS = ("指标编号", "指标名称", "一级指标", "二级指标", "权重", "目标值", "比较符", "计量单位", "实际值", "档次", "自评得分", "偏差原因")


def rows(root: Path, dept: str, year: int, name: str, columns=COLUMNS) -> list[tuple[str, ...]]:
    with open(root / "inputs" / dept / str(year) / name, encoding="utf-8") as handle:
        return [tuple(row[c] for c in columns) for row in csv.DictReader(handle)]


def imported(project: Path, capsys, form: str, dept: str, *extra: str) -> str:
    assert main(["--root", str(project), "import", str(SENT / form), dept, *extra]) == 0
    return capsys.readouterr().out


# 稷山县翟店镇卫生院 2021: rows 14–42 of the sheet, in the sheet's own order (指标24, 25 stand after 指标6)
Q, SOC, SUS = "产出指标", "社会效益指标", "可持续影响指标"
JISHAN = [  # 名称, 一级, 二级, 分值, 指标值 (value, comparator, unit), 完成值, 得分, 偏差原因
    ("居民健康档案", Q, "数量指标", "3", ("38508", "≥", "人"), "37442", "3", ""),
    ("发放健康教育资料", Q, "数量指标", "1", ("12", "≥", "种"), "14", "1", ""),
    ("播放健康教育音像资料", Q, "数量指标", "1", ("6", "≥", "种"), "28", "1", ""),
    ("健康教育宣传栏更新", Q, "数量指标", "1", ("6", "≥", "次"), "6", "1", ""),
    ("举办健康教育知识讲座", Q, "数量指标", "1", ("116", "≥", "次"), "150", "1", ""),
    ("举办健康教育宣传咨询活动", Q, "数量指标", "1", ("12", "≥", "次"), "96", "1", ""),
    ("传染病及突发公共卫生事件报告数", Q, "数量指标", "2", ("14", "≥", "例"), "14", "2", ""),
    ("家庭医生签约率", Q, "数量指标", "2", ("24694", "≥", "人"), "22584", "1.7", ""),
    ("建立预防接种证", Q, "数量指标", "2", ("221", "≥", "人"), "221", "2", ""),
    ("适龄儿童疫苗接种率", Q, "数量指标", "2", ("100.00", "≥", "%"), "97.30", "1.9", "个别儿童外出未及时接种"),
    ("0-6岁儿童健康管理数", Q, "数量指标", "2", ("2089", "≥", "人"), "2089", "2", ""),
    ("0-6岁儿童眼保健操覆盖数", Q, "数量指标", "2", ("2089", "≥", "人"), "2089", "2", ""),
    ("提升国家基本公共卫生服务均等化水平", Q, "质量指标", "4", ("有效提升", "定性", ""), "有效提升", "4", ""),
    ("新生入访视数", Q, "数量指标", "2", ("214", "≥", "人"), "214", "2", ""),
    ("孕产妇7天访视数", Q, "数量指标", "2", ("214", "≥", "人"), "203", "1.8", ""),
    ("孕产妇42天访视数", Q, "数量指标", "2", ("214", "≥", "人"), "203", "1.8", ""),
    ("早孕建册数", Q, "数量指标", "2", ("120", "≥", "人"), "69", "1", "部分孕妇在外地建册"),
    ("老年人体检数", Q, "数量指标", "2", ("5662", "≥", "人"), "4044", "1.4", ""),
    ("高血压规范管理数", Q, "数量指标", "2", ("3807", "≥", "人"), "3224", "1.9", ""),
    ("高血压随访控制数", Q, "数量指标", "2", ("3807", "≥", "人"), "3220", "1.8", ""),
    ("糖尿病规范管理数", Q, "数量指标", "2", ("863", "≥", "人"), "695", "1.8", ""),
    ("糖尿病随访控制数", Q, "数量指标", "2", ("863", "≥", "人"), "683", "1.7", ""),
    ("严重精神障碍患者管理数", Q, "数量指标", "2", ("212", "≥", "人"), "209", "1.8", ""),
    ("肺结核健康规范管理数", Q, "数量指标", "2", ("8", "≥", "例"), "8", "2", ""),
    ("老年人中医药规范管理数", Q, "数量指标", "2", ("5662", "≥", "人"), "4044", "1.4", ""),
    ("0-36月龄中医药规范管理数", Q, "数量指标", "2", ("1228", "≥", "人"), "770", "1.8", ""),
    ("居民健康素养水平", "效益指标", SOC, "15", ("逐步提高", "定性", ""), "逐步提高", "15", ""),
    ("基本公共卫生服务均等化水平", "效益指标", SUS, "15", ("持续提升", "定性", ""), "基本实现", "13", ""),
    ("辖区居民满意度", "满意度指标", "服务对象满意度指标", "10", ("90", "≥", "%"), "92", "10", ""),
]


def test_jishan_as_sent(project, capsys):
    out = imported(project, capsys, "f2-jishan-2021-自评表.xlsx", "jishan")
    expected = [(f"P{i:02d}", name, l1, l2, weight, *goal, done,
                 "达成预期指标" if goal[1] == "定性" else "", points, reason)  # 4/4, 15/15 and 13/15 all ≥ 80 %
                for i, (name, l1, l2, weight, goal, done, points, reason) in enumerate(JISHAN, 1)]
    expected.append(("N11", "预算执行率", "", "", "", "", "", "", "", "", "10", ""))
    assert rows(project, "jishan", 2021, "indicators.csv") == expected
    assert rows(project, "jishan", 2021, "funds.csv", ("资金来源", "资金性质", "年初预算数", "全年预算数", "到位数", "已支出")) == [
        ("当年财政拨款", "财政拨款", "0", "207.4538", "207.4538", "207.4538")]
    unit = unit_yaml(project, "jishan", 2021)
    assert {k: unit[k] for k in ("单位名称", "项目名称", "主管部门", "实施单位", "联系电话", "填报人", "填报日期", "金额小数位")} == {
        "单位名称": "稷山县翟店镇卫生院", "项目名称": "国家基本公共卫生服务", "主管部门": "稷山县卫生健康和体育局",
        "实施单位": "稷山县翟店镇卫生院", "联系电话": "0359-5530123", "填报人": "张丽", "填报日期": "2022-02-25",
        "金额小数位": "4"}
    assert unit["已公布"] == {"总分": "95.8", "等级": "优", "比率": {"预算执行率": "100"}}
    # the form's own arithmetic: 10 + 19.6 + 4 + 22.2 + 28 + 10 = 93.8 against the printed 95.8
    assert "第43行：表中印出的总分 95.8 与各项得分之和 93.8 不符" in out
    text = (project / "inputs/jishan/2021/unit.yaml").read_text(encoding="utf-8")
    assert "表中印出的总分为 95.8，各项印出的得分之和为 93.8" in text
    assert "工作表“填表说明”中没有自评表或评分表，未导入" in out
    result = check(project, "jishan", 2021)
    # the national rules by hand (case 2): 预算执行 10, 数量 41.30, 质量 4, 效益 28, 满意度 10
    assert (result.scores.total, result.scores.grade) == (Decimal("93.30"), "优")


QINGSHEN = {"单位名称": "青神县发展和改革局", "项目名称": "51000021R000000019951-工资性支出", "主管部门": "青神县发展和改革局",
            "实施单位": "青神县发展和改革局", "项目负责人": "罗建"}
DAYING = {"单位名称": "大英县司法局", "项目名称": "51092324T000010263357-2023年全县安可替代补助资金项目", "主管部门": "大英县司法局",
          "实施单位": "大英县司法局", "项目负责人": "查小兵"}
QINGSHEN_FACTS = [("P01", "发放(缴纳)覆盖率", "产出指标", "数量指标", "60", "100", "=", "%", "100", "", "60", ""),
                  ("P02", "足额保障率(参保率)", "效益指标", "社会效益指标", "30", "100", "=", "%", "100", "", "30", ""),
                  ("S11", "预算执行率", "", "", "", "", "", "", "", "", "10", "")]
DAYING_FACTS = [("P01", "完成安可产品购买并按要求支付资金", "产出指标", "质量指标", "90", "100", "=", "%", "100", "", "90", ""),
                ("S11", "预算执行率", "", "", "", "", "", "", "", "", "10", "")]
FUNDS = ("资金来源", "资金性质", "年初预算数", "全年预算数", "到位数", "已支出")


def sichuan_as_sent(project: Path, dept: str, header: dict, facts: list, funds: tuple, leader: str, finance: str,
                    out: str) -> None:
    unit = unit_yaml(project, dept, 2023)
    assert {k: unit.get(k) for k in header} == header  # 项目负责人 alone: the 财务负责人 beside it is not swallowed
    assert unit["评价体系"] == "sichuan-project-2023" and unit["已公布"] == {"总分": "100", "比率": {"预算执行率": "100.00"}}
    assert rows(project, dept, 2023, "indicators.csv") == facts
    # 预算执行数 is the spending column: 251.89 / 3.36 spent, never 0
    assert rows(project, dept, 2023, "funds.csv", FUNDS) == [funds]
    assert (project / "inputs" / dept / "2023" / "frameworks" / "sichuan-project-2023.yaml").is_file()
    assert f"财务负责人“{finance}”" in out and "财政专户管理资金”各项金额均为 0 或空" in out and "单位资金”各项金额均为 0 或空" in out
    result = check(project, dept, 2023)
    assert (result.scores.total, result.scores.grade) == (Decimal("100.00"), "优")
    assert leader == unit["项目负责人"]


def test_sichuan_forms_as_sent(project, capsys):
    out = imported(project, capsys, "f5a-qingshen-2023-自评表.xlsx", "qingshen", "--framework", SICHUAN)
    sichuan_as_sent(project, "qingshen", QINGSHEN, QINGSHEN_FACTS,
                    ("财政资金", "财政拨款", "238.93", "251.89", "251.89", "251.89"), "罗建", "陈芳", out)
    out = imported(project, capsys, "f5b-daying-2023-自评表.xlsx", "daying", "--framework", SICHUAN)
    sichuan_as_sent(project, "daying", DAYING, DAYING_FACTS, ("财政资金", "财政拨款", "0.00", "3.36", "3.36", "3.36"),
                    "查小兵", "唐勇", out)


def test_a_workbook_of_two_sichuan_forms_gives_two_units(project, capsys):
    out = imported(project, capsys, "f5-sichuan-2023-两张自评表.xlsx", "sc", "--framework", SICHUAN)
    assert "中有 2 份表格，每个工作表导入为一个单位" in out
    first, second = out.split("工作表“大英县司法局”作为自评表导入为单位 sc-2")
    sichuan_as_sent(project, "sc-1", QINGSHEN, QINGSHEN_FACTS,
                    ("财政资金", "财政拨款", "238.93", "251.89", "251.89", "251.89"), "罗建", "陈芳", first)
    sichuan_as_sent(project, "sc-2", DAYING, DAYING_FACTS, ("财政资金", "财政拨款", "0.00", "3.36", "3.36", "3.36"),
                    "查小兵", "唐勇", second)
