"""Matches that are pieces of a word whose letter was lost on the way to the listing file.

A letter that a file's encoding cannot hold is written as ``?`` (Excel's "Save as CSV", a cp1252 report of a
Polish or Czech shop) or as U+FFFD, the replacement character (a file read in the wrong encoding):
"Dzień/Noc oświetleniem" becomes "Dzie?/Noc o?wietleniem", and "narzędzi" becomes "narz?dzi". The
tokenizer cuts the word at that sign, so its pieces are read as words of their own: "Noc o" as NOCO
written apart, "narz" as a typo of NARZO. A match whose first or last letter runs into a letter through
such a sign is a piece of a longer word, not the mark: :func:`lost_letter_pieces` drops it. A capitalised
word after the sign ("LEGO?Blocks": a trademark sign or a dash lost between two words) is a word of its own,
and the match beside it stays.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: What stands for a lost letter: a question mark or the Unicode replacement character.
LOST = "?\ufffd"
_LOST_BETWEEN_LETTERS = re.compile(rf"[^\W\d_][{LOST}]+[^\W\d_]")


def _capitalised_word_at(text: str, i: int) -> bool:
    """A capitalised word starts at ``text[i]`` ("Blocks"): what follows a lost trademark sign or dash
    between two words ("LEGO?Blocks"), not the rest of a word that lost a letter ("o?wietleniem",
    "NARZ?DZI")."""
    return text[i].isupper() and i + 1 < len(text) and text[i + 1].islower()


def runs_on(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` ends (or starts) with a letter that runs on into another letter through lost
    letters, and that is the same word going on (see :func:`_capitalised_word_at`). Digits do not run on:
    "FORMULA 1?F1" lost a character of another script between a name and a code."""
    after = end
    while after < len(text) and text[after] in LOST:
        after += 1
    if (after > end and after < len(text) and text[after].isalpha() and text[end - 1].isalpha()
            and not _capitalised_word_at(text, after)):
        return True
    before = start - 1
    while before >= 0 and text[before] in LOST:
        before -= 1
    return (before < start - 1 and before >= 0 and text[before].isalpha() and text[start].isalpha()
            and not _capitalised_word_at(text, start))


def lost_letter_pieces(matches: pd.DataFrame, listings: pd.DataFrame) -> np.ndarray:
    """Boolean mask over ``matches``: matches that are pieces of a word with a lost letter ("Noc o" in
    "Noc o?wietleniem", "narz" in "narz?dzi"; see the module). Only the matched fields whose text holds a
    lost letter between two letters are read further."""
    out = np.zeros(len(matches), dtype=bool)
    if matches.empty or not {"field", "listing", "start", "end"} <= set(matches.columns):
        return out
    fields = matches["field"].astype(str).to_numpy()
    listing_ids = matches["listing"].to_numpy()
    for field in pd.unique(fields).tolist():
        if field not in listings.columns:
            continue
        in_field = fields == field
        texts = listings[field].reindex(pd.unique(listing_ids[in_field]))
        damaged = {listing: text for listing, text in zip(texts.index.tolist(), texts.tolist(), strict=True)
                   if isinstance(text, str) and ("?" in text or "\ufffd" in text)
                   and _LOST_BETWEEN_LETTERS.search(text)}
        if not damaged:
            continue
        rows = np.flatnonzero(in_field & pd.Series(listing_ids).isin(damaged).to_numpy())
        part = matches.iloc[rows]
        for i, listing, start, end in zip(rows.tolist(), part["listing"].tolist(), part["start"].tolist(),
                                          part["end"].tolist(), strict=True):
            out[i] = runs_on(damaged[listing], int(start), int(end))
    return out
