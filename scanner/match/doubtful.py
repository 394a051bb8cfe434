"""Typo and phonetic matches that are not misspellings: drop them before anyone reads them.

A fuzzy match says "this word is a misspelt mark". On real titles that is rarely so: of 352 distinct
typo/phonetic matches of the starter corpus in 25,631 real titles, 16 were misspellings
(``benchmarks/bench_typo_precision.py``, labels in ``benchmarks/labels/``). A written word is not a
misspelling of a mark when it is

* the listing's own declared brand (brand field): ``PowerCell`` is the seller's brand, not a misspelt
  ``POWERWALL``; ``Smartcraft`` is not ``STARCRAFT``;
* itself a known mark of the corpus (an exact key of the index): ``Welly`` (die-cast cars) is not a misspelt
  ``WELLA``;
* a word: English at Zipf >= :data:`ENGLISH_ZIPF` (``earphone`` is not ``FAIRPHONE``), a headword of the
  dictionary in :mod:`scanner.dictionary` (``sizer``, ``ammonite``), or a word of another shop language at
  Zipf >= :data:`OTHER_ZIPF` (``kamery`` is Polish, not ``CAMRY``; ``ventouse`` French, not ``VENTUS``);
* two ordinary words written as one (``seethru``, ``speedlight``, ``nightwatch``), neither of them a mark,
  two or more edits from it (``logtech`` is one edit from ``LOGITECH``: a misspelling);
* a model code: the changed word has a digit and the mark has none (``he50p`` is not ``AESOP``; look-alike
  digits in a mark, ``N1ke``, are read by the exact matcher, not here);
* for a typo, a different first letter (``Ammonite``/``SAMSONITE``): real misspellings keep the first letter
  (``Nvida``, ``Frigidarie``, ``Sennheisser``); a sound-alike keeps the first sound (same Metaphone code);
  scripts other than Latin are left alone;
* for a typo, a letter in place of the mark's that is neither a neighbouring key (QWERTY, QWERTZ, AZERTY)
  nor a letter of the same sound nor a vowel for a vowel (``Luminor``/``LUMINOX``, ``tenba``/``TENDA``,
  ``photoshow``/``PHOTOSHOP``: other names). Of the 13 labelled real typos none puts such a letter: they
  leave one out, double or swap letters (``Nvida``, ``Logitec``, ``Frigidarie``);
* a sound-alike below :data:`PHONETIC_MIN_SIMILARITY`, or written without a vowel (an abbreviation:
  ``stnd``, ``bmbs``); 2 of 106 phonetic matches on real titles were real.

Coined names one edit from another coined name (``visio``/``VIZIO``) pass these tests: the risk model
weighs them as weak evidence (method, whether the owner is also named, goods relatedness).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz.distance import OSA, Levenshtein

from ..dictionary import is_dictionary_word
from ..frequency import TYPO_WORD_LANGUAGES, is_function_word, small_list_zipf
from ..goods.lexicon import is_goods_term
from ..text import brand_key, compact_key, english_zipf, mark_tokens, normalize
from ..wordlists import COLOUR_WORDS, MATERIAL_WORDS
from .goods_names import WORDS as _WORDS
from .index import MatchIndex

#: A listing word at least this common in English is a word, not a misspelling of a mark.
ENGLISH_ZIPF = 1.5
#: ... or at least this common in one of :data:`scanner.frequency.TYPO_WORD_LANGUAGES`.
OTHER_ZIPF = 3.0
#: Glued words: both parts at least this long and this common in English.
GLUED_MIN_PART, GLUED_ZIPF = 3, 3.0
PHONETIC_MIN_SIMILARITY = 80.0
_VOWELS = re.compile(r"[aeiouy]")
FUZZY_METHODS = ("typo", "phonetic")


@lru_cache(maxsize=100_000)
def _is_word(word: str) -> bool:
    """A word of English or another shop language (see the module)."""
    if english_zipf(word) >= ENGLISH_ZIPF or is_dictionary_word(word):
        return True
    # wordfreq's "small" lists hold every word from Zipf 3 (OTHER_ZIPF) on
    return any(small_list_zipf(word, lang) >= OTHER_ZIPF for lang in TYPO_WORD_LANGUAGES)


def _glued(word: str, index: MatchIndex) -> bool:
    """Two ordinary English words written as one ("seethru"), neither of them a mark ("canonscan" is not)."""
    n = GLUED_MIN_PART
    splits = [(word[:i], word[i:]) for i in range(n, len(word) - n + 1)]
    if (index.key_ids([x for a, b in splits for x in (a, b, b.removesuffix("s"))]) >= 0).any():
        return False  # a mark glued to a word ("canonscan") is the mark's product, not two plain words
    return any(english_zipf(a) >= GLUED_ZIPF and english_zipf(b) >= GLUED_ZIPF for a, b in splits)


#: Letter rows of the QWERTY, QWERTZ and AZERTY keyboards: each row is shifted half a key right of the one
#: above, so a key touches its neighbours in the row and the keys above and below it on either side.
_KEYBOARDS = (("qwertyuiop", "asdfghjkl", "zxcvbnm"), ("qwertzuiop", "asdfghjkl", "yxcvbnm"),
              ("azertyuiop", "qsdfghjklm", "wxcvbn"))


def _neighbours() -> frozenset[frozenset[str]]:
    pairs = set()
    for rows in _KEYBOARDS:
        for r, row in enumerate(rows):
            for i, c in enumerate(row):
                near = list(row[i + 1:i + 2])
                if r + 1 < len(rows):
                    near += [rows[r + 1][j] for j in (i - 1, i) if 0 <= j < len(rows[r + 1])]
                pairs.update(frozenset((c, d)) for d in near)
    return frozenset(pairs)


#: Letters one is typed for another: keyboard neighbours, the keys two layouts swap (y/z, a/q, w/z), and
#: letters of the same sound (c/k, s/z, voiced and voiceless pairs, i/y); any vowel for another is a
#: spelling by ear ("Panasanic").
_SLIPS = _neighbours() | frozenset(frozenset(p) for p in ("yz", "aq", "wz", "ck", "cs", "sz", "kq", "iy", "bp", "dt",
                                                          "gk", "fv", "vw", "gj", "mn"))
_VOWEL_LETTERS = frozenset("aeiouy")


def _slip(a: str, b: str) -> bool:
    """Typing ``b`` for ``a`` (or the reverse) is a slip of the keyboard or of the ear."""
    return frozenset((a, b)) in _SLIPS or (a in _VOWEL_LETTERS and b in _VOWEL_LETTERS)


def _foreign_letter(key: str, mark_key: str) -> bool:
    """The written word has a letter in place of the mark's that no typist would put there ("luminor" for
    LUMINOX, "photoshow" for PHOTOSHOP, "tenba" for TENDA): another name, not a misspelling. Real
    misspellings on labelled titles leave a letter out, double one, swap two ("frigidarie": a letter out and
    one in, as the edit script reads a swap) or put a neighbouring key or a same-sounding letter in place
    (:func:`_slip`). Letters outside a-z are not judged."""
    return any(op.tag == "replace" and key[op.src_pos].isascii() and key[op.src_pos].isalpha()
               and mark_key[op.dest_pos].isascii() and mark_key[op.dest_pos].isalpha()
               and not _slip(key[op.src_pos], mark_key[op.dest_pos])
               for op in Levenshtein.editops(key, mark_key))


def _not_a_misspelling(written: str, mark: str, method: str, similarity: float, index: MatchIndex) -> bool:
    mark_key = compact_key(mark)
    key = compact_key(written)
    if key + "s" == mark_key or key == mark_key + "s":
        return False  # singular / plural of the mark ("astrobright" for ASTROBRIGHTS)
    mark_words = {compact_key(w) for w in mark.split()}
    # "meiers" is the mark's "meier's" (possessives compact to "meier")
    changed = [w for w in written.lower().split()
               if compact_key(w) not in mark_words and compact_key(w).removesuffix("s") not in mark_words]
    if any(c.isdigit() for w in changed for c in w) and not any(c.isdigit() for c in mark_key):
        return True
    if method == "typo" and key[:1].isascii() and key[:1].isalpha() and mark_key[:1] != key[:1]:
        return True
    if method == "typo" and _foreign_letter(key, mark_key):
        return True
    if method == "phonetic" and (similarity < PHONETIC_MIN_SIMILARITY
                                 or any(w.isalpha() and not _VOWELS.search(w) for w in changed)):
        return True
    # two glued words: only when the written word is two or more edits from the mark ("seethru" / SEETHER);
    # one edit is a plain misspelling even if it splits into words ("logtech" / LOGITECH)
    far = OSA.distance(key, mark_key) >= 2
    return any(w.isalpha() and (_is_word(w) or (far and _glued(w, index))) for w in changed)


def _declared_keys(brand: str) -> set[str]:
    """The brand field and its words, as compact keys (``"Smart Craft Co"`` -> smartcraftco, smart, craft)."""
    if not brand:
        return set()
    out = {brand_key(brand), compact_key(brand)}
    out.update(compact_key(w) for w in brand.split())
    return {k for k in out if k}


def _matched_form(row) -> str:
    """The written form of the mark that was matched: its alias when an alias matched ("Matsushita" for
    PANASONIC), else the mark."""
    alias = row.get("alias", "") if hasattr(row, "get") else ""
    alias = "" if alias is None or (isinstance(alias, float) and np.isnan(alias)) else str(alias)
    return alias or str(row["mark"])


def doubtful_fuzzy(matches: pd.DataFrame, listings: pd.DataFrame, index: MatchIndex) -> np.ndarray:
    """Boolean mask over ``matches``: the typo / phonetic rows that are not misspellings (see the module)."""
    fuzzy = matches["method"].isin(FUZZY_METHODS).to_numpy()
    out = np.zeros(len(matches), dtype=bool)
    if not fuzzy.any():
        return out
    brands = listings["brand"].astype(str) if "brand" in listings.columns else pd.Series("", index=listings.index)
    declared: dict[object, set[str]] = {}
    rows = np.flatnonzero(fuzzy)
    part = matches.iloc[rows]
    aliases = part["alias"].tolist() if "alias" in part.columns else [""] * len(rows)
    decided: dict[tuple, bool] = {}  # the test below, once per distinct (written, matched form, method, similarity)
    for i, text, listing, mark, alias, method, sim in zip(
            rows.tolist(), part["matched_text"].tolist(), part["listing"].tolist(), part["mark"].tolist(), aliases,
            part["method"].tolist(), part["similarity"].tolist(), strict=True):
        text = str(text)
        written = compact_key(text)
        if not written:
            continue
        if listing not in declared:
            declared[listing] = _declared_keys(str(brands.get(listing, "")))
        if written in declared[listing]:
            out[i] = True
            continue
        form = _matched_form({"alias": alias, "mark": mark})
        key = (text, form, str(method), float(sim))
        found = decided.get(key)
        if found is None:
            found = decided[key] = (
                (index.key_id(written) >= 0 and written != compact_key(form))
                or _not_a_misspelling(text, form, str(method), float(sim), index))
        out[i] = found
    return out


JOIN_METHODS = ("joined", "split")


#: What a mark written apart has between its parts: spaces, hyphens, dots, slashes, "&", "+", apostrophes,
#: and a trademark sign right before the next part ("Kitchen®Aid"). Anything else (quotes, brackets, "@",
#: "…", a sign and then a space) joins words that only run into each other in the text ('sale"@en' is not
#: SALEEN, "Fi® at" not FIAT, "Fortune ( R" not FORTUNER). A dot or comma between two digits is a decimal
#: point or a thousands separator: "10.0" is a number, not STUDIO 100's "100" written apart.
_ODD_SEPARATOR = re.compile(r"[^\w\s\-\u2010-\u2015./&+'\u2019\u00ae\u00a9\u2122\u2120]|[\u00ae\u00a9\u2122\u2120]\s"
                            r"|\d[.,]\d")


@lru_cache(maxsize=16384)
def _describes(word: str) -> bool:
    """``word`` (lower case) says what a product is or is made of: a goods term, a colour or a material."""
    return word in COLOUR_WORDS or word in MATERIAL_WORDS or is_goods_term([word])


def _not_the_mark_apart(written: str) -> bool:
    """The words a split match reads (two or more) are a phrase of their own, not a one-word mark written
    apart: the generic name of a kind of goods ("Floor Liners" for FLOORLINER); words that each say what the
    product is, its colour or material ("steel case" for STEELCASE, "black pink" for BLACKPINK, "home kit");
    or a phrase that starts with a function word ("for EOS" for FOREO, "in case" for INCASE, "Men´s Watch"
    read from its "s" as SWATCH, "es pro" for ESPRO; a function word joined to the next by a hyphen is a
    prefix of the name: "A-Data" is ADATA; and a name spelt letter by letter is the name: "S A M S U N G")."""
    words = _WORDS.findall(written)
    lower = [w.lower() for w in words]
    return len(words) > 1 and (is_goods_term(words) or all(_describes(w) for w in lower)
                               or (is_function_word(lower[0]) and _SPACED_FIRST.match(written) is not None
                                   and not all(len(w) == 1 for w in words)))


#: The first word of a text, then a space.
_SPACED_FIRST = re.compile(r"\w+(?:['’]\w+)*\s")


def partial_joins(matches: pd.DataFrame, listings: pd.DataFrame) -> np.ndarray:
    """Boolean mask over ``matches``: joined / split matches that are not the mark written apart -- they cut
    a written word or code in two ("Kit H11" read as KITH takes the ``H`` of the part number ``H11``), their
    parts are run together by other signs than a mark is written apart with (:data:`_ODD_SEPARATOR`), or
    the words written apart are a phrase of their own (:func:`_not_the_mark_apart`: "Floor Liners" is what
    the product is, not the mark FLOORLINER written in two; "steel case", "for EOS"; "Air Pods", "Go Pro" and
    "Mac OS" are the marks), or one dictionary word is read as a mark of several parts ("bars" for BAR-S;
    "soundblaster" is SOUND BLASTER)."""
    out = np.zeros(len(matches), dtype=bool)
    if matches.empty or "method" not in matches.columns:
        return out
    rows = np.flatnonzero(matches["method"].isin(JOIN_METHODS).to_numpy())
    part = matches.iloc[rows]
    aliases = part["alias"].tolist() if "alias" in part.columns else [""] * len(rows)
    texts: dict[str, dict] = {}  # one dict per text field, made on first use
    for i, field, listing, start, end, matched, mark, alias, method in zip(
            rows.tolist(), part["field"].tolist(), part["listing"].tolist(), part["start"].tolist(),
            part["end"].tolist(), part["matched_text"].tolist(), part["mark"].tolist(), aliases,
            part["method"].tolist(), strict=True):
        field = str(field)
        if field not in listings.columns:
            continue
        if field not in texts:
            texts[field] = dict(zip(listings.index.tolist(), listings[field].tolist(), strict=True))
        text = str(texts[field][listing])
        start, end = int(start), int(end)
        form = _matched_form({"alias": alias, "mark": mark})
        written, mark = compact_key(str(matched)), compact_key(form)
        out[i] = ((end < len(text) and text[end].isalnum()) or (start > 0 and text[start - 1].isalnum())
                  or written not in (mark, mark + "s", mark + "es")
                  or _ODD_SEPARATOR.search(str(matched)) is not None
                  or _not_the_mark_apart(str(matched))
                  or (written != mark and _ending_across_words(str(matched), form, mark))
                  # one English word read as a mark of several parts: "bars" is not BAR-S, "backups" not BACK-UPS
                  or (method == "joined" and is_dictionary_word(str(matched))))
    return out


#: The words of a name as written: capitalised or lower-case words, runs of capitals, numbers ("AirPod" ->
#: "Air", "Pod"; "iPhone" -> "i", "Phone"; "LPGA" -> "LPGA"; "F150" -> "F", "150").
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


@lru_cache(maxsize=16384)
def _ending_across_words(written: str, form: str, key: str) -> bool:
    """A mark read with a plural ending ("s", "es") from words that cut it elsewhere than between its own
    words: "LP gas" is not LPGA + s, "T-Eins" not TEIN + s ("gas" and "eins" are words whose "s" is no
    plural). The reading stands when every place the written words part falls between two words of the
    name as written (camel case, capitals, numbers, spaces: "Air Pods" for AirPod) or, for a name written
    without such signs (a register's capitals), when every written word but the ending is a dictionary word
    ("Go Pros" for GOPRO)."""
    parts = list(mark_tokens(written))
    if len(parts) < 2:
        return False
    ending = len("".join(parts)) - len(key)
    if ending <= 0 or len(parts[-1]) <= ending:
        return False
    parts[-1] = parts[-1][:-ending]
    pieces = [compact_key(w) for w in _NAME_WORDS.findall(form)]
    if "".join(pieces) == key:
        bounds, at = set(), 0
        for piece in pieces[:-1]:
            at += len(piece)
            bounds.add(at)
        cuts, at = [], 0
        for part in parts[:-1]:
            at += len(part)
            cuts.append(at)
        if all(c in bounds for c in cuts):
            return False
    return not all(len(p) >= 2 and is_dictionary_word(p) for p in parts)


#: What joins the letters of a mark of initials ("M&M's", fullwidth "Ｍ＆Ｍ", "B+W").
_JOINERS = ("&", "\uff06", "+")


@lru_cache(maxsize=4096)
def _joined_initials(form: str) -> bool:
    """The mark's name is single letters joined by an ampersand or a plus, and nothing else: "M&M's", "H&M",
    "K&N", "D&G", "B+W" (not "AT&T", "Texas A&M Aggies" or "Johnson & Johnson")."""
    letters = normalize(form).split()
    return any(j in form for j in _JOINERS) and len(letters) >= 2 and all(len(w) == 1 for w in letters)


def bare_initials(matches: pd.DataFrame) -> np.ndarray:
    """Boolean mask over ``matches``: a mark of single letters joined by an ampersand or a plus (M&M'S, H&M,
    K&N, B+W) read in those letters written apart with something else between them ("HDMI cable M/M", "VGA
    M-M", "B/W laser printer", "hdmi m m video cable"): connector genders, colours and codes, not the mark.
    Written with its joiner ("M & M candy") or together ("MMs") the letters are still read as the mark."""
    out = np.zeros(len(matches), dtype=bool)
    if matches.empty:
        return out
    forms = matches["mark"].astype(str)
    if "alias" in matches.columns:
        alias = matches["alias"].fillna("").astype(str)
        forms = forms.where(alias == "", alias)
    rows = np.flatnonzero(forms.str.contains("[&\uff06+]", regex=True).to_numpy(dtype=bool))
    for i, form, written in zip(rows.tolist(), forms.iloc[rows].tolist(),
                                matches["matched_text"].iloc[rows].astype(str).tolist(), strict=True):
        apart = not written.isalnum()
        out[i] = apart and not any(j in written for j in _JOINERS) and _joined_initials(form)
    return out
