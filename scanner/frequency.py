"""How common a word is: the ``wordfreq`` helpers, one home for every stage.

Two lookups, on the Zipf scale (log10 of the frequency per billion words: 0 unknown, 3 once per million
words, 6 once per thousand):

* :func:`english_zipf` / :func:`english_zipfs` / :func:`dict_zipf`: the frequency of one exact, already
  normalised key in a language's frequency list (the matcher's index build and word lists, the normaliser's
  spelling rules, the readings of listing words and the aliases of marks in other scripts);
* :func:`word_zipf`: ``wordfreq.zipf_frequency`` of a text as written (tokenised by wordfreq, several words
  combined; rounded to 2 decimals), which the risk features read; and :func:`english_excess`, how much
  more common a text is in English than in :data:`EXCESS_LANGUAGES` (names of brands travel, ordinary
  English words do not; each word looked up once for the eight). Both go through :func:`zipf`,
  ``wordfreq.zipf_frequency`` with a direct lookup for plain lower-case words; :func:`small_list_zipf` does the
  same for wordfreq's "small" lists (the typo filter).

English, :data:`EXCESS_LANGUAGES` and :data:`OTHER_SCRIPT_LANGUAGES` are read from memory-mapped tables
(:mod:`scanner.frequency_table`: :func:`english_table`, :func:`frequency_table`, :func:`other_script_table`;
:func:`small_list_table` for the small lists), never from wordfreq's dictionaries: opening one costs
milliseconds instead of loading a dictionary in every process (English's: ~0.1 s and ~60 MB, the eight others
~1.4 s and 0.4 GB, Russian, Japanese, Chinese and Korean ~0.6 s and 0.2 GB, in each scoring process that met
their script), and a lookup gives the dictionary's very float. :func:`preload` opens them before a scan forks
its workers, which then share them. Only a language no table holds loads wordfreq's dictionary
(:func:`frequencies`: :func:`dict_zipf` asked about another language), and :func:`zipf` of a language outside
:data:`PLAIN_WORD_LANGUAGES` is ``wordfreq.zipf_frequency`` itself (its tokenizer, jieba for Chinese, and its
dictionary; nothing in a scan asks for one).

Language lists, each named for what it is used for: :data:`EXCESS_LANGUAGES` (compared with English by
:func:`english_excess`), :data:`COMMON_WORD_LANGUAGES` (a word common in one of them is never read as a
misspelt mark, :mod:`scanner.match.words`), :data:`TYPO_WORD_LANGUAGES` (the typo filter),
:data:`LOCAL_WORD_LANGUAGES` (word sense) and :data:`SHOP_TITLE_LANGUAGES` (weak labels).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .frequency_table import FrequencyTable, load_table, table_path

#: Languages compared with English by :func:`english_excess` (the features' "is it an English word").
EXCESS_LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "nl", "pl", "pt", "sv")
#: Languages whose common words the matcher never corrects into a mark (listings on European marketplaces
#: are written in them): see :mod:`scanner.match.words`.
COMMON_WORD_LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "pt", "nl")
#: Languages whose words (even rarer ones) are not misspellings of a mark (:mod:`scanner.match.doubtful`;
#: chosen on labelled real titles: ``kamery`` is Polish, ``Fiyat`` Turkish, ``ventouse`` French).
TYPO_WORD_LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "tr", "ro", "hu",
                                        "da", "sv", "nb", "fi", "sl", "lt", "lv")
#: Latin-script shop languages whose ordinary words have a word sense in titles ("funda azul"):
#: :func:`scanner.dictionary.is_local_word`.
LOCAL_WORD_LANGUAGES: tuple[str, ...] = ("es", "pt", "fr", "it", "de")
#: Languages of the other scripts' words :func:`dict_zipf` is asked about: the readings of Cyrillic, katakana and
#: Hangul listing words (``ru``, ``ja``, ``ko``: :mod:`scanner.match.translit`, :mod:`scanner.match.kana_words`)
#: and the aliases of marks written in them or in Han characters (``zh`` and ``ja``:
#: ``scanner.features.marks.alias_zipf``), read from :func:`other_script_table`.
OTHER_SCRIPT_LANGUAGES: tuple[str, ...] = ("ja", "ko", "ru", "zh")
#: Languages of the web-shop titles whose capitalised first words are not brands (the weak labeller's
#: brand lexicon, :mod:`training.weak`).
SHOP_TITLE_LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "nl", "pl")


def zipf_of(frequency: float) -> float:
    """A frequency (share of all words) on the Zipf scale; 0 for 0."""
    return math.log10(frequency * 1e9) if frequency > 0 else 0.0


@cache
def frequencies(lang: str) -> dict[str, float]:
    """``wordfreq``'s frequency dictionary of ``lang`` (word -> share of all words), loaded once: for the
    languages without a table (English, :data:`EXCESS_LANGUAGES` and :data:`OTHER_SCRIPT_LANGUAGES` have one,
    see the module).

    Asked for as ``wordfreq.zipf_frequency`` asks for it (``wordlist`` given), so that both share wordfreq's
    cached dictionary instead of building it twice (its cache is keyed by the arguments as written)."""
    import wordfreq

    return wordfreq.get_frequency_dict(lang, "best")


@cache
def wordfreq_version() -> str:
    """The installed wordfreq's version ("unknown" if its metadata is missing): part of the name of anything
    cached from its lists (the match index, the common-word set)."""
    from importlib import metadata

    try:
        return metadata.version("wordfreq")
    except metadata.PackageNotFoundError:  # pragma: no cover - wordfreq is a dependency
        return "unknown"


def preload() -> None:
    """Open the word frequencies every scan reads (:func:`english_table`, :func:`frequency_table`,
    :func:`other_script_table`) and make :func:`function_words` now: before worker processes are forked, so
    that they inherit them instead of each opening its own (or loading a wordfreq dictionary)."""
    english_table()
    frequency_table()
    other_script_table()
    function_words()


#: The lists of every table a scan reads, ``(languages, wordlist)``: what :func:`open_tables` opens.
TABLE_LISTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("en",), "best"), (EXCESS_LANGUAGES, "best"), (TYPO_WORD_LANGUAGES, "small"), (OTHER_SCRIPT_LANGUAGES, "best"))


def open_tables(progress: Any = None) -> None:
    """Open the frequency tables every scan reads (:data:`TABLE_LISTS`: :func:`english_table`,
    :func:`frequency_table`, :func:`small_list_table`, :func:`other_script_table`), saying so on ``progress``
    first when they are to be made: the first scan with a wordfreq version (about 10 s)."""
    paths = [table_path(langs, wordfreq_version(), wordlist) for langs, wordlist in TABLE_LISTS]
    if progress is not None and not all(p.is_file() for p in paths):
        if _writable(paths[0].parent):
            progress.stage("making the word-frequency tables in the user cache (once per wordfreq version, ~10 s)")
        else:
            progress.warn(f"the user cache {paths[0].parent} cannot be written: the word-frequency tables are made "
                          "in memory on every scan (~10 s); set SCANNER_CACHE_DIR to a writable folder")
    english_table()
    frequency_table()
    small_list_table()
    other_script_table()


def _writable(folder: Path) -> bool:
    """A file can be made in ``folder`` (made if missing)."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


