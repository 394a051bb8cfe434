"""Find every use of a mark in the listings' text fields.

Public entry points:

* :func:`find_matches` -> a DataFrame with :data:`MATCH_COLUMNS`, one row per listing x mark x field hit;
* :func:`prepare_index` -> the compiled :class:`MatchIndex` of a corpus (cached in a compiled corpus
  folder, so weekly scans find it ready);
* :func:`find_candidates` -> the candidates before overlaps are resolved (for notebooks and tests).

How it works (details in ``docs/matching.md``): every field is normalised once (:mod:`scanner.text`);
windows of consecutive tokens are looked up by hash in the index of unique mark keys (exact, folded, joined,
split, plural); distinctive marks are also looked up by typo, letter-shuffle and phonetic signatures of
the remaining uncommon tokens, and by the Latin reading of words in Cyrillic, katakana and Hangul
(:mod:`.translit`); overlapping candidates are resolved per field; context cues, trademark
symbols and own/authorized flags are added.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pandas as pd

from ..config import SellerProfile
from ..corpus import Corpus
from ..listings.schema import TEXT_FIELDS
from ..progress import Progress
from ..progress import get as _progress
from . import cache as _cache
from .doubled import doubled_candidates
from .doubtful import bare_initials, doubtful_fuzzy, partial_joins
from .exact import empty_candidates, exact_candidates
from .frame import build_frame
from .fuzzy import fuzzy_candidates
from .goods_names import generic_names
from .index import MatchIndex, build_index
from .kana_words import inside_kana_words
from .lost_letters import lost_letter_pieces
from .overlaps import resolve, uncovered
from .tokens import Fields, TokenTable, build_tokens
from .translit import translit_candidates
from .where_sold import prefer_where_sold

__all__ = ["MATCH_COLUMNS", "MatchIndex", "empty_matches", "find_candidates", "find_matches", "prepare_index"]

#: Columns of the matches table (a fixed contract between matching, features and reports; extended at
#: the end only).
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
    "method",  # exact | folded | joined | split | typo | phonetic | translit
    "similarity",  # float 0..100
    "position",  # int: index of the first matched token in the field (0 = first word)
    "symbol",  # "®", "™", "©" next to the match, or ""
    "nominative_cue",  # the cue words ("for", "compatible with", ...) or ""
    "counterfeit_cue",  # the cue words ("replica", "inspired by", ...) or ""
    "own",  # bool: the mark is one of the seller's own brands
    "authorized",  # bool: the seller is authorized for the mark
    # --- extensions (evidence for the model and for people) ---
    "n_tokens",  # int: listing tokens the match covers
    "mark_kind",  # kind of the representative record
    "mark_status",  # status of the representative record
    "n_records",  # int: corpus records sharing the key
    "n_owners",  # int: distinct owners among them
    "mark_zipf",  # float: English word frequency of the key (Zipf scale, 0 = not a word)
    "distinctive",  # bool: the key is long and not an ordinary English word
    "covers",  # "mark (owner)" of shorter marks inside this match, ";"-separated
    "comparison_cue",  # "alternative to", "like", "vs", "... alternative" (the listing compares itself), or ""
    "alt_mark_ids",  # ";"-separated mark ids of records of the same key with other owners ("" if one owner)
    "cue_side",  # where the nominative cue stands: before | after | platform | ""
    "cue_in_clause",  # bool: a nominative cue earlier in the same clause (a weaker reference)
    "alias",  # the alias of the mark that matched (``ナイキ`` for Nike, ``LOTR``), "" when the mark itself did
)

_DTYPES = {
    "listing": "int64", "start": "int64", "end": "int64", "mark_id": "int64", "position": "int64",
    "similarity": "float64", "own": "bool", "authorized": "bool", "n_tokens": "int64", "n_records": "int64",
    "n_owners": "int64", "mark_zipf": "float64", "distinctive": "bool", "cue_in_clause": "bool",
}

_MEMORY: OrderedDict[str, MatchIndex] = OrderedDict()
_MEMORY_SIZE = 2


def empty_matches() -> pd.DataFrame:
    """A matches table with no rows (the right columns and dtypes)."""
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES.get(c, str)) for c in MATCH_COLUMNS})


def prepare_index(corpus: Corpus, *, progress: Progress | None = None) -> MatchIndex:
    """Compile (or load from the corpus folder's cache) the match index for ``corpus``.

    ``scanner corpus build`` calls this so that weekly scans find the index ready. Indexes are also kept in
    memory for the process (the last two corpora, by content hash).
    """
    progress = _progress(progress)
    key = corpus.content_hash
    if key in _MEMORY:
        _MEMORY.move_to_end(key)
        return _MEMORY[key]
    index = _cache.load(corpus, progress)
    if index is None:
        index = build_index(corpus, progress=progress)
        _cache.save(index, corpus, progress)
    _MEMORY[key] = index
    while len(_MEMORY) > _MEMORY_SIZE:
        _MEMORY.popitem(last=False)
    return index


def _key_lengths(index: MatchIndex) -> np.ndarray:
    """The length of every key (computed once per index: a register has about a million keys, and a scan
    in batches matches many times)."""
    lengths = index.__dict__.get("_key_lengths")
    if lengths is None:
        lengths = np.fromiter((len(k) for k in index.keys), dtype=np.int64, count=index.n_keys)
        index.__dict__["_key_lengths"] = lengths
    return lengths


def find_candidates(
    listings: pd.DataFrame,
    index: MatchIndex,
    *,
    fields: tuple[str, ...] = TEXT_FIELDS,
    progress: Progress | None = None,
) -> tuple[Fields, TokenTable, pd.DataFrame]:
    """All candidates before overlap resolution: ``(fields, tokens, candidates)``; candidates have
    ``field_row, first`` (token row), ``n`` (tokens), ``key`` (key id), ``kind`` (rules.KIND_*),
    ``similarity`` and ``suffix`` (plural letters removed)."""
    fields_tbl, tt = build_tokens(listings, tuple(fields), progress)
    exact = exact_candidates(tt, index)
    covered = np.zeros(tt.n_real, dtype=bool)
    if not exact.empty:
        diff = np.zeros(tt.n_real + 1, dtype=np.int64)
        np.add.at(diff, exact["first"].to_numpy(), 1)
        np.add.at(diff, (exact["first"] + exact["n"]).to_numpy(), -1)
        covered = np.cumsum(diff)[: tt.n_real] > 0
    fuzzy = fuzzy_candidates(tt, index, covered)
    doubled = doubled_candidates(tt, index, covered)
    translit = translit_candidates(fields_tbl, tt, index, covered)
    parts = [p for p in (exact, fuzzy, doubled, translit) if not p.empty]
    cands = pd.concat(parts, ignore_index=True) if parts else empty_candidates()
    inside = inside_kana_words(cands, tt)
    if inside.any():
        cands = cands[~inside].reset_index(drop=True)
    return fields_tbl, tt, cands


def _doubtful(out: pd.DataFrame, listings: pd.DataFrame, index: MatchIndex) -> np.ndarray:
    """The matches the filters of :mod:`.doubtful` and :mod:`.lost_letters` drop (a mask over ``out``)."""
    return (doubtful_fuzzy(out, listings, index) | partial_joins(out, listings) | generic_names(out, listings)
            | bare_initials(out) | lost_letter_pieces(out, listings))


def find_matches(
    listings: pd.DataFrame,
    corpus: Corpus,
    profile: SellerProfile | None = None,
    *,
    fields: tuple[str, ...] = TEXT_FIELDS,
    progress: Progress | None = None,
    index: MatchIndex | None = None,
    drop_doubtful: bool = True,
) -> pd.DataFrame:
    """Every use of a mark of ``corpus`` in the ``fields`` of ``listings`` (one row per listing x mark x
    field hit, :data:`MATCH_COLUMNS`). Missing text columns count as empty.

    ``index`` is the compiled index of ``corpus`` if you already have it (default:
    :func:`prepare_index`). ``drop_doubtful=False`` keeps the typo / phonetic matches that
    :func:`.doubtful.doubtful_fuzzy` would drop, and the joined matches that cut a written word in two
    (:func:`.doubtful.partial_joins`), the marks that are a word of a generic product name
    (:func:`.goods_names.generic_names`, "Polo shirt") and the pieces of a word whose letter was lost as "?"
    (:func:`.lost_letters.lost_letter_pieces`), for measuring those filters."""
    profile = profile or SellerProfile()
    progress = _progress(progress)
    if index is None:
        index = prepare_index(corpus, progress=progress)
    elif index.content_hash != corpus.content_hash:
        raise ValueError("the index was compiled from another corpus (content hashes differ)")
    fields_tbl, tt, cands = find_candidates(listings, index, fields=fields, progress=progress)
    if cands.empty:
        return empty_matches()
    kept, covers = resolve(cands, tt.pos, _key_lengths(index))
    out = build_frame(fields_tbl, tt, kept, covers, index, corpus, profile, MATCH_COLUMNS)
    if drop_doubtful:
        drop = _doubtful(out, listings, index)
        back = uncovered(cands, tt.pos, kept, drop)
        out = out[~drop]
        if not back.empty:  # what the dropped matches covered ("for EOS" dropped as FOREO: EOS), resolved again
            kept_back, covers_back = resolve(back, tt.pos, _key_lengths(index))
            more = build_frame(fields_tbl, tt, kept_back, covers_back, index, corpus, profile, MATCH_COLUMNS)
            more = more[~_doubtful(more, listings, index)]
            spots = pd.concat([kept[~drop], kept_back.iloc[more.index]])  # in the order resolve() gives
            order = np.lexsort((spots["n"].to_numpy(), spots["start_pos"].to_numpy(), spots["field_row"].to_numpy()))
            out = pd.concat([out, more], ignore_index=True).iloc[order]
        out = out.reset_index(drop=True)
    out = prefer_where_sold(out, corpus, profile, index)
    return out.astype({c: t for c, t in _DTYPES.items() if c != "listing" or pd.api.types.is_integer_dtype(listings.index)})
