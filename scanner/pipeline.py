"""``scan()``: chain the stages. Each stage is a public function of its own module:

read_listings -> load_corpus -> find_matches -> build_features -> model.predict -> assemble_results
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .config import ScanConfig, SellerProfile
from .corpus import Corpus, load_corpus
from .features import build_features, match_table
from .listings import read_listings
from .listings.schema import FileStats
from .match import find_matches
from .model import RiskModel, load_model
from .model.reasons import explain
from .notices.watchlist import load_watchlist
from .progress import Progress
from .progress import get as _progress
from .results import assemble_results
from .watchlist import watchlist_notes, with_watchlist


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
            **{lvl: int(levels.get(lvl, 0)) for lvl in ("high", "medium", "low")},
        }


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


def scan(
    config: ScanConfig,
    *,
    corpus: Corpus | None = None,
    model: RiskModel | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Read the listings in ``config``, match them against the corpus and score them.

    ``corpus`` and ``model`` may be passed already loaded (notebooks, tests); otherwise they come from
    ``config.corpus`` / ``config.model`` or the shipped defaults. Writes nothing.
    """
    progress = _progress(progress)
    started = _now()
    read = read_listings(
        config.listings, encoding=config.encoding, column_map=config.column_map, progress=progress
    )
    listings = read.listings
    if "marketplace" in listings.columns:
        listings.loc[listings["marketplace"] == "", "marketplace"] = config.profile.marketplace
    corpus = corpus if corpus is not None else load_corpus(config.corpus, progress=progress)
    watch_path = config.watchlist or config.profile.watchlist
    watch = load_watchlist(watch_path) if watch_path else None
    if watch is not None:
        corpus = with_watchlist(corpus, watch, progress=progress)
    model = model if model is not None else load_model(config.model)
    matches = find_matches(listings, corpus, config.profile, progress=progress)
    table = match_table(listings, matches, corpus, config.profile)
    features = build_features(listings, matches, corpus, config.profile, table=table)
    scores = model.predict(features)
    reasons = explain(listings, table, scores, matches, config.profile)
    notes = watchlist_notes(listings, matches, watch)
    if watch is not None:
        flagged = (notes != "") & (scores["risk_level"] != "low")
        reasons = reasons.where(~flagged, reasons + ". Watch list: " + notes + " (this owner has complained "
                                "about your listings before)")
    results = assemble_results(listings, matches, scores, reasons=reasons, watchlist=notes)
    return ScanResult(
        results=results,
        listings=listings,
        matches=matches,
        rejected=read.rejected,
        files=read.files,
        corpus_info={**corpus.info, "marks": len(corpus),
                     **({"watchlist": str(watch_path), "watchlist_entries": len(watch)} if watch is not None else {})},
        model_info=dict(model.info),
        thresholds=dict(model.thresholds),
        profile=config.profile,
        started=started,
        corpus=corpus,
        finished=_now(),
        extra={"scanner_version": __version__},
    )


def write_outputs(result: ScanResult, config: ScanConfig) -> list[Path]:
    """Write the Excel report and the optional CSV / JSON-lines files named in ``config``."""
    from .errors import ScannerError
    from .report import write_csv, write_excel, write_jsonl

    for target in (config.out, config.csv, config.json):
        if target is None:
            continue
        try:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScannerError(f"cannot create the output folder: {exc.strerror}", path=target) from None
    written = []
    if config.out is not None:
        write_excel(result, config.out)
        written.append(Path(config.out))
    if config.csv is not None:
        write_csv(result, config.csv)
        written.append(Path(config.csv))
    if config.json is not None:
        write_jsonl(result, config.json)
        written.append(Path(config.json))
    return written


def run_scan(config: ScanConfig, *, progress: Progress | None = None) -> ScanResult:
    """What ``scanner scan`` does: scan, apply the history (``is_new``, earlier decisions, the Kept list),
    then write every output named in ``config`` and record the scan in the history, in one transaction
    (a report that cannot be written leaves no scan recorded)."""
    from .history.apply import apply_history

    result = scan(config, progress=progress)
    with apply_history(result, config, progress=progress):
        write_outputs(result, config)
    return result
