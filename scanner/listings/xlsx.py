"""Read a listing workbook (xlsx, xlsm): an inventory flat file, a marketplace export or a generic sheet.

The sheet: the first with a marketplace export's header (:mod:`.platforms`); else the first with a flat
file's field-name row, trying ``Template`` (the flat-file data sheet) first and sheets named like
``Example`` last; else the first sheet with a row naming a title column. Chart sheets (no cells) are
skipped. One sheet is read per workbook: every other sheet holding listings is named, with its row count,
in a warning and in the file's notes (:func:`_alike`).

Cells become text as Excel shows them where it matters for identifiers: a text cell is kept as is
(``"00123"`` stays ``00123``), a whole number is written without ``.0`` (``123.0`` -> ``123``), and a
number formatted with zero padding (number format ``00000``) is padded (``123`` -> ``00123``). Formulas
give their cached value. A control character Excel escaped in the file (``_x000D_``, a carriage return in
a cell) is decoded. ``source_row`` is the worksheet row number. The sheet's stated dimension is not
trusted (see :func:`_sheet_rows`): rows are read to the last one holding a cell, each as wide as its
last cell.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    import pandas as pd

    from .plan import Plan

_ZERO_PAD = re.compile(r"0+")
#: A character as Excel escapes it in the file (``_x000D_``: a carriage return inside a cell; ``_x005F_``: the
#: underscore of a literal ``_x000D_``), which openpyxl leaves as written in inline strings and cells.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _decoded(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    if code == 0x5F:  # "_x005F_x000D_" is the literal text "_x000D_"
        return "_"
    return chr(code) if code < 0x20 else m.group()


def _unescape(text: str) -> str:
    """``text`` with Excel's escaped control characters decoded (``Fits Apple_x000D_\n`` -> ``Fits Apple\r\n``)."""
    return _ESCAPED.sub(_decoded, text) if "_x" in text else text
#: Rows read at most to find the first SEARCH_ROWS non-blank ones (rows of formatted but empty cells above
#: the header included: a template may format hundreds).
_HEAD_ROWS = 1_000


