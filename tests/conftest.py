"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: ../shared/data beside the checkout (development machines and CI); absent in a user's fresh clone.
SHARED_DATA = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """The match index cache of folder-less corpora (scanner.match.cache) goes to a tmp dir for the whole
    session, set before any module fixture starts processes (the Dask workers of tests/test_distributed.py
    inherit it)."""
    old = os.environ.get("SCANNER_CACHE_DIR")
    os.environ["SCANNER_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("SCANNER_CACHE_DIR", None)
    else:
        os.environ["SCANNER_CACHE_DIR"] = old


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Never touch the real home directory: the scan history (and anything else under ~) goes to a tmp dir."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("LOCALAPPDATA", str(home / "AppData" / "Local"))
    return home


@pytest.fixture
def shared_data() -> Path:
    """The ``../shared/data`` folder, or skip the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"needs the shared development data at {SHARED_DATA} (present beside the checkout in development "
            "and CI; a fresh clone has none)"
        )
    return SHARED_DATA


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
