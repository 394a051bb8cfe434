"""Text normalisation shared by the corpus and the listings.

One normalisation, used for trademark records and listing text alike, so that a mark and a listing that
write the same name differently end up with the same tokens:

* Unicode NFKC (full-width letters, ligatures, mathematical letters), case folding, accents removed;
* zero-width, soft-hyphen and other format characters removed (they never split a word);
* Cyrillic / Greek look-alike letters read as Latin inside words that mix scripts or consist only of
  look-alikes (``"Nіkе"`` with Cyrillic ``і``/``е`` -> ``nike``; a real Russian word is left alone);
* digit / symbol substitutions inside words only (``iPh0ne`` -> ``iphone``, ``N1ke`` -> ``nike``,
  ``$amsung`` -> ``samsung``; ``PG-245``, ``3x``, ``1080p``, ``A1`` stay); a ``1`` is read as ``i`` and the
  ``l`` reading is kept as an alternative form;
* ``®``, ``™``, ``©``, ``℠`` and attached ``(R)`` / ``(TM)`` removed from the text but remembered;
* possessives dropped (``Disney's`` -> ``disney``), apostrophes inside words joined (``O'Neill``);
* every other non-alphanumeric character separates words (``N-I-K-E`` -> ``n i k e``, the katakana middle
  dot in ``ルイ・ヴィトン``); CJK characters (Han, kana, Hangul syllables) are one word each, so a name written
  in them is found inside a longer run (``ナイキスニーカー``, ``나이키운동화``);
* a small, principled list of British/American spelling variants (``armour`` -> ``armor``,
  ``colour`` -> ``color``, ``-ise`` -> ``-ize`` where the ``-ize`` word exists).

Every token keeps its span in the ORIGINAL text (:class:`Token`), and :func:`normalize_with_offsets` gives a
per-character offset map, so a match found in normalised text is reported with the exact original span.
Multi-word joins/splits and plurals are matching rules, not normalisation: see ``scanner.match``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, repeat
from typing import Any, NamedTuple

from .frequency import english_zipf  # noqa: F401 - also re-exported: scanner.text.english_zipf

#: Bump when the output of :func:`tokenize` changes (compiled match indexes depend on it).
NORMALIZATION_VERSION = 3

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def brand_key(name: str) -> str:
    """Compare brand names case- and punctuation-insensitively: ``"Acme-Pro "`` -> ``"acmepro"``."""
    text = str(name)
    if text.isascii():  # both normalisations leave ASCII as it is, and casefold is lower there
        return _NON_ALNUM.sub("", text.lower())
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_ALNUM.sub("", "".join(map(_without_accents, text)))


# --------------------------------------------------------------------------------------------- tables

#: Trademark symbols: removed from the text, remembered as evidence.
SYMBOLS = {"®": "®", "™": "™", "©": "©", "℠": "℠"}

#: Cyrillic / Greek / Latin-extension letters that look like a Latin letter (case-sensitive: Greek capital
#: ``Ν`` looks like ``N`` but small ``ν`` like ``v``). Hand-kept after Unicode's confusables.txt (UTS #39):
#: transliteration libraries map by sound (Cyrillic ``р`` -> ``r``), which is wrong for look-alikes, and the
#: full UTS #39 skeleton also folds digits and punctuation, which must stay word-position aware here.
CONFUSABLES: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "Ү": "Y", "Ѕ": "S", "І": "I", "Ӏ": "I", "Ј": "J", "Ԁ": "D", "Һ": "H", "Ԛ": "Q",
    "Ԝ": "W",
    # Cyrillic small letters
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "ү": "y", "ѕ": "s", "і": "i",
    "ӏ": "l", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "к": "k", "м": "m", "н": "h", "т": "t",
    "в": "b",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
    # Greek small letters
    "α": "a", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ϲ": "c",
}

#: Latin letters without a decomposition that people write for a plain letter (always folded).
_LATIN_EXTRA = {
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "ŀ": "l", "ı": "i", "ȷ": "j", "ɡ": "g", "ɑ": "a",
}

#: Digit / symbol substitutions applied inside words only.
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_DIGITS = frozenset("013457")

_APOSTROPHES = frozenset("'`’ʼ‘´")

#: British -> American spellings (whole words; inflections -s/-ed/-ing/-er/-ers follow the stem).
SPELLING_VARIANTS: dict[str, str] = {
    "armour": "armor", "colour": "color", "flavour": "flavor", "favour": "favor", "favourite": "favorite",
    "harbour": "harbor", "honour": "honor", "humour": "humor", "labour": "labor", "neighbour": "neighbor",
    "vapour": "vapor", "odour": "odor", "rumour": "rumor", "parlour": "parlor", "valour": "valor",
    "vigour": "vigor", "behaviour": "behavior", "glamour": "glamor", "centre": "center",
    "theatre": "theater", "metre": "meter", "litre": "liter", "fibre": "fiber", "calibre": "caliber",
    "sabre": "saber", "lustre": "luster", "spectre": "specter", "catalogue": "catalog",
    "dialogue": "dialog", "analogue": "analog", "grey": "gray", "aluminium": "aluminum", "tyre": "tire",
    "jewellery": "jewelry", "jeweller": "jeweler", "mould": "mold", "programme": "program",
    "defence": "defense", "licence": "license", "pyjama": "pajama", "pyjamas": "pajamas",
    "moustache": "mustache", "cosy": "cozy", "analyse": "analyze", "paralyse": "paralyze",
    "catalyse": "catalyze", "travelling": "traveling", "traveller": "traveler", "cancelled": "canceled",
    "woollen": "woolen", "plough": "plow", "sceptic": "skeptic",
}
_INFLECTIONS = ("s", "es", "ed", "ing", "er", "ers")
_ISE = re.compile(r"^([a-z]{3,})is(e|es|ed|er|ers|ing|ation|ations)$")
#: An ``-ize`` word must be at least this common in English (wordfreq Zipf scale) to fold ``-ise`` into it.
_IZE_MIN_ZIPF = 2.5


# --------------------------------------------------------------------------------------------- tokens


class Token(NamedTuple):
    """One normalised word and where it came from.

    ``text`` is the searchable form, ``start``/``end`` its span in the original text (``[start, end)``),
    ``alts`` other searchable forms (``"b1ue"`` -> ``text="biue"``, ``alts=("blue",)``).
    """

    text: str
    start: int
    end: int
    alts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Analysis:
    """The tokens of a text plus the trademark symbols seen in it (``(position, symbol)`` pairs)."""

    tokens: tuple[Token, ...]
    symbols: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class NormText:
    """Normalised text with a per-character map back to the original.

    ``text[i]`` came from ``original[starts[i]:ends[i]]``. Tokens are separated by one space; a space maps
    to the gap between its neighbouring tokens. Where a whole word was rewritten (a spelling variant) each
    of its characters maps to the whole original word.
    """

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of normalised characters ``[start, end)`` (``end > start``)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad normalised span [{start}, {end}) for a text of {len(self.text)}")
        return self.starts[start], max(self.ends[start:end])


#: Control characters (C0, DEL, C1) that are neither line breaks nor tabs (``str.isspace``).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def _by_path(text: str, on_ascii: Callable[..., Any], on_general: Callable[[str], Any]) -> Any:
    """``on_ascii`` of an ASCII text or of the ASCII view of a text that has one, else ``on_general``."""
    text = "" if text is None else str(text)
    if _CONTROL.search(text) is not None:
        return on_general(text)  # a control character (invisible, see _char_plan) needs the path that drops it
    if text.isascii():
        return on_ascii(text)
    view = _ascii_view(text)
    if view is not None:
        return on_ascii(*view)
    return on_general(text)


def analyze(text: str) -> Analysis:
    """Tokens and trademark symbols of ``text`` (see the module docstring for the rules)."""
    return _by_path(text, _analyze_ascii, _analyze_general)


def tokenize(text: str) -> list[Token]:
    """The normalised tokens of ``text``, each with its original span."""
    return list(analyze(text).tokens)


def normalize(text: str) -> str:
    """The normalised form of ``text``: its tokens joined by single spaces (idempotent)."""
    return " ".join(t.text for t in analyze(text).tokens)


def mark_tokens(mark: str) -> tuple[str, ...]:
    """The normalised tokens of a mark (``"Hello-Kitty®"`` -> ``("hello", "kitty")``)."""
    text = "" if mark is None else str(mark)
    if text.isascii() and "(" not in text:
        # the common case, as _analyze_ascii reads it, without building the tokens' spans: words of
        # letters, or of letters and digits with no digit between two letters
        out = []
        for run in _ASCII_RUN.findall(text):
            if not (run.isalpha() or (run.isalnum() and not _ASCII_LEET.search(run))):
                return tuple(t.text for t in _analyze_ascii(text).tokens)
            out.append(_spelling(run.lower()))
        return tuple(out)
    return tuple(t.text for t in analyze(text).tokens)


def compact_key(text: str) -> str:
    """The normalised tokens joined without spaces: the key under which marks are indexed
    (``"Air Pods"``, ``"AirPods"`` and ``"AIR-PODS™"`` all give ``"airpods"``)."""
    return "".join(mark_tokens(text))


def normalize_with_offsets(text: str) -> NormText:
    """:func:`normalize` plus a per-character map back to the original text."""
    text = "" if text is None else str(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for tok, cstarts, cends in _general_tokens(text)[0]:
        if out:
            out.append(" ")
            starts.append(ends[-1])
            ends.append(cstarts[0])
        out.append(tok.text)
        starts.extend(cstarts)
        ends.extend(cends)
    return NormText(text, "".join(out), tuple(starts), tuple(ends))


# --------------------------------------------------------------------------------------------- ASCII path

_ASCII_RUN = re.compile(r"[A-Za-z0-9@$'`]+")
_ASCII_LEET = re.compile(r"[A-Za-z][0-9]+[A-Za-z]")
#: ``(R)`` / ``(TM)`` written after a word: the registered / trademark sign typed in ASCII.
_TEXT_SYMBOL = re.compile(r"(?<=[^\W_])[ \t]?\((r|tm)\)", re.IGNORECASE)


def _text_symbols(text: str) -> list[tuple[int, int, str]]:
    if "(" not in text:
        return []
    return [(m.start(), m.end(), "®" if m.group(1).lower() == "r" else "™") for m in _TEXT_SYMBOL.finditer(text)]


#: Stand-in for a non-ASCII separator in the ASCII view of a text (not a word character, not a space).
_SEPARATOR = "\x1f"


@lru_cache(maxsize=4096)
def _view_char(c: str) -> str:
    """How a non-ASCII character can be written in the ASCII view ("" when it cannot)."""
    if c in SYMBOLS or unicodedata.category(c) in ("Cf", "Mn", "Mc", "Me"):
        return ""
    form = _char_form(c)
    if len(form) == 1 and form.isascii() and form.isalnum():
        return form  # an accented Latin letter, a full-width digit...
    if form in _APOSTROPHES:
        return "'"
    if not any(_word_char(d) or _is_cjk(d) for d in form):
        return _SEPARATOR
    return ""


#: Non-ASCII letters that case-fold to several ASCII letters: written out in full in the ASCII view (which then
#: carries a map back to the original offsets).
_EXPANDS = {"ß": "ss"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _ascii_view(text: str) -> tuple[str, list[tuple[int, str]], list[int] | None] | None:
    """The text with its non-ASCII separators, apostrophes, trademark signs and accented Latin letters
    replaced by ASCII, or ``None`` when it has other non-ASCII characters (those need the Unicode path).
    Typographic quotes, dashes, spaces and accents are common in listings and need no more than this.

    Returns ``(view, symbols, origin)``: replacements are one for one (offsets unchanged, ``origin`` is
    ``None``) except for the letters of :data:`_EXPANDS` (``ß`` -> ``ss``); then ``origin[i]`` is the
    original offset of the view's character ``i``."""
    out: list[str] = []
    symbols = []
    last = 0
    expanded = False
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        c = m.group()
        if c in SYMBOLS:
            symbols.append((i, SYMBOLS[c]))
            v = _SEPARATOR
        elif c in _EXPANDS:
            v = _EXPANDS[c]
            expanded = True
        else:
            v = _view_char(c)
            if not v:
                return None
        out.append(text[last:i])
        out.append(v)
        last = i + 1
    out.append(text[last:])
    if not expanded:
        return "".join(out), symbols, None
    origin: list[int] = []
    pos = 0
    for k, piece in enumerate(out):
        if k % 2 == 0:  # a stretch of ASCII text
            origin.extend(range(pos, pos + len(piece)))
            pos += len(piece)
        else:  # one non-ASCII character
            origin.extend([pos] * len(piece))
            pos += 1
    return "".join(out), symbols, origin


