"""The officer's year in a real browser (Chromium from the system packages, driven by Playwright): a new unit from
the Excel template, the workbook filled with an error, the error seen at its cell, fixed, a narrative block written
with a quoted figure, the Word file downloaded and opened. Nothing is fetched from anywhere but the app. On a server:
sign-in, another unit's pages and paths out of the unit refused, the year rolled over from the page."""
from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from tests.conftest import copy_inputs

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="没有 /usr/bin/chromium：浏览器测试需要 apt-get install -y chromium（.ci/run 会安装）")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def served(app) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free port of 127.0.0.1; its address."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A fresh browser context of the system's Chromium, downloads accepted."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser.new_context(accept_downloads=True)
        finally:
            browser.close()


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The app over a project with the frameworks and no unit."""
    from pipeline.web.app import create_app
    root = copy_inputs(tmp_path / "project")
    for folder in (root / "inputs").iterdir():
        if folder.name != "frameworks":
            shutil.rmtree(folder)
    with served(create_app(root)) as url:
        yield url


def filled(downloaded: Path, target: Path, budget: object) -> Path:
    book = openpyxl.load_workbook(downloaded)
    book["预算执行"]["C2"] = budget
    book.save(target)
    return target


def test_an_officer_goes_from_an_empty_unit_to_a_word_report(app_url: str, tmp_path: Path) -> None:
    fetched: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda request: fetched.append(request.url))
        start, clicks = time.monotonic(), 0  # clicks as a person makes them: a field focused, a file chosen count one each
        page.goto(app_url + "/")
        assert page.locator("h1").inner_text() == "单位和年度"

        new = page.locator("form[hx-post='/units/new']")
        new.locator("input[name=dept]").fill("baiyun")
        new.locator("select[name=kind]").select_option("department")
        new.locator("input[name=year]").fill("2024")
        new.locator("button[type=submit]").click()
        clicks += 5  # the code's field, the kind's list and its item, the year's field, 新建
        page.wait_for_url(app_url + "/u/baiyun/2024")

        with page.expect_download() as download:
            page.click("#download-workbook")
        clicks += 1
        assert download.value.suggested_filename == "baiyun-2024-数据.xlsx"
        original = tmp_path / "下载的.xlsx"
        download.value.save_as(original)
        upload = page.locator("form[hx-post$='/workbook'] input[type=file]")
        upload.set_input_files(str(filled(original, tmp_path / "数据.xlsx", "一千二")))
        page.click("#upload-workbook")
        clicks += 3  # 选择文件, the file in the dialog, 上传
        located = page.locator(".problems td.place").first
        located.wait_for()
        assert "工作表“预算执行”第2行 C列（全年预算数，单元格 C2）" in located.inner_text()
        assert "一千二" in page.locator(".problems").inner_text()

        upload.set_input_files(str(filled(original, tmp_path / "数据-改正.xlsx", 1200)))
        page.click("#upload-workbook")
        clicks += 3
        page.locator("#total").wait_for()
        total = page.locator("#total").inner_text()

        block = page.locator("textarea[data-block='前言']")
        block.fill("本年度自评总分为")
        block.press("End")
        page.locator("button.figure", has_text="总分").first.click()
        page.keyboard.type("。")  # the quote prints with its unit: 分 is not typed
        form = page.locator("form.block").filter(has=block)
        form.locator("button", has_text="预览引用的数字").click()
        assert form.locator(".preview-text").inner_text() == f"本年度自评总分为{total}分。"
        form.locator("button", has_text="保存这一段").click()
        clicks += 4  # the block, the figure 总分, 预览, 保存
        page.locator(".note", has_text="已保存“前言”").wait_for()

        page.click("#build")
        link = page.locator("a", has_text="下载 Word 报告")
        link.wait_for(timeout=180_000)
        with page.expect_download() as download:
            link.click()
        clicks += 2  # 生成报告, 下载
        download.value.save_as(tmp_path / "report.docx")
        word = Document(tmp_path / "report.docx")
        minutes = (time.monotonic() - start) / 60
    text = "\n".join(p.text for p in word.paragraphs)
    assert f"本年度自评总分为{total}分。" in text
    assert all(url.startswith(app_url) for url in fetched), [u for u in fetched if not u.startswith(app_url)]
    print(f"浏览器中从空单位到下载 Word 报告：{clicks} 次点击，{minutes:.2f} 分钟")


def test_a_unit_account_signs_in_sees_only_its_unit_and_rolls_its_year(tmp_path: Path) -> None:
    """On a bureau's server: sign-in first; another unit's pages and files, and paths out of the unit, are refused in
    the browser as over plain requests; 转入下一年度 makes the next year from the page."""
    from pipeline.web.accounts import add_account
    from pipeline.web.app import create_app
    root = copy_inputs(tmp_path / "project")
    add_account(root / "accounts.json", "huadu-cw", "huadu", "花都的密码-2024")
    add_account(root / "accounts.json", "shaoguan-cw", "shaoguan", "韶关的密码-2024")
    app = create_app(root, sign_in=True, hosts=("127.0.0.1",))
    with served(app) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + "/u/huadu/2023")
        assert page.url == url + "/login"
        page.fill("input[name=name]", "huadu-cw")
        page.fill("input[name=password]", "错误的密码")
        page.click("button[type=submit]")
        page.locator("#login-result", has_text="账号或密码不正确").wait_for()
        page.fill("input[name=password]", "花都的密码-2024")
        page.click("button[type=submit]")
        page.wait_for_url(url + "/")
        links = page.locator("a[href^='/u/']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert "/u/huadu/2023" in links and not [link for link in links if "shaoguan" in link]

        for refused in ("/u/shaoguan/2024", "/u/shaoguan/2024/workbook", "/u/shaoguan/2024/files/report.docx",
                        "/u/huadu/2023/files/..%2funit.yaml", "/u/huadu/2023/files/%2fetc%2fpasswd",
                        "/u/..%2fshaoguan/2024", "/static/..%2faccounts.json", "/bureau"):
            answer = page.goto(url + refused)
            assert answer is not None and answer.status in (403, 404), (refused, answer.status if answer else None)
            assert "shaoguan-cw" not in page.content() and "scrypt" not in page.content()

        page.goto(url + "/u/huadu/2023")
        page.on("dialog", lambda dialog: dialog.accept())
        page.click("button:has-text('转入下一年度')")
        page.wait_for_url(url + "/u/huadu/2024")
    assert (root / "inputs/huadu/2024/unit.yaml").is_file()
    assert not (root / "inputs/shaoguan/2025").exists()
