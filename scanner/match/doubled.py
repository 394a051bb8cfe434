"""Short marks with a doubled letter: "Nikee" for NIKE, "Sonyy" for SONY.

Marks shorter than :data:`scanner.match.words.MIN_DISTINCTIVE_LENGTH` are never typo-matched (one edit
away from a 4-letter name is half the dictionary). One slip is still safe to read: a letter typed twice.
A listing token that becomes a short mark key when one of its doubled letters is written once is a typo
candidate of that mark, provided the mark is a coined name (not an ordinary or dictionary word: "Tidee" is
not read as TIDE) and the token itself is no word and no mark. Its similarity is the Indel ratio (an
inserted letter is one edit), so it outranks a one-substitution match of a longer key ("Niken").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from ..dictionary import is_dictionary_word
from . import rules
from .exact import empty_candidates
from .fuzzy import fuzzy_eligible
from .index import MatchIndex
from .tokens import TokenTable
from .words import MIN_DISTINCTIVE_LENGTH, is_ordinary


def _singled(token: str) -> set[str]:
    """``token`` with one doubled letter written once ("nikee" -> {"nike"})."""
    return {token[:i] + token[i + 1:] for i in range(1, len(token)) if token[i] == token[i - 1] and token[i].isalpha()}


def doubled_candidates(tt: TokenTable, index: MatchIndex, covered: np.ndarray) -> pd.DataFrame:
    """Typo candidates of short coined marks written with a doubled letter (see the module)."""
    rows = []
    seen: dict[str, list[int]] = {}
    for row in range(tt.n_real):
        token = tt.text[row]
        if covered[row] or len(token) != MIN_DISTINCTIVE_LENGTH or not fuzzy_eligible(token):
            continue
        if token not in seen:
            keys = []
            if index.key_id(token) < 0 and not is_dictionary_word(token):
                for variant in _singled(token):
                    k = index.key_id(variant)
                    if k >= 0 and not is_ordinary(variant) and not is_dictionary_word(variant):
                        keys.append(k)
            seen[token] = keys
        for k in seen[token]:
            # an inserted letter is one Indel edit: the Indel ratio (88.9 for nikee/nike) ranks it above a
            # substitution into a longer key of the same OSA distance (NIKEN)
            rows.append((int(tt.field_row[row]), row, k, round(float(fuzz.ratio(token, index.keys[k])), 1)))
    if not rows:
        return empty_candidates()
    field_row, first, key, sim = zip(*rows, strict=True)
    return pd.DataFrame({
        "field_row": np.asarray(field_row, np.int64), "first": np.asarray(first, np.int64),
        "n": np.ones(len(rows), np.int64), "key": np.asarray(key, np.int64),
        "kind": np.full(len(rows), rules.KIND_TYPO, np.int64), "similarity": np.asarray(sim, float),
        "suffix": np.zeros(len(rows), np.int64),
    })
