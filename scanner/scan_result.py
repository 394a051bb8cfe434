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


@dataclass
class ScanResult:
    """Everything a scan produced; the report writers and the history take this."""

    results: pd.DataFrame  # RESULT_COLUMNS, one row per listing read, most urgent first
    listings: pd.DataFrame
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
    #: Per listing (same index as ``results``), filled by the history stage (:mod:`scanner.history.apply`):
    #: ``marketplace, key, text_hash, decided, decided_at, kept, note, prev_level``. ``None`` before it ran.
    followup: pd.DataFrame | None = None
    #: What the history stage did: ``scan_id``, ``path``, ``previous_scan``, ``decisions`` (imported),
    #: ``authorized_marks`` (marks of 'authorized' decisions not yet in the seller profile), ``warnings``.
    history: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        levels = self.results["risk_level"].value_counts()
        return {
            "rows_read": sum(f.rows_read for f in self.files),
            "rows_scanned": len(self.results),
            "rows_rejected": len(self.rejected),
            **{lvl: int(levels.get(lvl, 0)) for lvl in BY_URGENCY},
        }