def cell_text(value: Any, number_format: str | None = None) -> str:
    """The text of one cell value (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _unescape(value)
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
    return [_text(c) for c in row]


def _text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return _unescape(value)
    # the number format only matters for numbers, and looking it up is most of what a cell costs
    return cell_text(value, cell.number_format)


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
    """``(row number, cell texts)`` of every row the sheet holds cells in; a sheet openpyxl cannot parse
    is an InputError.

    Read without the sheet's stated dimension (reset before): one stray cell at XFD1048576 states
    ``A1:XFD1048576``, and openpyxl would pad every row to 16,384 cells and yield a million empty rows;
    a dimension stated too small (Coupang's ``A1:HW4``) would cut rows off. So a row is as wide as its
    last cell, and the rows the sheet's XML leaves out come as empty tuples, skipped here (the caller
    sees the gap in the row numbers): the cost follows the cells that exist.
    """
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
        if row:
            yield number, _row_texts(row)


def _feed(collector, rows: Iterable[tuple[int, list[str]]], header_row: int, bar) -> None:
    """The rows under ``header_row`` into ``collector``; the rows missing between them are blank rows."""
    last = shown = header_row
    for number, cells in rows:
        if number <= header_row:
            continue
        if number > last + 1:
            collector.add_blank(number - last - 1)  # rows the sheet leaves out: a million, if need be
        collector.add_record(cells, number, "\t".join(cells))
        last = number
        if number - shown >= 1000:
            bar.update(number - shown)
            shown = number


def read_workbook(path: Path, column_map: dict[str, str], progress: Progress):
    """``(listings, rejected, FileStats)`` of one workbook."""
    with open(path, "rb") as fh:
        wb = _open(path, fh)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = _read(wb, path, column_map, progress)
        finally:
            wb.close()
    _tell_reader_warnings(path, caught, result[2], progress)
    return result


#: openpyxl's warning for a number formatted as a date that no date can be (a SKU column formatted as dates).
_NO_DATE = re.compile(r"Cell (\w+) is marked as a date but the serial value (\S+) is outside the limits")


def _tell_reader_warnings(path: Path, caught: list, stats: FileStats, progress: Progress) -> None:
    """openpyxl's warnings while the workbook was read, as the file's notes and one warning line each kind
    (never Python's raw warning text on the terminal). A number formatted as a date beyond Excel's dates is
    read as ``#VALUE!``: said with its cells."""
    dates = [m.groups() for w in caught if (m := _NO_DATE.search(str(w.message)))]
    if dates:
        shown = ", ".join(f"{cell} ({value})" for cell, value in dates[:5]) + (", ..." if len(dates) > 5 else "")
        stats.notes.append(f"{path}: {len(dates):,} number(s) formatted as dates are beyond Excel's dates and read "
                           f"as #VALUE!: {shown}; format that column as Text or Number in Excel and save")
        progress.warn(stats.notes[-1])
    other = list(dict.fromkeys(str(w.message) for w in caught if not _NO_DATE.search(str(w.message))))
    stats.notes.extend(f"openpyxl: {message}" for message in other[:5])


def _sheet_order(name: str) -> int:
    key = name.strip().casefold()
    return 0 if key == "template" else 2 if "example" in key else 1


@dataclass
class _Sheet:
    """One worksheet, its first rows read: where its header is, if it has one."""

    name: str
    head: list[tuple[int, list[str]]]  # the first rows holding cells (see _sheet_rows)
    rows: Iterator[tuple[int, list[str]]]  # the rows after them
    filled: list[tuple[int, list[str]]]  # the first SEARCH_ROWS non-blank rows of head
    total: int | None  # the stated number of rows: for the progress bar only, never to read
    platform: tuple[Platform, int] | None = None  # (platform, index into filled)
    header: Header | None = None
    part: str | None = None  # the worksheet's part in the zip (openpyxl's; None: unknown)

    def header_row(self) -> int:
        index = self.platform[1] if self.platform is not None else self.header.index
        return self.filled[index][0]


def _survey(ws, path: Path, column_map: dict[str, str]) -> _Sheet:
    total = ws.max_row if isinstance(ws.max_row, int) and ws.max_row > 1 else None
    ws.reset_dimensions()  # see _sheet_rows
    rows = _sheet_rows(ws, path)
    head, filled = [], []
    for row in islice(rows, _HEAD_ROWS):  # to the SEARCH_ROWS-th non-blank row
        head.append(row)
        if any(c.strip() for c in row[1]):
            filled.append(row)
            if len(filled) == SEARCH_ROWS:
                break
    part = getattr(ws, "_worksheet_path", None)
    sheet = _Sheet(ws.title, head, rows, filled, total, part=part if isinstance(part, str) else None)
    candidates = [cells for _, cells in filled]
    sheet.platform = None if column_map else find_platform_header(candidates, SEARCH_ROWS)
    if sheet.platform is None:
        sheet.header = find_header(candidates, column_map)
    return sheet


def _choose(sheets: list[_Sheet]) -> _Sheet | None:
    """A marketplace export's header first, then a flat-file field-name row, then a row naming a title
    column; among sheets alike, the first in :func:`_sheet_order`."""
    for sheet in sheets:
        if sheet.platform is not None:
            return sheet
    for want_flat_file in (True, False):
        for sheet in sheets:
            if sheet.header is not None and (sheet.header.flat_file or not want_flat_file):
                return sheet
    return None


def _read(wb, path: Path, column_map: dict[str, str], progress: Progress):
    """Read the sheet :func:`_choose` picks; warn about other sheets with listings of the same kind.

    Chart sheets hold no cells: they are left out (and named if no sheet has a header)."""
    worksheets = sorted(wb.worksheets, key=lambda ws: _sheet_order(ws.title))  # chart sheets are not in it
    sheets = [_survey(ws, path, column_map) for ws in worksheets]
    chosen = _choose(sheets)
    if chosen is None:
        raise _no_header_error(path, sheets, [cs.title for cs in wb.chartsheets], column_map)
    if chosen.platform is not None:
        result = _read_platform_sheet(path, chosen, progress)
    else:
        result = _read_sheet(path, chosen, column_map, progress)
    _warn_left_out(path, chosen, sheets, result[2], progress)
    return result


def _no_header_error(path: Path, sheets: list[_Sheet], charts: list[str], column_map) -> InputError:
    tried = [(s.name, likely_header([cells for _, cells in s.filled])) for s in sheets]
    shown = [f"sheet {n!r}: {show_headers(h, 12)}" for n, h in tried[:4]]
    shown += [f"chart sheet {n!r}: no cells" for n in charts[: max(0, 4 - len(shown))]]
    first = tried[0][1] if tried else []
    message = f"{missing_title_message(first, column_map)} (no sheet has a header row; {'; '.join(shown)})"
    return InputError(message, path=path)


def _read_sheet(path: Path, sheet: _Sheet, column_map, progress):
    header_row = sheet.header_row()
    plan = build_plan(sheet.header.cells, column_map, path, sheet.header.template)
    fmt = identify(plan.headers)
    marketplace, notes = template_info([cells for n, cells in sheet.filled if n < header_row])
    collector = Collector(str(path), plan, fixed_width=False)
    with progress.task(f"reading {path.name} [{sheet.name}]", total=sheet.total, unit="rows") as bar:
        _feed(collector, chain(sheet.head, sheet.rows), header_row, bar)
    listings = collector.listings(marketplace=marketplace)
    formulas, formula_columns = _formulas(path, sheet, collector, plan.title_column, _empty_columns(plan, listings),
                                          header_row)
    read, ok, rejected = collector.counts()
    notes = [f"sheet {sheet.name!r}, header on row {header_row}"] + notes + plan.notes + collector.notes()
    found = [f"column {plan.header(c)!r} is read as empty: {n:,} of its cells in the first "
             f"{min(read, FORMULA_PROBE_ROWS):,} row(s) are formulas with no saved value"
             for c, n in formula_columns.items()]
    _tell_formulas(path, formulas, found, notes, progress)
    if not read:
        notes.append("no data rows under the header")
    stats = FileStats(str(path), fmt, "xlsx", read, ok, rejected, marketplace, notes)
    return listings, collector.rejected_frame(), stats


def _tell_formulas(path: Path, titles: int, columns: list[str], notes: list[str], progress) -> None:
    """Notes and warnings for formulas with no saved value: ``titles`` rows, and what ``columns`` say."""
    save = ("(the file was written by a program that stores formulas only): open it in Excel or LibreOffice and "
            "save it, so that the values are stored, or save it as CSV")
    found = [f"{titles:,} title(s) are formulas with no saved value"] if titles else []
    for what in found + columns:
        notes.append(f"{path}: {what} {save}")
        progress.warn(notes[-1])


#: How much of a worksheet's XML :func:`_may_hold_formulas` reads for the empty columns (enough for the rows
#: probed; for empty titles it reads all of it).
FORMULA_PROBE_BYTES = 16 << 20
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _may_hold_formulas(path: Path, part: str | None, limit: int | None) -> bool:
    """Whether the worksheet's XML (its first ``limit`` bytes; None: all of it) holds a formula element: read
    from the zip directly, so that an export with empty titles or an empty column (a brand column left blank
    is common) is not loaded a second time by openpyxl, which reads all its shared strings first (~3 s at
    100,000 rows; this check ~0.1 s per 16 MB of XML). True when the part is unknown or cannot be read."""
    if part is None:
        return True
    import zipfile

    tail = b""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(part.lstrip("/")) as fh:
            left = limit
            while left is None or left > 0:
                chunk = fh.read(1 << 22 if left is None else min(1 << 22, left))
                if not chunk:
                    return False
                if _FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-64:]  # a tag cut between two reads
                left = None if left is None else left - len(chunk)
    except Exception:  # noqa: BLE001 - read once already: the slower check decides
        return True
    return False


