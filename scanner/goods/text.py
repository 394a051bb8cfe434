"""Word-level helpers shared by the lexicon builder and the runtime: lower-casing, tokens, plural -> singular.

The builder (``training/goods/build_lexicon.py``) and :mod:`scanner.goods.infer` must normalise words the
same way, so both use :func:`norm_phrase` / :func:`singular` from here.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: a word: letters (any script) and digits; hyphens and apostrophes split words.
WORD = re.compile(r"[^\W_]+")

_IRREGULAR = {
    "mice": "mouse", "men": "man", "women": "woman", "children": "child", "teeth": "tooth",
    "feet": "foot", "geese": "goose", "dice": "die", "knives": "knife", "leaves": "leaf",
    "shelves": "shelf", "scarves": "scarf", "wolves": "wolf", "halves": "half", "calves": "calf",
    "loaves": "loaf", "hooves": "hoof", "wives": "wife", "lives": "life", "thieves": "thief",
    "series": "series", "species": "species", "shoes": "shoe", "toes": "toe", "hoes": "hoe",
    "canoes": "canoe", "oboes": "oboe", "potatoes": "potato", "tomatoes": "tomato",
    "heroes": "hero", "echoes": "echo", "volcanoes": "volcano", "mangoes": "mango",
    "cookies": "cookie", "movies": "movie", "hoodies": "hoodie", "beanies": "beanie", "zombies": "zombie",
    "ties": "tie", "pies": "pie", "lies": "lie", "rookies": "rookie", "selfies": "selfie",
    "goodies": "goodie", "onesies": "onesie", "smoothies": "smoothie", "brownies": "brownie",
    "calories": "calorie", "veggies": "veggie", "dies": "die", "boonies": "boonie", "booties": "bootie",
    "lingerie": "lingerie", "glasses": "glasses", "sunglasses": "sunglasses",
    "eyeglasses": "eyeglasses", "goggles": "goggles", "pants": "pants", "trousers": "trousers",
    "shorts": "shorts", "jeans": "jeans", "leggings": "leggings", "tights": "tights", "pajamas": "pajamas",
    "pyjamas": "pyjamas", "scissors": "scissors", "pliers": "pliers", "tongs": "tongs", "tweezers": "tweezers",
    "clothes": "clothes", "earphones": "earphone", "headphones": "headphone", "news": "news",
    "electronics": "electronics", "cosmetics": "cosmetics", "athletics": "athletics", "gas": "gas",
    "bus": "bus", "lens": "lens", "canvas": "canvas", "chassis": "chassis",
}
_KEEP_ENDINGS = ("ss", "us", "is", "ous")


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """English plural -> singular by rule (``batteries`` -> ``battery``, ``watches`` -> ``watch``).

    Words of up to three letters, words ending in ``ss``/``us``/``is`` and a few pluralia tantum
    (``glasses``, ``pants``, ``scissors``) are kept as they are.
    """
    w = word
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or not w.endswith("s") or w.endswith(_KEEP_ENDINGS) or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return w[:-2]
    return w[:-1]


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (hyphens, punctuation and spaces separate them)."""
    return WORD.findall(str(text).lower())


def norm_phrase(text: str) -> str:
    """A lexicon key: lower-cased words, each singular, joined by one space (``"Phone Cases"`` -> ``"phone case"``)."""
    return " ".join(singular(w) for w in words(text))