#: A run of ASCII word characters, captured (``split`` gives separators and runs in turn).
_ASCII_SPLIT = re.compile(f"({_ASCII_RUN.pattern})")
#: What makes a run of the lower-cased text more than a plain word: a symbol or apostrophe, or a digit between
#: letters (two simple patterns search faster than one with both).
_ASCII_MARKS = re.compile(r"[@$'`]")
_LOWER_LEET = re.compile(_ASCII_LEET.pattern.replace("A-Za-z", "a-z"))
_TUPLE_NEW = tuple.__new__


#: A text's tokens as columns: ``(texts, starts, ends, alts, symbols)``; ``alts`` is None when no token has
#: an alternative form, else one tuple per token.
Columns = tuple[list[str], list[int], list[int], list[tuple[str, ...]] | None, tuple[tuple[int, str], ...]]


def analyze_columns(text: str) -> Columns:
    """:func:`analyze` as columns (no :class:`Token` tuples made): what the matcher lays out flat."""
    return _by_path(text, _ascii_columns, _general_columns)


def _general_columns(text: str) -> Columns:
    a = _analyze_general(text)
    alts = [t.alts for t in a.tokens]
    return ([t.text for t in a.tokens], [t.start for t in a.tokens], [t.end for t in a.tokens],
            alts if any(alts) else None, a.symbols)