def _empty_columns(plan: Plan, listings: pd.DataFrame) -> list[int]:
    """The columns (not the title's) of the fields read empty in every row: a column of formulas whose values
    the workbook does not store reads so."""
    if listings.empty:
        return []
    return sorted({c for source in plan.sources if source.field in listings.columns
                   and not (listings[source.field] != "").any() for c in source.columns} - {plan.title_column})


#: The reason a row whose title cell is a formula with no saved value is rejected with (instead of "empty title").
FORMULA_TITLE = "empty title: the cell holds a formula with no saved value (open and save the file in Excel)"


#: How many data rows of a column read empty are looked at for formulas with no saved value.
FORMULA_PROBE_ROWS = 1_000


def _formulas(path: Path, sheet: _Sheet, collector: Collector | PlatformCollector, title_column: int,
              empty_columns: list[int], header_row: int) -> tuple[int, dict[int, int]]:
    """Formulas whose value the workbook does not store (written by a program, never opened and saved in a
    spreadsheet program: the values read are empty): ``(titles, {column: cells})``.

    ``titles``: how many rows :func:`_read_sheet` rejected for an empty title hold a formula there (their
    reason becomes :data:`FORMULA_TITLE`); ``cells``: how many of the first :data:`FORMULA_PROBE_ROWS` data
    rows hold one in each of ``empty_columns`` (the columns read empty in every row). The workbook is read
    again, with formulas, only when some title or column was empty and its XML holds a formula
    (:func:`_may_hold_formulas`), only down to the last row needed and only those columns' cells."""
    empty = {row for _, row, _, reason, _ in collector.rejected if reason == "empty title"}
    if (not empty and not empty_columns) or not _may_hold_formulas(path, sheet.part,
                                                                   None if empty else FORMULA_PROBE_BYTES):
        return 0, {}
    import openpyxl

    columns = sorted({title_column, *empty_columns}) if empty else empty_columns
    last = max([*empty, header_row + FORMULA_PROBE_ROWS if empty_columns else 0])
    found: set[int] = set()
    counts = dict.fromkeys(empty_columns, 0)
    try:
        with open(path, "rb") as fh:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=False, keep_links=False)
            try:
                ws = wb[sheet.name]
                ws.reset_dimensions()  # see _sheet_rows
                lo, hi = columns[0], columns[-1]  # only these cells are made (openpyxl still parses each row)
                for number, row in enumerate(ws.iter_rows(max_row=last, min_col=lo + 1, max_col=hi + 1,
                                                          values_only=True), start=1):
                    if number in empty and _is_formula(row, title_column - lo):
                        found.add(number)
                    if header_row < number <= header_row + FORMULA_PROBE_ROWS:
                        for c in empty_columns:
                            counts[c] += _is_formula(row, c - lo)
            finally:
                wb.close()
    except Exception:  # noqa: BLE001 - the sheet was read once already: an explanation that fails changes nothing
        return 0, {}
    if found:
        collector.rejected = [(p, row, col, FORMULA_TITLE if row in found else reason, raw)
                              for p, row, col, reason, raw in collector.rejected]
    return len(found), {c: n for c, n in counts.items() if n}


