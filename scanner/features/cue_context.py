"""Cue context of a match that the matcher's cue detector (:mod:`scanner.match.cues`, the only one) does not
give: glued to a model number ("ipad-209"), and a compatibility cue on another mention of the same mark or
owner in the same field."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..wordlists import is_trivia

#: The match is glued to a model number ("ipad-209", "ipad2", "209-ipad"): a digit right next to it, or a
#: word with a digit joined to it by "-", "/" or "_". A plain word joined by a hyphen ("new-LEGO") is not.
_MODEL_GLUE_AFTER = re.compile(r"^(?:\d|[-/_]\w*\d)")
_MODEL_GLUE_BEFORE = re.compile(r"(?:\d|\d\w*[-/_])$")
_SPACE = re.compile(r"\s")
#: Characters next to a match that may glue it to a model number (a digit is the other case).
_TOUCHING = "-/_\n"
#: Characters of context that :func:`glued_in` reads around a match when a space falls inside them.
_WINDOW = 64


def _glued(before: str, after: str) -> bool:
    """The match is glued to a model number (see ``_MODEL_GLUE_*``); a trivia word or year joined to it
    ("2025/Hot Wheels", "LEGO-2024") is not a model number."""
    low_before, low_after = before.lower(), after.lower()
    if _MODEL_GLUE_BEFORE.search(low_before):
        neighbour = re.split(r"[\s]+", low_before)[-1].rstrip("-/_")
        if not is_trivia(neighbour):
            return True
    if _MODEL_GLUE_AFTER.match(low_after):
        neighbour = re.split(r"[\s,;]+", low_after.lstrip("-/_"))[0]
        if not is_trivia(neighbour):
            return True
    return False


def glued_in(text: str, start: int, end: int) -> bool:
    """:func:`_glued` of the text before and after ``text[start:end]``. Both tests read only the run of
    non-space characters touching the match, so a window of :data:`_WINDOW` characters with a space inside
    it gives the same answer as the whole text (a long description is not lower-cased per match). Both
    need a digit or ``-/_`` touching the match (``$`` also matches before a final newline), so most matches
    are decided by the two characters around them."""
    if not ((start > 0 and (text[start - 1].isdecimal() or text[start - 1] in _TOUCHING))
            or (end < len(text) and (text[end].isdecimal() or text[end] in _TOUCHING))):
        return False
    before, after = text[max(start - _WINDOW, 0):start], text[end:end + _WINDOW]
    if start > _WINDOW and not _SPACE.search(before[:-1]):
        before = text[:start]
    if len(text) - end > _WINDOW and not _SPACE.search(after):
        after = text[end:]
    return _glued(before, after)


def cued_elsewhere(table: pd.DataFrame, owner_keys: np.ndarray) -> np.ndarray:
    """1 where another mention of the same mark or owner in the same field has a compatibility cue ("incipio
    ipad-208 feather for apple ipad 2": the product code names what it fits). A mention that opens the field
    or is the declared brand stays a use even when a later mention is cued ("HP 564XL ink ... works with HP
    printers" is HP's ink); a cue in the description says nothing of the title ("for PIXMA printers" in
    the description does not make "Canon PG-245" in the title a reference)."""
    cued = ((table["m_nominative_cue"] + table["m_in_parens"] + table["m_cue_in_clause"]) > 0).to_numpy(dtype=np.int64)
    mark_keys = table["mark_key"].to_numpy(dtype=object)
    owner_keys = np.asarray(owner_keys, dtype=object)
    owner_key = np.where(owner_keys != "", owner_keys, mark_keys)
    place = _pairs(_codes(table["listing"]), _codes(table["field"]))  # (listing, field), numbered
    out = np.zeros(len(table))
    for keys in (mark_keys, owner_key):
        # the cued mentions of the same key in the same listing and field, this one left out
        group = _pairs(place, _codes(keys))
        grouped = group >= 0  # a missing listing, field or key is in no group (as in a groupby)
        n_cued = np.bincount(group[grouped], weights=cued[grouped], minlength=int(group.max(initial=-1)) + 1)
        others = np.where(grouped, n_cued[np.maximum(group, 0)] - cued, 0)
        out = np.maximum(out, (others > 0).astype(float))
    leading = (table["m_position"].to_numpy() == 0) | (table["m_is_declared_brand"].to_numpy() > 0)
    return np.where(leading, 0.0, out)


def _codes(values) -> np.ndarray:
    """Each value's number among the distinct values (int64, from 0; -1 for a missing value, which
    belongs to no group, as in a groupby)."""
    return pd.factorize(values)[0].astype(np.int64)


def _pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each row's number among the distinct pairs ``(a, b)`` of two such numberings (-1 where either is)."""
    pair = a * (int(b.max(initial=0)) + 1) + b
    return np.where((a < 0) | (b < 0), -1, pd.factorize(pair)[0]).astype(np.int64)
