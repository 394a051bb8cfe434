"""Read and write the notices tables as CSV (UTF-8, one-line errors that name the file)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..errors import InputError, ScannerError, read_bytes
from ..replace_file import write_output
from .schema import NOTICE_COLUMNS


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` as UTF-8 CSV (RFC 4180 quoting, LF line ends), all or nothing: into a temporary file
    beside ``path``, moved over it once complete (a full disk leaves the last file, not half of a new one).
    A symlink is written through; a device or a named pipe directly."""
    try:
        write_output(path, lambda fh: df.to_csv(fh, index=False, lineterminator="\n"))
    except OSError as exc:
        raise ScannerError(f"cannot write: {exc.strerror or exc}", path=path) from None


def read_csv_strings(path: str | Path, *, required: tuple[str, ...], what: str) -> pd.DataFrame:
    """A CSV as a table of strings ("" for missing); one-line errors for unreadable or wrong files."""
    path = Path(path)
    raw = read_bytes(path, what="file")
    if not raw.strip():
        raise InputError(f"file is empty: expected a {what}", path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"not a CSV file: {exc}", path=path) from None
    header = [h.strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"not a {what}: missing column(s) {', '.join(missing)} (found {', '.join(header[:8]) or 'none'})",
            path=path,
        )
    data = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(f"{len(row)} fields but the header has {len(header)}", path=path, row=lineno)
        data.append([*row, *[""] * (len(header) - len(row))] + [lineno])
    df = pd.DataFrame(data, columns=[*header, "_row"])
    if df.empty:
        df = pd.DataFrame({c: pd.Series([], dtype=str) for c in header} | {"_row": pd.Series([], dtype="int64")})
    for col in header:
        df[col] = df[col].astype(str).str.strip()
    df["_row"] = df["_row"].astype("int64")
    return df


def read_notices(path: str | Path) -> pd.DataFrame:
    """Read a notices CSV written by ``scanner notices import`` (``asin`` required; other columns optional).

    Returns :data:`NOTICE_COLUMNS` (missing ones filled with "") plus ``_row`` (the CSV line number).
    """
    df = read_csv_strings(path, required=("asin",), what="notices CSV (from `scanner notices import`)")
    for col in NOTICE_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    for idx, asin in df["asin"].items():
        if not asin:
            raise InputError("empty ASIN", path=path, row=int(df.at[idx, "_row"]), column="asin")
    return df[[*NOTICE_COLUMNS, "_row"]].reset_index(drop=True)
