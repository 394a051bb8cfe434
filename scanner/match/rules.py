"""The matching rules in one place (the engine and the test oracle both follow them).

Keys
    A mark's *key* is its normalised tokens joined without spaces (:func:`scanner.text.compact_key`).
    Records with the same key share one index entry; the entry remembers every token count its records
    were written with (``AIR PODS`` and ``AIRPODS`` -> counts {1, 2}).

Exact family (similarity 100), all at token boundaries: a window of consecutive listing tokens whose
concatenation equals a key (``exact``/``folded``: same token count as a record; ``joined``: fewer tokens;
``split``: more tokens), or equals a key plus a plural ``s`` / ``es``, or a key plus up to
:data:`MAX_DIGIT_SUFFIX` digits glued to its last word (``Hero3``, ``Fit2``, ``iPhone5``); key of >= 4
letters, method ``folded``.
    * keys of <= :data:`SHORT_KEY` letters match only with a registered token count (``B&G`` is two tokens,
      ``bg`` alone is not ``B&G``; ``M&M`` is not ``mm``);
    * a key that is an ordinary English word matches only with a registered token count (``in side`` is
      not ``INSIDE``) unless it is spelt out letter by letter (``N-I-K-E``).

Fuzzy family, only for distinctive keys (:func:`scanner.match.words.is_distinctive`) written with at most
:data:`MAX_FUZZY_TOKENS` tokens, and only on listing tokens that are alphabetic, at least
:data:`MIN_FUZZY_TOKEN` letters long, not common English words and not part of an exact-family match:
a window with the mark's token count whose tokens equal the mark's except one, which differs by
    * ``typo``: optimal-string-alignment distance (a transposition is one edit) of 1..budget, budget
      :func:`typo_budget` of the mark token's length (0 for <= 4 letters, 1 for 5-8, 2 for longer);
    * ``typo`` (shuffle): same first and last letter and the same letters in between, reordered, within
      budget + 1 edits (``Ninentdo``), tokens of >= :data:`SHUFFLE_MIN_LENGTH` letters;
    * ``phonetic``: the same Metaphone code (>= :data:`PHONETIC_MIN_CODE` characters) and an Indel
      similarity (``rapidfuzz.fuzz.ratio``) of at least :data:`PHONETIC_MIN_RATIO`, mark token >= 5 letters.
"""

from __future__ import annotations

#: Keys longer than this are not indexed (reported in the index info).
MAX_KEY_LENGTH = 64
#: Widest listing window tried (a mark spelt out letter by letter uses one token per letter).
MAX_WINDOW_TOKENS = 16
#: Keys of at most this many letters must be written with a registered token count.
SHORT_KEY = 3
#: Shortest key a plural (or a key + model number) may be formed from.
MIN_PLURAL_KEY = 4
#: Longest model number glued to the end of a mark that is still matched (``Hero3``, ``Xbox360``).
MAX_DIGIT_SUFFIX = 4
#: Marks written with more tokens than this get no fuzzy matching.
MAX_FUZZY_TOKENS = 3
#: Shortest listing token that may be a typo / phonetic variant.
MIN_FUZZY_TOKEN = 4
#: Shortest mark token that may be matched by typo / phonetic rules.
MIN_FUZZY_MARK_TOKEN = 5
SHUFFLE_MIN_LENGTH = 6
PHONETIC_MIN_CODE = 3
PHONETIC_MIN_RATIO = 70.0

#: Method names and their rank when several candidates cover the same words (lower wins).
EXACT_FAMILY = ("exact", "folded", "joined", "split")
FUZZY_METHODS = ("typo", "phonetic")
TRANSLIT_METHOD = "translit"
KIND_EXACT, KIND_TYPO, KIND_SHUFFLE, KIND_PHONETIC = 0, 1, 2, 3
#: A word in another script read as a distinctive Latin mark (:mod:`scanner.match.translit`).
KIND_TRANSLIT = 4


def typo_budget(length: int) -> int:
    """Edits allowed for a mark token of ``length`` letters."""
    if length <= 4:
        return 0
    return 1 if length <= 8 else 2


def query_budget(length: int) -> int:
    """Deletions a listing token of ``length`` letters needs so that every mark token within its own
    budget is reachable (symmetric deletion neighbourhoods). A token more than two letters longer than
    the longest indexed key can reach no mark token, so it gets none: its neighbourhood would cost
    O(length²) and find nothing."""
    if length < MIN_FUZZY_TOKEN or length > MAX_KEY_LENGTH + 2:
        return 0
    return 1 if length < 7 else 2


def shuffle_key(token: str) -> str:
    """First letter, last letter, then the letters in between sorted (``nintendo`` -> ``no`` + ``deinnt``)."""
    return token[0] + token[-1] + "".join(sorted(token[1:-1]))
