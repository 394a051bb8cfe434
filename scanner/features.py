"""Matches -> one feature row per listing (the same code for training and scanning).

(Walking-skeleton features: counts of third-party matches by cue. The risk-model issue replaces them.)
"""

from __future__ import annotations

import pandas as pd

from .config import SellerProfile
from .corpus import Corpus

FEATURE_NAMES: tuple[str, ...] = ("n_third_party", "n_identity", "n_nominative", "n_counterfeit")


def build_features(
    listings: pd.DataFrame,
    matches: pd.DataFrame,
    corpus: Corpus,
    profile: SellerProfile | None = None,
) -> pd.DataFrame:
    """One row per listing (same index as ``listings``), columns :data:`FEATURE_NAMES`."""
    feats = pd.DataFrame(0, index=listings.index, columns=list(FEATURE_NAMES), dtype="int64")
    if matches.empty:
        return feats
    third = matches[~(matches["own"] | matches["authorized"])]
    nominative = third["nominative_cue"] != ""
    counterfeit = third["counterfeit_cue"] != ""
    for name, part in (
        ("n_third_party", third),
        ("n_identity", third[~nominative]),
        ("n_nominative", third[nominative]),
        ("n_counterfeit", third[counterfeit]),
    ):
        counts = part.groupby("listing")["mark_key"].nunique()
        feats.loc[counts.index, name] = counts.to_numpy()
    return feats
