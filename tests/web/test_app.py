"""The web app's pages on this machine: units and their state, a new unit, the workbook down and up with every problem
located, the narrative saved block by block with quoted figures, the report built as a job and downloaded."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from tests.web.helpers import finished, local


def workbook_with(data: bytes, changes: dict[tuple[str, str], object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for (sheet, cell), value in changes.items():
        book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_units_are_listed_with_their_state_in_chinese(project: Path) -> None:
    client = local(project)
    page = client.get("/")
    assert page.status_code == 200 and 'lang="zh-CN"' in page.text
    assert all(f'href="/u/{dept}/' in page.text for dept in ("huadu", "lianjiang", "shaoguan"))
    state = client.get("/u/huadu/2023/state").text
    assert "已校验" in state and "96.82 分 优" in state and "报告未生成" in state  # README: huadu 2023, 96.82, 优


def test_every_script_and_style_is_the_apps_own(project: Path) -> None:
    client = local(project)
    page = client.get("/u/huadu/2023").text
    assert "http://" not in page.replace('http://127.0.0.1', '') and "https://" not in page
    assert client.get("/static/htmx-2.0.11.min.js").status_code == 200
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy


def test_a_new_unit_from_a_framework_has_its_workbook(project: Path) -> None:
    client = local(project)
    made = client.post("/units/new", data={"dept": "baiyun", "kind": "project", "year": "2024",
                                           "framework": "national-project-2020"})
    assert made.status_code == 204 and made.headers["hx-redirect"] == "/u/baiyun/2024"
    assert "评价体系: national-project-2020" in (project / "inputs/baiyun/2024/unit.yaml").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/u/baiyun/2024/workbook").content))
    assert "指标" in book.sheetnames
    again = client.post("/units/new", data={"dept": "baiyun", "kind": "project", "year": "2024"})
    assert "已存在" in again.text


def test_a_new_unit_refuses_a_framework_that_is_not_there_or_not_for_its_kind(project: Path) -> None:
    answer = local(project).post("/units/new", data={"dept": "baiyun", "kind": "project", "framework": "../../etc"})
    assert "没有评价体系" in answer.text and not (project / "inputs/baiyun").exists()
    answer = local(project).post("/units/new", data={"dept": "baiyun", "kind": "department",
                                                     "framework": "national-project-2020"})
    assert "适用于项目支出" in answer.text and "sichuan-dept" in answer.text  # 适用: project in the framework file
    assert not (project / "inputs/baiyun").exists()


def test_every_problem_of_an_uploaded_workbook_is_shown_at_its_cell_then_fixed(project: Path) -> None:
    client = local(project)
    client.post("/units/new", data={"dept": "tu", "kind": "department", "year": "2024"})
    original = client.get("/u/tu/2024/workbook").content
    wrong = workbook_with(original, {("预算执行", "C2"): "一千二", ("预算执行", "D3"): "三百"})
    answer = client.post("/u/tu/2024/workbook", files={"file": ("数据.xlsx", wrong)})
    assert "共 2 处问题" in answer.text
    assert "工作表“预算执行”第2行 C列（全年预算数，单元格 C2）" in answer.text
    assert "工作表“预算执行”第3行 D列（决算数，单元格 D3）" in answer.text and "一千二" in answer.text
    assert list((project / "inputs/tu/2024/原数据").rglob("数据.xlsx"))  # the workbook replaced is kept
    fixed = workbook_with(original, {("预算执行", "C2"): 1200})
    answer = client.post("/u/tu/2024/workbook", files={"file": ("数据.xlsx", fixed)})
    assert "总分" in answer.text and "共 2 处问题" not in answer.text


def test_a_block_is_saved_with_a_quoted_figure_and_previewed_with_its_value(project: Path) -> None:
    client = local(project)
    unit = project / "inputs/example-cdc/2024/unit.yaml"
    before = unit.read_text(encoding="utf-8")
    preview = client.post("/u/example-cdc/2024/text/preview", data={"text": "总分 {{ 数.总分 }}。"})
    assert "总分 97.14分。" in preview.text  # example-cdc scores 97.14 (make check)
    saved = client.post("/u/example-cdc/2024/text", data={"key": "改进意见", "text": "按期采购，总分{{ 数.总分 }}。"})
    assert "已保存“改进意见”" in saved.text and "97.14" in saved.text
    after = unit.read_text(encoding="utf-8")
    assert "按期采购，总分{{ 数.总分 }}。" in after
    assert after.splitlines()[:16] == before.splitlines()[:16]  # the comments and keys before 正文 are untouched
    assert "问题清单:" in after and "未达标原因: 2台医用冰箱" in after
    html = client.get("/u/example-cdc/2024/preview")
    assert "按期采购，总分97.14分。" in html.text and "sandbox" in html.headers["content-security-policy"]


def test_a_wrong_quote_is_told_and_a_block_the_report_never_prints_is_refused(project: Path) -> None:
    client = local(project)
    wrong = client.post("/u/example-cdc/2024/text", data={"key": "改进意见", "text": "{{ 数.总份 }}"})
    assert "总份" in wrong.text and "总分" in wrong.text  # the nearest names are offered
    refused = client.post("/u/example-cdc/2024/text", data={"key": "不存在的段落", "text": "x"})
    assert "报告中没有这一段" in refused.text
    assert "不存在的段落" not in (project / "inputs/example-cdc/2024/unit.yaml").read_text(encoding="utf-8")


def test_the_report_is_built_as_a_job_and_its_word_file_downloaded(project: Path) -> None:
    client = local(project)
    fragment = finished(client, client.post("/u/example-cdc/2024/build").text)
    assert "已完成" in fragment and "总分 97.14" in fragment
    word = client.get("/u/example-cdc/2024/files/report.docx")
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "免疫规划冷链能力提升" in text
    assert client.get("/u/example-cdc/2024/files/自评表.docx").status_code == 200
    assert "报告已生成" in client.get("/u/example-cdc/2024/state").text


def test_the_built_files_are_counted_as_offered_and_named_as_an_officer_knows_them(project: Path) -> None:
    client = local(project)
    fragment = finished(client, client.post("/u/example-cdc/2024/build").text)
    links = fragment.count("/u/example-cdc/2024/files/")
    assert f"可下载 {links} 个文件" in fragment  # scores.json and checks.json are written too, never offered
    assert "下载 Word 报告" in fragment and "下载 自评表（Word）" in fragment and "下载 report." not in fragment


@pytest.mark.parametrize("name", ["report.pdf", "checks.md"])
def test_a_file_not_built_yet_is_said_so(project: Path, name: str) -> None:
    answer = local(project).get(f"/u/huadu/2023/files/{name}")
    assert answer.status_code == 404 and "请先点“生成报告”" in answer.text


def test_next_year_is_made_from_the_page(project: Path) -> None:
    answer = local(project).post("/u/example-cdc/2024/next")
    assert answer.headers["hx-redirect"] == "/u/example-cdc/2025"
    assert (project / "inputs/example-cdc/2025/unit.yaml").exists()
