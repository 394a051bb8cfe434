"""``ScanResult``: everything a scan produced, in a module of its own.

The pipeline makes it; the report writers and the history read it. Keeping it here (not in
:mod:`scanner.pipeline`) means those readers need not import the pipeline that imports them.
``from scanner.pipeline import ScanResult`` keeps working (re-export).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from .levels import BY_URGENCY

if TYPE_CHECKING:
    from .config import SellerProfile
    from .corpus import Corpus
    from .listings.schema import FileStats


@dataclass(frozen=True)
class PreviousScan:
    """The scan of the same seller a scan was compared with (its id in the history and when it started)."""

    id: int
    started: str


@dataclass(frozen=True)
class HistoryRecord:
    """What the history stage (:func:`scanner.history.apply.apply_history`) did for one scan."""

    path: str = ""  # the history folder ("" with --no-history)
    previous_scan: PreviousScan | None = None  # the scan compared with, None when there was none
    previous_note: str = ""  # what stood in for the previous scan when the history had none ("" otherwise)
    decisions_imported: int = 0  # decisions of --previous reports that were new to the history
    notes_imported: int = 0  # notes of --previous reports that were new to the history
    authorized_marks: tuple[str, ...] = ()  # marks of 'authorized' decisions not yet in the seller profile
    warnings: tuple[str, ...] = ()  # problems met reading --previous reports
    previous_report: str = ""  # the last --previous report given ("" when none)
    scan_id: int | None = None  # this scan's id in the history, None when it was not recorded


@dataclass
class ScanResult:
    """Everything a scan produced; the report writers and the history take this."""

    results: pd.DataFrame  # RESULT_COLUMNS, one row per listing read, most urgent first
    listings: pd.DataFrame
    #: the scan's matches: every one, or only the report's (``ScanConfig.match_columns``, ``evidence_only``)
    matches: pd.DataFrame
    rejected: pd.DataFrame
    files: list[FileStats]
    corpus_info: dict[str, Any]
    model_info: dict[str, Any]
    thresholds: dict[str, float]
    profile: SellerProfile
    started: str
    corpus: Corpus | None = None  # the corpus scanned against (matches' mark_id index corpus.marks)
    finished: str = ""
    #: Free-form facts about the scan: ``scanner_version``, ``warnings`` (the warning lines printed),
    #: ``duplicate_skus`` (``[{"sku", "marketplace", "count", "rows", "files"}]``, SKUs seen on more than
    #: one scanned row of the same marketplace), ``brand_hint`` (the no-own-brands warning, if any).
    extra: dict[str, Any] = field(default_factory=dict)
    #: Per listing (same index as ``results``), set in the new result the history stage returns
    #: (:mod:`scanner.history.apply`): ``marketplace, key, text_hash, decided, decided_at, kept, note,
    #: prev_level, notes``. ``None`` before it ran.
    followup: pd.DataFrame | None = None
    #: What the history stage did (:class:`HistoryRecord`); ``None`` before it ran.
    history: HistoryRecord | None = None

    @property
    def counts(self) -> dict[str, int]:
        """``rows_read`` (rows that became a listing or a rejected row) = ``rows_scanned`` + ``rows_rejected``;
        ``rows_folded``: variant/image rows of marketplace exports folded into their product's listing;
        ``rows_in`` = ``rows_read`` + ``rows_folded`` (every data row of the files); ``files``; and the
        listings per risk level."""
        levels = self.results["risk_level"].value_counts()
        read = sum(f.rows_read for f in self.files)
        folded = sum(getattr(f, "rows_folded", 0) for f in self.files)
        return {
            "rows_read": read,
            "rows_scanned": len(self.results),
            "rows_rejected": len(self.rejected),
            **{lvl: int(levels.get(lvl, 0)) for lvl in BY_URGENCY},
            "rows_folded": folded,
            "rows_in": read + folded,
            "files": len(self.files),
        }

    def read_line(self) -> str:
        """What was read, in one line: "read 1,207 rows from 2 files → 380 listings (824 variant/image rows
        folded into their product, 3 rows with problems)"."""
        return read_line(self.counts)


def read_line(counts: dict[str, int]) -> str:
    """:meth:`ScanResult.read_line` from a ``counts`` dict (rows in = listings + folded + rejected)."""
    files = counts.get("files", 0)
    parts = []
    if counts.get("rows_folded", 0):
        parts.append(f"{counts['rows_folded']:,} variant/image row{'s' if counts['rows_folded'] != 1 else ''} "
                     "folded into their product")
    rejected = counts.get("rows_rejected", 0)
    parts.append(f"{rejected:,} row{'s' if rejected != 1 else ''} with problems")
    rows_in = counts.get("rows_in", counts.get("rows_read", 0))
    scanned = counts.get("rows_scanned", 0)
    return (f"read {rows_in:,} row{'s' if rows_in != 1 else ''} from {files:,} file{'s' if files != 1 else ''} "
            f"→ {scanned:,} listing{'s' if scanned != 1 else ''} ({', '.join(parts)})")