def _analyze_ascii(text: str, symbols: list[tuple[int, str]] | None = None, origin: list[int] | None = None
                   ) -> Analysis:
    """Tokens of an ASCII text (or ASCII view): :func:`_ascii_columns` as tokens."""
    words, starts, ends, alts, symbols = _ascii_columns(text, symbols, origin)
    return Analysis(column_tokens(words, starts, ends, alts), symbols)


def column_tokens(words: list[str], starts: list[int], ends: list[int], alts: list[tuple[str, ...]] | None
                  ) -> tuple[Token, ...]:
    """The :class:`Token` tuples of a text's token columns (see :func:`analyze_columns`)."""
    if alts is None:
        return tuple(map(_TUPLE_NEW, repeat(Token), zip(words, starts, ends, repeat(()), strict=False)))
    return tuple(map(_TUPLE_NEW, repeat(Token), zip(words, starts, ends, alts, strict=True)))


def _ascii_columns(text: str, symbols: list[tuple[int, str]] | None = None, origin: list[int] | None = None
                   ) -> Columns:
    """Tokens of an ASCII text (or ASCII view, ``origin`` mapping its offsets back when they moved), as
    columns: the runs of word characters are cut from the whole lower-cased text at once; a run of letters,
    or of letters and digits with no digit between two letters, is one token (its spelling variant); others
    go through :func:`_process_run` as the Unicode path does."""
    symbols = list(symbols or ())
    work = text
    found = _text_symbols(text)
    if found:
        chars = list(text)
        for s, e, sym in found:
            symbols.append((s if origin is None else origin[s], sym))
            chars[s:e] = " " * (e - s)
        work = "".join(chars)
    low = work.lower()
    parts = _ASCII_SPLIT.split(low)
    runs = parts[1::2]
    if not runs:
        return [], [], [], None, tuple(sorted(symbols))
    bounds = list(accumulate(map(len, parts)))
    starts, ends = bounds[0:-1:2], bounds[1::2]
    # the runs holding a symbol, an apostrophe or a digit between letters (a match never leaves its run)
    hits = [m.start() for m in _ASCII_MARKS.finditer(low)] + [m.start() for m in _LOWER_LEET.finditer(low)]
    complex_runs = sorted({bisect_right(ends, h) for h in hits}) if hits else ()
    words = list(map(_spelling, runs))
    if origin is None:
        tok_starts, tok_ends = starts[:], ends[:]
    else:
        tok_starts, tok_ends = [origin[s] for s in starts], [origin[e - 1] + 1 for e in ends]
    alts: list[tuple[str, ...]] | None = [()] * len(words) if complex_runs else None
    for k in reversed(complex_runs):
        s = starts[k]
        toks = _run_tokens(runs[k])
        words[k:k + 1] = [t[0] for t in toks]
        if origin is None:
            tok_starts[k:k + 1] = [s + t[1] for t in toks]
            tok_ends[k:k + 1] = [s + t[2] for t in toks]
        else:
            tok_starts[k:k + 1] = [origin[s + t[1]] for t in toks]
            tok_ends[k:k + 1] = [origin[s + t[2] - 1] + 1 for t in toks]
        alts[k:k + 1] = [t[3] for t in toks]
    if alts is not None and not any(alts):
        alts = None
    return words, tok_starts, tok_ends, alts, tuple(sorted(symbols))


