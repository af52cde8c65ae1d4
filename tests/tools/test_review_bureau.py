"""make review as a bureau works: forms of two provinces in one folder, each scored under the framework its layout and
weights match (or the one 复核设置.yaml names), a workbook of several units' sheets, a verdict per form, a notice per
unit, who has not submitted, and last year's score alongside. Expected figures are computed by hand in province_forms."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

from pipeline.__main__ import main
from tests.tools.province_forms import GUANGDONG_ROWS, guangdong_form, sichuan_form, workbook

from .test_importer_review import pick, records, sheet_rows

SICHUAN = ("青神县妇幼保健院", "青神县卫生健康局", "妇幼健康档案")
SCHOOL = ("某市技工学校", "某市人力资源和社会保障局", "职业技能培训")
CENTRE = ("某市就业服务中心", "某市人力资源和社会保障局（就业）", "就业培训补贴")


def forms(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    workbook(folder / "四川-卫健.xlsx", (sichuan_form, "自评表", *SICHUAN))
    claimed = list(GUANGDONG_ROWS)
    claimed[0] = claimed[0][:6] + (25, "")  # 培训人数 180 of 200 printed as full marks, no reason; 总分 printed 100
    workbook(folder / "广东-人社.xlsx", (guangdong_form, "技工学校", *SCHOOL),
             (guangdong_form, "就业中心", *CENTRE, claimed, 100))
    return folder


@pytest.fixture
def bureau(project: Path) -> Path:
    shutil.copy(Path(__file__).parents[1] / "corpus/forms/frameworks/sichuan-project-2023.yaml",
                project / "inputs/frameworks")
    return project


def test_each_form_is_scored_under_the_framework_it_matches_with_a_verdict(bureau, tmp_path, capsys):
    folder = forms(tmp_path / "收到")
    assert main(["--root", str(bureau), "review", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "复核 3 份表格：3 份已重算，0 份无法读取或有错误" in out and "通过 1 份，退回修改 2 份" in out
    book = bureau / "output/复核汇总.xlsx"
    rows = records(book, "汇总")
    assert [pick(r, "文件", "单位", "主管部门", "项目", "评价体系") for r in rows] == [
        ("四川-卫健.xlsx", *SICHUAN, "sichuan-project-2023"),
        ("广东-人社.xlsx（工作表“技工学校”）", *SCHOOL, "national-project-2020"),
        ("广东-人社.xlsx（工作表“就业中心”）", *CENTRE, "national-project-2020")]
    # hand computations in province_forms: 99.44 (printed 100), 97.50, 97.50 (printed 100)
    assert [pick(r, "全年预算数（万元）", "全年执行数（万元）", "印出总分", "计算总分", "差额", "计算等级") for r in rows] == [
        (100, 100, 100, 99.44, -0.56, "优"), (100, 100, 97.5, 97.5, 0, "优"), (100, 100, 100, 97.5, -2.5, "优")]
    assert [pick(r, "错误", "印出与计算不符", "无法重算", "结论") for r in rows] == [
        (1, 1, 0, "退回修改"), (0, 0, 0, "通过"), (1, 2, 0, "退回修改")]
    # the form's own arithmetic: items 30 + 30 + 20 + 9.44 + 10 = 99.44 against the printed 100
    assert rows[0]["理由"] == "总分印出 100.00，计算为 99.44；填报的各项得分与总分不符（1 处）"
    assert rows[2]["理由"] == "总分印出 100.00，计算为 97.50；培训人数得分印出 25.00，计算为 22.50；扣分没有写明原因（1 处）"
    assert rows[1]["理由"] is None
    # 问题数 counts findings, never the import's notes (the Sichuan form has one, on its total)
    findings = sheet_rows(book, "问题明细")
    assert rows[0]["问题数"] == sum(1 for f in findings if f[0] == "四川-卫健.xlsx" and f[1] not in ("导入说明", "评价体系"))
    assert any(f[0] == "四川-卫健.xlsx" and f[1] == "导入说明" for f in findings)
    said = {f[0]: f[6] for f in findings if f[1] == "评价体系"}
    assert said["四川-卫健.xlsx"] == "按表式和分值匹配 sichuan-project-2023：指标均可归类，印出的分值与其相符"
    assert said["广东-人社.xlsx（工作表“技工学校”）"].startswith("按表式和分值匹配 national-project-2020")
    # a sheet per 主管部门, named by it
    names = openpyxl.load_workbook(book).sheetnames
    assert names == ["汇总", SICHUAN[1], SCHOOL[1], CENTRE[1], "问题明细"]
    assert [r["单位"] for r in records(book, SCHOOL[1])] == [SCHOOL[0]]


def test_the_workbook_prints_landscape_on_the_page_width_with_its_header_on_every_page(bureau, tmp_path, capsys):
    assert main(["--root", str(bureau), "review", str(forms(tmp_path / "收到"))]) == 0
    book = openpyxl.load_workbook(bureau / "output/复核汇总.xlsx")
    for sheet in book:
        assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1", sheet.title
        assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == ("landscape", 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.auto_filter.ref.startswith("A1:")
    summary = book["汇总"]
    header = {c.value: c.column_letter for c in summary[1]}
    assert summary.auto_filter.ref == f"A1:{list(header.values())[-1]}4"  # the header and the three forms
    assert summary[f"{header['计算总分']}2"].number_format == "0.00"
    assert summary[f"{header['全年预算数（万元）']}2"].number_format == "0.00"
    # a wrapped reason makes its row taller than one line
    assert summary.row_dimensions[4].height > 15


def test_a_settings_file_names_the_framework_and_who_signs(bureau, tmp_path, capsys):
    folder = forms(tmp_path / "收到")
    (folder / "复核设置.yaml").write_text("评价体系:\n  四川-卫健.xlsx: national-project-2020\n复核单位: 某市财政局\n"
                                        "复核日期: 2025-04-30\n", encoding="utf-8")
    assert main(["--root", str(bureau), "review", str(folder)]) == 0
    rows = records(bureau / "output/复核汇总.xlsx", "汇总")
    # under the national framework the Sichuan form's 产出 60 is not the 50 it sets: it cannot be recomputed
    assert pick(rows[0], "文件", "评价体系", "结论", "单位") == ("四川-卫健.xlsx", "national-project-2020", "退回修改", SICHUAN[0])
    assert rows[0]["计算总分"] is None
    said = [f[6] for f in sheet_rows(bureau / "output/复核汇总.xlsx", "问题明细") if f[1] == "评价体系"]
    assert said[0] == "按复核设置.yaml指定 national-project-2020"
    notice = docx.Document(str(bureau / "output/复核意见" / f"{SICHUAN[0]}.docx"))
    text = [p.text for p in notice.paragraphs]
    assert text[-2:] == ["某市财政局", "2025年4月30日"]


@pytest.mark.parametrize("content, named", [
    ("评价体系:\n  没有这个.xlsx: national-project-2020\n", "没有这个.xlsx"),
    ("评价体系:\n  四川-卫健.xlsx: no-such-framework\n", "no-such-framework"),
    ("复核日期: 四月底\n", "四月底"),
])
def test_a_bad_settings_file_is_refused_and_nothing_written(bureau, tmp_path, capsys, content, named):
    folder = forms(tmp_path / "收到")
    (folder / "复核设置.yaml").write_text(content, encoding="utf-8")
    assert main(["--root", str(bureau), "review", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "复核设置.yaml" in err and named in err and "Traceback" not in err
    assert not (bureau / "output").exists()


def test_notices_per_unit_say_the_verdict_and_each_problem(bureau, tmp_path, capsys):
    assert main(["--root", str(bureau), "review", str(forms(tmp_path / "收到"))]) == 0
    folder = bureau / "output/复核意见"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{u}.docx" for u in (SICHUAN[0], SCHOOL[0], CENTRE[0]))
    returned = docx.Document(str(folder / f"{CENTRE[0]}.docx"))
    text = "\n".join(p.text for p in returned.paragraphs)
    assert text.startswith(f"关于{CENTRE[0]}绩效自评的复核意见\n{CENTRE[0]}：")
    assert "复核结论：退回修改" in text and "总分为 97.50 分" in text and "表中印出 100.00 分" in text
    cells = [c.text for row in returned.tables[0].rows for c in row.cells]
    assert "培训人数得分：表中印出 25.00，按规则计算为 22.50" in cells
    passed = "\n".join(p.text for p in docx.Document(str(folder / f"{SCHOOL[0]}.docx")).paragraphs)
    assert "复核结论：通过" in passed and "予以通过" in passed


def test_a_roster_lists_who_has_not_submitted(bureau, tmp_path, capsys):
    folder = forms(tmp_path / "收到")
    (folder / "应报单位.csv").write_text("单位名称,主管部门\n某市技工学校,某市人力资源和社会保障局\n"
                                       "青神县妇幼保健院,青神县卫生健康局\n某市 职业 培训中心,某市人力资源和社会保障局\n",
                                       encoding="utf-8-sig")
    assert main(["--root", str(bureau), "review", str(folder)]) == 0
    assert "应报单位中 1 个未报送：某市 职业 培训中心" in capsys.readouterr().out
    assert sheet_rows(bureau / "output/复核汇总.xlsx", "未报送") == [
        ("单位名称", "主管部门"), ("某市 职业 培训中心", "某市人力资源和社会保障局")]
    assert len(records(bureau / "output/复核汇总.xlsx", "汇总")) == 3  # the roster is no form


def test_a_roster_workbook_and_last_years_scores(bureau, tmp_path, capsys):
    folder = forms(tmp_path / "收到")
    roster = openpyxl.Workbook()
    roster.active.append(["应报单位名单"])
    roster.active.append(["序号", "单位名称"])
    for i, unit in enumerate((SICHUAN[0], SCHOOL[0], CENTRE[0]), 1):
        roster.active.append([i, unit])
    roster.save(folder / "应报单位.xlsx")
    last = tmp_path / "上年"
    last.mkdir()
    rows = list(GUANGDONG_ROWS)
    rows[1] = rows[1][:4] + ("96%", 25, 24.49, "个别学员未通过")  # 25 × 96/98 = 24.4898 → 24.49; total 97.50 - 0.51
    workbook(last / "技校.xlsx", (guangdong_form, "技工学校", *SCHOOL, rows, 96.99))
    assert main(["--root", str(bureau), "review", str(folder), "--previous", str(last)]) == 0
    summary = records(bureau / "output/复核汇总.xlsx", "汇总")
    assert [r["上年得分"] for r in summary] == [None, 96.99, None]
    assert sheet_rows(bureau / "output/复核汇总.xlsx", "未报送") == [("单位名称", "主管部门")]


def test_a_file_that_is_no_form_still_has_a_row_and_a_notice_to_whoever_sent_it(bureau, tmp_path, capsys):
    folder = tmp_path / "收到"
    folder.mkdir()
    (folder / "扫描件.xlsx").write_bytes(b"not a workbook")
    assert main(["--root", str(bureau), "review", str(folder)]) == 0
    [row] = records(bureau / "output/复核汇总.xlsx", "汇总")
    assert pick(row, "文件", "单位", "计算总分", "结论", "无法重算") == ("扫描件.xlsx", None, None, "退回修改", 1)
    # a long title is broken into balanced lines (a line break inside the paragraph)
    text = [p.text.replace("\n", "") for p in docx.Document(str(bureau / "output/复核意见/扫描件_xlsx.docx")).paragraphs]
    assert text[:2] == ["关于报送《扫描件.xlsx》的单位绩效自评的复核意见", "报送《扫描件.xlsx》的单位："]
