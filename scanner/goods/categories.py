"""Listing category -> the Nice classes its goods usually fall in (a small, hand-written keyword map).

Moved here from ``scanner.model.categories`` so that the product -> class knowledge
has one home, :mod:`scanner.goods`. Used by the feature ``class_overlap`` and by
:func:`scanner.goods.infer_classes` for the category of a listing. The map covers the common Amazon product
types and browse categories (also the ``feed_product_type`` codes of inventory flat files, such as
``CELLULAR_PHONE_CASE`` or ``SHOES``). Keys are matched at word starts of the lower-cased category text, so
``"consumer_electronics"`` and ``"Electronics > Headphones"`` both hit ``electronics``. An unknown or empty
category gives an empty set.

Nice classes (11th/12th edition) in the map: 2 inks/toner, 3 cosmetics, 5 supplements, 7 machines and
power tools, 8 hand tools and cutlery, 9 electronics/computers/software/phone cases/eyewear, 11 lighting
and heating/cooking appliances, 12 vehicles and parts, 14 jewellery and watches, 15 musical instruments,
16 paper and office supplies, 18 bags and luggage, 20 furniture, 21 kitchenware and drinkware, 24 textiles,
25 clothing and footwear, 28 toys, games and sporting goods, 29/30 food, 31 pet food, 32 beverages.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: keyword (matched at a word start) -> Nice classes.
CATEGORY_CLASSES: dict[str, tuple[int, ...]] = {
    # electronics, computing, media (class 9)
    "electronic": (9,),
    "computer": (9,),
    "laptop": (9,),
    "notebook": (9, 16),
    "tablet": (9,),
    "phone": (9,),
    "cellular": (9,),
    "camera": (9,),
    "camcorder": (9,),
    "lens": (9,),
    "photo": (9,),
    "headphone": (9,),
    "earbud": (9,),
    "speaker": (9,),
    "audio": (9,),
    "video": (9,),
    "tv": (9,),
    "television": (9,),
    "home theater": (9,),
    "mp3": (9,),
    "memory": (9,),
    "flash": (9,),
    "usb": (9,),
    "hard drive": (9,),
    "storage": (9, 16),
    "networking": (9,),
    "router": (9,),
    "mice": (9,),
    "mouse": (9,),
    "keyboard": (9, 15),
    "monitor": (9,),
    "projector": (9,),
    "projection": (9,),
    "software": (9,),
    "cable": (9,),
    "charger": (9,),
    "batter": (9,),
    "blank media": (9,),
    "printer": (9,),
    "ink": (2, 9),
    "toner": (2, 9),
    "video game": (9, 28),
    "game console": (9, 28),
    "sunglasses": (9,),
    "eyewear": (9,),
    "gps": (9,),
    "wearable": (9, 14),
    # jewellery, watches
    "watch": (14,),
    "jewel": (14,),
    # clothing, footwear, bags
    "shoe": (25,),
    "footwear": (25,),
    "sneaker": (25,),
    "boot": (25,),
    "apparel": (25,),
    "clothing": (25,),
    "shirt": (25,),
    "dress": (25,),
    "hat": (25,),
    "sock": (25,),
    "bag": (18,),
    "luggage": (18,),
    "backpack": (18,),
    "wallet": (18,),
    "handbag": (18,),
    "case": (9, 18),
    "sleeve": (9, 18),
    # toys, games, sport
    "toy": (28,),
    "game": (28,),
    "puzzle": (28,),
    "sport": (28,),
    "fitness": (28,),
    "outdoor": (28,),
    # home, kitchen
    "kitchen": (21, 11, 7),
    "cookware": (21,),
    "drinkware": (21,),
    "tumbler": (21,),
    "mug": (21,),
    "bottle": (21,),
    "home": (20, 21, 24),
    "furniture": (20,),
    "bedding": (24,),
    "towel": (24,),
    "lighting": (11,),
    "lamp": (11,),
    "appliance": (7, 11),
    "tool": (7, 8),
    "hardware": (6, 8),
    # office, paper
    "office": (16,),
    "stationery": (16,),
    "paper": (16,),
    "label": (16,),
    "laminat": (16,),
    "binder": (16,),
    "folder": (16,),
    "book": (16,),
    "school": (16,),
    "presentation": (16,),
    # personal care, health, food, pets, vehicles, music
    "beauty": (3,),
    "cosmetic": (3,),
    "skin": (3,),
    "fragrance": (3,),
    "health": (5, 10),
    "vitamin": (5,),
    "supplement": (5,),
    "grocery": (29, 30),
    "food": (29, 30, 31),
    "coffee": (30, 11),
    "beverage": (32,),
    "pet": (31, 18, 21),
    "automotive": (12,),
    "car": (12,),
    "musical": (15,),
    "instrument": (15,),
    "guitar": (15,),
}

_PATTERNS = [(re.compile(r"\b" + re.escape(k)), v) for k, v in CATEGORY_CLASSES.items()]
_NORM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def category_classes(category: str) -> frozenset[int]:
    """The Nice classes of a listing category, e.g. ``"CELLULAR_PHONE_CASE"`` -> ``{9, 18}``; unknown -> ``{}``."""
    text = " " + _NORM.sub(" ", str(category).lower()).strip() + " "
    if not text.strip():
        return frozenset()
    out: set[int] = set()
    for pattern, classes in _PATTERNS:
        if pattern.search(text):
            out.update(classes)
    return frozenset(out)


