"""Marks read inside a longer katakana word: ``イリー`` (ILLY) inside ``スマイリー`` (smiley), ``ピング`` (PINGU)
inside ``ショッピング`` (shopping).

Japanese writes loanwords in katakana without spaces, and every katakana character is a token of its own
(:mod:`scanner.text`), so a mark written in katakana (an alias, or a reading of a Latin mark,
:mod:`.translit`) is found wherever its characters occur, also in the middle of another word. A candidate
that covers only part of a run of glued katakana is dropped when:

* it begins with a character no word begins with (the long-vowel mark ``ー``, a small kana such as ``ッ`` or
  ``ャ``) or ends right before one (``ハンタ`` of ``ハンター``): it cuts a syllable in two; or
* a stretch of the run that begins before it and takes it in whole is a Japanese word (wordfreq Zipf >=
  :data:`WORD_ZIPF`): ``スマイリー`` is read as that word, not as ``スマ`` and ILLY; or
* it begins a word of the dictionary whose rest is not a word (``アンドロ`` of ``アンドロイド``, read as
  ANDOR): a mark begins a compound, whose rest is a word (Zipf >= :data:`COMPOUND_PART_ZIPF`).

So a mark that begins a compound stays, whether the dictionary knows the compound (``ポケモン|カード``,
``ディズニー|ランド``: brand compounds are frequent because the brands are) or not (``レゴブロック``,
``ナイキスニーカー``); so does a mark after a word the compound does not run on from (``メンズナイキ``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..frequency import dict_zipf
from .tokens import TokenTable

#: A stretch of katakana at least this common in Japanese (wordfreq Zipf) is a word of its own.
WORD_ZIPF = 2.5
#: The rest of a word begun by a mark is a word of the compound (``ポケモン|カード``) from this Zipf on
#: (higher than :data:`WORD_ZIPF`: the dictionary holds fragments of words, ``イド``, ``ソン``, at 2-3).
COMPOUND_PART_ZIPF = 3.5
#: Longest stretch of a run looked up as one word.
MAX_WORD = 12
#: Characters no katakana word begins with: they lengthen, double or palatalise the sound before them.
_CONTINUING = frozenset("ーァィゥェォャュョヮッヵヶ")


def _katakana(token: str) -> bool:
    """A katakana letter or the long-vowel / iteration marks (not the middle dot ``・``, a separator)."""
    return len(token) == 1 and 0x30A1 <= ord(token) <= 0x30FE and token != "・"


@lru_cache(maxsize=100_000)
def _is_word(text: str) -> bool:
    return dict_zipf(text, "ja") >= WORD_ZIPF


def inside_kana_words(cands: pd.DataFrame, tt: TokenTable) -> np.ndarray:
    """A mask over ``cands`` (the candidates table: ``first`` token row, ``n`` tokens): the candidates
    that lie inside a longer katakana word (see the module docstring)."""
    drop = np.zeros(len(cands), dtype=bool)
    if cands.empty or tt.n_real == 0:
        return drop
    kana_code = np.fromiter((_katakana(u) for u in tt.uniques), dtype=bool, count=len(tt.uniques))
    first = tt.real[cands["first"].to_numpy()]
    last = tt.real[cands["first"].to_numpy() + cands["n"].to_numpy() - 1]
    kana = kana_code[tt.code[: tt.n_real]]
    rows = np.flatnonzero(kana[first] | kana[last])
    if not len(rows):
        return drop
    # runs of glued katakana: a run starts where the token before is not katakana, in another field or apart
    n = tt.n_real
    glued = np.zeros(n, dtype=bool)
    glued[1:] = kana[1:] & kana[:-1] & (tt.field_row[1:n] == tt.field_row[: n - 1]) & (tt.start[1:n] == tt.end[: n - 1])
    run_id = np.cumsum(~glued)
    bounds = np.flatnonzero(np.r_[True, run_id[1:] != run_id[:-1], True])
    run_start = np.repeat(bounds[:-1], np.diff(bounds))
    run_end = np.repeat(bounds[1:], np.diff(bounds))
    for r in rows.tolist():
        s, e = int(first[r]), int(last[r]) + 1
        lo = int(run_start[s]) if kana[s] else s
        hi = int(run_end[e - 1]) if kana[e - 1] else e
        if (lo, hi) == (s, e):
            continue
        drop[r] = _inside_word(tt.text, lo, s, e, hi)
    return drop


def _inside_word(text: list[str], lo: int, s: int, e: int, hi: int) -> bool:
    """Whether tokens ``[s, e)`` of the katakana run ``[lo, hi)`` are part of a longer word of it."""
    if (s > lo and text[s] in _CONTINUING) or (e < hi and (text[e] in _CONTINUING or text[e - 1] == "ッ")):
        return True
    for a in range(s - 1, max(lo, e - MAX_WORD) - 1, -1):
        for b in range(e, min(hi, a + MAX_WORD) + 1):
            if _is_word("".join(text[a:b])):
                return True
    # the first part of a word: a compound only when the rest of that word is a word as well
    for b in range(e + 1, min(hi, s + MAX_WORD) + 1):
        if _is_word("".join(text[s:b])) and not _is_compound_part("".join(text[e:b])):
            return True
    return False


@lru_cache(maxsize=100_000)
def _is_compound_part(text: str) -> bool:
    return len(text) >= 2 and text[0] not in _CONTINUING and dict_zipf(text, "ja") >= COMPOUND_PART_ZIPF
