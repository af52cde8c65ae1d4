"""Who is asking: a signed session cookie (its timestamp makes it expire), a CSRF token in it that every change must
echo in a header, the Host checked on this machine (no DNS rebinding), and the unit an account may see."""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..errors import InputError
from ..inputs.files import area
from ..inputs.load import NAME, YEAR, available_units
from ..limits import SESSION_SECONDS
from .accounts import BUREAU, Account, read_accounts, signed_in
from .pages import page

COOKIE = "selfeval_session"
CSRF_HEADER = "x-csrf-token"
SAFE = {"GET", "HEAD", "OPTIONS"}
LOCAL = Account("本机", BUREAU, "")  # on 127.0.0.1 without sign-in: the person at this machine sees every unit
OPEN_PATHS = ("/login", "/static/")


@dataclass(frozen=True)
class Settings:
    root: Path
    sign_in: bool  # required whenever the app listens beyond this machine
    accounts: Path
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # per start: a restart signs everyone out
    hosts: tuple[str, ...] = ()  # Host headers accepted; empty: any (behind the bureau's own name)


class NotSignedIn(Exception):
    """Raised by a page that needs an account; answered with the sign-in page."""


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret, salt="selfeval-session")


def read_session(settings: Settings, cookie: str | None) -> dict | None:
    if not cookie:
        return None
    try:
        data = _serializer(settings).loads(cookie, max_age=SESSION_SECONDS)
    except BadSignature:  # tampered, or older than SESSION_SECONDS (SignatureExpired is a BadSignature)
        return None
    return data if isinstance(data, dict) and isinstance(data.get("c"), str) else None


def fresh(account: Account | None = None) -> dict:
    """A session with a new CSRF token; signed in, it carries a mark of the password, so changing it signs out."""
    return {"u": account.name, "h": account.hashed[-12:], "c": secrets.token_urlsafe(24)} if account else \
        {"u": "", "c": secrets.token_urlsafe(24)}


def host_allowed(settings: Settings, host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return not settings.hosts or name.strip("[]") in settings.hosts


async def guard(request: Request, call_next) -> Response:
    """Every request: the Host, the session (a new anonymous one when absent), the CSRF token on every change."""
    settings: Settings = request.app.state.settings
    if not host_allowed(settings, request.headers.get("host", "")):
        return PlainTextResponse("拒绝访问：请用 http://127.0.0.1 打开本页", status_code=400)
    session = read_session(settings, request.cookies.get(COOKIE))
    request.state.session = session or fresh()
    request.state.new_session = None if session else request.state.session
    if request.method not in SAFE:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), request.state.session["c"].encode()) or not session:
            return PlainTextResponse("请求已过期或来源不明（防跨站请求伪造），请刷新页面后重试", status_code=403)
    response = await call_next(request)
    new = request.state.new_session
    if new is not None:
        response.set_cookie(COOKIE, _serializer(settings).dumps(new), max_age=SESSION_SECONDS, httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")
    return response


def current(request: Request) -> Account:
    """The account of the request; NotSignedIn when the app requires sign-in and there is none."""
    settings: Settings = request.app.state.settings
    if not settings.sign_in:
        return LOCAL
    name = request.state.session.get("u", "")
    account = read_accounts(settings.accounts).get(name) if name else None
    if account is None or request.state.session.get("h") != account.hashed[-12:]:
        raise NotSignedIn()
    return account


def bureau(request: Request) -> Account:
    account = current(request)
    if not account.bureau:
        raise HTTPException(403, "只有财政部门账号可以复核")
    return account


@dataclass(frozen=True)
class UnitRef:
    dept: str
    year: int
    folder: Path


def unit_ref(request: Request, dept: str, year: str) -> UnitRef:
    """The unit a path names, if it exists and the account may see it; otherwise 404 alike (existence is not told)."""
    account = current(request)
    root = request.app.state.settings.root
    if not NAME.fullmatch(dept) or not YEAR.fullmatch(year) or not account.may_see(dept) \
            or int(year) not in available_units(root).get(dept, []):
        raise HTTPException(404, "没有这个单位或年度，或本账号无权查看")
    try:
        folder = area(root / "inputs", dept, year)  # a unit or year folder that is a link is refused
    except InputError:
        raise HTTPException(404, "没有这个单位或年度，或本账号无权查看") from None
    home = (root / "inputs" / dept).resolve()
    if not folder.resolve().is_relative_to(home):
        raise HTTPException(404, "没有这个单位或年度，或本账号无权查看")
    return UnitRef(dept, int(year), folder)


def visible(account: Account, units: dict[str, list[int]]) -> dict[str, list[int]]:
    return {dept: years for dept, years in units.items() if account.may_see(dept)}


router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return page(request, "login.html", title="登录")


@router.post("/login")
def login(request: Request, name: str = Form(""), password: str = Form("")) -> Response:
    settings: Settings = request.app.state.settings
    account = signed_in(read_accounts(settings.accounts), name, password) if settings.sign_in else LOCAL
    if account is None:
        return HTMLResponse('<p class="bad">账号或密码不正确</p>', status_code=200)
    request.state.new_session = fresh(account)  # a new token at sign-in: a token planted before is worthless
    return Response(status_code=204, headers={"HX-Redirect": "/"})


@router.post("/logout")
def logout(request: Request) -> Response:
    request.state.new_session = fresh()
    return Response(status_code=204, headers={"HX-Redirect": "/login"})
