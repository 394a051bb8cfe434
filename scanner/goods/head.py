"""Find the head noun phrase of a product title: the thing the listing sells.

A title is cut into segments at punctuation (``, ; | ( ) [ ] : / +`` and a spaced dash) and before the words
that introduce what the product fits or contains (``for``, ``with``, ``compatible``, ``fits``, ``by``, ``in``,
``of`` and ``para/pour/per/für/mit/avec/con``); segments after such a word are *secondary* (``"Case for
iPhone"``: ``case`` is primary, ``iphone`` secondary). Quantity phrases (``set of``, ``pack of``, ``pair of``)
are dropped first so ``"Set of 4 Coffee Mugs"`` keeps ``mugs``.

Within a segment every lexicon key of one to three words is a candidate. English (and German) titles put
the head last, after the brand and modifiers, so the rightmost candidate wins, the longest key ending there
(``"Shark Tooth Pendant Necklace"`` -> ``pendant necklace``). Romance-language heads come first (``"funda de
silicona para iPhone"``), so a hand entry flagged head-initial wins from the left.

The search prefers, in this order: a hand-written key in a primary segment, a hand-written key in a
secondary segment, a Nice-derived key in a primary segment, a Nice-derived key in a secondary segment; the
earliest segment with a candidate of the preferred kind is used. Colour, size, packaging and other
words that are never the product on their own (``NOT_HEAD``) are skipped as one-word keys (``"bed sheet"``
is a head, ``"100 sheets"`` is not), and a Nice-derived word that opens a longer
title is taken for a brand (``"Apple ..."``, ``"Puma ..."``) and skipped too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .lexicon import MAX_WORDS, Entry
from .text import singular

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LANG_TAG = re.compile(r"@[a-z]{2}(?:-[a-z]{2,4})?\b")
_QUANTITY = re.compile(
    r"\b(?:set|pack|pair|box|lot|bundle|case|kit|roll|bag|package|pk|carton|sheet|piece|pcs|pc|count|ct)s?"
    r"\s+of\b"
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: words after which the title names what the product fits, contains or is for (a secondary segment).
CUT_WORDS = _word_set(
    """
    for with compatible compatibles compatível compatibel fits fit fitting by in of from featuring including
    includes incl para pour per für fur mit avec con voor kompatibel suitable designed made
    """
)
_BOUNDARY = "\x02"
_SLASH = "/"
_TRANS = str.maketrans(
    {c: f" {_BOUNDARY} " for c in ',;|()[]{}:+!?"“”«»–—<>'}
    | {c: " " for c in "_.’'&*#%=~`^\\$@®™©°·•…"}
    | {"/": " / "}
)
_MAX_CHARS = 150

#: words that are never the product itself (colours, sizes, packaging, conditions, generic words).
NOT_HEAD = _word_set(
    """
    black white red blue green yellow pink purple orange brown grey gray silver gold golden beige navy
    clear transparent multicolor multicolour color colour colors tone bianco nero blanc noir negro blanco azul
    rojo rouge schwarz weiß weiss rot blau
    small medium large xl xxl xs size inch mm cm ft feet foot meter lb oz ml kg gb tb mb mah
    new used refurbished renewed original genuine official premium deluxe professional pro plus mini max
    ultra super lite light heavy duty quality best top cheap sale free shipping retail packaging package oem air
    bulk edition version series model type style design collection gift item product unit piece pcs count
    set kit pack bundle lot combo assortment replacement spare part accessory accessories refill sheet
    men man woman women lady ladies kid kids child children boy girl baby adult unisex
    home office kitchen outdoor indoor travel car auto universal portable wireless electric digital smart
    leather cotton silk wool steel metal plastic wood wooden glass silicone rubber stainless aluminum
    aluminium ceramic bamboo resin vinyl nylon polyester linen velvet
    day night time year one two three four five
    """
)

_PRIMARY_HAND, _SECONDARY_HAND, _PRIMARY_NICE, _SECONDARY_NICE = range(4)

#: token -> its singular words (a hyphenated token gives several), filled as titles are read.
_WORDS: dict[str, tuple[str, ...]] = {}
_MAX_CACHED_WORDS = 500_000
_CUT_KIND, _BOUNDARY_KIND, _SLASH_KIND = range(3)
_SPECIAL = {w: _CUT_KIND for w in CUT_WORDS} | {_BOUNDARY: _BOUNDARY_KIND, _SLASH: _SLASH_KIND}


@dataclass(frozen=True)
class Head:
    """The head phrase found (lexicon key), its entry, and whether it came after ``for``/``with``/...."""

    key: str
    entry: Entry
    secondary: bool
    #: index of the segment (see :func:`segments`) the head was found in
    segment: int = 0


class Index:
    """A lexicon table indexed by the last word of each key, longest keys first (fast to scan titles)."""

    def __init__(self, table: Mapping[str, Entry]):
        by_last: dict[str, list[tuple[int, list[str], str, Entry]]] = {}
        for key, entry in table.items():
            ws = key.split(" ")
            if not ws or len(ws) > MAX_WORDS:
                continue
            by_last.setdefault(ws[-1], []).append((len(ws), ws[:-1], key, entry))
        self.by_last = {w: tuple(sorted(opts, key=lambda o: -o[0])) for w, opts in by_last.items()}
        #: one-word keys written in Han, kana or Hangul (2+ characters), for titles written without spaces
        self.cjk = {w for w in by_last if len(w) >= 2 and _CJK.search(w)}
        self.cjk_longest = max((len(w) for w in self.cjk), default=0)
        self._split: dict[str, tuple[str, ...]] = {}

    def words(self, ws: list[str]) -> list[str]:
        """``ws`` with every unknown word written in Han, kana or Hangul replaced by the lexicon keys found
        inside it, left to right, longest first ("彪马运动鞋女款" -> ``运动鞋``): Chinese and Japanese titles
        are often written without spaces, and their head comes last like English's."""
        if not self.cjk or all(w.isascii() for w in ws) or not any(_CJK.search(w) for w in ws):
            return ws
        out: list[str] = []
        for w in ws:
            if w in self.by_last or not _CJK.search(w):
                out.append(w)
                continue
            found = self._split.get(w)
            if found is None:
                found = self._split[w] = self._find_cjk(w)
            out.extend(found)
        return out

    def _find_cjk(self, word: str) -> tuple[str, ...]:
        found, i = [], 0
        while i < len(word):
            for size in range(min(self.cjk_longest, len(word) - i), 1, -1):
                if word[i:i + size] in self.cjk:
                    found.append(word[i:i + size])
                    i += size
                    break
            else:
                i += 1
        return tuple(found)


