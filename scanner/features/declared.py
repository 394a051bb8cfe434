"""A match against the listing's own claims: is it the declared brand (brand field) or a line of it, does
one of the seller's own brands come first, is another mark of the same owner found, is the mark anywhere
but the search keywords. All matches at once, with group-bys over (listing, field) and (listing, owner)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import SellerProfile
from ..frames import isin_text
from ..placeholders import PLACEHOLDER_KEYS
from ..text import brand_key
from .text_context import TOKEN, FieldContexts, own_name_starts


def declared_brand(field: np.ndarray, bkeys: np.ndarray, brand_words: list[list[str]], mark_keys: np.ndarray,
                   words: list[list[str]], owner_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the match is the declared brand: in the brand field, equal to it, or its first words; its owner is
    the declared brand -- equal, or a 4+ letter brand its owner key starts with)."""
    declared = (field == "brand") | ((bkeys != "") & (bkeys == mark_keys))
    declared = np.array([d or (bool(b) and bool(w) and bw[: len(w)] == w)
                         for d, b, w, bw in zip(declared, bkeys, words, brand_words, strict=True)], dtype=bool)
    owner_declared = np.array([not d and bool(b) and bool(o) and (o == b or (len(b) >= 4 and o.startswith(b)))
                               for d, b, o in zip(declared, bkeys, owner_keys, strict=True)], dtype=bool)
    return declared, owner_declared


def brand_words_of(brands: pd.Series, listing: np.ndarray) -> list[list[str]]:
    """The lower-case words of each match's listing's brand field."""
    labels = pd.unique(listing)
    words = {lab: TOKEN.findall(str(b).lower()) for lab, b in zip(labels, brands.reindex(labels), strict=True)}
    return [words[lab] for lab in listing]


def first_own_start(ctx: FieldContexts, listing: np.ndarray, field: np.ndarray, matches: pd.DataFrame,
                    profile: SellerProfile) -> np.ndarray:
    """Per match: where the first of the seller's own (or authorized) marks starts in its field -- a corpus
    match of one, or one of their brand names as written (most small brands are in no register); a large
    number when there is none."""
    none = np.iinfo(np.int64).max
    first = np.full(len(ctx.fields), none, dtype=np.int64)
    own = matches["own"].astype(bool) | matches["authorized"].astype(bool)
    if own.any():
        starts = matches.loc[own, "start"].astype(int).groupby(
            [matches.loc[own, "listing"], matches.loc[own, "field"]]).min()
        keys = pd.MultiIndex.from_arrays([listing, field])
        found = starts.reindex(keys).to_numpy(dtype=float)
        per_match = np.full(len(found), none, dtype=np.int64)
        per_match[~np.isnan(found)] = found[~np.isnan(found)].astype(np.int64)
        np.minimum.at(first, ctx.group, per_match)
    names = {brand_key(b) for b in (*profile.own_brands, *profile.authorized_brands)} - {""}
    if names:
        written = [own_name_starts(f, names, first_only=True) for f in ctx.fields]
        first = np.minimum(first, np.array([w[0] if w else none for w in written], dtype=np.int64))
    return first[ctx.group]


def other_brand_first(ctx: FieldContexts, position: np.ndarray, declared_other: np.ndarray, bkeys: np.ndarray,
                      own_first: np.ndarray) -> np.ndarray:
    """Another brand leads the field: the declared brand (not this match's), an own mark, or a coined word --
    for a match that is not itself first."""
    lead_key = np.array([f.lead_key() for f in ctx.fields], dtype=object)[ctx.group]
    lead_start = np.fromiter((f.lead_start() for f in ctx.fields), dtype=np.int64, count=len(ctx.fields))[ctx.group]
    own_leads = (lead_start >= 0) & (own_first <= lead_start)
    return (position > 0) & ((declared_other & (lead_key == bkeys)) | own_leads)


def declared_other(bkeys: np.ndarray, declared: np.ndarray, owner_declared: np.ndarray) -> np.ndarray:
    """The brand field names another brand than this match's (not a placeholder)."""
    return (bkeys != "") & ~isin_text(bkeys, PLACEHOLDER_KEYS) & ~declared & ~owner_declared


def owner_matched_too(listing: np.ndarray, owner_keys: np.ndarray, mark_keys: np.ndarray) -> np.ndarray:
    """Another mark of the same owner is found in the same listing ('Apple' + 'iPad')."""
    frame = pd.DataFrame({"listing": listing, "owner": owner_keys, "mark": mark_keys})
    n_marks = frame.groupby(["listing", "owner"], sort=False)["mark"].transform("nunique").to_numpy()
    return (owner_keys != "") & (n_marks > 1)


def keywords_only(listing: np.ndarray, field: np.ndarray, owner_keys: np.ndarray, mark_keys: np.ndarray
                  ) -> np.ndarray:
    """The mark (or its owner) is found only in the search keywords of the listing."""
    key = np.where(owner_keys != "", owner_keys, mark_keys)
    frame = pd.DataFrame({"listing": listing, "key": key, "elsewhere": field != "keywords"})
    return ~frame.groupby(["listing", "key"], sort=False)["elsewhere"].transform("max").to_numpy(dtype=bool)
