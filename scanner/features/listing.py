"""Listing-level facts: the declared brand (own, authorized, placeholder, someone else's, in no corpus), a
coined word leading a title without a brand, the title's length, whether the category maps to Nice
classes, and how often the seller's own brand names are written in the listing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import SellerProfile
from ..frames import map_distinct, per_distinct
from ..frequency import EXCESS_LANGUAGES, word_zipf, zipf
from ..goods import category_classes
from ..match.lost_letters import runs_on
from ..placeholders import PLACEHOLDER_KEYS
from ..text import brand_key
from .text_context import FieldText, content_length, lead_word, may_name, own_name_starts

_TEXT_FIELDS = ("title", "brand", "bullets", "description", "keywords")


def keys_of(names: pd.Series) -> pd.Series:
    """:func:`brand_key` of each value, computed once per distinct value (same index); a missing value is no
    name (key "")."""
    return map_distinct(names.fillna("").astype(str), brand_key)


def brand_keys_of(listings: pd.DataFrame) -> pd.Series:
    """brand_key of each listing's brand field ("" when there is none)."""
    if "brand" not in listings.columns:
        return pd.Series("", index=listings.index).map(brand_key)
    return keys_of(listings["brand"])


def listing_features(listings: pd.DataFrame, matches: pd.DataFrame | None, profile: SellerProfile
                     ) -> dict[str, pd.Series | np.ndarray]:
    """The listing-level columns (see FEATURE_DOCS): declared brand, title length, category."""
    bkeys = brand_keys_of(listings)
    own_keys, auth_keys = profile.own_keys, profile.authorized_keys
    declared, unknown, lead = unknown_brands(listings, matches, profile)
    out = {
        "brand_is_own": bkeys.map(lambda k: float(bool(k) and k in own_keys)),
        "brand_is_authorized": bkeys.map(lambda k: float(bool(k) and k in auth_keys)),
        "brand_is_placeholder": bkeys.isin(PLACEHOLDER_KEYS).astype(float),
        "brand_empty": (bkeys == "").astype(float),
        "title_n_tokens": per_distinct(listings["title"].astype(str), content_length),
        "brand_declared_other": declared.astype(float),
        "brand_unknown": unknown.astype(float),
        "lead_unknown": lead.astype(float),
    }
    if "category" in listings.columns:
        out["category_known"] = listings["category"].astype(str).map(lambda c: float(bool(category_classes(c))))
    return out


def own_name_counts(listings: pd.DataFrame, profile: SellerProfile) -> np.ndarray | None:
    """Per listing, how often the seller's own brand names are written in its text fields (None: no names)."""
    names = {brand_key(b) for b in profile.own_brands} - {""}
    if not names:
        return None
    total = np.zeros(len(listings), dtype=float)
    for fld in _TEXT_FIELDS:
        if fld in listings.columns:
            total += np.fromiter((len(own_name_starts(FieldText(t), names)) if t and may_name(t, names) else 0
                                  for t in listings[fld].fillna("").astype(str)), dtype=float, count=len(listings))
    return total


def _not_a_word(word: str) -> bool:
    """A coined word: alphabetic, 4+ letters, not an ordinary word of English or a shop language."""
    w = word.lower()
    if len(w) < 4 or not w.isalpha():
        return False
    return word_zipf(w) < 2.0 and max(zipf(w, lang) for lang in EXCESS_LANGUAGES) < 2.5


