"""A bureau's 评分表 deeper than three levels imported as a framework of the same depth."""
from __future__ import annotations

from pathlib import Path

from docx import Document

from pipeline.__main__ import main
from pipeline.inputs.framework import LEVEL_NAMES
from pipeline.inputs.yaml_files import read_yaml


def test_a_four_level_score_table_imports_as_a_four_level_framework(project, tmp_path):
    """A bureau's 评分表 with a 四级指标 column, leaves at levels 2, 3 and 4, names printed once over merged rows and
    blank under a shallower leaf (as this program prints them): the imported framework has the same tree."""
    rows = [("履职效能（60分）", "重点工作（40分）", "公共卫生（25分）", "疫苗接种率", "15", "完成率×分值", "15"),
            ("", "", "", "建档率", "10", "完成率×分值", "9"),
            ("", "", "规范管理", "", "15", "每发现一项问题扣1分，扣完为止", "14"),
            ("", "预算执行率", "", "", "20", "预算执行率×分值", "19.64"),
            ("管理效率（40分）", "资金管理（40分）", "规范管理（40分）", "合规性", "40", "按情况酌情打分", "38")]
    document = Document()
    document.add_paragraph("示例区卫生健康局2024年度部门整体支出绩效自评评分表")
    table = document.add_table(rows=len(rows) + 2, cols=7)
    for c, text in enumerate(list(LEVEL_NAMES[:4]) + ["分值", "评分标准", "得分"]):
        table.cell(0, c).text = text
    for r, values in enumerate(rows, 1):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    table.cell(len(rows) + 1, 0).text, table.cell(len(rows) + 1, 4).text = "合计", "100"
    path = tmp_path / "评分表.docx"
    document.save(path)
    assert main(["--root", str(project), "import", str(path), "deep4", "--kind", "department"]) == 0
    framework = yaml_data(project / "inputs/deep4/2024/frameworks/deep4-2024.yaml")

    def shape(items):
        return [(i["名称"], str(i["权重"]), shape(i["下级"]) if "下级" in i else None) for i in items]
    assert shape(framework["指标"]) == [
        ("履职效能", "60", [("重点工作", "40", [("公共卫生", "25", [("疫苗接种率", "15", None), ("建档率", "10", None)]),
                                              ("规范管理", "15", None)]),
                          ("预算执行率", "20", None)]),
        ("管理效率", "40", [("资金管理", "40", [("规范管理", "40", [("合规性", "40", None)])])])]
    facts = (project / "inputs/deep4/2024/indicators.csv").read_text(encoding="utf-8").splitlines()
    header = facts[0].split(",")
    scores = [(row.split(",")[header.index("指标名称")], row.split(",")[header.index("自评得分")]) for row in facts[1:]]
    assert scores == [("疫苗接种率", "15"), ("建档率", "9"), ("规范管理", "14"), ("预算执行率", "19.64"), ("合规性", "38")]


def yaml_data(path: Path):
    return read_yaml(path, path.name).data
