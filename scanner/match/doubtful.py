"""Typo and phonetic matches that are not misspellings: drop them before anyone reads them.

A fuzzy match says "this word is a misspelt mark". That is wrong when the word is

* the listing's own declared brand (brand field): ``PowerCell`` is the seller's brand, not a misspelt
  ``POWERWALL``; ``Smartcraft`` is not ``STARCRAFT``;
* itself a known mark of the corpus (an exact key of the index): ``Welly`` (die-cast cars) is not a misspelt
  ``WELLA``;
* a dictionary word, even a rare one (English Zipf >= :data:`DICTIONARY_ZIPF`, or a headword of the
  dictionary in :mod:`scanner.dictionary`): ``xenon`` is not ``DENON``, ``sizer`` is not ``SISER``,
  ``ammonite`` is not ``SAMSONITE``.
  (Tokens at Zipf >= 3 in English or another shop language are never fuzzy-matched at all, see
  :mod:`scanner.match.words`.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dictionary import is_dictionary_word
from ..text import brand_key, compact_key, english_zipf
from .index import MatchIndex

#: A listing word at least this common in English is a word, not a misspelling of a mark.
DICTIONARY_ZIPF = 2.5
FUZZY_METHODS = ("typo", "phonetic")


def _declared_keys(brand: str) -> set[str]:
    """The brand field and its words, as compact keys (``"Smart Craft Co"`` -> smartcraftco, smart, craft)."""
    if not brand:
        return set()
    out = {brand_key(brand), compact_key(brand)}
    out.update(compact_key(w) for w in brand.split())
    return {k for k in out if k}


def doubtful_fuzzy(matches: pd.DataFrame, listings: pd.DataFrame, index: MatchIndex) -> np.ndarray:
    """Boolean mask over ``matches``: the typo / phonetic rows that are not misspellings (see the module)."""
    fuzzy = matches["method"].isin(FUZZY_METHODS).to_numpy()
    out = np.zeros(len(matches), dtype=bool)
    if not fuzzy.any():
        return out
    brands = listings["brand"].astype(str) if "brand" in listings.columns else pd.Series("", index=listings.index)
    declared: dict[object, set[str]] = {}
    for i in np.flatnonzero(fuzzy):
        row = matches.iloc[i]
        written = compact_key(str(row["matched_text"]))
        if not written:
            continue
        listing = row["listing"]
        if listing not in declared:
            declared[listing] = _declared_keys(str(brands.get(listing, "")))
        mark_words = set(str(row["mark"]).lower().split())
        changed = [w for w in str(row["matched_text"]).lower().split() if w.isalpha() and w not in mark_words]
        out[i] = (
            written in declared[listing]
            or index.key_id(written) >= 0
            or any(english_zipf(w) >= DICTIONARY_ZIPF or is_dictionary_word(w) for w in changed)
        )
    return out
