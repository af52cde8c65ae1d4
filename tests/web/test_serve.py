"""`python -m pipeline serve` and `make serve`: the verb is there, and listening beyond this machine needs sign-in."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.__main__ import arguments, main
from pipeline.web.app import loopback


def test_the_serve_verb_defaults_to_this_machine() -> None:
    args = arguments().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize("host, expected", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
                                            ("0.0.0.0", False), ("192.168.1.5", False), ("bureau.example", False)])
def test_only_loopback_goes_without_sign_in(host: str, expected: bool) -> None:
    assert loopback(host) is expected


def test_serve_on_a_network_address_without_accounts_stops_with_a_message(tmp_path: Path, capsys) -> None:
    (tmp_path / "inputs").mkdir()
    assert main(["--root", str(tmp_path), "serve", "--host", "0.0.0.0"]) == 2
    assert "需要登录账号" in capsys.readouterr().err


def test_make_serve_is_listed() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    assert "serve: $(STAMP) ##" in makefile and "python -m pipeline serve" in makefile
