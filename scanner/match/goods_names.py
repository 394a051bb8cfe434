"""Marks that are a word of a generic product name ("Men's Polo Shirt", "Apple Corer", "Tic Tac Toe Board
Game"): the written mark and a neighbouring word name a kind of goods (the goods lexicon of
:mod:`scanner.goods`), so the mark is not used as a mark there.

The rule reads, around each match, the words written as the mark and the two words before and after it (in
the :data:`NEAR` characters on each side). :func:`words_before`, :func:`words_after` and :func:`goods_name`
say it for one match; :func:`generic_names` decides every match of a batch at once: the texts are cut into
words once, each match's words are found by position (``numpy.searchsorted``) and each phrase the rule tries
is looked up once per distinct phrase. At a million marks a batch of 10,000 listings has about 220,000
matches, and reading the words around each one in Python took two seconds of the batch's ten
(``benchmarks/bench_generic_names.py``). The rows are those of the one-match definition
(``tests/test_same_rows_shortcuts.py`` checks it on random texts); a match that starts or ends inside a
word, rare, is decided by the definition itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..dictionary import is_dictionary_phrase
from ..frames import Distinct
from ..goods.lexicon import default_table, is_goods_term, may_end_goods_term
from .hashing import unique_int_rows

#: A word: letters and digits, with apostrophes inside ("men's", "O'Neill").
WORDS = re.compile(r"\w+(?:['’]\w+)*")

#: How far around a match the neighbouring words are looked for (two words; a cut word at the edge is dropped).
NEAR = 100

#: The (words before, words after) the mark that :func:`goods_name` tries.
AROUND = ((0, 1), (0, 2), (1, 0), (2, 0), (1, 1))


def words_before(text: str, start: int) -> tuple[str, ...]:
    """The last two words before ``start`` (read in the ``NEAR`` characters before it, the first of which
    may be cut). A short window is read first: where it holds three or more words, its last two are those
    of the whole window (the pattern's matches coincide after the first)."""
    lo = max(0, start - NEAR)
    near = max(lo, start - 32)
    if near > lo:
        before = WORDS.findall(text, near, start)
        if len(before) >= 3:
            return tuple(before[-2:])
    before = WORDS.findall(text, lo, start)
    return tuple((before[1:] if lo > 0 else before)[-2:])


def words_after(text: str, end: int) -> tuple[str, ...]:
    """The first two words after ``end`` (read in the ``NEAR`` characters after it, the last of which may be
    cut; only the first three are looked for)."""
    hi = min(len(text), end + NEAR)
    after = [m.group() for m in islice(WORDS.finditer(text, end, hi), 3)]
    if len(after) < 3 and hi < len(text):
        after = after[:-1]
    return tuple(after[:2])


def goods_name(written: tuple[str, ...], before: tuple[str, ...], after: tuple[str, ...], mark: str) -> bool:
    """The written mark (its words ``written``) and a neighbouring word (of the two ``before`` and ``after``
    it) together name a kind of goods ("Polo shirt", "Apple corer", "Tic Tac Toe"). A coined mark counts only
    inside a fixed name of 3+ words whose other words are no goods name of their own ("iPad case", "Apple
    Watch band" are references)."""
    for extra_before, extra_after in AROUND:
        pre, post = before[len(before) - extra_before:] if extra_before else (), after[:extra_after]
        if not pre and not post:
            continue
        # may_end_goods_term: the quick test of the last word (no goods term ends in most words)
        last = post[-1] if post else written[-1] if written else pre[-1]
        if not may_end_goods_term(last):
            continue
        phrase = pre + written + post
        if not goods_term(phrase):
            continue
        if not coined(mark):
            return True
        # a coined mark only inside a fixed name of 3+ words whose other words name no goods themselves:
        # "Tic Tac Toe" yes; "Apple Watch band" no (the mark says what the band is for)
        if len(phrase) >= 3 and not goods_term(pre + post):
            return True
    return False


@lru_cache(maxsize=262_144)
def goods_term(phrase: tuple[str, ...]) -> bool:
    """:func:`~scanner.goods.lexicon.is_goods_term` once per distinct phrase."""
    return is_goods_term(phrase)


@lru_cache(maxsize=65536)
def coined(mark: str) -> bool:
    """The mark is no ordinary word as a whole (:func:`~scanner.dictionary.is_dictionary_phrase`)."""
    return not is_dictionary_phrase([w.lower() for w in WORDS.findall(mark)])


@lru_cache(maxsize=1)
def _longest_term() -> int:
    """The most words a goods term has: a longer phrase is none (the lexicon's keys, words joined by one space)."""
    return max((key.count(" ") + 1 for key in default_table()), default=0)


def generic_names(matches: pd.DataFrame, listings: pd.DataFrame) -> np.ndarray:
    """Boolean mask over ``matches``: the mark is a word of the generic name of the product
    (:func:`goods_name` of the words around it). The brand field is never read this way, nor a field
    ``listings`` lacks."""
    out = np.zeros(len(matches), dtype=bool)
    if matches.empty:
        return out
    rows, text_of, texts = _texts_of(matches, listings)
    if not len(rows):
        return out
    tokens = _Tokens(texts)
    if not len(tokens.start):  # no word anywhere: nothing names goods
        return out
    starts = matches["start"].to_numpy()[rows].astype(np.int64)
    ends = matches["end"].to_numpy()[rows].astype(np.int64)
    spans = tokens.spans(text_of, starts, ends)
    aliases = matches["alias"] if "alias" in matches.columns else pd.Series("", index=matches.index)
    alias = aliases.fillna("").astype(str).to_numpy(dtype=object)[rows]
    names = np.where(alias != "", alias, matches["mark"].astype(str).to_numpy(dtype=object)[rows])  # alias or mark
    found = np.zeros(len(rows), dtype=bool)
    plain = spans.cut  # a match that starts or ends inside a word: the definition, one match at a time
    for i in np.flatnonzero(plain).tolist():
        text, start, end = texts[text_of[i]], int(starts[i]), int(ends[i])
        found[i] = goods_name(tuple(WORDS.findall(text, start, end)), words_before(text, start),
                              words_after(text, end), names[i])
    found[~plain] = _decide(tokens, spans, names, ~plain)
    out[rows] = found
    return out


def _texts_of(matches: pd.DataFrame, listings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The matches read (their rows), the text each reads (a number into the list of texts), the texts."""
    if not listings.index.is_unique:  # the last row of a label, as a dict of the index would give
        listings = listings[~listings.index.duplicated(keep="last")]
    field = matches["field"].astype(str).to_numpy(dtype=object)
    listing = matches["listing"].to_numpy()
    rows, text_of, texts = [], [], []
    for name in pd.unique(field).tolist():
        if name == "brand" or name not in listings.columns:
            continue
        these = np.flatnonzero(field == name)
        at = listings.index.get_indexer(listing[these])
        if (at < 0).any():
            raise KeyError(listing[these][at < 0][0])
        distinct, inverse = np.unique(at, return_inverse=True)
        rows.append(these)
        text_of.append(inverse + len(texts))
        texts.extend(listings[name].iloc[distinct].astype(str).tolist())
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    order = np.argsort(np.concatenate(rows), kind="stable")
    return np.concatenate(rows)[order], np.concatenate(text_of)[order], texts


def _word_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The (starts, ends) of the words of :data:`WORDS` in ``text``, read from its characters at once: a word
    is a run of word characters (``\\w``: ``str.isalnum`` or "_") and apostrophes that have a word character
    on both sides."""
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    word = _word_characters()[np.minimum(chars, _BMP - 1)]
    high = np.flatnonzero(chars >= _BMP)
    if len(high):
        word[high] = [chr(c).isalnum() for c in chars[high].tolist()]
    inner = np.zeros(len(chars), dtype=bool)
    if len(chars) > 2:
        inner[1:-1] = word[:-2] & word[2:]
    joins = word | (((chars == 39) | (chars == 0x2019)) & inner)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], joins, [False])).astype(np.int8)))
    return edges[0::2].astype(np.int64), edges[1::2].astype(np.int64)


