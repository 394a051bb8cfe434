"""Read the decisions a seller filled in a report (the ``Decision`` column).

Sheets read, in this order of precedence: ``High risk``, ``Review``, ``Kept``, ``All listings``; a sheet the
report should have and has not, or one whose SKU or Decision column cannot be found (see
:mod:`scanner.history.headers`), is reported by name. Rows are matched by SKU (or ASIN when the SKU is
empty) and marketplace. The ``Notes`` column is read too (the first non-empty note of a listing wins; an
emptied cell does not delete an earlier note). Empty cells are ignored; the four values ``pull``, ``edit``,
``keep`` and ``authorized`` are accepted in any case and with stray spaces (and the spelling
``authorised``); anything else is reported with its sheet and row and skipped. Which value wins when a
listing has several, and where a missing text hash comes from: :mod:`scanner.history.resolve`.
"""

from __future__ import annotations

import datetime as _dt
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .headers import HEADER_ROWS, find_header
from .keys import norm_marketplace, sku_key
from .resolve import ReportDecisions, resolve
from .store import Decision, Note

if TYPE_CHECKING:
    from .store import HistoryStore

DECISION_VALUES: tuple[str, ...] = ("pull", "edit", "keep", "authorized")
_ALIASES = {v: v for v in DECISION_VALUES} | {"authorised": "authorized"}
DECISION_SHEETS: tuple[str, ...] = ("High risk", "Review", "Kept", "All listings")
#: The file names a report may have.
REPORT_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm")


def normalise_decision(value: Any) -> str | None:
    """``" Keep "`` -> ``"keep"``; ``""``/``None`` -> ``""``; an unknown value -> ``None``."""
    if value is None:
        return ""
    text = " ".join(str(value).split()).casefold().strip(" .")
    if not text:
        return ""
    return _ALIASES.get(text)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _get(row: tuple[Any, ...], i: int | None) -> str:
    return _cell_text(row[i]) if i is not None and i < len(row) else ""


def _saved_at(wb: Any, path: Path) -> str:
    modified = getattr(wb.properties, "modified", None)
    if isinstance(modified, _dt.datetime):
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=_dt.UTC)
        return modified.astimezone().isoformat(timespec="seconds")
    stamp = path.stat().st_mtime
    return _dt.datetime.fromtimestamp(stamp).astimezone().isoformat(timespec="seconds")


def _open(path: Path) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise InputError("report not found", path=path)
    if path.is_dir():
        raise InputError("a folder, not a report workbook (.xlsx)", path=path)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise InputError(f"not a report workbook: expected a .xlsx file written by scanner scan, got "
                         f"{path.suffix or 'a file without extension'!r}", path=path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
        raise InputError(f"not an Excel workbook (.xlsx): {exc}", path=path) from None


def _read_row(out: ReportDecisions, sheet: str, rownum: int, row: tuple[Any, ...], cols: dict[str, int],
              default_mkt: str, hashes: dict[tuple[str, str], str]) -> None:
    key = (norm_marketplace(_get(row, cols.get("marketplace")), default_mkt),
           sku_key(_get(row, cols["sku"]), _get(row, cols.get("asin"))))
    text_hash = _get(row, cols.get("text hash"))
    if key[1] and text_hash:
        hashes.setdefault(key, text_hash)
    if sheet == "All listings" and "risk level" in cols and key[1]:
        out.levels.setdefault(key, _get(row, cols["risk level"]).lower())
    note = _get(row, cols.get("notes"))
    if note and key[1] and key not in out.notes:
        out.notes[key] = Note(note[:2000], text_hash, out.decided_at, source=f"{out.path.name}:{sheet}:{rownum}")
    raw = row[cols["decision"]] if cols["decision"] < len(row) else None
    value = normalise_decision(raw)
    if value == "":
        return
    where = f"{out.path.name}, sheet {sheet!r} row {rownum}"
    if value is None:
        out.problems.append(f"{where}: {str(raw).strip()!r} is not a decision; use one of "
                            f"{', '.join(DECISION_VALUES)} (row skipped)")
    elif not key[1]:
        out.problems.append(f"{where}: no SKU or ASIN, so the decision {value!r} cannot be matched to a listing "
                            "(row skipped)")
    else:
        d = Decision(value, text_hash, out.decided_at, source=f"{out.path.name}:{sheet}:{rownum}",
                     marks=_get(row, cols.get("marks")).replace("; ", ";"))
        out.candidates.setdefault(key, []).append((sheet, rownum, d))


def _read_sheet(out: ReportDecisions, ws: Any, sheet: str, default_mkt: str,
                hashes: dict[tuple[str, str], str]) -> bool:
    """Read one decision sheet into ``out``; False when its SKU and Decision columns were not found."""
    rows = ws.iter_rows(values_only=True)
    at, cols, missing = find_header(rows)
    if not at:
        if missing:
            out.problems.append(f"{out.path.name}, sheet {sheet!r} has no {' or '.join(missing)} column: its "
                                f"decisions are not read (looked for in the first {HEADER_ROWS} rows: a header "
                                f"that starts with {' and one with '.join(repr(m) for m in missing)})")
        return False
    for rownum, row in enumerate(rows, start=at + 1):
        if row:
            _read_row(out, sheet, rownum, row, cols, default_mkt, hashes)
    return True


def read_decisions(path: str | Path, *, default_marketplace: str = "US",
                   store: HistoryStore | None = None) -> ReportDecisions:
    """Read the Decision column of a report written by ``scanner scan`` (and edited by the seller).

    ``store``: the scan history, which knows (when it recorded the report's scan) what the report pre-filled
    and the text hash of every listing (see :mod:`scanner.history.resolve`)."""
    path = Path(path)
    wb = _open(path)
    hashes: dict[tuple[str, str], str] = {}
    try:
        out = ReportDecisions(path=path, decided_at=_saved_at(wb, path))
        if "_scanner" in wb.sheetnames:
            for row in wb["_scanner"].iter_rows(values_only=True):
                if row and row[0]:
                    out.meta[str(row[0])] = _cell_text(row[1] if len(row) > 1 else "")
        default_mkt = norm_marketplace(out.marketplace, default_marketplace)
        found_sheet, absent = False, []
        for sheet in DECISION_SHEETS:
            if sheet in wb.sheetnames:
                found_sheet = _read_sheet(out, wb[sheet], sheet, default_mkt, hashes) or found_sheet
            else:
                absent.append(sheet)
        if not found_sheet:
            raise InputError("not a scanner report: no High risk / Review / Kept / All listings sheet with SKU and "
                             "Decision columns", path=path)
    finally:
        wb.close()
    for sheet in absent:
        out.problems.append(f"{path.name}: no sheet {sheet!r} (renamed or deleted?): decisions typed on it are not "
                            "read")
    resolve(out, hashes, store)
    return out
