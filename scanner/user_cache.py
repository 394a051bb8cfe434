"""The user's cache folder of scanner: what can be made again, kept between runs (the match index of a
corpus without a folder, :mod:`scanner.match.cache`; the common-word set, :mod:`scanner.match.words`)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["user_cache_root"]


def user_cache_root() -> Path:
    """``$SCANNER_CACHE_DIR``, else ``$XDG_CACHE_HOME/scanner``, else ``~/.cache/scanner``
    (``%LOCALAPPDATA%\\scanner\\cache`` on Windows)."""
    own = os.environ.get("SCANNER_CACHE_DIR", "")
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "scanner"
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "scanner" / "cache"
    return Path.home() / ".cache" / "scanner"
