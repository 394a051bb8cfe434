"""results.csv and results.jsonl (columns: ``scanner.results.RESULT_COLUMNS``).

``safe=True`` applies OWASP's CSV-injection advice: a text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` so that a spreadsheet opening the file shows it as
text instead of running it as a formula. Numbers (``risk_score``, ``source_row``) and booleans are never
prefixed. It is on by default for the CSV (``--no-csv-safe`` turns it off) and off for JSON lines (which
spreadsheets do not open; ``--csv-safe`` turns it on there too).

Each file is written to a temporary file in the target's folder and moved over the target (``os.replace``)
only once complete, so a write that fails part-way (a full disk) leaves the last complete file, and is one
:class:`~scanner.errors.ScannerError` line naming the file. A symlink is written through (the file it points
to is replaced; the link stays); a target that is not a regular file (a device, a named pipe) is
written directly. The file gets the permissions of the file it replaces, else 0666 less the umask (0644
under the usual 022), as :func:`open` would give.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np
import pandas as pd

from ..errors import ScannerError
from ..frames import column_values
from ..replace_file import write_output
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
        if _is_text(table, col):
            table[col] = table[col].map(neutralise)
    return table


def _is_text(table: pd.DataFrame, col: str) -> bool:
    """A column ``safe`` prefixes (:func:`neutralise`)."""
    return col not in _NOT_TEXT and (pd.api.types.is_object_dtype(table[col]) or pd.api.types.is_string_dtype(table[col]))


def _plain_kind(series: pd.Series) -> str | None:
    """How a column is written from its values (``"float"``, ``"int"``, ``"bool"``, ``"object"``, ``"str"``),
    or ``None`` for a dtype only pandas' own writers handle."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        return {"f": "float", "i": "int", "b": "bool", "O": "object"}.get(dtype.kind) if dtype.itemsize in (1, 8) else None
    return "str" if isinstance(dtype, pd.StringDtype) else None


def _csv_columns(result: ScanResult, safe: bool) -> list[list[Any]] | None:
    """The cells of results.csv, column by column, as ``DataFrame.to_csv`` writes them (floats as NumPy
    prints them, missing values empty); ``None`` when a column has a dtype this does not handle."""
    table = result.results[list(RESULT_COLUMNS)]
    out = []
    for col in table.columns:
        series = table[col]
        kind = _plain_kind(series)
        if kind is None:
            return None
        missing = series.isna().to_numpy()
        if kind == "float":
            values: list[Any] = series.to_numpy().astype(str).tolist()
        elif kind == "bool":
            values = ["True" if v else "False" for v in series.tolist()]
        else:
            values = series.tolist()
            if safe and _is_text(table, col):
                _neutralise_list(series, values)
        if missing.any():
            values = ["" if m else v for v, m in zip(values, missing.tolist(), strict=True)]
        out.append(values)
    return out


def _neutralise_list(series: pd.Series, values: list[Any]) -> None:
    """:func:`neutralise` each of ``values`` (the values of ``series``), in place."""
    try:
        hits = series.str.startswith(FORMULA_PREFIXES, na=False).to_numpy(dtype=bool)
    except (AttributeError, TypeError):  # not a column of text
        hits = np.array([isinstance(v, str) and v.startswith(FORMULA_PREFIXES) for v in values], dtype=bool)
    for i in np.flatnonzero(hits).tolist():
        values[i] = neutralise(values[i])


def _write_text(path: str | Path, what: str, write: Callable[[TextIO], None]) -> None:
    """Write ``path`` (UTF-8, newlines as given) by ``write(fh)``, as the module docstring says: all or
    nothing, and an :class:`OSError` is one ``cannot write {what}`` line naming ``path``."""
    try:
        write_output(path, write)
    except OSError as exc:
        hint = " (is it open in Excel?)" if isinstance(exc, PermissionError) else ""
        raise ScannerError(f"cannot write {what}: {exc.strerror or exc}{hint}", path=path) from None


def write_csv(result: ScanResult, path: str | Path, *, safe: bool = True) -> None:
    """One row per listing read, UTF-8, RFC 4180 quoting; ``safe``: formula-like cells prefixed with '.
    Written from whole columns with the csv module pandas' ``to_csv`` uses (same bytes), or by ``to_csv``
    for a column dtype that path does not handle."""
    columns = _csv_columns(result, safe)

    def write(fh: TextIO) -> None:
        if columns is None:
            _table(result, safe).to_csv(fh, index=False, lineterminator="\n")
            return
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(RESULT_COLUMNS)
        writer.writerows(zip(*columns, strict=True))

    _write_text(path, "the CSV", write)


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _json_value(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _json_float(value)
    return json.dumps(value, ensure_ascii=False)


def _json_texts(table: pd.DataFrame, col: Any) -> list[str]:
    """The JSON text of each value of one column (``risk_score`` a float, ``source_row`` an int, ``is_new``
    a bool, as the records always had them)."""
    if col not in ("risk_score", "source_row", "is_new"):
        try:  # a column of text (json.dumps writes a str subclass as a str too)
            return list(map(encode_basestring, table[col].tolist()))
        except TypeError:
            pass
    values = column_values(table, col)
    if col == "risk_score":
        return [_json_float(float(v)) for v in values]
    if col == "source_row":
        return [int.__repr__(int(v)) for v in values]
    if col == "is_new":
        return ["true" if v else "false" for v in values]
    return [_json_value(v) for v in values]


def write_jsonl(result: ScanResult, path: str | Path, *, safe: bool = False) -> None:
    """One JSON object per listing read, one per line; ``safe`` as for :func:`write_csv` (off by default).
    Each line is what ``json.dumps(record, ensure_ascii=False)`` gives, made column by column."""
    table = _table(result, safe)
    cols = list(table.columns)
    texts = [_json_texts(table, col) for col in cols]
    line = "{" + ", ".join(encode_basestring(str(c)).replace("%", "%%") + ": %s" for c in cols) + "}\n"

    def write(fh: TextIO) -> None:
        if not cols:
            fh.writelines("{}\n" for _ in range(len(table)))
            return
        for at in range(0, len(table), 10_000):
            fh.write("".join([line % row for row in zip(*(t[at : at + 10_000] for t in texts), strict=True)]))

    _write_text(path, "the JSON lines", write)
