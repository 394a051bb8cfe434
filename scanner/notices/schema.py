"""The tables the notices commands read and write."""

from __future__ import annotations

import pandas as pd

from .types import INFRINGEMENT_TYPES  # noqa: F401 - re-exported; defined in .types

#: notices.csv: one row per ASIN and complaint.
NOTICE_COLUMNS: tuple[str, ...] = (
    "asin",
    "title",
    "infringement_type",  # trademark | copyright | patent | counterfeit | suspected | "" (not stated)
    "trademark",  # the mark text when the notice states it
    "registration_number",  # exactly as written in the notice; "" when not stated
    "complaint_id",
    "rights_owner",
    "rights_owner_email",
    "notice_date",  # YYYY-MM-DD
    "source_file",  # every file the complaint was read from, ";"-separated
    "sku",  # the seller SKU when the notice names one (Account Health pages do)
)

#: The files that gave no notice, files skipped, and notes (e.g. a charset fallback).
ISSUE_COLUMNS: tuple[str, ...] = ("source_file", "level", "reason")  # level: error | skipped | note


def empty_notices() -> pd.DataFrame:
    """A notices table with no rows (all columns ``str``)."""
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in NOTICE_COLUMNS})


def empty_issues() -> pd.DataFrame:
    """An issues table with no rows."""
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in ISSUE_COLUMNS})
