"""Which words are ordinary words (wordfreq), so fuzzy matching stays away from them.

Two notions, both from the ``wordfreq`` frequency lists (helpers in :mod:`scanner.frequency`):

* **common** (listing side): a token used at least once per million words (Zipf >= 3) in English or in
  one of :data:`~scanner.frequency.COMMON_WORD_LANGUAGES` (listings on European marketplaces are written in them). A typo or
  phonetic match is never sought for a common token: ``universal`` is a word, not a misspelt ``UNIVERSE``;
  ``cannon`` is not a misspelt ``CANON``; ``camara`` (Spanish) is not a misspelt ``CAMERA``. Brand names
  are frequent too, so a correctly spelt brand is never "corrected" into another mark.
* **ordinary English word** (mark side): common in English *and* clearly more common in English than in
  German, French, Spanish, Italian, Portuguese and Dutch (by :data:`ORDINARY_MARGIN` on the Zipf scale,
  i.e. about 3x), or very common (Zipf >= :data:`VERY_COMMON_ZIPF`). Brand names are used at similar rates
  across languages (``samsung``, ``nike``, ``canon``); ordinary English words are not (``universe``,
  ``crown``, ``inside``). A mark is **distinctive** when its key has at least 5 letters and is not an
  ordinary English word; only distinctive marks get typo and phonetic matches, and a mark that is an
  ordinary word is never matched split across several words (``in side`` is not ``INSIDE``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..frequency import (
    COMMON_WORD_LANGUAGES,
    english_table,
    english_zipf,
    english_zipfs,
    frequency_table,
    wordfreq_version,
    zipf_of,
)
from ..frequency_table import frequency_buckets

COMMON_ZIPF = 3.0
VERY_COMMON_ZIPF = 5.0
ORDINARY_MARGIN = 0.5
#: Shortest key that may be matched by typo / phonetic rules.
MIN_DISTINCTIVE_LENGTH = 5

__all__ = ["COMMON_ZIPF", "common_words", "ordinary_words", "is_common", "is_ordinary", "is_distinctive",
           "distinctive_keys", "english_zipf"]


@lru_cache(maxsize=1)
def english_common_words() -> frozenset[str]:
    """English words with Zipf frequency >= :data:`COMMON_ZIPF` (a scan of the English table's column,
    :func:`~scanner.frequency.english_table`)."""
    threshold = 10 ** (COMMON_ZIPF - 9)
    return frozenset(english_table().column_words("en", lambda f: f >= threshold))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Words with Zipf frequency >= :data:`COMMON_ZIPF` in English or one of :data:`~scanner.frequency.COMMON_WORD_LANGUAGES`
    (accents removed, as the normalisation does).

    Kept in the user cache (:func:`_cached_words`) under a name made of everything the set depends on
    (wordfreq's version, the normalisation version, the threshold and the languages): read back in a few
    milliseconds instead of being made again from the word lists on every scan (about a second, most of it
    normalising 30,000 accented words)."""
    return _cached_words("common", _common_words_file(), _make_common_words)


def _cached_words(name: str, path: Path, make: Callable[[], frozenset[str]]) -> frozenset[str]:
    """The ``name`` word set kept in ``path`` (:func:`_words_file`), or ``make()`` written there: a file
    whose header ("scanner NAME words v1 COUNT") does not count its words (cut short, damaged) is made
    again; a cache that cannot be written costs only the time."""
    header = f"scanner {name} words v1"
    try:
        head, _, body = path.read_text(encoding="utf-8").partition("\n")
        words = body.split("\n")
        if head == f"{header} {len(words)}":
            return frozenset(words)
    except (OSError, ValueError):
        pass
    words = make()
    with contextlib.suppress(OSError):  # an unwritable cache only costs the time
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        tmp.write_text(f"{header} {len(words)}\n" + "\n".join(sorted(words)), encoding="utf-8")
        os.replace(tmp, path)
    return words


