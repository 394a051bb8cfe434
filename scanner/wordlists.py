"""Shared word lists: one home for the small, hand-made lists several stages read.

Each list is a plain frozenset of lower-case words, documented where it is used:

* :data:`TRIVIA_WORDS` -- words sellers put before or after a title that say nothing about the product or
  its brand (``NEW``, ``hot sale``, ``2024``); the risk features ignore them at the ends of a field so that
  a level never flips on them;
* :data:`COLOUR_WORDS`, :data:`MATERIAL_WORDS` -- a mark next to one of them is often the ordinary word
  (``dove gray``, ``shell pendant``, ``gold coach``...): a word-sense feature;
* :data:`COMPANY_WORDS` -- words that make the word before them a company's name (``Buddy Products``,
  ``Crane Co``): a dictionary-word mark followed by one is the maker, not the ordinary word;
"""

from __future__ import annotations

import re

TRIVIA_WORDS: frozenset[str] = frozenset({
    "new", "brand", "hot", "sale", "sales", "latest", "newest", "upgraded", "updated", "upgrade", "free",
    "shipping", "fast", "ship", "ships", "promo", "deal", "deals", "clearance", "bestseller", "best", "seller",
    "sellers", "top", "rated", "2021", "2022", "2023", "2024", "2025", "2026", "2027", "2028", "version", "edition",
    "nuevo", "nueva", "neu", "nouveau", "novo", "nova", "oferta", "promocion", "promoção",
})
_YEAR = re.compile(r"^(?:19|20)\d\d$")

COLOUR_WORDS: frozenset[str] = frozenset({
    "black", "white", "gray", "grey", "silver", "gold", "golden", "red", "blue", "green", "yellow", "orange",
    "purple", "pink", "brown", "beige", "ivory", "cream", "navy", "teal", "turquoise", "aqua", "maroon",
    "burgundy", "lavender", "lilac", "violet", "coral", "peach", "mint", "olive", "khaki", "tan", "taupe",
    "charcoal", "bronze", "copper", "champagne", "rose", "blush", "mauve", "indigo", "cyan", "magenta",
    "emerald", "ruby", "sapphire", "amber", "onyx", "pearl", "sand", "sky", "midnight", "slate", "ash",
})
COMPANY_WORDS: frozenset[str] = frozenset({
    "products", "inc", "incorporated", "corp", "corporation", "company", "co", "ltd", "limited", "llc", "gmbh",
    "industries", "brands", "manufacturing", "mfg", "international", "intl", "enterprises", "laboratories",
})
MATERIAL_WORDS: frozenset[str] = frozenset({
    "leather", "suede", "cotton", "linen", "silk", "wool", "cashmere", "denim", "canvas", "nylon", "polyester",
    "velvet", "satin", "fleece", "felt", "wood", "wooden", "bamboo", "oak", "pine", "walnut", "metal", "steel",
    "stainless", "iron", "aluminum", "aluminium", "brass", "copper", "titanium", "sterling", "plastic",
    "acrylic", "resin", "glass", "crystal", "ceramic", "porcelain", "stone", "marble", "granite", "concrete",
    "rubber", "silicone", "foam", "paper", "cardboard", "clay", "shell", "bone", "jade", "rattan", "wicker",
})


def is_trivia(word: str) -> bool:
    """A trivia word (see :data:`TRIVIA_WORDS`), or a year."""
    w = word.lower()
    return w in TRIVIA_WORDS or bool(_YEAR.match(w))


def content_bounds(words: list[str]) -> tuple[int, int]:
    """``(first, last)`` positions of the first and last word that is not trivia (``(0, -1)`` when every
    word is trivia or there is none): leading and trailing runs of trivia words are ignored."""
    first, last = 0, len(words) - 1
    while first <= last and is_trivia(words[first]):
        first += 1
    while last >= first and is_trivia(words[last]):
        last -= 1
    if first > last:
        return 0, -1
    return first, last
