"""``score_listings``: the scoring chain of one batch of listings (matches -> features -> model -> reasons
-> results), shared by the single-process scan (:mod:`scanner.pipeline`) and each Dask partition
(:mod:`scanner.distributed`), so both give the same rows.
"""

from __future__ import annotations

import pandas as pd

from .config import SellerProfile
from .corpus import Corpus
from .features import build_features, match_table, side_matches, with_chosen_owners
from .gcpause import paused_gc
from .match import find_matches
from .model import RiskModel
from .model.reasons import explain
from .progress import Progress
from .progress import get as _progress
from .results import assemble_results
from .watchlist import watchlist_notes

__all__ = ["score_listings"]


def score_listings(
    listings: pd.DataFrame,
    corpus: Corpus,
    model: RiskModel,
    profile: SellerProfile,
    watch: pd.DataFrame | None = None,
    *,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score ``listings`` (any rows of them): find_matches -> match_table -> build_features -> model.predict
    -> explain (+ the watch-list note) -> assemble_results; returns ``(matches, results)``.

    Every row is scored on its own (no figure depends on the other listings), so a partition of the
    listings gives the same rows as the whole; the single-process scan and each Dask partition
    (:mod:`scanner.distributed`) both run this function. ``corpus`` already holds the watch-list marks.
    """
    with paused_gc():  # millions of small objects: see scanner.gcpause
        return _score(listings, corpus, model, profile, watch, _progress(progress))


def _score(listings: pd.DataFrame, corpus: Corpus, model: RiskModel, profile: SellerProfile,
           watch: pd.DataFrame | None, progress: Progress) -> tuple[pd.DataFrame, pd.DataFrame]:
    progress.stage(f"matching {len(listings):,} listings against {len(corpus):,} marks")
    matches = find_matches(listings, corpus, profile, progress=progress)
    progress.stage(f"building features of {len(matches):,} matches")
    table = match_table(listings, matches, corpus, profile)
    matches = with_chosen_owners(matches, table)
    features = build_features(listings, matches, corpus, profile, table=table)
    progress.stage("scoring with the model")
    scores = model.predict(features)
    progress.stage("writing the reasons")
    reasons = explain(listings, table, scores, matches, profile, features=features)
    notes = watchlist_notes(listings, matches, watch)
    if watch is not None:
        flagged = (notes != "") & (scores["risk_level"] != "low")
        reasons = reasons.where(~flagged, reasons + ". Watch list: " + notes + " (this owner has complained "
                                "about your listings before)")
    results = assemble_results(listings, matches, scores, reasons=reasons, watchlist=notes,
                               side=side_matches(table), profile=profile, marks=corpus.marks)
    return matches, results