@lru_cache(maxsize=65536)
def _run_tokens(run: str) -> tuple[Token, ...]:
    """:func:`_process_run` of a run of ASCII word characters, with spans relative to the run (the same run
    gives the same tokens wherever it stands: ``@en`` tags, possessives, model codes repeat a lot)."""
    return tuple(tok for tok, _cs, _ce in _process_run(list(run), list(range(len(run))), list(range(1, len(run) + 1))))


# --------------------------------------------------------------------------------------------- general path


def _analyze_general(text: str) -> Analysis:
    tokens, symbols = _general_tokens(text)
    return Analysis(tuple(t for t, _, _ in tokens), tuple(symbols))


def _is_cjk(c: str) -> bool:
    o = ord(c)
    if o == 0x30FB:  # katakana middle dot: a word separator
        return False
    return (
        0x3040 <= o <= 0x30FF
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xAC00 <= o <= 0xD7AF
        or 0x20000 <= o <= 0x2FA1F
    )


@lru_cache(maxsize=8192)
def _without_accents(s: str) -> str:
    """``s`` (NFKC) with its accents removed: NFKD without the combining marks. A Hangul syllable and a
    kana stay whole: NFKD would split the syllable into letters, and the kana's voicing marks are not
    accents but other sounds (``パ`` pa, ``バ`` ba and ``ハ`` ha are three syllables: ``ポリ`` poly is not
    ``ホリ`` Hori)."""
    if len(s) == 1 and (0xAC00 <= ord(s) <= 0xD7AF or 0x3040 <= ord(s) <= 0x30FF):
        return s
    return "".join(d for d in unicodedata.normalize("NFKD", s) if not unicodedata.combining(d))