@cache
def small_list_table() -> FrequencyTable:
    """wordfreq's "small" lists of :data:`TYPO_WORD_LANGUAGES` (every word from Zipf 3 on) as one
    memory-mapped table: what :func:`small_list_zipf` reads (instead of 19 dictionaries, ~0.4 s and 90 MB)."""
    return load_table(TYPO_WORD_LANGUAGES, table_path(TYPO_WORD_LANGUAGES, wordfreq_version(), "small"), "small")


def small_list_zipf(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency(word, lang, wordlist="small")`` for one of :data:`TYPO_WORD_LANGUAGES`, read
    from :func:`small_list_table` (a plain lower-case word without wordfreq's tokenizer, as in :func:`zipf`)."""
    table = small_list_table()
    if word.isascii() and word.isalpha() and word.islower():
        return _rounded_zipf(table.freq(word, lang))
    return _tokenized_zipf(word, lang, table)


@cache
def frequency_table() -> FrequencyTable:
    """The frequencies of :data:`EXCESS_LANGUAGES` (which include :data:`LOCAL_WORD_LANGUAGES` and
    :data:`COMMON_WORD_LANGUAGES`) as one memory-mapped table (:mod:`scanner.frequency_table`): what
    :func:`zipf` reads for them, instead of wordfreq's dictionaries (~1.4 s and 0.4 GB to load)."""
    return load_table(EXCESS_LANGUAGES, table_path(EXCESS_LANGUAGES, wordfreq_version()))


@cache
def english_table() -> FrequencyTable:
    """wordfreq's English list as a memory-mapped table of its own (:mod:`scanner.frequency_table`): what
    every English lookup reads (:func:`english_zipf`, :func:`english_zipfs`, :func:`zipf`, the English word
    sets), instead of wordfreq's English dictionary (~0.1 s and ~60 MB to load in every process that asks,
    the match index build of ``scanner corpus build`` among them). A table of its own rather than a column of
    :func:`frequency_table`: the index build and the word sets need no other language, and a table of English
    alone is made in about a second."""
    return load_table(("en",), table_path(("en",), wordfreq_version()))


@cache
def other_script_table() -> FrequencyTable:
    """wordfreq's lists of :data:`OTHER_SCRIPT_LANGUAGES` (Japanese, Korean, Russian, Chinese; 1.2 million
    words) as one memory-mapped table: what :func:`dict_zipf` reads for them, instead of wordfreq's
    dictionaries (~0.6 s and 0.2 GB to load, once in each scoring process whose listings hold a Cyrillic,
    katakana or Hangul word or whose matches have an alias in those scripts or in Han characters)."""
    return load_table(OTHER_SCRIPT_LANGUAGES, table_path(OTHER_SCRIPT_LANGUAGES, wordfreq_version()))


def dict_table(lang: str) -> FrequencyTable | None:
    """The table that holds ``lang``'s "best" list (:func:`english_table`, :func:`frequency_table`,
    :func:`other_script_table`), None for a language no table holds."""
    if lang == "en":
        return english_table()
    if lang in EXCESS_LANGUAGES:
        return frequency_table()
    if lang in OTHER_SCRIPT_LANGUAGES:
        return other_script_table()
    return None


def dict_zipf(word: str, lang: str) -> float:
    """Zipf frequency of the exact key ``word`` in ``lang``'s frequency list (0 when absent): read from the
    table that holds the language (:func:`dict_table`: English, :data:`EXCESS_LANGUAGES`,
    :data:`OTHER_SCRIPT_LANGUAGES`; the dictionary's very float), another language from its dictionary
    (:func:`frequencies`)."""
    table = dict_table(lang)
    if table is None:
        return zipf_of(frequencies(lang).get(word, 0.0))
    return zipf_of(table.freq(word, lang))


#: Zipf frequency from which a word is a function word (:func:`is_function_word`): about once in 300 words.
FUNCTION_WORD_ZIPF = 6.5


@cache
def function_words() -> frozenset[str]:
    """The most frequent words of English and of :data:`COMMON_WORD_LANGUAGES` (zipf >=
    :data:`FUNCTION_WORD_ZIPF`; 192 in all): in practice the closed class of articles, prepositions,
    conjunctions and pronouns ("the", "for", "with", "your", "de", "und", "para"), which no title uses as a
    name; "new", "one", "good" and "top" are below it."""
    from wordfreq.numbers import has_digit_sequence

    def frequent(f: float) -> bool:
        return zipf_of(f) >= FUNCTION_WORD_ZIPF

    words = itertools.chain(english_table().column_words("en", frequent),
                            *(frequency_table().column_words(lang, frequent) for lang in COMMON_WORD_LANGUAGES))
    # wordfreq's lists hold digit sequences ("00", "0000") for its estimate of numbers: not words
    return frozenset(w for w in words if not has_digit_sequence(w))


def is_function_word(word: str) -> bool:
    """``word`` (lower case) is one of :func:`function_words`."""
    return word in function_words()


def english_zipf(word: str) -> float:
    """Frequency of the exact key ``word`` in English on the Zipf scale (wordfreq's English list, read from
    :func:`english_table`; 0 when unknown, 3 = once per million words, 6 = once per thousand)."""
    return zipf_of(english_table().freq(word, "en"))


def english_zipfs(words: list[str]) -> np.ndarray:
    """:func:`english_zipf` of every word of ``words`` (float64, the same floats): one batch lookup in
    :func:`english_table` (:meth:`~scanner.frequency_table.FrequencyTable.freqs`; the Zipf value of each
    frequency bucket computed once)."""
    return english_table().freqs(words, "en", zipf_of)


@lru_cache(maxsize=65_536)
def _wordfreq_rounding(freq: float) -> float:
    """The last steps of ``wordfreq.zipf_frequency`` with its default minimum, from the frequency its
    tokens combine to (0: a token unknown): at least the minimum, rounded to 3 significant digits unless it
    is the minimum itself, then the Zipf value rounded to 2 decimals; with wordfreq's own conversions, so
    that the result is the same float. Cached: tokens combine to few distinct frequencies."""
    from wordfreq import freq_to_zipf, zipf_to_freq

    minimum = zipf_to_freq(0.0)
    if freq == 0.0:
        return round(freq_to_zipf(minimum), 2)
    unrounded = max(freq, minimum)
    return round(freq_to_zipf(round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)), 2)


@cache
def _rounded_zipf(freq: float) -> float:
    """What ``wordfreq.zipf_frequency`` makes of a one-token word of frequency ``freq`` (0: unknown)
    (``word_frequency``: the frequency combined over the one token, then :func:`_wordfreq_rounding`). Once
    per frequency: wordfreq's frequencies are whole centibels, a few hundred distinct values per language."""
    return _wordfreq_rounding(1.0 / (0.0 + 1.0 / freq) if freq else 0.0)


def _frequency(word: str, lang: str) -> float:
    """The frequency of the exact key ``word`` in ``lang`` (English or one of :data:`EXCESS_LANGUAGES`)."""
    return _table_of(lang).freq(word, lang)


def _table_of(lang: str) -> FrequencyTable:
    """The table of ``lang`` (English or one of :data:`EXCESS_LANGUAGES`)."""
    return english_table() if lang == "en" else frequency_table()


def _tokenized_zipf(word: str, lang: str, table: FrequencyTable) -> float:
    """``wordfreq.zipf_frequency(word, lang, table.wordlist)`` read from ``table``: wordfreq's tokenizer and
    number handling, then its ``_word_frequency`` steps (1/f = 1/f1 + 1/f2 + ...; a token not in the list
    makes the whole word unknown). Not for Chinese (wordfreq's jieba tokenizer adds a step)."""
    lossy_tokenize, smash_numbers, digit_freq = _wordfreq_tokens()
    one_over = 0.0
    tokens = lossy_tokenize(word, lang)
    for token in tokens:
        smashed = smash_numbers(token)
        freq = table.freq(smashed, lang)
        if freq == 0.0:
            return _wordfreq_rounding(0.0)
        if smashed != token:
            freq *= digit_freq(token)
        one_over += 1.0 / freq
    return _wordfreq_rounding(1.0 / one_over if tokens else 0.0)


@cache
def _wordfreq_tokens() -> tuple[Callable[[str, str], list[str]], Callable[[str], str], Callable[[str], float]]:
    """wordfreq's ``lossy_tokenize``, ``smash_numbers`` and ``digit_freq``, imported once (not per word)."""
    from wordfreq.numbers import digit_freq, smash_numbers
    from wordfreq.tokens import lossy_tokenize

    return lossy_tokenize, smash_numbers, digit_freq


def zipf(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency(word, lang)``. A word of lower-case ASCII letters only (most words of a
    listing) is looked up without wordfreq's tokenizer, which is most of its cost: wordfreq's tokenizer
    leaves such a word whole in every language of :data:`PLAIN_WORD_LANGUAGES`, and :func:`_rounded_zipf`
    does the rest of its steps. Every language of that list (English and :data:`EXCESS_LANGUAGES`) is read
    from its table (:func:`english_table`, :func:`frequency_table`) rather than wordfreq's dictionaries,
    whatever the word (checked word for word against wordfreq in the tests)."""
    if lang in PLAIN_WORD_LANGUAGES:
        if word.isascii() and word.isalpha() and word.islower():
            return _rounded_zipf(_frequency(word, lang))
        return _tokenized_zipf(word, lang, _table_of(lang))
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


#: Languages in which :func:`zipf` looks a plain lower-case ASCII word up directly: wordfreq tokenizes them
#: with its regex tokenizer, NFC normal form and no transliteration.
PLAIN_WORD_LANGUAGES: frozenset[str] = frozenset(("en", *EXCESS_LANGUAGES, *LOCAL_WORD_LANGUAGES))


@lru_cache(maxsize=200_000)
def word_zipf(text: str) -> float:
    """How common ``text`` is in English (``wordfreq.zipf_frequency``, 0..8), cached per distinct string."""
    text = str(text).strip().lower()
    return float(zipf(text, "en")) if text else 0.0


@lru_cache(maxsize=200_000)
def english_excess(text: str) -> float:
    """How much more common ``text`` is in English than in other languages (zipf difference to the median
    of :data:`EXCESS_LANGUAGES`). Names of brands travel: "sony", "ipad", "nike" are about as common in every
    language (excess ~0.2), while ordinary English words are not ("universal" 0.8, "alkaline" 1.5,
    "external" 2.3). 0 for an empty or unknown word."""
    text = str(text).strip().lower()
    if not text:
        return 0.0
    en = word_zipf(text)
    if en == 0.0:
        return 0.0
    others = sorted(_excess_zipfs(text))
    return round(en - others[len(others) // 2], 4)


def _excess_zipfs(text: str) -> list[float]:
    """:func:`zipf` of ``text`` in every language of :data:`EXCESS_LANGUAGES` (in :func:`frequency_table`'s
    column order), each word or token looked up in the table once for all eight columns (the same floats)."""
    table = frequency_table()
    if text.isascii() and text.isalpha() and text.islower():
        return [_rounded_zipf(f) for f in table.lang_freqs(text)]
    if not _same_tokens(table.langs):
        return [_tokenized_zipf(text, lang, table) for lang in table.langs]
    return _tokenized_zipfs(text, table)


def _tokenized_zipfs(word: str, table: FrequencyTable) -> list[float]:
    """:func:`_tokenized_zipf` of ``word`` in every language of ``table`` (in its column order), for languages
    wordfreq tokenizes alike (:func:`_same_tokens`): tokenized once, each token's row looked up once, and each
    language's frequency combined in the token order :func:`_tokenized_zipf` combines it (the same floats)."""
    lossy_tokenize, smash_numbers, digit_freq = _wordfreq_tokens()
    tokens = lossy_tokenize(word, table.langs[0])
    one_over = [0.0] * len(table.langs)
    known = [bool(tokens)] * len(table.langs)
    for token in tokens:
        smashed = smash_numbers(token)
        digits = digit_freq(token) if smashed != token else None
        for j, freq in enumerate(table.lang_freqs(smashed)):
            if freq == 0.0:
                known[j] = False
            elif known[j]:
                one_over[j] += 1.0 / (freq if digits is None else freq * digits)
    return [_wordfreq_rounding(1.0 / o if k else 0.0) for o, k in zip(one_over, known, strict=True)]


@cache
def _same_tokens(langs: tuple[str, ...]) -> bool:
    """wordfreq tokenizes a text the same way in all of ``langs``: ``lossy_tokenize`` depends on the language
    only through wordfreq's language info (normal form, transliteration, marks, case folding, diacritics,
    tokenizer, lookup transliteration) when its tokenizer is the regular-expression one, and theirs is one (for
    the eight :data:`EXCESS_LANGUAGES`: NFC and that tokenizer, nothing else)."""
    from wordfreq.language_info import get_language_info

    infos = [get_language_info(lang) for lang in langs]
    return all(info == infos[0] for info in infos) and infos[0]["tokenizer"] == "regex"
