"""Facts about the matched mark itself: how ordinary a word it is (word frequency, English excess, every word
in the dictionary), its kind and status, where it is registered, how the matcher found it. Word facts are
computed once per distinct mark, not once per match."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..corpus.schema import marks_where_sold
from ..dictionary import is_dictionary_phrase
from ..frames import Distinct, isin_text
from ..frequency import dict_zipf, english_excess, word_zipf
from .text_context import TOKEN

#: Mark kinds of the trademark CSV that name a specific source (everything but "word").
_LINE_KINDS = ("product_line",)
_MERCH_KINDS = ("franchise", "character", "team")
_FUZZY_METHODS = ("typo", "phonetic")  # a misspelling; "translit" (the mark read from another script,
# "Пума" as PUMA) is the mark written otherwise, not a misspelling: it counts as exact
_JOIN_METHODS = ("joined", "split")


def mark_words(marks: np.ndarray) -> list[list[str]]:
    """The lower-case words of each mark."""
    cache: dict[str, list[str]] = {}
    out = []
    for mark in marks:
        words = cache.get(mark)
        if words is None:
            words = cache[mark] = TOKEN.findall(mark.lower())
        out.append(words)
    return out


def _word_facts(words: list[str]) -> tuple[float, float, float, float, bool]:
    phrase = " ".join(words)
    return (word_zipf(phrase), max((word_zipf(w) for w in words), default=0.0), english_excess(phrase),
            float(len(words)), is_dictionary_phrase(words))


def mark_word_features(marks: np.ndarray | pd.Series, mark_keys: np.ndarray) -> dict[str, np.ndarray]:
    """``m_mark_*`` columns: frequency (zipf) of the mark and of its most common word, English excess, words,
    key length (capped at 30) and "every word is a dictionary word" (``dictionary``, bool)."""
    distinct = Distinct(pd.Series(marks).fillna(""))  # a missing mark is one of no words
    codes = distinct.codes
    facts = [_word_facts(words) for words in mark_words(np.asarray(distinct.uniques, dtype=object))]
    table = np.array([f[:4] for f in facts], dtype=float).reshape(len(facts), 4)[codes]
    dictionary = np.array([f[4] for f in facts], dtype=bool)[codes]
    key_len = np.fromiter((len(k) for k in mark_keys), dtype=float, count=len(mark_keys))
    return {"m_mark_zipf": table[:, 0], "m_mark_max_token_zipf": table[:, 1], "m_mark_en_excess": table[:, 2],
            "m_mark_tokens": table[:, 3], "m_mark_len": np.minimum(key_len, 30.0), "dictionary": dictionary}


def _script_languages(text: str) -> tuple[str, ...]:
    """The wordfreq languages a word written in a non-Latin script is read in (none for a Latin word)."""
    for c in text:
        o = ord(c)
        if 0x3040 <= o <= 0x30FF:
            return ("ja",)
        if 0xAC00 <= o <= 0xD7AF:
            return ("ko",)
        if 0x0400 <= o <= 0x04FF:
            return ("ru",)
        if 0x4E00 <= o <= 0x9FFF:
            return ("zh", "ja")
    return ()


def alias_zipf(aliases: np.ndarray) -> np.ndarray:
    """How common each alias written in another script (``ブルー``, ``Звезда``) is as a word of its own
    language (wordfreq zipf, 0..8; 0 for no alias or a Latin one). The mark's own word facts describe its
    Latin name: an alias that is an everyday word where it is written (``ブルー`` "blue" for the Pokémon
    SNUBBULL, ``クラブ`` "club" for KRABBY) is as ordinary there as "apple" is in English."""
    distinct = Distinct(pd.Series(aliases, dtype=object).fillna(""))
    codes = distinct.codes
    z = np.array([max((dict_zipf(a.lower(), lang) for lang in _script_languages(a)), default=0.0) if a else 0.0
                  for a in distinct.uniques], dtype=float)
    return z[codes] if len(z) else np.zeros(len(codes))


def kind_features(kinds: np.ndarray, statuses: np.ndarray) -> dict[str, np.ndarray]:
    """``m_kind_*`` and ``m_status_*`` columns from the mark's kind and status (lower case, stripped)."""
    known = isin_text(kinds, ("brand", "word", *_LINE_KINDS, *_MERCH_KINDS))
    return {
        "m_kind_brand": (kinds == "brand").astype(float),
        "m_kind_line": isin_text(kinds, _LINE_KINDS).astype(float),
        "m_kind_merch": isin_text(kinds, _MERCH_KINDS).astype(float),
        "m_kind_word": (kinds == "word").astype(float),
        "m_kind_unknown": (~known).astype(float),
        "m_status_live": (statuses == "live").astype(float),
        "m_status_dead": (statuses == "dead").astype(float),
        "m_status_pending": (statuses == "pending").astype(float),
    }


def method_features(methods: np.ndarray) -> dict[str, np.ndarray]:
    """``m_method_*``: found exactly (or folded), joined/split, or by typo/phonetic similarity."""
    fuzzy, joined = isin_text(methods, _FUZZY_METHODS), isin_text(methods, _JOIN_METHODS)
    return {"m_method_exact": (~(fuzzy | joined)).astype(float), "m_method_joinsplit": joined.astype(float),
            "m_method_fuzzy": fuzzy.astype(float)}


def mark_column(marks: pd.DataFrame, name: str, mark_ids: np.ndarray, *, normalise: bool = False) -> np.ndarray:
    """A corpus column for each matched mark id, as str ("" where absent); ``normalise``: stripped, lower."""
    if name not in marks.columns:
        return np.full(len(mark_ids), "", dtype=object)
    values = marks[name].reindex(mark_ids).fillna("").astype(str)
    if normalise:
        values = values.str.strip().str.lower()
    return values.to_numpy()


def registered_elsewhere(marks: pd.DataFrame, mark_ids: np.ndarray, markets: tuple[str, ...]) -> np.ndarray:
    """Per matched mark: registered only where the seller does not sell (False when it counts there or
    cannot be told: no jurisdiction, unknown marketplace), by :func:`scanner.corpus.schema.marks_where_sold`."""
    if not markets or len(mark_ids) == 0:
        return np.zeros(len(mark_ids), dtype=bool)
    covers = marks_where_sold(marks, mark_ids, markets)
    return (covers == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712 (nullable boolean)


def optional_counts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A count column the matcher may add (``n_records``, ``n_owners``); 0 where absent or missing."""
    if column not in frame.columns:
        return np.zeros(len(frame))
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(values) & (values > 0), values, 0.0)


def log_counts(counts: np.ndarray) -> np.ndarray:
    """``math.log1p`` of each count (once per distinct value; the same function the features always used)."""
    uniques, codes = np.unique(counts, return_inverse=True)
    return np.array([math.log1p(v) for v in uniques], dtype=float)[codes.reshape(-1)]
