"""Shared fixtures: a private copy of the project's inputs, and the two example units built once."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from pipeline.run import build

ROOT = Path(__file__).resolve().parent.parent


CACHE = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    # compiled templates go to the cache folder: the suite, and the processes it starts, keep theirs private
    config.stash[CACHE] = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="selfeval-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if CACHE in config.stash:  # a run leaves no cache behind
        shutil.rmtree(config.stash[CACHE], ignore_errors=True)


def copy_inputs(target: Path) -> Path:
    shutil.copytree(ROOT / "inputs", target / "inputs")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder of its own, so a test may change inputs and write output freely."""
    return copy_inputs(tmp_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Each example unit rendered once: name → (result, output folder)."""
    root = copy_inputs(tmp_path_factory.mktemp("examples"))
    out = {}
    for dept in ("huadu", "lianjiang", "shaoguan", "example-cdc", "example-dept"):
        result, written = build(root, dept)
        out[dept] = (result, written[0].parent)
    return out


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from today's output (make golden), after the change was reviewed")
