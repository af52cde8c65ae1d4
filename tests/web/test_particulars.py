"""The unit's particulars (名称, 填报人, 日期…) changed on its page, never in unit.yaml by hand: each line replaced
alone, every other line kept, a hostile value kept to its one line."""
from __future__ import annotations

from pathlib import Path

from tests.web.helpers import local


def test_an_officer_names_the_unit_and_the_report_follows(project: Path) -> None:
    client = local(project)
    client.post("/units/new", data={"dept": "baiyun", "kind": "department", "year": "2024"})
    path = project / "inputs/baiyun/2024/unit.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    page = client.get("/u/baiyun/2024").text
    assert 'name="单位名称" value="某某单位"' in page and 'name="项目名称"' not in page  # a department has no project
    saved = client.post("/u/baiyun/2024/fields", data={"单位名称": "白云区卫生健康局", "填报人": "陈红",
                                                        "填报日期": "2025-04-01", "不是字段": "x"}).text
    assert "已保存单位信息" in saved and "总分" in saved
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert changed == [("单位名称: 某某单位", "单位名称: 白云区卫生健康局"), ("填报人: 张三", "填报人: 陈红"),
                       ('填报日期: "2025-03-31"', "填报日期: '2025-04-01'")], changed
    assert len(after) == len(before) and "不是字段" not in path.read_text(encoding="utf-8")
    assert "白云区卫生健康局" in client.get("/u/baiyun/2024/preview").text
    assert "2025年4月1日" in client.get("/u/baiyun/2024/preview").text


def test_a_project_adds_the_particulars_its_form_lacks_and_a_bad_date_is_told_at_its_key(project: Path) -> None:
    client = local(project)
    client.post("/units/new", data={"dept": "xm", "kind": "project", "year": "2024"})
    path = project / "inputs/xm/2024/unit.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.splitlines() if not line.startswith("项目负责人:")) + "\n",
                    encoding="utf-8")
    saved = client.post("/u/xm/2024/fields", data={"项目负责人": "王五\n评价体系: 别的体系", "填报日期": "去年"}).text
    written = path.read_text(encoding="utf-8")
    assert "项目负责人: 王五 评价体系: 别的体系" in written or "项目负责人: '王五 评价体系: 别的体系'" in written, written
    assert "评价体系: 别的体系\n" not in written
    assert "填报日期" in saved and "去年" in saved  # told where it is, with the value, not saved silently wrong
