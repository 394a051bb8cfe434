"""Short marks with a doubled letter: "Nikee" for NIKE, "Sonyy" for SONY.

Marks shorter than :data:`scanner.match.words.MIN_DISTINCTIVE_LENGTH` are never typo-matched (one edit
away from a 4-letter name is half the dictionary). One slip is still safe to read: a letter typed twice.
A listing token that becomes a short mark key when one of its doubled letters is written once is a typo
candidate of that mark, provided the mark is a coined name (not an ordinary or dictionary word: "Tidee" is
not read as TIDE) and the token itself is no word and no mark. Its similarity is the Indel ratio (an
inserted letter is one edit), so it outranks a one-substitution match of a longer key ("Niken").

A brand written twice without a space ("TissotTissot", common where a shop glues its brand field onto the
title) is the mark itself: a token made of the same half twice, the half a mark key of at least
:data:`REPEATED_MIN` letters that is not an ordinary word, and the token no word or mark of its own, is an
exact candidate of that mark ("folded" in the evidence).
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


#: the shortest half of a repeated token read as a mark ("tissottissot"; not "tomtom" nor "bonbon")
REPEATED_MIN = 4


def _repeated(token: str, index: MatchIndex) -> int:
    """The key id of a mark written twice as one token (see the module), else -1."""
    half = len(token) // 2
    if half < REPEATED_MIN or len(token) != 2 * half or token[:half] != token[half:] or not token.isalpha():
        return -1
    k = index.key_id(token[:half])
    if k < 0 or index.key_id(token) >= 0 or is_ordinary(token[:half]) or is_dictionary_word(token):
        return -1
    return k


def _token_hits(token: str, index: MatchIndex) -> list[tuple[int, float, int]]:
    """``(key, similarity, kind)`` of the candidates one listing token gives (see the module)."""
    if len(token) >= 2 * REPEATED_MIN:
        k = _repeated(token, index)
        return [(k, 100.0, rules.KIND_EXACT)] if k >= 0 else []
    if len(token) != MIN_DISTINCTIVE_LENGTH or not fuzzy_eligible(token):
        return []
    keys = []
    if index.key_id(token) < 0 and not is_dictionary_word(token):
        for variant in _singled(token):
            k = index.key_id(variant)
            if k >= 0 and not is_ordinary(variant) and not is_dictionary_word(variant):
                keys.append(k)
    # an inserted letter is one Indel edit: the Indel ratio (88.9 for nikee/nike) ranks it above a
    # substitution into a longer key of the same OSA distance (NIKEN)
    return [(k, round(float(fuzz.ratio(token, index.keys[k])), 1), rules.KIND_TYPO) for k in keys]


def doubled_candidates(tt: TokenTable, index: MatchIndex, covered: np.ndarray) -> pd.DataFrame:
    """Typo candidates of short coined marks written with a doubled letter (see the module); each distinct
    token text is read once."""
    code = tt.code[: tt.n_real]
    free = ~np.asarray(covered[: tt.n_real], dtype=bool)
    lengths = np.fromiter(map(len, tt.uniques), dtype=np.int64, count=len(tt.uniques))
    present = np.zeros(len(tt.uniques), dtype=bool)
    present[code[free]] = True
    maybe = present & ((lengths >= 2 * REPEATED_MIN) | (lengths == MIN_DISTINCTIVE_LENGTH))
    hits = {}
    for u in np.flatnonzero(maybe).tolist():
        found = _token_hits(tt.uniques[u], index)
        if found:
            hits[u] = found
    has = np.zeros(len(tt.uniques), dtype=bool)
    has[list(hits)] = True
    where = np.flatnonzero(free & has[code])
    rows = [(int(tt.field_row[row]), row, k, sim, kind)
            for row, u in zip(where.tolist(), code[where].tolist(), strict=True) for k, sim, kind in hits[u]]
    if not rows:
        return empty_candidates()
    field_row, first, key, sim, kind = zip(*rows, strict=True)
    return pd.DataFrame({
        "field_row": np.asarray(field_row, np.int64), "first": np.asarray(first, np.int64),
        "n": np.ones(len(rows), np.int64), "key": np.asarray(key, np.int64),
        "kind": np.asarray(kind, np.int64), "similarity": np.asarray(sim, float),
        "suffix": np.zeros(len(rows), np.int64),
    })
