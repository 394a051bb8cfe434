"""Find every use of a mark in the listings' text fields.

Public entry point: :func:`find_matches` -> a DataFrame with :data:`MATCH_COLUMNS`, one row per
listing x mark x field hit. (Walking-skeleton matcher: exact whole-token matches of the case-folded mark.
The full engine — normalisation, joined/split forms, typos, phonetics, cues — replaces it.)
"""

from __future__ import annotations

import re

import pandas as pd

from ..config import SellerProfile
from ..corpus import Corpus
from ..listings.schema import TEXT_FIELDS
from ..progress import Progress
from ..text import brand_key

#: Columns of the matches table (a fixed contract between matching, features and reports).
MATCH_COLUMNS: tuple[str, ...] = (
    "listing",  # int: index label of the listing in the listings table
    "field",  # title | brand | bullets | description | keywords
    "start",  # int: span in the original field text [start, end)
    "end",
    "matched_text",  # the text as written in the listing
    "mark_id",  # int: row of the representative record in corpus.marks
    "mark",  # the mark as registered
    "mark_key",  # its normalised form (one key may stand for several records)
    "owner",
    "method",  # exact | folded | joined | split | typo | phonetic
    "similarity",  # float 0..100
    "position",  # int: index of the first matched token in the field (0 = first word)
    "symbol",  # "®", "™", "©" next to the match, or ""
    "nominative_cue",  # the cue words ("for", "compatible with", ...) or ""
    "counterfeit_cue",  # the cue words ("replica", "inspired by", ...) or ""
    "own",  # bool: the mark is one of the seller's own brands
    "authorized",  # bool: the seller is authorized for the mark
)

_TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_NOMINATIVE = ("for", "compatible with", "fits", "replacement for", "works with", "designed for")


def empty_matches() -> pd.DataFrame:
    dtypes = {"listing": "int64", "start": "int64", "end": "int64", "mark_id": "int64", "position": "int64",
              "similarity": "float64", "own": "bool", "authorized": "bool"}
    return pd.DataFrame({c: pd.Series([], dtype=dtypes.get(c, str)) for c in MATCH_COLUMNS})


def prepare_index(corpus: Corpus, *, progress: Progress | None = None) -> None:
    """Compile (or load from the corpus folder's cache) the match index for ``corpus``.

    ``scanner corpus build`` calls this so that weekly scans find the index ready.
    """
    return None


def find_matches(
    listings: pd.DataFrame,
    corpus: Corpus,
    profile: SellerProfile | None = None,
    *,
    fields: tuple[str, ...] = TEXT_FIELDS,
    progress: Progress | None = None,
) -> pd.DataFrame:
    profile = profile or SellerProfile()
    index: dict[tuple[str, ...], int] = {}
    for mark_id, mark in enumerate(corpus.marks["mark"]):
        toks = tuple(t.casefold() for t in _TOKEN.findall(mark))
        if toks and toks not in index:
            index[toks] = mark_id
    longest = max((len(k) for k in index), default=0)
    marks = corpus.marks
    rows = []
    for label, rec in listings.iterrows():
        for fld in fields:
            text = rec.get(fld, "") or ""
            toks = [(m.group().casefold(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
            for i in range(len(toks)):
                for n in range(min(longest, len(toks) - i), 0, -1):
                    key = tuple(t for t, _, _ in toks[i : i + n])
                    mark_id = index.get(key)
                    if mark_id is None:
                        continue
                    start, end = toks[i][1], toks[i + n - 1][2]
                    before = text[:start].casefold()
                    cue = next((c for c in _NOMINATIVE if before.rstrip().endswith(c)), "")
                    mark = marks.at[mark_id, "mark"]
                    rows.append({
                        "listing": label, "field": fld, "start": start, "end": end,
                        "matched_text": text[start:end], "mark_id": mark_id, "mark": mark,
                        "mark_key": brand_key(mark), "owner": marks.at[mark_id, "owner"],
                        "method": "exact" if text[start:end] == mark else "folded", "similarity": 100.0,
                        "position": i, "symbol": "", "nominative_cue": cue, "counterfeit_cue": "",
                        "own": profile.is_own(mark) or profile.is_own(marks.at[mark_id, "owner"]),
                        "authorized": profile.is_authorized(mark),
                    })
                    break
    if not rows:
        return empty_matches()
    return pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