_BMP = 0x10000


@lru_cache(maxsize=1)
def _word_characters() -> np.ndarray:
    """Per character of the Basic Multilingual Plane: a word character of the ``re`` module (``str.isalnum``
    or the underscore)."""
    table = np.fromiter((chr(c).isalnum() for c in range(_BMP)), dtype=bool, count=_BMP)
    table[ord("_")] = True
    return table


class _Spans(NamedTuple):
    """Per match, token numbers: its words ``first``..``stop`` - 1, how many words before (``n_before``, the
    last of those before ``first``) and after it (``n_after``, from ``stop``) the rule reads, and ``cut``:
    the match starts or ends inside a word (decided one at a time)."""

    first: np.ndarray
    stop: np.ndarray
    n_before: np.ndarray
    n_after: np.ndarray
    cut: np.ndarray


class _Tokens:
    """Every word of ``texts`` in one run of positions (text ``t`` starts at ``base[t]``, one character after
    the end of the one before it), and each word's number in ``words`` (its distinct words)."""

    def __init__(self, texts: list[str]) -> None:
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        self.length = lengths
        self.base = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
        joined = "\n".join(texts)  # a line break joins no two words (it is neither a letter nor an apostrophe)
        self.start, self.end = _word_spans(joined)
        words = WORDS.findall(joined)  # the same words, in the same order (tests/test_same_rows_shortcuts.py)
        distinct = Distinct(words)
        self.code = np.asarray(distinct.codes, dtype=np.int64)
        self.words = distinct.uniques

    def spans(self, text_of: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> _Spans:
        """The words of each match (``starts``/``ends`` in text ``text_of``) and around it, as
        :func:`words_before` and :func:`words_after` read them."""
        base, length = self.base[text_of], self.length[text_of]
        at, to = base + starts, base + ends
        first = np.searchsorted(self.end, at, side="right")  # the first word ending after the start
        stop = np.searchsorted(self.start, to, side="left")  # the first word starting at or after the end
        stop = np.maximum(stop, first)
        n = len(self.start)
        has = stop > first
        cut = has & ((self.start[np.minimum(first, n - 1)] < at) | (self.end[np.maximum(stop - 1, 0)] > to))
        # after: the whole words in [end, end + NEAR), then the cut one; the last of fewer than three is dropped
        # when the window ends before the text does (words_after)
        hi = base + np.minimum(length, ends + NEAR)
        whole = np.maximum(np.searchsorted(self.end, hi, side="right") - stop, 0)
        beyond = np.minimum(stop + whole, n - 1)
        crossing = (stop + whole < n) & (self.start[beyond] < hi)
        kept = np.minimum(whole, 3)
        piece = crossing & (whole < 3)
        drop = (kept + piece < 3) & (ends + NEAR < length)
        n_after = np.clip(kept - (drop & ~piece), 0, 2)
        # before: the whole words in [start - NEAR, start); the first dropped when the window is cut and no
        # word crosses its start (that word's piece is the one dropped, words_before)
        lo = base + np.maximum(starts - NEAR, 0)
        lead = np.searchsorted(self.start, lo, side="left")  # the first word starting in the window
        prior = np.maximum(lead - 1, 0)
        crossing_lo = (lead > 0) & (self.end[prior] > lo)
        full = np.maximum(first - lead, 0)
        n_before = np.clip(full - (~crossing_lo & (starts > NEAR)), 0, 2)
        return _Spans(first, stop, n_before, n_after, cut)


def _decide(tokens: _Tokens, spans: _Spans, names: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """:func:`goods_name` of the matches ``rows`` (a mask) none of which starts or ends inside a word: each
    phrase it tries is the run of words from ``first - pre`` to ``stop + post``."""
    first, stop = spans.first[rows], spans.stop[rows]
    n_before, n_after, mark = spans.n_before[rows], spans.n_after[rows], names[rows]
    count = len(first)
    found = np.zeros(count, dtype=bool)
    if not count or not len(tokens.code):
        return found
    may_end = np.fromiter((may_end_goods_term(w) for w in tokens.words), dtype=bool, count=len(tokens.words))
    ends_goods = may_end[tokens.code]  # per token: a goods term may end in it
    written = stop - first
    code = np.append(tokens.code, -1)  # -1: past the last token
    # no phrase of the written words and the (up to two) words after them ends in a goods noun
    quick = (written > 0) & ~ends_goods[np.maximum(stop - 1, 0)]
    for k in range(2):
        quick &= ~((n_after > k) & ends_goods[np.minimum(stop + k, len(code) - 2)])
    longest = _longest_term()
    tries = []  # per way of reading around the mark: (matches, first word, words, words before, words after)
    for extra_before, extra_after in AROUND:
        pre, post = np.minimum(n_before, extra_before), np.minimum(n_after, extra_after)
        size = pre + written + post
        last = stop + post - 1
        ok = ~quick & (pre + post > 0) & (size <= longest) & (size > 0)
        ok &= ends_goods[np.clip(last, 0, len(code) - 2)]
        at = np.flatnonzero(ok)
        tries.append((at, (first - pre)[at], size[at], pre[at], post[at]))
    at = np.concatenate([t[0] for t in tries])
    if not len(at):
        return found
    lead = np.concatenate([t[1] for t in tries])
    size = np.concatenate([t[2] for t in tries])
    phrase = np.full((len(at), longest), -1, dtype=np.int64)
    for j in range(longest):
        phrase[:, j] = np.where(j < size, code[np.minimum(lead + j, len(code) - 1)], -1)
    distinct, inverse = unique_int_rows(*(phrase + 1).T)  # -1 (no word) as 0: the helper takes non-negatives
    distinct -= 1
    words = tokens.words
    is_term = np.fromiter((goods_term(tuple(words[c] for c in row if c >= 0)) for row in distinct.tolist()),
                          dtype=bool, count=len(distinct))[inverse]
    hits = np.flatnonzero(is_term)
    if not len(hits):
        return found
    pre_n = np.concatenate([t[3] for t in tries])
    post_n = np.concatenate([t[4] for t in tries])
    for h in hits.tolist():
        i = int(at[h])
        if found[i]:
            continue
        if not coined(mark[i]):
            found[i] = True
            continue
        # a coined mark only inside a fixed name of 3+ words whose other words name no goods themselves
        if size[h] >= 3:
            p, q, s, e = int(pre_n[h]), int(post_n[h]), int(first[i]), int(stop[i])
            others = tuple(words[c] for c in code[s - p:s].tolist()) + tuple(words[c] for c in code[e:e + q].tolist())
            found[i] = not goods_term(others)
    return found