def unknown_brands(listings: pd.DataFrame, matches: pd.DataFrame | None, profile: SellerProfile
                   ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per listing: (the brand field names a brand that is not the seller's; ... and no corpus mark matches
    it; no brand field and the title starts with a coined word that no mark matches). A brand that is in no
    corpus is still someone's brand: a reseller of genuine goods is complained about too."""
    idx = listings.index
    bkeys = brand_keys_of(listings)
    mine = profile.own_keys | profile.authorized_keys | ({brand_key(profile.name)} if profile.name else set())
    has = matches is not None and not matches.empty
    in_brand = set(matches.loc[matches["field"] == "brand", "listing"]) if has else set()
    own_brand = set(matches.loc[(matches["field"] == "brand") & (matches["own"].astype(bool)
                                                                  | matches["authorized"].astype(bool)),
                                "listing"]) if has else set()
    declared = (bkeys != "") & ~bkeys.isin(PLACEHOLDER_KEYS) & ~bkeys.isin(mine) & ~idx.isin(list(own_brand))
    unknown = declared & ~idx.isin(list(in_brand))
    no_brand = (bkeys == "") | bkeys.isin(PLACEHOLDER_KEYS)
    return declared, unknown, _coined_lead(listings, matches if has else None, no_brand, mine)


def _lead_covered(matches: pd.DataFrame | None, spans: dict[object, set[tuple[int, int]]]
                  ) -> set[tuple[object, int, int]]:
    """``(listing, start, end)`` of the title lead words ``spans`` (listing label -> the spans of its lead
    words) that one of the listing's title matches overlaps, the matches compared as arrays (a listing has
    twenty at a million marks; a label of several listings with different titles, one at a time)."""
    if matches is None or matches.empty:
        return set()
    tm = matches[(matches["field"] == "title").to_numpy(dtype=bool)]
    labels = tm["listing"].tolist()
    start, end = tm["start"].to_numpy(dtype=np.int64), tm["end"].to_numpy(dtype=np.int64)
    one = {label: next(iter(s)) for label, s in spans.items() if len(s) == 1}
    span = np.array([one.get(label, (0, 0)) for label in labels], dtype=np.int64).reshape(len(labels), 2)
    hit = np.flatnonzero((start < span[:, 1]) & (end > span[:, 0])).tolist()
    out = {(labels[k], int(span[k, 0]), int(span[k, 1])) for k in hit}
    several = {label for label, s in spans.items() if len(s) > 1}
    if several:
        for label, s, e in zip(labels, start.tolist(), end.tolist(), strict=True):
            if label in several:
                out.update((label, t0, t1) for t0, t1 in spans[label] if s < t1 and e > t0)
    return out


def _coined_lead(listings: pd.DataFrame, matches: pd.DataFrame | None, no_brand: pd.Series, mine: set[str]
                 ) -> pd.Series:
    """Listings without a brand whose title starts with a coined word that no match covers (a piece of a word
    that lost a letter, "Zewn" of "Zewn?trzna", is not read as one: :func:`scanner.match.lost_letters.runs_on`)."""
    idx = listings.index
    lead = np.zeros(len(idx), dtype=bool)
    candidates = np.flatnonzero(no_brand.to_numpy())
    titles = listings["title"].astype(str).to_numpy(dtype=object)[candidates]
    leads: dict[str, tuple[int, int, str] | None] = {}  # the lead word of each distinct title, if not mine
    found: list[tuple[int, object, str, tuple[int, int, str]]] = []  # (position, label, title, lead word)
    for n, i, title in zip(candidates.tolist(), idx[candidates].tolist(), titles.tolist(), strict=True):
        if title not in leads:
            word = lead_word(title)
            leads[title] = None if word is None or brand_key(word[2]) in mine else word
        if leads[title] is not None:
            found.append((n, i, title, leads[title]))
    spans: dict[object, set[tuple[int, int]]] = {}
    for _, i, _, (t0, t1, _) in found:
        spans.setdefault(i, set()).add((t0, t1))
    covered = _lead_covered(matches, spans) if found else set()
    coined: dict[str, bool] = {}
    for n, i, title, (t0, t1, word) in found:
        if (i, t0, t1) in covered or runs_on(title, t0, t1):
            continue  # a word that lost a letter ("Zewn?trzna") cannot be read as a coined name
        is_coined = coined.get(word)
        if is_coined is None:
            is_coined = coined[word] = _not_a_word(word)
        lead[n] = is_coined
    return pd.Series(lead, index=idx)
