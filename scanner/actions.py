"""What the seller should do with each listing: the ``action`` column of the results.

:func:`choose_actions` reads the risk level (from the model) and the third-party matches of each listing:

- ``pull now``: high risk, and a counterfeit cue ("replica", "dupe", "inspired by", "style", "AAA" ...) next
  to a third-party mark: the listing reads as a copy of a branded product; editing does not cure it.
- ``check authorization``: high risk, no counterfeit cue, and the listing itself declares a third-party
  mark as its brand: the brand field equals a mark found or its owner, or the title leads with a house mark
  (kind ``brand``) spelled as its owner spells it (not a typo or a look-alike such as ``N1ke``) and not an
  ordinary English word (:data:`ORDINARY_EXCESS`). Filler words
  before it ("new", "genuine", "original", "authentic", "official", a year) do not count. That is what a
  reseller of genuine goods writes: the fix is an invoice or an authorization, not an edit.
- ``fix title``: any other high-risk listing: a mark used as a brand in the title, bullets, search terms or
  description; the suggested fix removes it or turns it into a compatibility reference.
- ``review``: medium risk (mostly compatibility references: check the wording).
- ``""``: low risk.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .frames import Distinct, records
from .frequency import english_excess
from .text import brand_key as _brand_key

#: A leading mark this much more common in English than in other languages is read as an ordinary word
#: ("shark" 1.1, "universal" 0.8), not as a declared brand ("nike" 0.2, "canon" 0.5, "stanley" 0.4).
ORDINARY_EXCESS = 0.7

#: The actions, most urgent first (the order of the report's risk sheets).
ACTIONS: tuple[str, ...] = ("pull now", "check authorization", "fix title", "review")
ACTION_RANK: dict[str, int] = {a: i for i, a in enumerate(ACTIONS)} | {"": len(ACTIONS)}

#: Words a genuine listing may put before the brand ("NEW Nike ...", "Genuine Canon ...").
_FILLER = re.compile(r"(?i)^(?:\W*(?:new|brand[- ]new|genuine|original|authentic|official|oem|hot[- ]sale|"
                     r"(?:19|20)\d\d)\b)+[\W_]*")
_SPELLED_AS_OWNER = ("exact", "folded", "joined", "split")
#: The fields of a match record :func:`action_for` reads.
_MATCH_FIELDS = ("counterfeit_cue", "mark", "owner", "field", "mark_kind", "method", "matched_text", "start")


@lru_cache(maxsize=65_536)
def brand_key(name: str) -> str:
    """:func:`scanner.text.brand_key`, cached (the same marks, owners and brands come back listing after
    listing)."""
    return _brand_key(name)


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None or pd.isna(value) else str(value))


def _b(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if value is not None and not pd.isna(value) else False


def spelled_as_owner(matched_text: str, mark: str) -> bool:
    """``matched_text`` is the mark itself up to case, accents, spaces and punctuation ("Pokemon Go" for
    "Pokémon GO"), not a misspelling or look-alike ("N1ke", "Addidas")."""
    return bool(matched_text) and brand_key(matched_text) == brand_key(mark)


def declares_brand(title: str, brand: str, matches: list[dict[str, Any]]) -> bool:
    """The listing presents a third-party mark of ``matches`` as its own brand (see the module docstring)."""
    bkey = brand_key(brand)
    if bkey:
        for m in matches:
            if bkey in (brand_key(_s(m.get("mark"))), brand_key(_s(m.get("owner")))):
                return True
    for m in matches:
        if _s(m.get("field")) != "title" or _s(m.get("mark_kind")) not in ("brand", ""):
            continue
        if _s(m.get("method")) not in _SPELLED_AS_OWNER or not spelled_as_owner(_s(m.get("matched_text")), _s(m.get("mark"))):
            continue
        try:
            start = int(m.get("start"))
        except (TypeError, ValueError):
            continue
        if english_excess(_s(m.get("matched_text"))) >= ORDINARY_EXCESS:
            continue  # "Shark Tooth Necklace", "Universal Phone Mount": an ordinary word, not a declared brand
        if 0 <= start <= len(title) and not _FILLER.sub("", title[:start]).strip(" -–—:|_/[](){}\"'*"):
            return True
    return False


def action_for(level: str, title: str, brand: str, matches: list[dict[str, Any]]) -> str:
    """The action for one listing from its level and its third-party match records."""
    if level == "medium":
        return "review"
    if level != "high":
        return ""
    if any(_s(m.get("counterfeit_cue")) for m in matches):
        return "pull now"
    if declares_brand(title, brand, matches):
        return "check authorization"
    return "fix title"


def _may_decide(tp: pd.DataFrame, brands: pd.Series) -> np.ndarray:
    """The matches that can decide a high listing's action (:func:`action_for`): those with a counterfeit
    cue, those whose mark or owner is the listing's brand, and those :func:`declares_brand` may read as a
    title's leading mark. The others it passes over, so they are left out before the matches are made
    records (at a million marks a listing has twenty matches, nearly all of them passed over)."""
    def text(column: str) -> pd.Series:  # what _s reads: "" for a missing value
        if column not in tp.columns:
            return pd.Series("", index=tp.index)
        values = tp[column]
        if not pd.api.types.is_string_dtype(values.dtype):
            values = values.astype(object)  # (a float column of missing values takes no "")
        return values.fillna("").astype(str)

    listing = tp["listing"].to_numpy()
    labels = pd.unique(listing)
    own_brand = dict(zip(labels, [brand_key(_s(b)) for b in brands.reindex(labels).tolist()], strict=True))
    key = np.array([own_brand[lab] for lab in listing.tolist()], dtype=object)
    named = (key != "") & ((Distinct(text("mark")).objects(brand_key) == key)
                           | (Distinct(text("owner")).objects(brand_key) == key))
    leading = ((text("field") == "title") & text("mark_kind").isin(("brand", ""))
               & text("method").isin(_SPELLED_AS_OWNER)).to_numpy(dtype=bool)
    return (text("counterfeit_cue") != "").to_numpy(dtype=bool) | named | leading


def choose_actions(results: pd.DataFrame, matches: pd.DataFrame, listings: pd.DataFrame) -> pd.Series:
    """The action of every result row (same index as ``results``): see the module docstring."""
    per: dict[Any, list[dict[str, Any]]] = {}
    levels = results["risk_level"].astype(str)
    titles = listings["title"] if "title" in listings.columns else pd.Series("", index=listings.index)
    brands = listings["brand"] if "brand" in listings.columns else pd.Series("", index=listings.index)
    high = results.index[(levels == "high").to_numpy()]
    if matches is not None and not matches.empty:
        tp = matches
        for col in ("own", "authorized"):
            if col in tp.columns:
                flag = tp[col].to_numpy() if tp[col].dtype == bool else tp[col].map(_b).to_numpy(dtype=bool)
                tp = tp[~flag]
        tp = tp[tp["listing"].isin(set(high))]
        tp = tp[_may_decide(tp, brands)]
        for rec in records(tp[[c for c in ("listing", *_MATCH_FIELDS) if c in tp.columns]]):
            per.setdefault(rec["listing"], []).append(rec)
    # only high listings need their title and brand (action_for answers the others from the level)
    title_of = dict(zip(high, titles.reindex(high).tolist(), strict=True)) if len(high) else {}
    brand_of = dict(zip(high, brands.reindex(high).tolist(), strict=True)) if len(high) else {}
    out = [action_for(level, _s(title_of.get(lid, "")), _s(brand_of.get(lid, "")), per.get(lid, []))
           if level == "high" else action_for(level, "", "", [])
           for lid, level in zip(results.index, levels.tolist(), strict=True)]
    return pd.Series(out, index=results.index, dtype=object)
