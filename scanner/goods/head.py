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
words that are never the product (``NOT_HEAD``) are skipped, and a Nice-derived word that opens a longer
title is taken for a brand (``"Apple ..."``, ``"Puma ..."``) and skipped too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .lexicon import MAX_WORDS, Entry
from .text import WORD, singular

_LANG_TAG = re.compile(r"@[a-z]{2}(?:-[a-z]{2,4})?\b")
_QUANTITY = re.compile(
    r"\b(?:set|pack|pair|box|lot|bundle|case|kit|roll|bag|package|pk|carton|sheet|piece|pcs|pc|count|ct)s?"
    r"\s+of\b"
)
_CUT_WORDS = (
    r"for|with|w/|compatible|compatibles|compatível|compatibel|fits|fit|fitting|by|in|of|from|featuring|"
    r"including|includes|incl|para|pour|per|für|fur|mit|avec|con|voor|kompatibel|suitable|designed|made"
)
_CUT = re.compile(r"(?<![\w/-])(?:" + _CUT_WORDS + r")(?![\w/-])")
_PUNCT = re.compile(r"[,;|()\[\]{}:+/!?\"“”«»]|\s[-–—]+\s|[–—]")

#: words that are never the product itself (colours, sizes, packaging, conditions, generic words).
NOT_HEAD = frozenset(
    """
    black white red blue green yellow pink purple orange brown grey gray silver gold golden beige navy
    clear transparent multicolor multicolour color colour colors tone bianco nero blanc noir negro blanco azul
    rojo rouge schwarz weiß weiss rot blau
    small medium large xl xxl xs size inch mm cm ft feet foot meter lb oz ml kg gb tb mb mah
    new used refurbished renewed original genuine official premium deluxe professional pro plus mini max
    ultra super lite light heavy duty quality best top cheap sale free shipping retail packaging package oem
    bulk edition version series model type style design collection gift item product unit piece pcs count
    set kit pack bundle lot combo assortment replacement spare part accessory accessories
    men man woman women lady ladies kid kids child children boy girl baby adult unisex
    home office kitchen outdoor indoor travel car auto universal portable wireless electric digital smart
    leather cotton silk wool steel metal plastic wood wooden glass silicone rubber stainless aluminum
    aluminium ceramic bamboo resin paper vinyl nylon polyester canvas linen velvet
    day night time year one two three four five
    """.split()
)

_PRIMARY_HAND, _SECONDARY_HAND, _PRIMARY_NICE, _SECONDARY_NICE = range(4)


@dataclass(frozen=True)
class Head:
    """The head phrase found (lexicon key), its entry, and whether it came after ``for``/``with``/...."""

    key: str
    entry: Entry
    secondary: bool


def segments(title: str) -> list[tuple[bool, list[str]]]:
    """``(secondary, singular words)`` for each segment of ``title``, in order."""
    text = _LANG_TAG.sub(" ", str(title).lower())
    text = _QUANTITY.sub(" ", text)
    out: list[tuple[bool, list[str]]] = []
    for part in _PUNCT.split(text):
        pieces = _CUT.split(part)
        for i, piece in enumerate(pieces):
            ws = [singular(w) for w in WORD.findall(piece)]
            if ws:
                out.append((i > 0, ws))
    return out


def _best_in_segment(ws: list[str], table: Mapping[str, Entry], hand: bool, brand_guard: bool):
    """The head candidate of one segment among hand (or Nice) keys: (start, key, entry) or None.

    The rightmost key (the longest one ending there) wins, unless the segment holds a head-initial key:
    then the leftmost head-initial key wins.
    """
    rightmost = None
    leftmost_initial = None
    n = len(ws)
    for end in range(n, 0, -1):
        if ws[end - 1] in NOT_HEAD:
            continue
        for size in range(min(MAX_WORDS, end), 0, -1):
            start = end - size
            key = ws[start] if size == 1 else " ".join(ws[start:end])
            entry = table.get(key)
            if entry is None or entry.hand != hand:
                continue
            if not hand and brand_guard and start == 0 and n > 2:
                continue
            if entry.head_initial:
                leftmost_initial = (start, key, entry)
            elif rightmost is None:
                rightmost = (start, key, entry)
            break
        if rightmost is not None and not hand:
            break
    return leftmost_initial or rightmost


def find_head(title: str, table: Mapping[str, Entry]) -> Head | None:
    """The head noun phrase of ``title`` under the lexicon ``table`` (None when no key is found)."""
    segs = segments(title)
    if not segs:
        return None
    found: list[tuple[int, int, str, Entry, bool]] = []
    for idx, (secondary, ws) in enumerate(segs):
        for hand in (True, False):
            hit = _best_in_segment(ws, table, hand, brand_guard=idx == 0)
            if hit is not None:
                rank = (_SECONDARY_HAND if secondary else _PRIMARY_HAND) if hand else (
                    _SECONDARY_NICE if secondary else _PRIMARY_NICE)
                found.append((rank, idx, hit[1], hit[2], secondary))
                if rank == _PRIMARY_HAND:
                    break
        if found and found[-1][0] == _PRIMARY_HAND:
            break
    if not found:
        return None
    rank, _idx, key, entry, secondary = min(found, key=lambda f: (f[0], f[1]))
    return Head(key, entry, secondary)
