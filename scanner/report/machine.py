"""results.csv and results.jsonl (columns: ``scanner.results.RESULT_COLUMNS``).

``safe=True`` applies OWASP's CSV-injection advice: a text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` so that a spreadsheet opening the file shows it as
text instead of running it as a formula. Numbers (``risk_score``, ``source_row``) and booleans are never
prefixed. It is on by default for the CSV (``--no-csv-safe`` turns it off) and off for JSON lines (which
spreadsheets do not open; ``--csv-safe`` turns it on there too).

Files are opened with :func:`open`, so their permissions follow the umask (0644 under the usual 022).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ScannerError
from ..frames import records
from ..results import RESULT_COLUMNS

if TYPE_CHECKING:
    from ..scan_result import ScanResult

#: The first characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: Columns that hold numbers or flags, never prefixed.
_NOT_TEXT = ("risk_score", "source_row", "is_new")


def neutralise(value: object) -> object:
    """``"=HYPERLINK(...)"`` -> ``"'=HYPERLINK(...)"``; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _table(result: ScanResult, safe: bool) -> pd.DataFrame:
    table = result.results[list(RESULT_COLUMNS)]
    if not safe:
        return table
    table = table.copy()
    for col in table.columns:
        if col not in _NOT_TEXT and (pd.api.types.is_object_dtype(table[col])
                                     or pd.api.types.is_string_dtype(table[col])):
            table[col] = table[col].map(neutralise)
    return table


def _open(path: str | Path):
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ScannerError(f"cannot write: {exc.strerror}", path=path) from None


def write_csv(result: ScanResult, path: str | Path, *, safe: bool = True) -> None:
    """One row per listing read, UTF-8, RFC 4180 quoting; ``safe``: formula-like cells prefixed with '."""
    table = _table(result, safe)
    with _open(path) as fh:
        table.to_csv(fh, index=False, lineterminator="\n")


def write_jsonl(result: ScanResult, path: str | Path, *, safe: bool = False) -> None:
    """One JSON object per listing read, one per line; ``safe`` as for :func:`write_csv` (off by default)."""
    table = _table(result, safe)
    with _open(path) as fh:
        for rec in records(table):
            rec["risk_score"] = float(rec["risk_score"])
            rec["source_row"] = int(rec["source_row"])
            rec["is_new"] = bool(rec["is_new"])
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
