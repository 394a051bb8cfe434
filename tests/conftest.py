"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: ../shared/data beside the checkout (development machines and CI); absent in a user's fresh clone.
SHARED_DATA = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
