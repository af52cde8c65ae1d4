"""Who may see what: loopback without sign-in but with CSRF and Host checks; on a server, sign-in with hashed
passwords, sessions that expire, unit accounts held to their unit, the bureau's account to everything."""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from pipeline.errors import ScaffoldError
from pipeline.limits import SESSION_SECONDS
from pipeline.web import accounts, auth
from pipeline.web.app import create_app, serve
from tests.web.helpers import PASSWORD, Client, local, server


def test_a_change_without_the_pages_token_is_refused(project: Path) -> None:
    client = local(project)
    bare = client.http.post("/u/huadu/2023/text", data={"key": "前言", "text": "被改了"})
    forged = client.http.post("/u/huadu/2023/text", data={"key": "前言", "text": "被改了"},
                              headers={auth.CSRF_HEADER: "guessed"})
    assert bare.status_code == forged.status_code == 403 and "防跨站请求伪造" in bare.text
    assert "被改了" not in (project / "inputs/huadu/2023/unit.yaml").read_text(encoding="utf-8")


def test_another_host_name_is_refused_on_this_machine(project: Path) -> None:
    """A page on another site resolving its own name to 127.0.0.1 (DNS rebinding) reaches nothing."""
    client = Client(create_app(project), host="evil.example")
    assert client.get("/").status_code == 400
    assert local(project).get("/").status_code == 200


def test_a_server_asks_for_sign_in_first(project: Path) -> None:
    client = server(project)
    assert client.get("/").status_code == 303 and client.get("/").headers["location"] == "/login"
    assert client.get("/u/huadu/2023/workbook").status_code == 303
    assert "账号或密码不正确" in client.sign_in("huadu-cw", "wrong-password").text
    assert "账号或密码不正确" in client.sign_in("nobody", PASSWORD).text
    assert client.get("/").status_code == 303


def test_a_unit_account_sees_and_changes_only_its_unit(project: Path) -> None:
    client = server(project)
    assert client.sign_in("huadu-cw").headers["hx-redirect"] == "/"
    index = client.get("/").text
    assert 'href="/u/huadu/2023"' in index and "/u/shaoguan/" not in index and "/bureau" not in index
    assert client.get("/u/huadu/2023").status_code == 200
    for url in ("/u/shaoguan/2024", "/u/shaoguan/2024/workbook", "/u/shaoguan/2024/preview",
                "/u/shaoguan/2024/state", "/u/shaoguan/2024/files/report.docx"):
        assert client.get(url).status_code == 404, url
    before = (project / "inputs/shaoguan/2024/unit.yaml").read_bytes()
    assert client.post("/u/shaoguan/2024/text", data={"key": "前言", "text": "x"}).status_code == 404
    assert client.post("/u/shaoguan/2024/workbook", files={"file": ("数据.xlsx", b"x")}).status_code == 404
    assert client.post("/u/shaoguan/2024/build").status_code == 404
    assert (project / "inputs/shaoguan/2024/unit.yaml").read_bytes() == before
    assert client.get("/bureau").status_code == 403
    assert "本账号只能建立或导入单位 huadu" in client.post("/units/new", data={"dept": "other", "kind": "project"}).text
    assert not (project / "inputs/other").exists()


def test_a_job_is_read_only_by_its_owner(project: Path) -> None:
    owner, other = server(project), server(project)
    owner.sign_in("huadu-cw")
    other.app, other.http = owner.app, type(owner.http)(owner.app, base_url="http://bureau.example")
    other.http.get("/login")
    other.sign_in("shaoguan-cw")
    job = owner.post("/u/huadu/2023/build").text.split('hx-get="/jobs/', 1)[1].split('"', 1)[0]
    assert owner.get(f"/jobs/{job}").status_code == 200
    assert other.get(f"/jobs/{job}").status_code == 404


def test_the_bureau_account_sees_every_unit(project: Path) -> None:
    client = server(project)
    client.sign_in("czj")
    index = client.get("/").text
    assert all(f"/u/{dept}/" in index for dept in ("huadu", "shaoguan", "lianjiang")) and "/bureau" in index
    assert client.get("/bureau").status_code == 200


def test_a_session_expires_and_a_tampered_one_is_nobody(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = server(project)
    client.sign_in("huadu-cw")
    assert client.get("/").status_code == 200
    cookie = client.http.cookies[auth.COOKIE]
    payload, stamp, signature = cookie.rsplit(".", 2)
    forged = payload.replace(payload[2], "A" if payload[2] != "A" else "B", 1)  # another name, the old signature
    for value, status in ((f"{forged}.{stamp}.{signature}", 303), (cookie, 200)):
        client.http.cookies.clear()
        client.http.cookies.set(auth.COOKIE, value)
        assert client.get("/").status_code == status
    later = time.time() + SESSION_SECONDS + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert client.get("/").status_code == 303


def test_a_session_from_another_start_of_the_app_is_nobody(project: Path) -> None:
    first = server(project)
    first.sign_in("czj")
    again = Client(create_app(project, sign_in=True, hosts=("bureau.example",)), host="bureau.example")
    cookie = first.http.cookies[auth.COOKIE]
    again.http.cookies.clear()
    again.http.cookies.set(auth.COOKIE, cookie)
    assert again.get("/").status_code == 303


def test_passwords_are_stored_hashed_only(project: Path) -> None:
    server(project)
    stored = (project / "accounts.json").read_text(encoding="utf-8")
    assert PASSWORD not in stored and stored.count("scrypt$") == 3
    rows = json.loads(stored)["accounts"]
    assert len({row["hashed"] for row in rows}) == 3  # salted: the same password hashes differently
    assert (project / "accounts.json").stat().st_mode & 0o077 == 0


def test_the_account_command_adds_an_account(project: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert accounts.main(["--root", str(project), "add", "baiyun-cw", "--unit", "baiyun"]) == 0
    assert "已保存账号 baiyun-cw" in capsys.readouterr().out
    found = accounts.read_accounts(project / "accounts.json")["baiyun-cw"]
    assert found.unit == "baiyun" and accounts.matches("a-long-password", found.hashed)
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert accounts.main(["--root", str(project), "add", "x", "--bureau"]) == 2
    assert "至少 8 个字符" in capsys.readouterr().err


def test_serving_beyond_this_machine_needs_accounts(project: Path) -> None:
    with pytest.raises(ScaffoldError, match="需要登录账号"):
        serve(project, "0.0.0.0")


def test_a_changed_password_or_a_removed_account_signs_out(project: Path) -> None:
    client = server(project)
    client.sign_in("huadu-cw")
    assert client.get("/").status_code == 200
    accounts.add_account(project / "accounts.json", "huadu-cw", "huadu", "another-password")
    assert client.get("/").status_code == 303
    client.sign_in("huadu-cw", "another-password")
    assert client.get("/").status_code == 200
    assert accounts.main(["--root", str(project), "remove", "huadu-cw"]) == 0
    assert client.get("/").status_code == 303


@pytest.mark.parametrize("method, url, status", [("GET", "/nothing-here", 404), ("PUT", "/", 405),
                                                 ("DELETE", "/u/huadu/2023", 405)])
def test_the_frameworks_own_refusals_are_in_chinese(project: Path, method: str, url: str, status: int) -> None:
    client = local(project)
    answer = client.http.request(method, url, headers={auth.CSRF_HEADER: client.token})
    assert answer.status_code == status and "Not Found" not in answer.text and "Method" not in answer.text
    assert "返回首页" in answer.text
