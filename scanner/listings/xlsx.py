"""Read a listing workbook (xlsx, xlsm): an inventory flat file or a generic sheet.

The sheet: the first with a flat file's field-name row, trying ``Template`` (the flat-file data sheet)
first and sheets named like ``Example`` last; else the first sheet with a row naming a title column.

Cells become text as Excel shows them where it matters for identifiers: a text cell is kept as is
(``"00123"`` stays ``00123``), a whole number is written without ``.0`` (``123.0`` -> ``123``), and a
number formatted with zero padding (number format ``00000``) is padded (``123`` -> ``00123``). Formulas
give their cached value. ``source_row`` is the worksheet row number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..progress import Progress
from .amazon_report import identify, show_headers
from .flatfile import template_info
from .folding import PlatformCollector
from .layout import SEARCH_ROWS, Header, find_header, likely_header, missing_title_message
from .plan import build_plan
from .platforms import Platform, find_platform_header
from .schema import FileStats
from .validate import Collector

_ZERO_PAD = re.compile(r"0+")
_HEAD_ROWS = SEARCH_ROWS + 20  # rows read to find the header (blank rows above it included)


def cell_text(value: Any, number_format: str | None = None) -> str:
    """The text of one cell value (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if number_format and _ZERO_PAD.fullmatch(number_format) and value >= 0:
            text = text.zfill(len(number_format))
        return text
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _row_texts(row: tuple) -> list[str]:
    return [cell_text(getattr(c, "value", None), getattr(c, "number_format", None)) for c in row]


def _open(path: Path, fh):
    import openpyxl

    try:  # a file object: openpyxl would refuse a workbook whose name does not end in .xlsx/.xlsm
        return openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl on a corrupt workbook raises almost anything
        raise InputError(
            f"looks like an Excel workbook but cannot be opened ({type(exc).__name__}: {exc}); it may be "
            "corrupt or truncated: open it in Excel and save it again as .xlsx",
            path=path,
        ) from None


def _sheet_rows(ws, path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cell texts)`` of every row; a sheet openpyxl cannot parse is an InputError."""
    rows = ws.iter_rows()
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - openpyxl on a corrupt sheet raises almost anything
            raise InputError(
                f"sheet {ws.title!r} cannot be read after row {number} ({type(exc).__name__}: {exc}); the "
                "workbook may be corrupt: open it in Excel and save it again as .xlsx",
                path=path,
            ) from None
        number += 1
        yield number, _row_texts(row)


def read_workbook(path: Path, column_map: dict[str, str], progress: Progress):
    """``(listings, rejected, FileStats)`` of one workbook."""
    with open(path, "rb") as fh:
        wb = _open(path, fh)
        try:
            return _read(wb, path, column_map, progress)
        finally:
            wb.close()


def _sheet_order(name: str) -> int:
    key = name.strip().casefold()
    return 0 if key == "template" else 2 if "example" in key else 1


def _read(wb, path: Path, column_map: dict[str, str], progress: Progress):
    """Find the sheet: a flat-file field-name row first (Template sheet first, Example sheets last), then
    any sheet with a row naming a title column."""
    sheets = []
    for name in sorted(wb.sheetnames, key=_sheet_order):
        ws = wb[name]
        rows = _sheet_rows(ws, path)
        head = list(islice(rows, _HEAD_ROWS))
        filled = [(n, cells) for n, cells in head if any(c.strip() for c in cells)][:SEARCH_ROWS]
        found = None if column_map else find_platform_header([cells for _, cells in filled], SEARCH_ROWS)
        if found is not None:
            return _read_platform_sheet(path, name, ws, filled[found[1]], found[0], progress)
        header = find_header([cells for _, cells in filled], column_map)
        sheets.append((name, ws, head, rows, filled, header))
    for want_flat_file in (True, False):
        for name, ws, head, rows, filled, header in sheets:
            if header is not None and (header.flat_file or not want_flat_file):
                return _read_sheet(path, name, ws, head, rows, filled, header, column_map, progress)
    tried = [(name, likely_header([cells for _, cells in filled])) for name, _, _, _, filled, _ in sheets]
    detail = "; ".join(f"sheet {n!r}: {show_headers(h, 12)}" for n, h in tried[:4])
    first = tried[0][1] if tried else []
    raise InputError(f"{missing_title_message(first, column_map)} (no sheet has a header row; {detail})", path=path)


def _read_sheet(path, name, ws, head, rows, filled, header: Header, column_map, progress):
    header_row = filled[header.index][0]
    plan = build_plan(header.cells, column_map, path)
    fmt = identify(plan.headers)
    marketplace, notes = template_info([cells for n, cells in filled if n < header_row])
    collector = Collector(str(path), plan, fixed_width=False)
    total = ws.max_row if isinstance(ws.max_row, int) and ws.max_row > 1 else None
    with progress.task(f"reading {path.name} [{name}]", total=total, unit="rows") as bar:
        for number, cells in head:
            if number > header_row:
                collector.add_record(cells, number, "\t".join(cells))
        bar.update(len(head))
        for number, cells in rows:
            collector.add_record(cells, number, "\t".join(cells))
            if number % 1000 == 0:
                bar.update(1000)
    read, ok, rejected = collector.counts()
    notes = [f"sheet {name!r}, header on row {header_row}"] + notes + plan.notes + collector.notes()
    if not read:
        notes.append("no data rows under the header")
    stats = FileStats(str(path), fmt, "xlsx", read, ok, rejected, marketplace, notes)
    return collector.listings(marketplace=marketplace), collector.rejected_frame(), stats


def _read_platform_sheet(path: Path, name: str, ws, header: tuple[int, list[str]], platform: Platform, progress):
    """A marketplace export sheet (:mod:`.platforms`), read from its header row to the sheet's real end.

    The sheet's stated dimension is not trusted (Coupang's WING export says ``A1:HW4`` over thousands of
    rows), so it is re-read without it.
    """
    header_row, cells = header
    collector = PlatformCollector(str(path), platform, cells, fixed_width=False)
    ws.reset_dimensions()
    with progress.task(f"reading {path.name} [{name}]", total=None, unit="rows") as bar:
        for number, row in _sheet_rows(ws, path):
            if number > header_row:
                collector.add_record(row, number, "\t".join(row))
            if number % 1000 == 0:
                bar.update(1000)
    read, ok, rejected = collector.counts()
    notes = [f"sheet {name!r}, header on row {header_row}"] + collector.notes()
    if not read:
        notes.append("no data rows under the header")
    stats = FileStats(str(path), platform.name, "xlsx", read, ok, rejected, "", notes, rows_folded=collector.folded)
    return collector.listings(), collector.rejected_frame(), stats
