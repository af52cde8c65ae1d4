"""自评表 in two provinces' wordings, built with openpyxl: Sichuan's (指标性质 | 指标值 | 度量单位 in columns of their own,
调整后预算数 / 预算执行数, 绩效指标 90 分 shared by weight: 产出 60) and a Guangdong city's (年初目标值 / 实际值 / 权重 /
自评得分, 全年预算 / 实际支出数, the national 10 / 50 / 30 / 10)."""
from __future__ import annotations

from pathlib import Path

import openpyxl

# Sichuan (sichuan-project-2023: 预算执行率 × 10, then completion of each target × its weight), by hand:
#   100.00 of 100.00 spent → 10.00; 新建档案 ≥120 份, 120 → 30; 合格率 ≥95%, 96% → 30; 群众知晓率 ≥90%, 90% → 20;
#   满意度 ≥90%, 85% → 10 × 85/90 = 9.44. Total 10 + 30 + 30 + 20 + 9.44 = 99.44; the items printed add up to 99.44
#   and the form prints 总分 100.
SICHUAN_ROWS = (("产出指标", "数量指标", "新建档案", "≥", "120", "份", "120", 30, 30, ""),
                ("产出指标", "质量指标", "档案合格率", "≥", "95", "%", "96", 30, 30, ""),
                ("效益指标", "社会效益指标", "群众知晓率", "≥", "90", "%", "90", 20, 20, ""),
                ("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "85", 10, 9.44, "宣传不到位"))
SICHUAN_TOTAL = 100


def sichuan_form(sheet, unit: str, department: str, project: str, rows=SICHUAN_ROWS, total=SICHUAN_TOTAL) -> None:
    sheet.append(["2023年度项目支出绩效自评表"])
    sheet.append(["项目名称", project])
    sheet.append(["主管部门", department, None, None, "实施单位", unit])
    sheet.append(["资金情况（万元）", None, "年初预算数", "调整后预算数", "预算执行数", "执行率", "分值", "得分"])
    sheet.append([None, "年度资金总额", 100, 100, 100, "100%", 10, 10])
    sheet.append([None, "财政拨款", 100, 100, 100, "100%", None, None])
    sheet.append(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "全年完成值", "分值", "得分",
                  "未完成原因分析"])
    for row in rows:
        sheet.append(list(row))
    sheet.append(["总分", None, None, None, None, None, None, 100, total])


# Guangdong city (national-project-2020), by hand: 100.00 of 100.00 spent → 10.00; 培训人数 ≥200人, 180 →
#   25 × 180/200 = 22.50; 考核通过率 ≥98%, 98% → 25; 就业率 ≥80%, 80% → 30; 满意度 ≥95%, 95% → 10.
#   Total 10 + 22.50 + 25 + 30 + 10 = 97.50 (优).
GUANGDONG_ROWS = (("产出指标", "数量指标", "培训人数", "≥200人", "180人", 25, 22.5, "部分学员未能参训"),
                  ("产出指标", "质量指标", "考核通过率", "≥98%", "98%", 25, 25, ""),
                  ("效益指标", "社会效益指标", "就业率", "≥80%", "80%", 30, 30, ""),
                  ("满意度指标", "服务对象满意度指标", "学员满意度", "≥95%", "95%", 10, 10, "问卷调查，样本200份"))
GUANGDONG_TOTAL = 97.5


def guangdong_form(sheet, unit: str, department: str, project: str, rows=GUANGDONG_ROWS, total=GUANGDONG_TOTAL) -> None:
    sheet.append(["项目支出绩效自评表（2024年度）"])
    sheet.append(["项目名称", project, None, "项目负责人", "陈红"])
    sheet.append(["主管部门", department, None, "实施单位", unit])
    sheet.append(["联系电话", "020-12345678"])
    sheet.append(["项目资金（万元）", "年初预算", "全年预算", "实际支出数", "分值", "执行率", "得分"])
    sheet.append(["年度资金总额", 100, 100, 100, 10, "100%", 10])
    sheet.append(["财政拨款", 100, 100, 100, None, "100%", None])
    sheet.append(["一级指标", "二级指标", "三级指标", "年初目标值", "实际值", "权重", "自评得分", "偏差原因分析及改进措施"])
    for row in rows:
        sheet.append(list(row))
    sheet.append(["总分", None, None, None, None, 100, total])


def workbook(path: Path, *forms) -> Path:
    """One sheet per (builder, sheet title, args): a workbook of several units' forms, as a bureau forwards them."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for build, title, *args in forms:
        build(book.create_sheet(title), *args)
    book.save(path)
    return path