@lru_cache(maxsize=8192)
def _char_form(c: str) -> str:
    """NFKC, accents removed, case kept (confusables are decided per word, before case folding)."""
    s = _without_accents(unicodedata.normalize("NFKC", c))
    return "".join(_LATIN_EXTRA.get(d, d) for d in s)


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "@$" or c in _APOSTROPHES


_CJK, _WORD, _SEPARATES = 0, 1, 2
_COMBINING: tuple = (("", _SEPARATES),)  # a sentinel (compared by identity)


@lru_cache(maxsize=16384)
def _char_plan(c: str) -> tuple[tuple[str, int], ...] | None:
    """What step 1 of :func:`_general_tokens` does with the character ``c`` (a pure function of ``c``, cached
    so that a text is not categorised and normalised character by character again): ``None`` when it
    vanishes, :data:`_COMBINING` for a combining mark, else its pre-characters, each CJK, a word
    character or a separator."""
    cat = unicodedata.category(c)
    if cat == "Cf" or (cat == "Cc" and not c.isspace()):
        # zero-width joiners / spaces, soft hyphen, BOM, bidi controls; NUL, ESC, DEL and the other control
        # characters that are not line or tab breaks (left in a text by a broken export): invisible
        return None
    if cat.startswith("M"):
        return _COMBINING
    form = _char_form(c)
    if not form:
        return None
    return tuple((d, _CJK if _is_cjk(d) else (_WORD if _word_char(d) else _SEPARATES)) for d in form)


#: Kana voicing marks: combining (U+3099, U+309A), spacing (U+309B, U+309C) and half-width (U+FF9E, U+FF9F).
_VOICING_MARKS = frozenset("\u3099\u309a\u309b\u309c\uff9e\uff9f")


def _voiced(kana: str, mark: str) -> str:
    """``kana`` with the voicing mark ``mark`` (U+3099 / U+309A, or their half-width and spacing forms)
    composed into it, when such a character exists (``コ`` + ``ﾞ`` -> ``ゴ``); else ``kana``."""
    combining = {"\u309b": "\u3099", "\u309c": "\u309a"}.get(mark) or unicodedata.normalize("NFKC", mark)
    composed = unicodedata.normalize("NFC", kana + combining[-1:])
    return composed if len(composed) == 1 else kana


