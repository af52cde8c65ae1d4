"""serve: the local web app, where an officer fills, checks, writes and downloads without a terminal."""
from __future__ import annotations

import argparse

NAME, HELP = "serve", "启动本机网页版（浏览器中填报、编辑叙述、生成和下载报告）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1 仅本机；其他地址需要登录账号）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")


def run(args: argparse.Namespace) -> int:
    from ..web.app import serve
    return serve(args.root, args.host, args.port)