def _is_formula(row: tuple[Any, ...], at: int) -> bool:
    value = row[at] if 0 <= at < len(row) else None
    return isinstance(value, str) and value.startswith("=")


def _read_platform_sheet(path: Path, sheet: _Sheet, progress):
    """A marketplace export sheet (:mod:`.platforms`), read from its header row to the sheet's real end
    (the stated dimension is not trusted: Coupang's WING export says ``A1:HW4`` over thousands of rows)."""
    header_row = sheet.header_row()
    platform, index = sheet.platform
    collector = PlatformCollector(str(path), platform, sheet.filled[index][1], fixed_width=False)
    with progress.task(f"reading {path.name} [{sheet.name}]", total=None, unit="rows") as bar:
        _feed(collector, chain(sheet.head, sheet.rows), header_row, bar)
    read, ok, rejected = collector.counts()  # folds the rows: the rejected ones are known from here on
    formulas, _ = _formulas(path, sheet, collector, collector.layout.title[0], [], header_row)
    notes = [f"sheet {sheet.name!r}, header on row {header_row}"] + collector.notes()
    _tell_formulas(path, formulas, [], notes, progress)
    if not read:
        notes.append("no data rows under the header")
    stats = FileStats(str(path), platform.name, "xlsx", read, ok, rejected, "", notes,
                      rows_folded=collector.folded)
    return collector.listings(), collector.rejected_frame(), stats


def _alike(chosen: _Sheet, other: _Sheet) -> bool:
    """Whether ``other`` holds listings too, so that leaving it out needs a warning: another marketplace export,
    a flat file's data sheet, or a sheet with a header naming a title column.

    Not the sheets a template brings along: Example sheets hold made-up rows, and a Data Definitions sheet
    has a row naming ``item_name`` below its own header and other rows of its table. So a generic header
    below the sheet's first non-blank row counts only when the rows above it are title or note lines (two cells
    at most)."""
    if other is chosen or _sheet_order(other.name) == 2:
        return False
    if other.platform is not None:
        return True
    if other.header is None:
        return False
    above = other.filled[: other.header.index]
    return other.header.flat_file or all(sum(1 for c in cells if c.strip()) <= 2 for _, cells in above)


def _rows_under_header(sheet: _Sheet) -> tuple[int, bool]:
    """``(non-blank rows under the header, whether the sheet could be read to its end)``."""
    header_row, count = sheet.header_row(), 0
    try:
        for number, cells in chain(sheet.head, sheet.rows):
            if number > header_row and any(c.strip() for c in cells):
                count += 1
    except InputError:  # a broken sheet that is not read must not stop the one that was
        return count, False
    return count, True


def _warn_left_out(path: Path, chosen: _Sheet, sheets: list[_Sheet], stats: FileStats, progress) -> None:
    """One sheet per workbook is read (one header, one row numbering per file): other sheets with listings
    are named, with their row counts, in a warning and in the file's notes, never dropped unmentioned."""
    left = []
    for other in (s for s in sheets if _alike(chosen, s)):
        count, complete = _rows_under_header(other)
        if count:
            rows = f"{count:,} row(s)" if complete else f"at least {count:,} row(s), the rest unreadable"
            left.append(f"sheet {other.name!r} ({rows} under a header on row {other.header_row()})")
    if not left:
        return
    message = (f"{path}: only sheet {chosen.name!r} is read; also holding listings, not read: "
               f"{'; '.join(left)}; save each of these sheets as its own .xlsx or .csv file and scan it too")
    stats.notes.append(message)
    progress.warn(message)