@lru_cache(maxsize=16384)
def _folded_word_chars(c: str) -> str:
    """``c`` case-folded, accents removed, NFKC, keeping only word characters (step 2, per character)."""
    f = unicodedata.normalize("NFKC", _without_accents(c.casefold()))
    return "".join(d for d in f if _word_char(d))


def _general_tokens(text: str) -> tuple[list[tuple[Token, list[int], list[int]]], list[tuple[int, str]]]:
    """Tokens with per-character original spans (the reference implementation)."""
    skip: dict[int, int] = {}
    symbols: list[tuple[int, str]] = []
    for s, e, sym in _text_symbols(text):
        symbols.append((s, sym))
        for i in range(s, e):
            skip[i] = 1
    # 1. characters -> pre-characters (NFKC, no accents, case kept) with their original spans
    pre: list[list] = []  # [char, start, end, boundary_before]
    boundary = True
    for i, c in enumerate(text):
        if i in skip:
            boundary = True
            continue
        if c in SYMBOLS:
            symbols.append((i, SYMBOLS[c]))
            boundary = True
            continue
        if c in _VOICING_MARKS and pre and pre[-1][2] == i and _is_cjk(pre[-1][0]):
            # a kana's voicing mark written apart (half-width ｺﾞ, or a combining mark): ゴ
            pre[-1][0] = _voiced(pre[-1][0], c)
            pre[-1][2] = i + 1
            continue
        plan = _char_plan(c)
        if plan is None:  # invisible (a format character, or nothing left of it)
            continue
        if plan is _COMBINING:  # a combining mark: part of the previous character
            if pre and not boundary:
                pre[-1][2] = i + 1
            continue
        for d, kind in plan:
            if kind == _CJK:
                pre.append([d, i, i + 1, True])
                boundary = True
            elif kind == _WORD:
                pre.append([d, i, i + 1, boundary])
                boundary = False
            else:
                boundary = True
    symbols.sort()
    # 2. runs of word characters (a CJK character is a run of its own)
    out: list[tuple[Token, list[int], list[int]]] = []
    run: list[list] = []

    def flush() -> None:
        if not run:
            return
        chars = [r[0] for r in run]
        if any(_confusable(c) for c in chars) and _maps_confusables(chars):
            chars = [_confusable(c) or c for c in chars]
        folded: list[str] = []
        fstarts: list[int] = []
        fends: list[int] = []
        for c, r in zip(chars, run, strict=True):
            for d in _folded_word_chars(c):
                folded.append(d)
                fstarts.append(r[1])
                fends.append(r[2])
        out.extend(_process_run(folded, fstarts, fends))
        run.clear()

    for p in pre:
        if p[3] or _is_cjk(p[0]):
            flush()
        run.append(p)
        if _is_cjk(p[0]):
            flush()
    flush()
    return out, symbols


def _confusable(c: str) -> str:
    """The Latin letter ``c`` looks like ("" if none); rare case variants go through their case fold."""
    return CONFUSABLES.get(c) or CONFUSABLES.get(c.casefold(), "")


def _maps_confusables(chars: list[str]) -> bool:
    """Read look-alikes as Latin when the word mixes scripts or consists only of look-alikes."""
    letters = [c for c in chars if c.isalpha()]
    if any(c.isascii() for c in letters):
        return True
    return all(_confusable(c) for c in letters)


# --------------------------------------------------------------------------------------------- one run


