"""Which Nice classes are related goods, and how related a product is to a mark's classes.

An examiner asks first whether the goods are the same or related: a mark registered for clothing (25) is
also at risk on a handbag (18), not on a phone charger. ``RELATED_CLASSES`` holds the links we count as
related (symmetric; every class 1-45 is a key). Each link, and why:

- fashion: clothing 25 / bags and leather goods 18 / jewellery and watches 14 / eyewear 9 (sunglasses are
  class 9 and sold by the same fashion houses); hair accessories and patches 26 with 25 and 14; textiles 24
  with clothing 25.
- electronics 9 with toys and games 28 (video games, consoles, drones), with paper and printing 16 and inks 2
  (printers, cartridges), with lighting and appliances 11, with musical instruments 15 (audio), with
  vehicles 12 (car electronics, phone mounts), with smart watches 14, with cases and bags 18, with
  software-as-a-service 42, telecommunication 38 and entertainment 41 (media content).
- cosmetics 3 with pharma and supplements 5, with candles and fragrance 4, with cosmetic brushes and
  utensils 21, with razors and nail tools 8; pharma 5 with medical devices 10 and with pet food 31.
- household: kitchenware 21 / furniture and decor 20 / textiles 24 / carpets and mats 27; kitchenware 21 with
  cooking appliances 11 and cutlery 8; furniture 20 with metal hardware 6, with printed pictures 16 (wall art)
  and with figurines and toys 28; lighting 11 with furniture 20.
- vehicles 12 with engine parts and machines 7, with vehicle lights 11, with car mats 27, with toy vehicles 28.
- tools: machines and power tools 7 / hand tools 8 / metal hardware 6.
- printed matter 16 with entertainment and education 41 and with games and cards 28; paints 2 with 16.
- food and drink: 29 / 30 / 31 / 32 / 33 with each other where they are sold side by side (29-30, 29-31,
  30-31, 30-32, 32-33), and food 29/30 with restaurants 43.
- ropes, tents, sacks 22 with bags 18 and textiles 24; yarn 23 with textiles 24.
- musical instruments 15 with entertainment 41.

Retail services (35) are not linked to goods: a retailer's mark is judged by its own classes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

_LINKS: tuple[tuple[int, int], ...] = (
    # fashion
    (25, 18), (25, 14), (18, 14), (9, 25), (9, 18), (9, 14), (26, 25), (26, 14), (24, 25),
    # electronics
    (9, 28), (9, 16), (9, 2), (9, 11), (9, 15), (9, 12), (9, 42), (9, 38), (9, 41),
    # cosmetics, health
    (3, 5), (3, 4), (3, 21), (3, 8), (5, 10), (5, 31),
    # household
    (21, 20), (21, 24), (20, 24), (20, 27), (24, 27), (21, 11), (21, 8), (20, 6), (20, 16), (20, 28), (11, 20),
    # vehicles
    (12, 7), (12, 11), (12, 27), (12, 28),
    # tools
    (7, 8), (6, 8), (6, 7),
    # printed matter, paint
    (16, 41), (16, 28), (2, 16),
    # food and drink
    (29, 30), (29, 31), (30, 31), (30, 32), (32, 33), (29, 43), (30, 43),
    # ropes, tents, yarn
    (22, 18), (22, 24), (23, 24),
    # music
    (15, 41),
)


def _build(links: Iterable[tuple[int, int]]) -> dict[int, frozenset[int]]:
    table: dict[int, set[int]] = {c: set() for c in range(1, 46)}
    for a, b in links:
        table[a].add(b)
        table[b].add(a)
    return {c: frozenset(v) for c, v in table.items()}


#: Nice class -> the classes whose goods count as related (symmetric; see the module docstring).
RELATED_CLASSES: dict[int, frozenset[int]] = _build(_LINKS)

SAME = 1.0
RELATED = 0.5


def relatedness(product: Mapping[int, float], mark_classes: Iterable[int]) -> float:
    """How far a product's classes fit a mark's classes: 1.0 same class, 0.5 related, 0.0 unrelated.

    ``product`` is ``{class: confidence}`` (from :func:`scanner.goods.infer_classes`); the result is the
    confidence-weighted mean over the product's classes of 1.0 (the mark has that class), 0.5 (the mark has
    a related class) or 0.0. ``nan`` when either side is unknown (empty, or no positive confidence).
    """
    marks = {int(c) for c in mark_classes}
    weights = {int(c): float(w) for c, w in product.items() if w and float(w) > 0}
    total = sum(weights.values())
    if not marks or total <= 0:
        return math.nan
    score = 0.0
    for cls, w in weights.items():
        if cls in marks:
            score += SAME * w
        elif RELATED_CLASSES.get(cls, frozenset()) & marks:
            score += RELATED * w
    return score / total
