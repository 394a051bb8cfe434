"""Re-exports loaded on first use (PEP 562), so that importing a package does not load what its
submodules import (pandas, scikit-learn, openpyxl): ``scanner --help`` and ``scanner history`` start fast.

    __getattr__, __dir__ = lazy_exports(__name__, {"HistoryStore": ".store", "scan": "scanner.pipeline"})
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package`` for ``exports`` (name -> the module that
    defines it, absolute or relative to ``package``); a name is imported on first access, then kept."""
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
