"""Fitment: does the listing name its own product before the mark it fits?

"AutoPro **Floor Mats** Toyota Camry 2018-2023" and "PowerCell Laptop **Battery** Dell Latitude E6420" name
the product, then what it fits: a compatibility reference even without "for". In "marware eco-flip ipad 2
case" or "xfx ati radeon hd6750 video card" no product noun comes before the mark, which then modifies the
noun after it ("an iPad 2 case", "a Radeon video card"): the mark names the product itself, which the
labelling rubric calls brand use ("ipad 2 case" with no cue is high). :func:`product_named_before` tells the
two apart with the goods inference's head-noun finder (:func:`scanner.goods.infer.head_noun`) run on the text
before the mark.
"""

from __future__ import annotations

import numpy as np

from ..goods.infer import head_noun
from .text_context import FieldContexts


def product_named_before(ctx: FieldContexts, starts: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Per match (``ctx.group``: its field text, ``starts``: its start there): a product noun of the goods
    lexicon is written before the mark. Only ``candidates`` are read (the others are False)."""
    out = np.zeros(len(starts), dtype=bool)
    seen: dict[str, bool] = {}
    for i in np.flatnonzero(candidates):
        before = ctx.fields[ctx.group[i]].text[: int(starts[i])]
        named = seen.get(before)
        if named is None:
            named = seen[before] = bool(head_noun(before))
        out[i] = named
    return out
