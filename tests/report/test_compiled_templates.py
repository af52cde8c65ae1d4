"""The shipped templates' compiled code kept on disk between processes: used again only where its template is
unchanged and the folder is the user's alone; a unit's own template never written there."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from pipeline.report.compiled import SHIPPED, CompiledTemplates, cache_folder, kept
from pipeline.report.filters import filters, functions
from pipeline.report.sandbox import sandbox
from pipeline.report.template_files import DEFAULTS


def env_with(cache: CompiledTemplates, unit_folder: Path, compiles: bool = True) -> jinja2.Environment:
    env = sandbox(loader=jinja2.FileSystemLoader([str(unit_folder), str(DEFAULTS)]), bytecode_cache=cache)
    env.filters.update(filters(SimpleNamespace(money_separators=True, money_places=2)))
    env.globals.update(functions())
    if not compiles:
        def refused(*args, **kwargs):
            raise AssertionError("compiled again")
        env.compile = refused
    return env


@pytest.fixture
def unit_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "unit"
    folder.mkdir()
    (folder / "own.md.j2").write_text("本单位 {{ 1 + 2 }} 项\n", encoding="utf-8")
    return folder


def test_a_shipped_template_is_compiled_once_for_every_later_process(tmp_path, unit_folder):
    folder = tmp_path / "cache"
    first = env_with(CompiledTemplates(folder), unit_folder).get_template("common/macros.md.j2")
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 1 and written[0].startswith(SHIPPED)
    # a new cache object is what a new process has: nothing in memory, the file on disk
    again = env_with(CompiledTemplates(folder), unit_folder, compiles=False).get_template("common/macros.md.j2")
    assert again.module.__dict__.keys() == first.module.__dict__.keys()


def test_a_units_own_template_stays_in_memory(tmp_path, unit_folder):
    folder = tmp_path / "cache"
    cache = CompiledTemplates(folder)
    assert env_with(cache, unit_folder).get_template("own.md.j2").render() == "本单位 3 项"
    assert list(folder.iterdir()) == []
    assert env_with(cache, unit_folder, compiles=False).get_template("own.md.j2").render() == "本单位 3 项"


def test_a_garbled_file_is_compiled_anew_and_written_again(tmp_path, unit_folder):
    folder = tmp_path / "cache"
    env_with(CompiledTemplates(folder), unit_folder).get_template("common/checks.md.j2")
    (kept,) = folder.iterdir()
    whole = kept.read_bytes()
    for garbled in (whole[:len(whole) // 2], b"", whole[:8] + b"\x00" * 64):
        kept.write_bytes(garbled)
        env_with(CompiledTemplates(folder), unit_folder).get_template("common/checks.md.j2")
        assert kept.read_bytes() == whole


def test_a_folder_others_may_write_is_not_used(tmp_path, unit_folder):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o777)
    cache = CompiledTemplates(folder)
    env_with(cache, unit_folder).get_template("common/macros.md.j2")
    assert cache.folder is None and list(folder.iterdir()) == []
    os.symlink(folder, tmp_path / "link")
    folder.chmod(0o700)
    assert CompiledTemplates(tmp_path / "link").folder is None


def test_the_folder_is_the_users_cache_and_names_the_code_that_compiled(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = cache_folder()
    assert folder.parent == tmp_path / "selfeval-pipeline" and folder.name.startswith("templates-")
    assert cache_folder() == folder


def test_a_file_made_the_same_way_every_time_is_made_once_per_user(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = []

    def make() -> bytes:
        made.append(1)
        return b"PK made"

    assert kept("thing-1.docx", make) == b"PK made" and kept("thing-1.docx", make) == b"PK made"
    assert len(made) == 1 and (tmp_path / "selfeval-pipeline/files/thing-1.docx").read_bytes() == b"PK made"
    assert [p.name for p in (tmp_path / "selfeval-pipeline/files").iterdir()] == ["thing-1.docx"]  # no partial left


def test_a_file_is_made_each_time_where_the_folder_is_not_the_users_alone(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "selfeval-pipeline/files"
    folder.mkdir(parents=True)
    (folder / "thing-1.docx").write_bytes(b"planted by another user")
    folder.chmod(0o777)
    assert kept("thing-1.docx", lambda: b"made") == b"made"


def test_the_reference_document_is_kept_and_read_back_the_same(monkeypatch, tmp_path):
    from pipeline.report.word import reference, styles
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reference.reference_docx.cache_clear()
    try:
        made = reference.reference_docx()
        reference.reference_docx.cache_clear()
        monkeypatch.setattr(styles, "made_reference", lambda: pytest.fail("made again"))
        assert reference.reference_docx() == made
        assert [p.name.startswith("reference-") for p in (tmp_path / "selfeval-pipeline/files").iterdir()] == [True]
    finally:
        reference.reference_docx.cache_clear()