def _words_file(name: str, depends_on: list) -> Path:
    """Where the ``name`` word set is kept: the user cache (:func:`scanner.user_cache.user_cache_root`),
    ``words/``, under a name made of wordfreq's version and ``depends_on``."""
    from ..user_cache import user_cache_root

    key = json.dumps([wordfreq_version(), *depends_on])
    return user_cache_root() / "words" / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.txt"


def _common_words_file() -> Path:
    from ..text import NORMALIZATION_VERSION

    return _words_file("common", [NORMALIZATION_VERSION, COMMON_ZIPF, list(COMMON_WORD_LANGUAGES)])


def _make_common_words() -> frozenset[str]:
    """:func:`common_words` made from the word lists."""
    from ..text import normalize

    threshold = 10 ** (COMMON_ZIPF - 9)
    out = set(english_common_words())
    for lang in COMMON_WORD_LANGUAGES:  # columns of frequency_table (COMMON_WORD_LANGUAGES are EXCESS_LANGUAGES)
        for w in frequency_table().column_words(lang, lambda f: f >= threshold):
            out.add(w if w.isascii() and w.isalpha() else normalize(w))
    return frozenset(out)


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Common English words that are not names used across languages (see the module docstring).

    Kept in the user cache like :func:`common_words` (:func:`_cached_words`), under a name made of what the
    set depends on: made from the word lists it takes about 0.2 s, in every process that builds a match
    index or reads doubled words."""
    return _cached_words("ordinary", _ordinary_words_file(), _make_ordinary_words)


#: The version of :func:`_make_ordinary_words`'s rule: part of its cache file's name (raise it when the
#: rule changes).
ORDINARY_RULE_VERSION = 1


def _ordinary_words_file() -> Path:
    return _words_file("ordinary", [ORDINARY_RULE_VERSION, COMMON_ZIPF, VERY_COMMON_ZIPF, ORDINARY_MARGIN,
                                    list(COMMON_WORD_LANGUAGES)])


def _make_ordinary_words() -> frozenset[str]:
    """:func:`ordinary_words` made from the word lists."""
    import wordfreq

    common = list(english_common_words())
    en = dict(zip(common, english_zipfs(common).tolist(), strict=True))  # word -> its English Zipf value
    # one other language at a time, one frequency bucket at a time, uncached (wordfreq caches every list
    # and dict for good), so building an index does not hold the other languages' lists
    other_best = dict.fromkeys(common, 0.0)
    # a word found in another language at most this often leaves every common English word ordinary, as
    # if it were not found (so the rarer buckets, the bulk of each list, are not read)
    floor = min(en.values(), default=0.0) - ORDINARY_MARGIN - 1e-9
    for lang in COMMON_WORD_LANGUAGES:
        for i, bucket in enumerate(frequency_buckets(lang)):  # bucket i: words of -i centibels (ever rarer)
            z = zipf_of(wordfreq.cB_to_freq(-i))
            if z < floor:
                break
            for w in bucket:
                if w in other_best and z > other_best[w]:
                    other_best[w] = z
    out = set()
    for w, z in en.items():
        if z >= VERY_COMMON_ZIPF or z - other_best[w] >= ORDINARY_MARGIN:
            out.add(w)
    return frozenset(out)


def is_common(token: str) -> bool:
    """``token`` is a frequent English word (never a typo / phonetic candidate)."""
    return token in common_words()


def is_ordinary(word: str) -> bool:
    """``word`` is an ordinary English word rather than a name."""
    return word in ordinary_words()


def distinctive_keys(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(distinctive, ordinary)``: :func:`is_distinctive` and :func:`is_ordinary` of every key of ``keys``."""
    ordinary = np.fromiter(map(ordinary_words().__contains__, keys), dtype=bool, count=len(keys))
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    return (lengths >= MIN_DISTINCTIVE_LENGTH) & ~ordinary, ordinary


def is_distinctive(key: str) -> bool:
    """A mark key long and unusual enough for typo / phonetic matching."""
    return len(key) >= MIN_DISTINCTIVE_LENGTH and not is_ordinary(key)
