"""make review: every form in a folder read and recomputed without creating a unit; one workbook of totals and findings."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline.__main__ import main
from tests.tools.importer_forms import ROWS, docx_form, xlsx_form


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "inputs").rglob("*"))


def sheet_rows(path: Path, name: str) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


def records(path: Path, name: str) -> list[dict]:
    """A sheet's rows by their header: columns found by title, never by position."""
    header, *rows = sheet_rows(path, name)
    return [dict(zip(header, row)) for row in rows]


def pick(record: dict, *keys: str) -> tuple:
    return tuple(record[k] for k in keys)


def test_review_a_folder_of_three_forms_one_broken(project, tmp_path, capsys):
    folder = tmp_path / "收到的自评表"
    folder.mkdir()
    docx_form(folder / "a-良好.docx")
    off = [list(r) for r in ROWS]
    off[4][6] = "9.50"  # 10 × 85/90 = 9.44
    xlsx_form(folder / "b-有误.xlsx", rows=[tuple(r) for r in off], total=(100, 91, "自评等级：优"))
    broken = [list(r) for r in ROWS]
    broken[0][5] = "二十"
    docx_form(folder / "c-坏表.docx", rows=[tuple(r) for r in broken])
    (folder / "说明.txt").write_text("不是表格", encoding="utf-8")  # other files are left alone
    (folder / "~$a-良好.docx").write_bytes(b"")  # Word's lock file too
    before = tree(project)

    assert main(["--root", str(project), "review", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "复核 3 份表格：2 份已重算，1 份无法读取或有错误" in out and "已写入 output/复核汇总.xlsx" in out
    assert tree(project) == before  # no unit created

    book = project / "output" / "复核汇总.xlsx"
    summary = records(book, "汇总")
    # 120 budgeted, 114 spent (FUNDS); 90.94 by hand (importer_forms); a: 1 错误 (扣分没有写明原因), 1 提示 (满意度)
    assert [pick(r, "文件", "类型", "单位", "主管部门", "项目", "全年预算数（万元）", "全年执行数（万元）", "印出总分", "计算总分",
                 "差额", "印出等级", "计算等级") for r in summary[:2]] == [
        ("a-良好.docx", "自评表", "示例市健康教育所", "示例市卫生健康局", "健康素养促进", 120, 114, 90.94, 90.94, 0, "优", "优"),
        ("b-有误.xlsx", "自评表", "示例市健康教育所", "示例市卫生健康局", "健康素养促进", 120, 114, 91, 90.94, -0.06, "优", "优")]
    # b also prints 91 for the total and 9.50 for 满意度 (2 不符) and lacks 项目负责人 and 联系电话 (2 提示)
    assert [pick(r, "错误", "提示", "印出与计算不符", "无法重算", "问题数", "结论") for r in summary] == [
        (1, 1, 0, 0, 2, "退回修改"), (1, 3, 2, 0, 6, "退回修改"), (0, 0, 0, 1, 1, "退回修改")]
    assert summary[0]["理由"] == "扣分没有写明原因（1 处）"
    assert summary[1]["理由"].startswith("总分印出 91.00，计算为 90.94；培训对象满意度得分印出 9.50，计算为 9.44")
    assert summary[2]["文件"] == "c-坏表.docx" and summary[2]["计算总分"] is None and summary[2]["状态"] == "无法读取或有错误，未重算"
    # unreadable, but its header says whose it is
    assert pick(summary[2], "单位", "主管部门", "项目") == ("示例市健康教育所", "示例市卫生健康局", "健康素养促进")
    assert summary[2]["理由"] == "表格无法读取或有错误，未能重算"
    assert all(r["评价体系"] == "national-project-2020" for r in summary)
    findings = [f for f in sheet_rows(book, "问题明细") if f[1] != "评价体系"]
    assert findings[0] == ("文件", "类别", "位置", "项目", "印出", "计算", "说明")
    # the re-check rules a bureau applies, at the form's rows: 114/120 = 95% loses 0.50 with no reason on the funds
    # row; the 满意度 note says nothing of a survey
    lost = "“预算执行率”扣0.50分，但没有写明扣分原因或偏差原因"
    survey = "“培训对象满意度”得9.44分，没有说明满意度调查（样本量、方式）"
    assert findings[1:3] == [("a-良好.docx", "错误", "表2第2行", "扣分没有写明原因", None, None, lost),
                             ("a-良好.docx", "提示", "表4第6行", "满意度没有说明调查", None, None, survey)]
    assert findings[3:7] == [
        ("b-有误.xlsx", "印出与计算不符", "工作表“自评表”第17行", "总分", "91.00", "90.94", "差额 -0.06"),
        ("b-有误.xlsx", "印出与计算不符", "工作表“自评表”第16行", "培训对象满意度得分", "9.50", "9.44", "差额 -0.06"),
        ("b-有误.xlsx", "错误", "工作表“自评表”第6行", "扣分没有写明原因", None, None, lost),
        ("b-有误.xlsx", "提示", "工作表“自评表”第16行", "满意度没有说明调查", None, None, survey)]
    # the workbook's form has no 项目负责人 and 联系电话 rows at all (the Word form has both)
    assert [row[3:] for row in findings[7:9]] == [
        ("自评表必填项为空", None, None, f"自评表的必填项“{key}”为空：请在 unit.yaml 填写，如“{key}: {example}”")
        for key, example in (("项目负责人", "张三"), ("联系电话", "0838-1234567"))]
    assert findings[9][:5] == ("c-坏表.docx", "无法重算", "表4第2行", "分值", "二十") and "无法读取这个数字" in findings[9][6]
    assert len(findings) == 10


@pytest.mark.slow
def test_many_forms_show_a_progress_bar_and_the_same_forms_give_the_same_workbook(project, tmp_path, capsys):
    folder = tmp_path / "forms"
    folder.mkdir()
    docx_form(folder / "0.docx")
    for i in range(1, 6):
        shutil.copy(folder / "0.docx", folder / f"{i}.docx")
    assert main(["--root", str(project), "review", str(folder)]) == 0
    assert "复核: 100%" in capsys.readouterr().err
    first = (project / "output/复核汇总.xlsx").read_bytes()
    assert main(["--root", str(project), "review", str(folder)]) == 0
    assert (project / "output/复核汇总.xlsx").read_bytes() == first


def test_a_missing_folder_is_an_input_error(project, tmp_path, capsys):
    assert main(["--root", str(project), "review", str(tmp_path / "nowhere")]) == 2
    assert "找不到这个文件夹" in capsys.readouterr().err
    assert not (project / "output").exists()


def test_score_tables_are_added_up_against_their_printed_total(project, tmp_path, capsys):
    from tests.tools.test_importer_score_table import ROWS as SHEET_ROWS
    from tests.tools.test_importer_score_table import score_table_docx
    folder = tmp_path / "评分表"
    folder.mkdir()
    score_table_docx(folder / "a.docx")  # 9.82 + 10 + 8 + 15 + 28 + 20 = 90.82, printed 90.82
    rows = [list(r) for r in SHEET_ROWS]
    rows[2][7] = "9"  # 91.82 by the items, the printed 合计 still 90.82
    score_table_docx(folder / "b.docx", rows=[tuple(r) for r in rows])
    assert main(["--root", str(project), "review", str(folder)]) == 0
    summary = records(project / "output/复核汇总.xlsx", "汇总")
    status = "评分表：按各项得分相加（评分所需数据未填，未按规则重算）"
    assert [pick(r, "文件", "类型", "印出总分", "计算总分", "差额", "问题数", "状态", "结论") for r in summary] == [
        ("a.docx", "评分表", 90.82, 90.82, 0, 0, status, "通过"), ("b.docx", "评分表", 90.82, 91.82, 1, 1, status, "退回修改")]
    findings = [f for f in sheet_rows(project / "output/复核汇总.xlsx", "问题明细") if f[1] != "评价体系"]
    assert findings[1:] == [("b.docx", "印出与计算不符", "表1第8行", "总分", "90.82", "91.82", "印出的总分与各项得分之和不符")]


def test_text_from_a_form_stays_text_in_the_workbook(project, tmp_path, capsys):
    folder = tmp_path / "forms"
    folder.mkdir()
    rows = [list(r) for r in ROWS]
    rows[0][5] = '=HYPERLINK("http://example.com","20")'  # a weight no form has: reported, quoted as typed
    docx_form(folder / "f.docx", rows=[tuple(r) for r in rows])
    assert main(["--root", str(project), "review", str(folder)]) == 0
    cells = [c for row in openpyxl.load_workbook(project / "output/复核汇总.xlsx")["问题明细"].iter_rows() for c in row]
    typed = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert typed and all(c.data_type == "s" for c in typed)


def test_an_import_note_is_told_at_its_row_whatever_the_sheet_is_called(project, tmp_path, capsys):
    # a sheet's name may hold quotation marks; the note's place is the row it was read from, not text cut out of a message
    folder = tmp_path / "forms"
    folder.mkdir()
    xlsx_form(folder / "x.xlsx", total=(100, 91, "自评等级：优"))  # the items add up to 90.94 (importer_forms)
    book = openpyxl.load_workbook(folder / "x.xlsx")
    book.active.title = "自评表（“健康”专项）：2024"
    book.save(folder / "x.xlsx")
    assert main(["--root", str(project), "review", str(folder)]) == 0
    notes = [f for f in sheet_rows(project / "output/复核汇总.xlsx", "问题明细") if f[1] == "导入说明"]
    assert notes == [("x.xlsx", "导入说明", "工作表“自评表（“健康”专项）：2024”第17行", None, None, None,
                      "表中印出的总分 91 与各项得分之和 90.94 不符")]
    assert main(["--root", str(project), "import", str(folder / "x.xlsx"), "quoted"]) == 0
    assert "  注意：工作表“自评表（“健康”专项）：2024”第17行：表中印出的总分 91 与各项得分之和 90.94 不符\n" in capsys.readouterr().out
