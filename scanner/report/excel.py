"""The Excel report (walking skeleton: one sheet per table)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook

from ..errors import ScannerError

if TYPE_CHECKING:
    from ..pipeline import ScanResult


def _cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula
    return value


def write_excel(result: ScanResult, path: str | Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Summary")
    for key, value in result.counts.items():
        ws.append([key, value])
    for name, frame in (("All listings", result.results), ("Rejected rows", result.rejected)):
        ws = wb.create_sheet(name)
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append([_cell(v) for v in row])
    try:
        wb.save(path)
    except OSError as exc:
        raise ScannerError(f"cannot write the report: {exc.strerror}", path=path) from None
