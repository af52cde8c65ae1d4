"""Who may sign in: an accounts file of names, the unit each may see (or the bureau, which sees all), and scrypt hashes.

`python -m pipeline.web.accounts add NAME --unit huadu` (or `--bureau`) asks for the password and writes the file;
no password is stored or shown as typed.
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import json
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Location, PipelineError, Problem
from ..inputs.load import NAME
from ..limits import MIN_PASSWORD

ACCOUNTS_FILE = "accounts.json"  # in the project folder, beside inputs/
BUREAU = "*"  # the unit of the bureau's account: every unit
SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # 16 MB and ~50 ms a check: slow for a guesser, quick for a sign-in


@dataclass(frozen=True)
class Account:
    name: str
    unit: str  # a unit's code, or BUREAU
    hashed: str  # scrypt$n$r$p$salt$hash, hex

    @property
    def bureau(self) -> bool:
        return self.unit == BUREAU

    def may_see(self, dept: str) -> bool:
        return self.bureau or self.unit == dept


def hashed(password: str, salt: bytes | None = None, n: int = SCRYPT["n"], r: int = SCRYPT["r"], p: int = SCRYPT["p"]) -> str:
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        again = hashed(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return kind == "scrypt" and hmac.compare_digest(again.encode(), stored.encode())


_DUMMY = hashed("不存在的账号")  # a wrong name costs as long as a wrong password: timing tells no names


def signed_in(accounts: dict[str, Account], name: str, password: str) -> Account | None:
    account = accounts.get(name)
    good = matches(password, account.hashed if account else _DUMMY)
    return account if good and account is not None else None


def read_accounts(path: Path) -> dict[str, Account]:
    if not path.exists():
        return {}
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["accounts"]
        return {row["name"]: Account(row["name"], row["unit"], row["hashed"]) for row in rows}
    except (ValueError, KeyError, TypeError) as error:
        raise InputError([Problem(Location(path.name), f"账号文件无法读取（{error}）",
                                  hint="可删除后用 python -m pipeline.web.accounts add 重新添加账号")]) from None


def write_accounts(path: Path, accounts: dict[str, Account]) -> None:
    """Written whole and readable by its owner only: a half-written file would lock everyone out."""
    rows = [{"name": a.name, "unit": a.unit, "hashed": a.hashed} for a in accounts.values()]
    handle, temporary = tempfile.mkstemp(prefix=".accounts-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"accounts": rows}, out, ensure_ascii=False, indent=1)
    os.replace(temporary, path)


def add_account(path: Path, name: str, unit: str, password: str) -> Account:
    if not NAME.fullmatch(name):
        raise InputError([Problem(Location(path.name, key="账号"), "账号只能使用字母、数字、- 和 _", name, "例如 huadu-cw")])
    if unit != BUREAU and not NAME.fullmatch(unit):
        raise InputError([Problem(Location(path.name, key="单位"), "单位代号只能使用字母、数字、- 和 _", unit, "例如 huadu")])
    if len(password) < MIN_PASSWORD:
        raise InputError([Problem(Location(path.name, key="密码"), f"密码至少 {MIN_PASSWORD} 个字符", hint="请换一个更长的密码")])
    accounts = read_accounts(path)
    accounts[name] = Account(name, unit, hashed(password))
    write_accounts(path, accounts)
    return accounts[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.web.accounts", description="网页版的登录账号")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="项目目录（账号保存在其中的 accounts.json）")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="添加账号或修改其密码（密码在提示后输入，不显示）")
    add.add_argument("name")
    scope = add.add_mutually_exclusive_group(required=True)
    scope.add_argument("--unit", help="该账号只能查看和修改这个单位")
    scope.add_argument("--bureau", action="store_true", help="财政部门账号：查看全部单位并复核")
    remove = commands.add_parser("remove", help="删除账号")
    remove.add_argument("name")
    args = parser.parse_args(argv)
    path = args.root.resolve() / ACCOUNTS_FILE
    try:
        if args.command == "remove":
            accounts = read_accounts(path)
            if accounts.pop(args.name, None) is None:
                raise InputError([Problem(Location(path.name, key="账号"), "没有这个账号", args.name, "、".join(accounts) or "")])
            write_accounts(path, accounts)
            print(f"已删除账号 {args.name}")
            return 0
        password = _password()
        account = add_account(path, args.name, BUREAU if args.bureau else args.unit, password)
    except PipelineError as error:
        print(error.report(), file=sys.stderr)
        return error.exit_code
    who = "财政部门（全部单位）" if account.bureau else f"单位 {account.unit}"
    print(f"已保存账号 {account.name}：{who}；密码只保存散列值（{path.name}）")
    return 0


def _password() -> str:
    if not sys.stdin.isatty():  # piped in by a script: one line
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码：")
    if first != getpass.getpass("再输入一次：") or not first:
        raise InputError([Problem(Location("", key="密码"), "两次输入的密码不一致")])
    return first


if __name__ == "__main__":
    sys.exit(main())
