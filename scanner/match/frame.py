"""Kept candidates -> the matches DataFrame (``MATCH_COLUMNS``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import SellerProfile
from ..corpus import Corpus
from . import rules as R
from .cues import field_cues
from .index import FLAG_DISTINCTIVE, FLAG_ORDINARY, MatchIndex
from .ownership import ownership
from .tokens import Fields


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def method_name(kind: int, n: int, suffix: int, counts_mask: int, matched: str, mark: str) -> str:
    """``exact | folded | joined | split | typo | phonetic`` (see docs/matching.md)."""
    if kind == R.KIND_PHONETIC:
        return "phonetic"
    if kind in (R.KIND_TYPO, R.KIND_SHUFFLE):
        return "typo"
    if counts_mask >> min(n, 31) & 1:
        return "exact" if suffix == 0 and _same_words(matched, mark) else "folded"
    smallest = (counts_mask & -counts_mask).bit_length() - 1
    return "joined" if n < smallest else "split"


def symbol_near(text: str, symbols: tuple[tuple[int, str], ...], start: int, end: int) -> str:
    """A trademark sign inside the span or right after it (spaces allowed), else ""."""
    if not symbols:
        return ""
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    for pos, sym in symbols:
        if start <= pos < end or pos in (after, end):
            return sym
    return ""


def build_frame(
    fields: Fields,
    kept: pd.DataFrame,
    covers: list[list[int]],
    index: MatchIndex,
    corpus: Corpus,
    profile: SellerProfile,
    columns: tuple[str, ...],
) -> pd.DataFrame:
    """One row per kept match, columns ``columns`` (MATCH_COLUMNS)."""
    marks = corpus.marks
    mark_col = marks["mark"].astype(str).to_numpy()
    owner_col = marks["owner"].fillna("").astype(str).to_numpy() if "owner" in marks else np.full(len(marks), "")
    kind_col = marks["kind"].fillna("").astype(str).to_numpy() if "kind" in marks else np.full(len(marks), "")
    status_col = marks["status"].fillna("").astype(str).to_numpy() if "status" in marks else np.full(len(marks), "")
    labels = marks.index.to_numpy()
    own_keys, own_ids, auth_keys, auth_ids = ownership(profile, index)

    rows = []
    by_field: dict[int, list[int]] = {}
    fr_list = kept["field_row"].tolist()
    for i, fr in enumerate(fr_list):
        by_field.setdefault(fr, []).append(i)
    first_pos = kept["start_pos"].tolist()
    ns = kept["n"].tolist()
    keys = kept["key"].tolist()
    kinds = kept["kind"].tolist()
    sims = kept["similarity"].tolist()
    suffixes = kept["suffix"].tolist()
    cue_of: dict[int, tuple[str, str]] = {}
    for fr, idxs in by_field.items():
        toks = fields.tokens[fr]
        spans = [(first_pos[i], first_pos[i] + ns[i] - 1, index.keys[keys[i]],
                  bool(index.key_flags[keys[i]] & FLAG_ORDINARY)) for i in idxs]
        for i, cue in zip(idxs, field_cues(fields.text[fr], toks, spans), strict=True):
            cue_of[i] = cue
    for i, fr in enumerate(fr_list):
        toks = fields.tokens[fr]
        text = fields.text[fr]
        a, n, k = first_pos[i], ns[i], keys[i]
        start, end = toks[a].start, toks[a + n - 1].end
        matched = text[start:end]
        rep = int(index.key_mark[k])
        key = index.keys[k]
        written = "".join(t.text for t in toks[a : a + n])
        own = bool(own_ids[k]) or written in own_keys or (suffixes[i] and written[: -suffixes[i]] in own_keys)
        authorized = bool(auth_ids[k]) or written in auth_keys or (suffixes[i] and written[: -suffixes[i]] in auth_keys)
        nominative, counterfeit = cue_of[i]
        rows.append((
            fields.listing[fr], fields.field[fr], start, end, matched, labels[rep], mark_col[rep], key,
            owner_col[rep], method_name(kinds[i], n, suffixes[i], int(index.key_ntok[k]), matched, mark_col[rep]),
            float(sims[i]), a, symbol_near(text, fields.symbols[fr], start, end), nominative, counterfeit,
            bool(own), bool(authorized),
            n, kind_col[rep], status_col[rep], int(index.key_records[k]), int(index.key_owners[k]),
            round(float(index.key_zipf[k]), 2), bool(index.key_flags[k] & FLAG_DISTINCTIVE),
            ";".join(f"{mark_col[index.key_mark[c]]} ({owner_col[index.key_mark[c]]})" for c in covers[i]),
        ))
    return pd.DataFrame(rows, columns=list(columns))