def _process_run(chars: list[str], starts: list[int], ends: list[int]) -> list[tuple[Token, list[int], list[int]]]:
    """Turn one run of case-folded word characters into tokens (apostrophes, symbols, digits, variants)."""
    n = len(chars)
    if n == 0:
        return []
    # a. apostrophes: internal ones join (a final "'s" is a possessive and dropped); others separate
    pieces: list[list[int]] = [[]]
    i = 0
    while i < n:
        c = chars[i]
        if c in _APOSTROPHES:
            internal = 0 < i < n - 1 and chars[i - 1].isalnum() and chars[i + 1].isalnum()
            if internal and chars[i + 1] == "s" and (i + 2 == n or not chars[i + 2].isalnum()):
                i += 2  # possessive 's
                pieces.append([])
                continue
            if not internal:
                pieces.append([])
            i += 1
            continue
        pieces[-1].append(i)
        i += 1
    # b. @ / $ : read as a / s inside a word (a letter on the right, and a letter on the left or, for $,
    #    the start of the word), in a word of at least 3 letters; otherwise they separate words
    split: list[list[int]] = []
    for piece in pieces:
        cur: list[int] = []
        for pos, k in enumerate(piece):
            c = chars[k]
            if c in "@$":
                right = pos + 1 < len(piece) and chars[piece[pos + 1]].isalpha()
                left = pos > 0 and chars[piece[pos - 1]].isalpha()
                if not (right and (left or (c == "$" and pos == 0))):
                    split.append(cur)
                    cur = []
                    continue
            cur.append(k)
        split.append(cur)
    if any(chars[k] in "@$" for piece in split for k in piece):
        final: list[list[int]] = []
        for piece in split:
            if sum(1 for k in piece if chars[k].isalpha()) >= 3:
                final.append(piece)
                continue
            cur = []
            for k in piece:
                if chars[k] in "@$":
                    final.append(cur)
                    cur = []
                else:
                    cur.append(k)
            final.append(cur)
        split = final
    out = []
    for piece in split:
        if not piece:
            continue
        word = [chars[k] for k in piece]
        cs = [starts[k] for k in piece]
        ce = [ends[k] for k in piece]
        out.append(_finish_token(word, cs, ce))
    return out


def _finish_token(word: list[str], cs: list[int], ce: list[int]) -> tuple[Token, list[int], list[int]]:
    # symbols that survived _process_run sit inside a word: read them as letters
    word = [LEET[c] if c in "@$" else c for c in word]
    ones: list[int] = []
    n = len(word)
    if sum(1 for c in word if c.isalpha()) >= 3:
        k = 0
        while k < n:
            if not word[k].isdigit():
                k += 1
                continue
            j = k
            while j < n and word[j].isdigit():
                j += 1
            inner = k > 0 and j < n and word[k - 1].isalpha() and word[j].isalpha()
            if inner and all(c in _LEET_DIGITS for c in word[k:j]):
                for m in range(k, j):
                    if word[m] == "1":
                        ones.append(m)
                    word[m] = LEET[word[m]]
            k = j
    text = "".join(word)
    alts: tuple[str, ...] = ()
    if ones:
        lw = list(word)
        for m in ones:
            lw[m] = "l"
        alts = (_spelling("".join(lw)),)
    variant = _spelling(text)
    if variant != text:
        span = (cs[0], max(ce))
        cs = [span[0]] * len(variant)
        ce = [span[1]] * len(variant)
        text = variant
    if alts and alts[0] == text:
        alts = ()
    return Token(text, cs[0], max(ce), alts), cs, ce


#: Every word that a spelling variant, or a variant with one of the inflections, could rewrite (the words
#: the lookups of :func:`_spelling` can find, before its ``-ise`` rule).
_VARIANT_FORMS = frozenset(
    {*SPELLING_VARIANTS}
    | {v + suffix for v in SPELLING_VARIANTS for suffix in _INFLECTIONS}
    | {v[:-1] + suffix for v in SPELLING_VARIANTS if v.endswith("e") for suffix in ("ed", "er", "ers", "ing", "es")}
)


@lru_cache(maxsize=65536)
def _spelling(word: str) -> str:
    """American spelling of a British variant (``armour`` -> ``armor``); other words unchanged."""
    if word not in _VARIANT_FORMS and "is" not in word:
        return word  # neither a variant (inflected or not) nor an -ise word
    if word in SPELLING_VARIANTS:
        return SPELLING_VARIANTS[word]
    for suffix in _INFLECTIONS:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if stem in SPELLING_VARIANTS:
                return SPELLING_VARIANTS[stem] + suffix
            if suffix in ("ed", "er", "ers", "ing", "es") and stem + "e" in SPELLING_VARIANTS:
                target = SPELLING_VARIANTS[stem + "e"]
                return target[:-1] + suffix if target.endswith("e") else target + suffix
    m = _ISE.match(word)
    if m and english_zipf(m.group(1) + "ize") >= _IZE_MIN_ZIPF:
        return m.group(1) + "iz" + m.group(2)
    return word
