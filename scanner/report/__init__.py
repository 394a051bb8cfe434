"""Reports: the Excel workbook for people, CSV / JSON lines for machines.

The writers are imported on first use (module ``__getattr__``), so that importing the package does not load
openpyxl. The links the report writes (product pages, register records) live in :mod:`scanner.links`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MATCH_COLUMNS_READ", "write_excel", "write_csv", "write_jsonl"]


def __getattr__(name: str) -> Any:
    if name == "write_excel":
        from .excel import write_excel

        return write_excel
    if name == "MATCH_COLUMNS_READ":
        from .evidence import MATCH_COLUMNS_READ

        return MATCH_COLUMNS_READ
    if name in ("write_csv", "write_jsonl"):
        from . import machine

        return getattr(machine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
