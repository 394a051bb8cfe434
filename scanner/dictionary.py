"""Is a word an ordinary English dictionary word, or a name?

Word frequency cannot tell: ``nike``, ``sony`` and ``samsung`` are as frequent in web text as ``shark``,
``fossil`` or ``tide``. A dictionary can: a mark whose every word is a common-noun headword ("SWATCH",
"SHARK", "RING") has an ordinary sense that a listing may be using ("paint swatch card", "shark plush"); a
coined name ("NIKE", "LENOVO") has none.

The word list is Webster's Second International (1934) from the ``english-words`` package: a word counts
when it is a lower-case headword there (proper names are capitalised, so "Nike" the goddess is not a word),
or a regular inflection of one ("rings", "batteries", "folded", "folding"), or one of the common irregular
participles below ("frozen", "woven"). GCIDE fills the few gaps of that list ("box") only for frequent words
(Zipf >= :data:`GCIDE_MIN_ZIPF`): it capitalises every headword, so it cannot tell a name ("Nike", the
goddess) from a word. Loaded once, on first use (~0.5 s).
"""

from __future__ import annotations

from functools import lru_cache

from .frequency import LOCAL_WORD_LANGUAGES, zipf
from .text import english_zipf

#: Irregular past participles of common verbs (Webster's lists the verb, not its participle).
IRREGULAR_PARTICIPLES: frozenset[str] = frozenset(
    ["frozen", "broken", "fallen", "spoken", "stolen", "woven", "chosen", "driven", "ridden", "written", "hidden", "beaten", "eaten", "given", "taken", "shaken", "sworn", "torn", "worn", "born", "grown", "known", "thrown", "flown", "drawn", "shown", "sewn", "sunk", "sung", "rung", "swum", "begun", "drunk", "won", "spun", "stuck", "struck", "hung", "dug", "bought", "brought", "caught", "taught", "thought", "fought", "sought", "built", "sent", "spent", "lent", "bent", "burnt", "dealt", "felt", "kept", "knelt", "left", "meant", "slept", "swept", "wept", "lost", "made", "paid", "said", "laid", "sold", "told", "found", "ground", "wound", "bound", "held", "fed", "led", "bled", "bred", "fled", "sped", "shot", "got", "forgotten", "lit", "met", "sat", "spat", "stood", "heard"])


#: A GCIDE headword missing from Webster's Second counts from this English Zipf frequency on ("box").
GCIDE_MIN_ZIPF = 4.5


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    from english_words import get_english_words_set

    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    common = frozenset(w for w in web2 if w.islower()) | IRREGULAR_PARTICIPLES
    proper = frozenset(w.lower() for w in web2 if not w.islower())
    gcide = frozenset(get_english_words_set(["gcide"], lower=True, alpha=True))
    return common, proper, gcide


def _known(word: str) -> bool:
    common, proper, gcide = _words()
    if word in common:
        return True
    # a few everyday words are missing from the word list ("box"); GCIDE has them, but capitalises every
    # headword (names too: "Nike"), so only frequent ones count
    return word in gcide and word not in proper and english_zipf(word) >= GCIDE_MIN_ZIPF


@lru_cache(maxsize=100_000)
def is_dictionary_word(word: str) -> bool:
    """``word`` (any case) is an ordinary English word: a common-noun/adjective/verb headword or its plural.

    >>> is_dictionary_word("Shark"), is_dictionary_word("rings"), is_dictionary_word("Lenovo")
    (True, True, False)
    """
    w = word.strip().lower()
    if len(w) < 2 or not w.isalpha() or not w.isascii():
        return False
    if _known(w):
        return True
    if w.endswith("ies") and _known(w[:-3] + "y"):
        return True
    if w.endswith("es") and _known(w[:-2]):
        return True
    if w.endswith("s") and _known(w[:-1]):
        return True
    for suffix in ("ed", "ing"):
        stem = w[: -len(suffix)]
        if w.endswith(suffix) and len(stem) >= 3 and (_known(stem) or _known(stem + "e")
                                                       or (stem[-1] == stem[-2:-1] and _known(stem[:-1]))):
            return True
    return False


#: A word of one of :data:`scanner.frequency.LOCAL_WORD_LANGUAGES`: this common there (Zipf) ...
LOCAL_ZIPF = 4.3
#: ... and this much more common there than in English. Names are about as frequent in every language
#: ("nike" 3.5-3.9); ordinary words peak in their own ("azul": es 4.8, en 2.7; "casa": pt 6.0, en 3.5).
LOCAL_PEAK = 1.0


@lru_cache(maxsize=100_000)
def is_local_word(word: str) -> bool:
    """``word`` is an ordinary word of another shop language (Spanish ``azul``, Portuguese ``casa``)."""
    w = word.strip().lower()
    if len(w) < 3 or not w.isalpha():
        return False
    peak = max(zipf(w, lang) for lang in LOCAL_WORD_LANGUAGES)
    return peak >= LOCAL_ZIPF and peak - zipf(w, "en") >= LOCAL_PEAK


def is_dictionary_phrase(words: list[str] | tuple[str, ...]) -> bool:
    """The mark, as a whole, is an ordinary word: one word, English (:func:`is_dictionary_word`) or of
    another shop language (:func:`is_local_word`): "DOVE" and "AZUL" yes. A combination of several words is a
    name even when each word is ordinary ("POST-IT", "THE PRINT SHOP", "SHUFFLE MASTER"); False if empty."""
    return len(words) == 1 and (is_dictionary_word(words[0]) or is_local_word(words[0]))
