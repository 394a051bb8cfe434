"""Read the decisions a seller filled in a report (the ``Decision`` column).

Sheets read, in this order of precedence: ``High risk``, ``Review``, ``Kept``, ``All listings``. Rows are
matched by SKU (or ASIN when the SKU is empty) and marketplace. The ``Notes`` column is read too (the first
non-empty note of a listing wins; an emptied cell does not delete an earlier note). Empty cells are ignored; the four values
``pull``, ``edit``, ``keep`` and ``authorized`` are accepted in any case and with stray spaces (and the
spelling ``authorised``); anything else is reported with its sheet and row and skipped.
"""

from __future__ import annotations

import datetime as _dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .keys import norm_marketplace, sku_key
from .store import Decision, Note

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


@dataclass
class ReportDecisions:
    """What one report holds: the decisions by ``(marketplace, sku)``, the problems found, and the
    risk level of every listing on its All listings sheet (used for ``is_new`` without a history)."""

    path: Path
    decisions: dict[tuple[str, str], Decision] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    levels: dict[tuple[str, str], str] = field(default_factory=dict)
    decided_at: str = ""
    notes: dict[tuple[str, str], Note] = field(default_factory=dict)  # the non-empty Notes cells

    @property
    def seller(self) -> str:
        return self.meta.get("seller", "")

    @property
    def marketplace(self) -> str:
        return self.meta.get("marketplace", "")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _saved_at(wb: Any, path: Path) -> str:
    modified = getattr(wb.properties, "modified", None)
    if isinstance(modified, _dt.datetime):
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=_dt.UTC)
        return modified.astimezone().isoformat(timespec="seconds")
    stamp = path.stat().st_mtime
    return _dt.datetime.fromtimestamp(stamp).astimezone().isoformat(timespec="seconds")


def read_decisions(path: str | Path, *, default_marketplace: str = "US") -> ReportDecisions:
    """Read the Decision column of a report written by ``scanner scan`` (and edited by the seller)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.exists():
        raise InputError("report not found", path=path)
    if path.is_dir():
        raise InputError("a folder, not a report workbook (.xlsx)", path=path)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise InputError(f"not a report workbook: expected a .xlsx file written by scanner scan, got "
                         f"{path.suffix or 'a file without extension'!r}", path=path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
        raise InputError(f"not an Excel workbook (.xlsx): {exc}", path=path) from None
    try:
        out = ReportDecisions(path=path, decided_at=_saved_at(wb, path))
        if "_scanner" in wb.sheetnames:
            for row in wb["_scanner"].iter_rows(values_only=True):
                if row and row[0]:
                    out.meta[str(row[0])] = _cell_text(row[1] if len(row) > 1 else "")
        default_mkt = norm_marketplace(out.meta.get("marketplace", ""), default_marketplace)
        found_sheet = False
        sources: dict[tuple[str, str], tuple[str, int]] = {}
        for sheet in DECISION_SHEETS:
            if sheet not in wb.sheetnames:
                continue
            rows = wb[sheet].iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                continue
            names = {str(h).strip().casefold(): i for i, h in enumerate(header) if h is not None}
            if "decision" not in names or "sku" not in names:
                continue
            found_sheet = True
            i_dec, i_sku = names["decision"], names["sku"]
            i_asin, i_mkt = names.get("asin"), names.get("marketplace")
            i_hash, i_marks = names.get("text hash"), names.get("marks")
            i_level = names.get("risk level")
            i_notes = names.get("notes")
            for rownum, row in enumerate(rows, start=2):
                if not row:
                    continue

                def get(i: int | None, row: tuple[Any, ...] = row) -> str:
                    return _cell_text(row[i]) if i is not None and i < len(row) else ""

                key = (norm_marketplace(get(i_mkt), default_mkt), sku_key(get(i_sku), get(i_asin)))
                if sheet == "All listings" and i_level is not None and key[1]:
                    out.levels.setdefault(key, get(i_level).lower())
                note = get(i_notes) if i_notes is not None else ""
                if note and key[1] and key not in out.notes:
                    out.notes[key] = Note(note[:2000], get(i_hash), out.decided_at,
                                          source=f"{path.name}:{sheet}:{rownum}")
                raw = row[i_dec] if i_dec < len(row) else None
                value = normalise_decision(raw)
                if value == "":
                    continue
                if value is None:
                    out.problems.append(f"{path.name}, sheet {sheet!r} row {rownum}: {str(raw).strip()!r} is not a "
                                        f"decision; use one of {', '.join(DECISION_VALUES)} (row skipped)")
                    continue
                if not key[1]:
                    out.problems.append(f"{path.name}, sheet {sheet!r} row {rownum}: no SKU or ASIN, so the "
                                        f"decision {value!r} cannot be matched to a listing (row skipped)")
                    continue
                if key in out.decisions:
                    if out.decisions[key].decision != value:
                        first_sheet, first_row = sources[key]
                        out.problems.append(
                            f"{path.name}, sheet {sheet!r} row {rownum}: SKU {key[1]!r} is {value!r} here but "
                            f"{out.decisions[key].decision!r} on sheet {first_sheet!r} row {first_row}; kept "
                            f"{out.decisions[key].decision!r}")
                    continue
                sources[key] = (sheet, rownum)
                out.decisions[key] = Decision(value, get(i_hash), out.decided_at, source=f"{path.name}:{sheet}:{rownum}",
                                              marks=get(i_marks).replace("; ", ";"))
        if not found_sheet:
            raise InputError("not a scanner report: no High risk / Review / Kept / All listings sheet with SKU and "
                             "Decision columns", path=path)
        return out
    finally:
        wb.close()
