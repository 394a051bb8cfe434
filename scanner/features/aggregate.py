"""Matches -> one feature row per listing: listing-level facts, counts and "any"/"min"/"max" over the
listing's third-party matches, and the features of its strongest match (``s_*``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import SellerProfile
from ..corpus import Corpus
from .docs import FEATURE_NAMES, PER_MATCH
from .listing import keys_of, listing_features, own_name_counts
from .strength import strongest_first
from .table import match_table


def build_features(
    listings: pd.DataFrame,
    matches: pd.DataFrame,
    corpus: Corpus,
    profile: SellerProfile | None = None,
    *,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per listing (same index as ``listings``), float columns :data:`FEATURE_NAMES`.

    ``table`` may pass an already computed :func:`match_table` of the same inputs (saves recomputing it).
    """
    profile = profile or SellerProfile()
    feats = pd.DataFrame(0.0, index=listings.index, columns=list(FEATURE_NAMES))
    if table is None:
        table = match_table(listings, matches, corpus, profile)
    for name, values in listing_features(listings, matches, profile).items():
        feats[name] = values
    _own_and_authorized(feats, listings, matches, profile)
    feats["min_mark_zipf"] = 8.0
    feats["min_mark_en_excess"] = 3.0
    if table.empty:
        return feats.astype("float64")
    _aggregates(feats, table)
    _strongest(feats, table)
    return feats.astype("float64")


def _own_and_authorized(feats: pd.DataFrame, listings: pd.DataFrame, matches: pd.DataFrame | None,
                        profile: SellerProfile) -> None:
    """``n_own_matches`` and ``n_authorized_matches``: corpus matches of the seller's marks, or (when higher)
    how often its own brand names are written (most are in no register, so corpus matches alone count 0)."""
    if matches is not None and not matches.empty:
        own = matches[matches["own"].astype(bool)]
        auth = matches[matches["authorized"].astype(bool) & ~matches["own"].astype(bool)]
        for name, part in (("n_own_matches", own), ("n_authorized_matches", auth)):
            counts = part.groupby("listing").size()
            feats.loc[counts.index, name] = counts.to_numpy(dtype=float)
    written = own_name_counts(listings, profile)
    if written is not None:
        feats["n_own_matches"] = np.maximum(feats["n_own_matches"].to_numpy(dtype=float), written)


def _aggregates(feats: pd.DataFrame, table: pd.DataFrame) -> None:
    """Counts and any/all/min/max over each listing's third-party matches."""
    g = table.groupby("listing", sort=False)
    by = table["listing"]
    nominative = table["m_nominative_cue"] > 0
    fake = table["m_counterfeit"] > 0
    any_cue = (table["m_nominative_cue"] + table["m_cue_before"] + table["m_cue_after"] + table["m_in_parens"]
               + table["m_cue_in_clause"] + table["m_owner_cued"]) > 0

    def put(name: str, series: pd.Series) -> None:
        feats.loc[series.index, name] = series.to_numpy(dtype=float)

    put("n_third_party", g["mark_key"].nunique())
    put("n_identity", table[~nominative].groupby("listing")["mark_key"].nunique())
    put("n_nominative", table[nominative].groupby("listing")["mark_key"].nunique())
    put("n_counterfeit", table[fake].groupby("listing")["mark_key"].nunique())
    put("n_tp_matches", g.size())
    put("n_tp_owners", table.assign(o=keys_of(table["owner"])).groupby("listing")["o"].nunique())
    put("n_word_kind", g["m_kind_word"].sum())
    strong = table["m_kind_brand"] + table["m_kind_line"] + table["m_kind_merch"]
    put("n_specific_kind", (strong > 0).astype(float).groupby(by).sum())
    put("all_word_kind", g["m_kind_word"].min())
    put("any_declared_brand", g["m_is_declared_brand"].max())
    put("any_title_first3_nocue", (table["m_first3"] * (~any_cue)).groupby(by).max())
    put("any_title_nocue", (table["m_field_title"] * (~any_cue)).groupby(by).max())
    put("any_counterfeit", g["m_counterfeit"].max())
    put("all_nominative", any_cue.astype(float).groupby(by).min())
    for name, column, how in _SIMPLE:
        put(name, getattr(g[column], how)())
    put("any_strong_kind", (strong > 0).astype(float).groupby(by).max())
    for name, fld in (("any_in_bullets", "bullets"), ("any_in_description", "description"),
                      ("any_in_keywords", "keywords")):
        put(name, (table["field"] == fld).astype(float).groupby(by).max())
    put("min_mark_zipf", g["m_mark_zipf"].min())
    put("min_mark_en_excess", g["m_mark_en_excess"].min())
    put("max_mark_tokens", g["m_mark_tokens"].max())
    put("max_similarity", g["m_similarity"].max())


#: Features that are one group-by reduction of one match-table column: (feature, column, reduction).
_SIMPLE = (
    ("any_comparison", "m_comparison", "max"), ("any_keywords_only", "m_keywords_only", "max"),
    ("any_fitment", "m_fitment", "max"), ("any_goods_same", "m_goods_same", "max"),
    ("all_word_off_goods", "m_word_off_goods", "min"), ("max_goods_rel", "m_goods_rel", "max"),
    ("goods_known", "m_goods_known", "max"), ("any_class_overlap", "m_class_overlap", "max"),
    ("any_fuzzy", "m_method_fuzzy", "max"), ("any_symbol", "m_symbol", "max"),
)


def _strongest(feats: pd.DataFrame, table: pd.DataFrame) -> None:
    """The ``s_*`` features: those of each listing's strongest match."""
    columns = ["m_" + name for name in PER_MATCH]
    strongest = table[["listing", *columns]].iloc[strongest_first(table)].set_index("listing")
    feats.loc[strongest.index, "s_present"] = 1.0
    values = strongest[columns].to_numpy(dtype=float)
    feats.loc[strongest.index, ["s_" + name for name in PER_MATCH]] = values
