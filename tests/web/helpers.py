"""A client of the web app over a private project: the session cookie's CSRF token sent with every change."""
from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from pipeline.web import auth
from pipeline.web.accounts import BUREAU, add_account
from pipeline.web.app import create_app

PASSWORD = "正确的密码-2024"


class Client:
    """A browser's worth of state: one cookie jar, its token sent as the page's htmx would."""

    def __init__(self, app, host: str = "127.0.0.1"):
        self.app = app
        self.http = TestClient(app, base_url=f"http://{host}", follow_redirects=False)
        self.http.get("/login")

    @property
    def token(self) -> str:
        return auth.read_session(self.app.state.settings, self.http.cookies.get(auth.COOKIE))["c"]

    def get(self, url: str, **kw):
        return self.http.get(url, **kw)

    def post(self, url: str, **kw):
        headers = {auth.CSRF_HEADER: self.token, **kw.pop("headers", {})}
        return self.http.post(url, headers=headers, **kw)

    def sign_in(self, name: str, password: str = PASSWORD):
        return self.post("/login", data={"name": name, "password": password})


def local(project: Path) -> Client:
    return Client(create_app(project))


def server(project: Path) -> Client:
    """The app as on a bureau's server: sign-in required, a unit account for huadu and a bureau account."""
    accounts = project / "accounts.json"
    add_account(accounts, "huadu-cw", "huadu", PASSWORD)
    add_account(accounts, "shaoguan-cw", "shaoguan", PASSWORD)
    add_account(accounts, "czj", BUREAU, PASSWORD)
    return Client(create_app(project, sign_in=True, hosts=("bureau.example",)), host="bureau.example")


def finished(client, fragment: str, seconds: float = 120) -> str:
    """Poll a job as the page does until it is done; the last fragment."""
    job = fragment.split('hx-get="/jobs/', 1)[1].split('"', 1)[0]
    end = time.monotonic() + seconds
    while 'hx-trigger="every 1s"' in fragment and time.monotonic() < end:
        time.sleep(0.2)
        fragment = client.get(f"/jobs/{job}").text
    return fragment
