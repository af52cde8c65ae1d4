"""Frameworks deeper than three levels at validation: six levels accepted, a seventh refused with a located message;
评分表 列 that do not match the framework's depth, a level column renamed, same-named siblings, each located."""
from __future__ import annotations

import pytest

from pipeline.__main__ import main
from pipeline.run import build
from tests.helpers import edit
from tests.test_run_deep import deep_department

SIX_LEVELS = """\
名称: 六级
适用: department
生效日期: 2023-01-01
来源: 测试用
指标:
  - 编号: L1
    名称: 第一级
    权重: 100
    下级:
      - 编号: L2
        名称: 第二级
        权重: 100
        下级:
          - 编号: L3
            名称: 第三级
            权重: 100
            下级:
              - 编号: L4
                名称: 第四级
                权重: 100
                下级:
                  - 编号: L5
                    名称: 第五级
                    权重: 100
                    下级:
                      - {编号: L6, 名称: 第六级, 权重: 100, 规则: {类型: ratio, 测算指标: 预算执行率}}
"""


@pytest.mark.parametrize("levels, refused", [(6, False), (7, True)])
def test_six_levels_accepted_seven_refused(project, capsys, levels, refused):
    text = SIX_LEVELS
    if levels == 7:
        text = text.replace("                      - {编号: L6, 名称: 第六级, 权重: 100, 规则: {类型: ratio, 测算指标: 预算执行率}}\n",
                            "                      - 编号: L6\n                        名称: 第六级\n                        权重: 100\n"
                            "                        下级:\n                          - {编号: L7, 名称: 第七级, 权重: 100, "
                            "规则: {类型: ratio, 测算指标: 预算执行率}}\n")
    (project / "inputs/frameworks/six.yaml").write_text(text, encoding="utf-8")
    unit = project / "inputs/huadu/2023"
    edit(unit / "unit.yaml", "评价体系: huadu-2023", "评价体系: six")
    # huadu's 指标分析 is written under huadu's 一级 names, which this framework does not have
    text = (unit / "unit.yaml").read_text(encoding="utf-8")
    (unit / "unit.yaml").write_text(text[:text.index("  指标分析:\n")] + text[text.index("  存在的主要问题:"):],
                                    encoding="utf-8")
    leaf = "L7" if levels == 7 else "L6"
    (unit / "indicators.csv").write_text(f"指标编号,指标名称,说明\n{leaf},第{levels}级,测试\n", encoding="utf-8")
    code = main(["--root", str(project), "report", "huadu", "--formats", "md"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if refused:
        assert code == 2
        assert ("six.yaml 第30行 指标[1].下级[1].下级[1].下级[1].下级[1].下级[1].下级[1]：指标层级过深：最多 6 级（六级指标）"
                in err), err
        assert not (project / "output/huadu").exists()
    else:
        assert code == 0, err
        report = (project / "output/huadu/2023/report.md").read_text(encoding="utf-8")
        assert "| 一级指标 | 二级指标 | 三级指标 | 四级指标 | 五级指标 | 六级指标 | 分值 |" in report
        assert "| 第一级（100分） | 第二级（100分） | 第三级（100分） | 第四级（100分） | 第五级（100分） | 第六级 | 100 |" in report


def test_score_sheet_columns_take_the_extra_levels(project):
    """评分表: 列 may name 四级指标 (and must, for a four-level framework); its own order and words are kept."""
    deep_department(project)
    path = project / "inputs/frameworks/deep-dept.yaml"
    edit(path, "指标:\n", "评分表:\n  列: [一级指标, 二级指标, 三级指标, 四级指标, 分值, 得分, 扣分原因]\n"
                        "  列名: {分值: 权重}\n指标:\n")
    _, written = build(project, "huadu", formats=("md",), charts=False)
    report = (written[0].parent / "report.md").read_text(encoding="utf-8")
    assert "| 一级指标 | 二级指标 | 三级指标 | 四级指标 | 权重 | 得分 | 扣分原因 |" in report


@pytest.mark.parametrize("edits, message", [
    # 列 one level short, one too many, none at all, a level skipped, levels after another column, a level renamed
    (("指标:\n", "评分表:\n  列: [一级指标, 二级指标, 三级指标, 分值, 得分]\n指标:\n"),
     "deep-dept.yaml 第6行 评分表.列：评分表的列有 3 级指标名称，而本评价体系的指标最深到四级"),
    (("指标:\n", "评分表:\n  列: [一级指标, 二级指标, 三级指标, 四级指标, 五级指标, 得分]\n指标:\n"),
     "评分表的列有 5 级指标名称，而本评价体系的指标最深到四级（当前值：'一级指标、二级指标、三级指标、四级指标、五级指标'）"),
    (("指标:\n", "评分表:\n  列: [分值, 得分]\n指标:\n"), "评分表的列没有指标名称，而本评价体系的指标最深到四级"),
    (("指标:\n", "评分表:\n  列: [一级指标, 二级指标, 四级指标, 得分]\n指标:\n"), "评分表的列应先按层级列出指标名称"),
    (("指标:\n", "评分表:\n  列: [分值, 一级指标, 二级指标, 三级指标, 四级指标]\n指标:\n"), "评分表的列应先按层级列出指标名称"),
    (("指标:\n", "评分表:\n  列名: {三级指标: 三级}\n指标:\n"), "指标层级的列（三级指标）不能改表头"),
    # two siblings of one name would merge into one cell; the same name under different parents is fine (规范管理)
    (("名称: 支出控制", "名称: 规范管理"), "deep-dept.yaml 第42行 指标[2].下级[1].下级[2].名称：同一上级下的指标名称重复（当前值：'规范管理'）"),
])
def test_deep_framework_mistakes_are_located(project, capsys, edits, message):
    deep_department(project)
    edit(project / "inputs/frameworks/deep-dept.yaml", *edits)
    code = main(["--root", str(project), "check", "huadu"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert message in err, err
