"""``scanner.arrow_memory``: the corpus commands ask Arrow for the C library's allocator, before Arrow is used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.arrow_memory import POOL_ENV, prefer_system_allocator
from scanner.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "uspto"
BACKEND = ("from scanner.arrow_memory import prefer_system_allocator; prefer_system_allocator(); "
           "import pyarrow as pa; import pyarrow.parquet; print(pa.default_memory_pool().backend_name)")


def _backend(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != POOL_ENV}
    if env_value is not None:
        env[POOL_ENV] = env_value
    return subprocess.run([sys.executable, "-c", BACKEND], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_a_fresh_process_gets_the_system_allocator():
    assert _backend(None) == "system"
    assert _backend("  ") == "system"  # empty counts as unset


def test_a_pool_the_user_chose_is_kept():
    import pyarrow as pa

    try:
        pa.mimalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no mimalloc pool to choose")
    assert _backend("mimalloc") == "mimalloc"


def test_the_variable_is_set_only_when_unset(monkeypatch):
    monkeypatch.delenv(POOL_ENV, raising=False)
    prefer_system_allocator()
    assert os.environ[POOL_ENV] == "system"
    monkeypatch.setenv(POOL_ENV, "jemalloc")
    prefer_system_allocator()
    assert os.environ[POOL_ENV] == "jemalloc"


@pytest.mark.parametrize("command", ["build", "update"])
def test_the_corpus_commands_ask_for_it(tmp_path, monkeypatch, command):
    monkeypatch.delenv(POOL_ENV, raising=False)
    monkeypatch.delenv("USPTO_API_KEY", raising=False)
    if command == "build":
        args = ["corpus", "build", str(FIXTURES / "apc250101.zip"), "--out", str(tmp_path / "c"), "-q"]
    else:  # no API key: refused at once, after the choice (no network)
        args = ["corpus", "update", str(tmp_path / "u"), "-q"]
    result = CliRunner().invoke(cli, args)
    if command == "build":
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1 and "no USPTO API key" in result.output
    assert os.environ.get(POOL_ENV) == "system"
