"""The canonical listing table every reader produces, and what a read returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: Canonical listing columns (DESIGN.md). Every value is a string; missing is "" (never NaN).
CANONICAL_COLUMNS: tuple[str, ...] = (
    "sku",
    "asin",
    "title",
    "brand",
    "bullets",
    "description",
    "keywords",
    "category",
    "marketplace",
    "source_file",
    "source_row",
)

#: The text fields the matcher searches, in the order they are shown to people.
TEXT_FIELDS: tuple[str, ...] = ("title", "brand", "bullets", "description", "keywords")

#: Canonical fields a user may map with ``--map field=column``.
MAPPABLE_FIELDS: tuple[str, ...] = tuple(c for c in CANONICAL_COLUMNS if c not in ("source_file", "source_row"))

#: Columns of the rejected-rows table.
REJECTED_COLUMNS: tuple[str, ...] = ("source_file", "source_row", "column", "reason", "raw")

#: Separator between bullet points in the ``bullets`` field.
BULLET_SEPARATOR = "\n"


def printable(name: str) -> str:
    """A file name as text every output can hold: its bytes that are not UTF-8 (which Python keeps as lone
    surrogates) written as ``\udcff`` escapes."""
    return name.encode("utf-8", errors="backslashreplace").decode("utf-8")


@dataclass
class FileStats:
    """What one input file gave: ``rows_read == rows_ok + rows_rejected`` always holds."""

    path: str
    #: "amazon-all-listings", "amazon-active-listings", "amazon-listings-custom", "amazon-fba-inventory",
    #: "amazon-report", "flat-file" or "generic" (see amazon_report.identify), or a platform name
    #: ("shopify", "woocommerce", "mercadolibre" ...: scanner.listings.platforms)
    format: str
    encoding: str  # the codec used (detected or given; "ascii" when every byte is ASCII), "xlsx" for workbooks
    rows_read: int = 0
    rows_ok: int = 0
    rows_rejected: int = 0
    marketplace: str = ""  # from the file itself where it says (flat-file TemplateType row)
    notes: list[str] = field(default_factory=list)  # how the encoding was decided, header row, skipped lines
    #: variant/image rows of marketplace exports folded into their product's listing (not in rows_read:
    #: rows in the file = rows_read + rows_folded)
    rows_folded: int = 0


@dataclass
class ReadResult:
    """The listings read from one or more files, the rows that could not be used, and per-file counts."""

    listings: pd.DataFrame  # CANONICAL_COLUMNS (+ extra columns a reader keeps); RangeIndex
    rejected: pd.DataFrame  # REJECTED_COLUMNS
    files: list[FileStats]

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_ok(self) -> int:
        return sum(f.rows_ok for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def rows_folded(self) -> int:
        return sum(f.rows_folded for f in self.files)


def empty_listings() -> pd.DataFrame:
    """A listing table with no rows (the canonical columns and dtypes)."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in CANONICAL_COLUMNS}).astype(
        {c: str for c in CANONICAL_COLUMNS if c != "source_row"} | {"source_row": "int64"}
    )


def empty_rejected() -> pd.DataFrame:
    """A rejected-rows table with no rows."""
    return pd.DataFrame({c: pd.Series([], dtype="int64" if c == "source_row" else str) for c in REJECTED_COLUMNS})
