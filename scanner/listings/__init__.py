"""Read seller listing exports into the canonical listing table.

Public entry point: :func:`read_listings`. (Walking-skeleton reader: tab-separated files with a header
row, UTF-8 or cp1252. The full set of formats lands with the listings readers.)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..progress import Progress
from .schema import (
    BULLET_SEPARATOR,
    CANONICAL_COLUMNS,
    FileStats,
    ReadResult,
    empty_listings,
    empty_rejected,
)

__all__ = ["read_listings", "ReadResult", "FileStats", "CANONICAL_COLUMNS"]

_ALIASES = {
    "sku": ("seller-sku", "item_sku", "sku"),
    "asin": ("asin1", "asin"),
    "title": ("item-name", "item_name", "product-name", "title"),
    "brand": ("brand_name", "brand"),
    "description": ("item-description", "product_description", "description"),
    "keywords": ("generic_keywords", "keywords"),
}


def read_listings(
    paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    column_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    frames, rejected, files = [], [], []
    for path in paths:
        df, rej, stats = _read_tsv(Path(path), encoding, column_map or {})
        frames.append(df)
        rejected.append(rej)
        files.append(stats)
    listings = pd.concat(frames, ignore_index=True) if frames else empty_listings()
    rej = pd.concat(rejected, ignore_index=True) if rejected else empty_rejected()
    return ReadResult(listings=listings, rejected=rej, files=files)


def _read_tsv(path: Path, encoding: str | None, column_map: dict[str, str]):
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    if not raw.strip():
        raise InputError("file is empty", path=path)
    enc = encoding or "utf-8-sig"
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        enc = "cp1252"
        text = raw.decode(enc, errors="replace")
    lines = text.split("\n")
    header = lines[0].rstrip("\r").split("\t")
    pos = {}
    for canon, names in _ALIASES.items():
        wanted = (column_map[canon],) if canon in column_map else names
        for name in wanted:
            if name in header:
                pos[canon] = header.index(name)
                break
    if "title" not in pos:
        raise InputError(f"not a listing export: no title column among headers {header[:8]}", path=path)
    bullets = [header.index(f"bullet_point{i}") for i in range(1, 6) if f"bullet_point{i}" in header]
    rows, rej = [], []
    n = 0
    for lineno, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if not line:
            continue
        n += 1
        cells = line.split("\t")
        if len(cells) != len(header):
            rej.append((str(path), lineno, "", f"expected {len(header)} fields, found {len(cells)}", line))
            continue
        rec = {c: "" for c in CANONICAL_COLUMNS}
        for canon, i in pos.items():
            rec[canon] = cells[i].strip()
        rec["bullets"] = BULLET_SEPARATOR.join(cells[i].strip() for i in bullets if cells[i].strip())
        if not rec["title"]:
            rej.append((str(path), lineno, "title", "empty title", line))
            continue
        rec["source_file"] = str(path)
        rec["source_row"] = lineno
        rows.append(rec)
    df = pd.DataFrame(rows, columns=list(CANONICAL_COLUMNS)) if rows else empty_listings()
    df["source_row"] = df["source_row"].astype("int64")
    rej_df = pd.DataFrame(rej, columns=["source_file", "source_row", "column", "reason", "raw"]) if rej else empty_rejected()
    stats = FileStats(str(path), "tsv", enc, rows_read=n, rows_ok=len(rows), rows_rejected=len(rej))
    return df, rej_df, stats
