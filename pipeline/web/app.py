"""The app factory and `python -m pipeline serve`: loopback without sign-in by default; any other address only with
the accounts file and sign-in. Configuration lives on the app it builds, nothing at module level."""
from __future__ import annotations

import ipaddress
from html import escape
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ScaffoldError
from . import auth, bureau, unit_page, units
from .accounts import ACCOUNTS_FILE, read_accounts
from .auth import NotSignedIn, Settings
from .pages import STATIC, environment, secured
from .uploads import limited

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8000
IN_CHINESE = {400: "请求有误", 403: "没有权限", 404: "没有这个页面或文件", 405: "不支持这种请求方式", 413: "上传的内容太大",
              422: "表单不完整或格式不对", 500: "程序出错，请把操作步骤告诉管理员"}


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(root: Path, sign_in: bool = False, accounts: Path | None = None, hosts: tuple[str, ...] | None = None,
               secret: bytes | None = None) -> FastAPI:
    """The app over one project folder; `hosts` are the Host names accepted (loopback names by default without sign-in)."""
    root = root.resolve()
    settings = Settings(root, sign_in, accounts or root / ACCOUNTS_FILE,
                        hosts=hosts if hosts is not None else (() if sign_in else LOOPBACK_NAMES),
                        **({"secret": secret} if secret else {}))
    app = FastAPI(title="绩效自评报告", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings, app.state.pages, app.state.cache, app.state.jobs = settings, environment(), {}, {}

    app.middleware("http")(auth.guard)

    @app.middleware("http")  # outside the guard: its refusals carry the headers too
    async def headers(request: Request, call_next) -> Response:
        return secured(await call_next(request))
    app.add_middleware(limited)  # outermost: a body past the limit is cut off before anything reads it

    @app.exception_handler(NotSignedIn)
    async def sign_in_first(request: Request, exc: NotSignedIn) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, exc: StarletteHTTPException) -> Response:
        said = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else \
            IN_CHINESE.get(exc.status_code, "请求无法处理")  # the framework's own English words are not shown
        return HTMLResponse(f"<!doctype html><html lang=zh-CN><meta charset=utf-8><title>无法打开</title>"
                            f'<p>{escape(said)}</p><p><a href="/">返回首页</a></p>', status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> Response:  # a bug: said in Chinese, the traceback in the log
        return HTMLResponse(f"<!doctype html><html lang=zh-CN><meta charset=utf-8><title>程序出错</title>"
                            f"<p>{IN_CHINESE[500]}（{escape(type(exc).__name__)}）</p>", status_code=500)

    @app.exception_handler(RequestValidationError)
    async def bad_form(request: Request, exc: RequestValidationError) -> Response:
        fields = "、".join(str(e.get("loc", ["", "?"])[-1]) for e in exc.errors())
        return PlainTextResponse(f"表单不完整或格式不对：{fields}", status_code=422)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, units, unit_page, bureau):
        app.include_router(module.router)
    return app


def serve(root: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> int:
    """Run the app until Ctrl+C; beyond this machine only when accounts exist to sign in with."""
    import uvicorn
    sign_in = not loopback(host)
    if sign_in and not read_accounts(root / ACCOUNTS_FILE):
        raise ScaffoldError(f"在 {host} 上提供服务需要登录账号，但 {ACCOUNTS_FILE} 中还没有账号；"
                            "请先运行 python -m pipeline.web.accounts add 账号 --bureau（或 --unit 单位）添加")
    app = create_app(root, sign_in=sign_in)
    where = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    print(f"已启动：请在浏览器中打开 {where}（{'需要登录' if sign_in else '仅本机可访问'}）；按 Ctrl+C 停止")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    return 0
