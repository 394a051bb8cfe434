"""Where the shipped data lives: the starter corpus and the default model.

In a source checkout (``pip install -e .``) they are ``data/trademarks/`` and ``models/default/`` at the
repository root; in a wheel they are packaged under ``scanner/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def trademarks_dir() -> Path:
    """The folder of the shipped starter corpus (trademark CSV files)."""
    return _first_existing(_PACKAGE / "_data" / "trademarks", _REPO / "data" / "trademarks")


def starter_corpus_path() -> Path:
    """The starter corpus CSV."""
    return trademarks_dir() / "marks.csv"


def default_model_dir() -> Path:
    """The shipped default model bundle."""
    return _first_existing(_PACKAGE / "_data" / "models" / "default", _REPO / "models" / "default")