def segments(title: str) -> Iterator[tuple[bool, list[str]]]:
    """``(secondary, singular words)`` for each segment of ``title``, in order (lazily: the search stops
    at the first primary segment with a hand-written head).

    A segment is secondary when it follows a cut word (``for``, ``with``, ...); punctuation starts a primary
    segment again, except a slash (``"for iPhone/iPad"`` stays secondary). Only the first ``_MAX_CHARS``
    characters are read (the product is named early; long web-shop strings repeat themselves).
    """
    text = str(title)[:_MAX_CHARS].lower()
    if "@" in text:
        text = _LANG_TAG.sub(" ", text)
    if " of" in text:
        text = _QUANTITY.sub(" ", text)
    if "w/" in text:
        text = text.replace("w/", " with ")
    text = text.replace(" - ", f" {_BOUNDARY} ").translate(_TRANS)
    cache = _WORDS
    if len(cache) > _MAX_CACHED_WORDS:
        cache.clear()
    special = _SPECIAL
    ws: list[str] = []
    secondary = False
    started = False  # a cut word before any word ("Compatible Ink Cartridge ...") does not cut
    for tok in text.split():
        kind = special.get(tok)
        if kind is None:
            parts = cache.get(tok)
            if parts is None:
                parts = cache[tok] = tuple(singular(p) for p in tok.split("-") if p)
            if parts:
                ws.extend(parts)
                started = True
            continue
        if kind == _CUT_KIND and not started:
            continue
        if ws:
            yield secondary, ws
            ws = []
        if kind == _CUT_KIND:
            secondary = True
        elif kind == _BOUNDARY_KIND:
            secondary = False
    if ws:
        yield secondary, ws


def _candidates(ws: list[str], index: Index, brand_guard: bool):
    """The hand-written and the Nice-derived head candidate of one segment: ``(hand, nice)``, each
    ``(key, entry)`` or None. The rightmost key wins (the longest one ending there), except that the
    leftmost head-initial hand key wins over any other hand key."""
    by_last = index.by_last
    ws = index.words(ws)
    hand = nice = initial = None
    n = len(ws)
    for end in range(n - 1, -1, -1):
        opts = by_last.get(ws[end])
        if opts is None:
            continue
        not_head = ws[end] in NOT_HEAD
        got_hand = got_nice = False
        for size, prefix, key, entry in opts:
            start = end - size + 1
            if size == 1:
                if not_head:
                    continue
            elif start < 0 or ws[start:end] != prefix:
                continue
            if entry.hand:
                if got_hand:
                    continue
                got_hand = True
                if entry.head_initial:
                    initial = (key, entry)
                elif hand is None:
                    hand = (key, entry)
            else:
                if got_nice:
                    continue
                got_nice = True
                if nice is None and not (brand_guard and start == 0 and n > 2):
                    nice = (key, entry)
    return initial or hand, nice


def find_head(
    title: str, table: Mapping[str, Entry] | Index, seen: list[tuple[bool, list[str]]] | None = None
) -> Head | None:
    """The head noun phrase of ``title`` under the lexicon ``table`` (None when no key is found).

    ``seen``, when given, receives the segments read: all of them unless a hand-written head was found in
    a primary segment (the search stops there).
    """
    index = table if isinstance(table, Index) else Index(table)
    best = None
    best_rank = 4
    for idx, (secondary, ws) in enumerate(segments(title)):
        if seen is not None:
            seen.append((secondary, ws))
        hand, nice = _candidates(ws, index, brand_guard=idx == 0)
        if hand is not None:
            rank = _SECONDARY_HAND if secondary else _PRIMARY_HAND
            if rank < best_rank:
                best, best_rank = (hand, secondary, idx), rank
                if rank == _PRIMARY_HAND:
                    break
        if nice is not None:
            rank = _SECONDARY_NICE if secondary else _PRIMARY_NICE
            if rank < best_rank:
                best, best_rank = (nice, secondary, idx), rank
    if best is None:
        return None
    (key, entry), secondary, idx = best
    return Head(key, entry, secondary, idx)
