"""Merge the same complaint read from several files (e.g. saved as ``.eml`` and as ``.txt``)."""

from __future__ import annotations

import pandas as pd

from ..text import brand_key
from .schema import NOTICE_COLUMNS


def complaint_key(row: pd.Series | dict) -> tuple[str, ...]:
    """Complaint ID + ASIN; without an ID, ASIN + trademark (case- and punctuation-insensitive) + date."""
    if row["complaint_id"]:
        return ("id", row["complaint_id"].strip().upper(), row["asin"])
    return ("noid", row["asin"], brand_key(row["trademark"]), row["notice_date"], row["infringement_type"])


def merge_duplicates(notices: pd.DataFrame) -> pd.DataFrame:
    """One row per complaint key, in first-seen order. Empty fields are filled from the other copies, the
    first non-empty value wins, and ``source_file`` lists every file (``;``-separated, no repeats)."""
    if notices.empty:
        return notices.reset_index(drop=True)
    merged: dict[tuple[str, ...], dict[str, str]] = {}
    for rec in notices[list(NOTICE_COLUMNS)].to_dict(orient="records"):
        key = complaint_key(rec)
        if key not in merged:
            merged[key] = dict(rec)
            continue
        kept = merged[key]
        for col in NOTICE_COLUMNS:
            if col == "source_file":
                files = kept[col].split(";") if kept[col] else []
                for f in rec[col].split(";") if rec[col] else []:
                    if f not in files:
                        files.append(f)
                kept[col] = ";".join(files)
            elif not kept[col] and rec[col]:
                kept[col] = rec[col]
    return pd.DataFrame(list(merged.values()), columns=list(NOTICE_COLUMNS)).astype(str)
