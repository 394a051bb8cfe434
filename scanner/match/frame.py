"""Kept candidates -> the matches DataFrame (``MATCH_COLUMNS``)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..config import SellerProfile
from ..corpus import Corpus
from ..corpus.schema import KNOWN_KIND, mark_kinds
from ..frames import new_frame
from . import rules
from .cues import CUE_WORDS, PLATFORM_KEYS, PLATFORM_WORDS, field_cues
from .index import FLAG_DISTINCTIVE, FLAG_ORDINARY, ORDER_COLUMNS, MatchIndex, record_order
from .ownership import ownership
from .tokens import Fields, TokenTable


@lru_cache(maxsize=1 << 16)
def _same_words(a: str, b: str) -> bool:
    """The same words, up to case and spacing (cached: a batch matches the same words to the same marks
    thousands of times)."""
    return a == b or " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def method_name(kind: int, n: int, suffix: int, counts_mask: int, matched: str, mark: str) -> str:
    """``exact | folded | joined | split | typo | phonetic | translit`` (see docs/matching.md)."""
    if kind == rules.KIND_TRANSLIT:
        return rules.TRANSLIT_METHOD
    if kind == rules.KIND_PHONETIC:
        return "phonetic"
    if kind in (rules.KIND_TYPO, rules.KIND_SHUFFLE):
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


class _MarkRows:
    """Columns of the corpus records ``rows`` (object arrays, "" for missing), looked up by record row: only
    the records the matches name are converted, not the whole register's columns on every call."""

    def __init__(self, marks: pd.DataFrame, names: tuple[str, ...], rows: np.ndarray) -> None:
        self.rows = np.unique(np.asarray(rows, dtype=np.int64))
        self.cols = {}
        for name in names:
            if name in marks.columns:
                self.cols[name] = marks[name].iloc[self.rows].fillna("").astype(str).to_numpy(dtype=object)
            else:
                self.cols[name] = np.full(len(self.rows), "", dtype=object)

    def get(self, name: str, rows: np.ndarray) -> np.ndarray:
        return self.cols[name][np.searchsorted(self.rows, np.asarray(rows, dtype=np.int64))]


#: At most this many other records of a key are listed in ``alt_mark_ids`` (a register can hold hundreds
#: of "UNIVERSAL"s; the features pick among the first ones whose goods fit).
MAX_ALTERNATIVES = 24


def _alternatives(index: MatchIndex, key: np.ndarray, rep: np.ndarray, labels: np.ndarray) -> list[str]:
    """Per match: the other records sharing its key with another owner than the record the match names
    (``rep``: the key's representative, or the record written as the text, :func:`_written_as`)
    (``;``-separated mark ids), or "". The text is made once per distinct (key, record) (a register's common
    words are matched thousands of times a batch), so it is the same whichever match of a key a batch holds
    first."""
    out = [""] * len(key)
    several = np.flatnonzero(index.key_owners[key] > 1)
    if not len(several):
        return out
    pairs = np.unique(np.stack([key[several], rep[several]], axis=1), axis=0)
    text_of = {}
    for k, rows, r in zip(pairs[:, 0].tolist(), index.key_rows(pairs[:, 0]), pairs[:, 1].tolist(), strict=True):
        owners = index.record_owner[rows]
        seen = {int(index.record_owner[r])}
        picked = []
        for row, owner in zip(rows.tolist(), owners.tolist(), strict=True):
            if row != r and owner not in seen:
                seen.add(owner)
                picked.append(str(labels[row]))
                if len(picked) == MAX_ALTERNATIVES:
                    break
        text_of[(k, r)] = ";".join(picked)
    for i, k, r in zip(several.tolist(), key[several].tolist(), rep[several].tolist(), strict=True):
        out[i] = text_of[(k, r)]
    return out


def _written_as(index: MatchIndex, marks: pd.DataFrame, key: np.ndarray, matched: list[str], methods: list[str],
                aliases: list[str]) -> dict[int, int]:
    """``{match: record row}`` for the folded matches whose text is written exactly as another record of the
    same key: "mac" reads as Apple's Mac, not as M·A·C, whose key it shares and which ranks first as a
    brand. The record written like the text is the one the text names; among several, the first in the
    representative order (:func:`scanner.match.index.record_order`). The features may still choose another
    owner for the product's goods (:func:`scanner.features.choose_owners`: "MAC lipstick" is M·A·C's)."""
    rows = [i for i, (m, a) in enumerate(zip(methods, aliases, strict=True)) if m == "folded" and not a]
    if not rows:
        return {}
    several = np.asarray(rows, dtype=np.int64)[index.key_records[key[rows]] > 1]
    if not len(several):
        return {}
    uniq = np.unique(key[several])
    per_key = index.key_rows(uniq)
    records = np.concatenate(per_key)
    # the records' written forms and order, read once for all the keys (only their rows of the corpus)
    looked = _MarkRows(marks, ("mark",), records)
    forms = [" ".join(f.split()).casefold() for f in looked.get("mark", records).tolist()]
    status, kind, recency = record_order(marks[[c for c in ORDER_COLUMNS if c in marks.columns]].iloc[records])
    by_form: dict[tuple[int, str], tuple[int, int, int, int]] = {}
    at = 0
    for k, rows_k in zip(uniq.tolist(), per_key, strict=True):
        for row in rows_k.tolist():
            rank = (int(status[at]), int(kind[at]), -int(recency[at]), row)
            best = by_form.get((k, forms[at]))
            if best is None or rank < best:
                by_form[(k, forms[at])] = rank
            at += 1
    out: dict[int, int] = {}
    for i in several.tolist():
        best = by_form.get((int(key[i]), " ".join(matched[i].split()).casefold()))
        if best is not None:
            out[i] = best[3]
    return out


def _named_records(index: MatchIndex, marks: pd.DataFrame, kept: pd.DataFrame, matched: list[str],
                   aliases: list[str], covers: list[list[int]], known: bool) -> tuple[np.ndarray, _MarkRows, list[str]]:
    """``(rows, records, methods)``: the corpus row each match names (its key's representative, or the record
    written as the text, :func:`_written_as`), those rows' and the covered marks' columns, and each match's
    method."""
    key = kept["key"].to_numpy(np.int64)
    rep = index.key_mark[key]
    names = ("mark", "owner", "kind", "status", *((KNOWN_KIND,) if known else ()))
    covered_rows = index.key_mark[np.asarray([c for cv in covers for c in cv], dtype=np.int64)]
    records = _MarkRows(marks, names, np.concatenate([rep, covered_rows]))
    methods = [
        method_name(k, m, sx, int(mask), t, al or mk)
        for k, m, sx, mask, t, mk, al in zip(kept["kind"].tolist(), kept["n"].tolist(), kept["suffix"].tolist(),
                                             index.key_ntok[key].tolist(), matched, records.get("mark", rep).tolist(),
                                             aliases, strict=True)
    ]
    swapped = _written_as(index, marks, key, matched, methods, aliases)
    if swapped:
        rep = rep.copy()
        for i, row in swapped.items():
            rep[i] = row
            methods[i] = "exact"
        records = _MarkRows(marks, names, np.concatenate([rep, covered_rows]))
    return rep, records, methods


def build_frame(
    fields: Fields,
    tt: TokenTable,
    kept: pd.DataFrame,
    covers: list[list[int]],
    index: MatchIndex,
    corpus: Corpus,
    profile: SellerProfile,
    columns: tuple[str, ...],
) -> pd.DataFrame:
    """One row per kept match, columns ``columns`` (MATCH_COLUMNS)."""
    marks = corpus.marks
    labels = marks.index.to_numpy()

    fr = kept["field_row"].to_numpy(np.int64)
    first = kept["first"].to_numpy(np.int64)
    n = kept["n"].to_numpy(np.int64)
    key = kept["key"].to_numpy(np.int64)
    suffix = kept["suffix"].to_numpy(np.int64)
    start = tt.start[first]
    end = tt.end[first + n - 1]
    pos = tt.pos[first]
    texts = fields.text
    matched = [texts[f][s:e] for f, s, e in zip(fr.tolist(), start.tolist(), end.tolist(), strict=True)]
    known = KNOWN_KIND in marks.columns  # a scan's kinds for marks without one (scanner.corpus.known_kinds)
    keys = [index.keys[k] for k in key.tolist()]
    aliases = [index.key_alias[k] for k in key.tolist()]
    mark_keys = [index.keys[k] for k in index.key_base[key].tolist()]  # an alias reports its mark's key
    rep, records, methods = _named_records(index, marks, kept, matched, aliases, covers, known)
    mark = records.get("mark", rep)
    ordinary = (index.key_flags[key] & FLAG_ORDINARY) > 0
    nominative, counterfeit, comparison, cue_side, clause = _context_cues(fields, fr, first, n, keys, ordinary,
                                                                          _cue_word_fields(fields, tt))
    own, authorized = _ownership_flags(tt, first, n, key, suffix, profile, index)

    data = {
        "listing": np.asarray(fields.listing, dtype=object)[fr] if len(fr) else [],
        "field": np.asarray(fields.field, dtype=object)[fr] if len(fr) else [],
        "start": start,
        "end": end,
        "matched_text": matched,
        "mark_id": labels[rep],
        "mark": mark,
        "mark_key": mark_keys,
        "owner": records.get("owner", rep),
        "method": methods,
        "similarity": kept["similarity"].to_numpy(float),
        "position": pos,
        "symbol": _symbols(fields, fr, start, end),
        "nominative_cue": nominative,
        "counterfeit_cue": counterfeit,
        "own": own,
        "authorized": authorized,
        "n_tokens": n,
        "mark_kind": mark_kinds(records.get("kind", rep), records.get(KNOWN_KIND, rep) if known else None),
        "mark_status": records.get("status", rep),
        "n_records": index.key_records[key].astype(np.int64),
        "n_owners": index.key_owners[key].astype(np.int64),
        "mark_zipf": np.round(index.key_zipf[key].astype(float), 2),
        "distinctive": (index.key_flags[key] & FLAG_DISTINCTIVE) > 0,
        "covers": _cover_text(covers, index, records),
        "comparison_cue": comparison,
        "alt_mark_ids": _alternatives(index, key, rep, labels),
        "cue_side": cue_side,
        "cue_in_clause": clause,
        "alias": aliases,
    }
    # the columns are new arrays made for this frame: taken as they are, not copied into consolidated blocks
    # (at a million marks a 200,000-row frame: ~0.3 s a batch), their strings converted by Arrow
    return new_frame({name: data[name] for name in columns})


def _cue_word_fields(fields: Fields, tt: TokenTable) -> np.ndarray:
    """Per field row: a token of the field is a cue word or a platform word (looked up once per distinct
    token text)."""
    cue = np.fromiter((u in CUE_WORDS or u in PLATFORM_WORDS for u in tt.uniques), dtype=bool, count=len(tt.uniques))
    seen = np.concatenate(([0], np.cumsum(cue[tt.code[: tt.n_real]], dtype=np.int64)))
    ends = np.append(fields.first[1:], tt.n_real).astype(np.int64)
    return seen[ends] > seen[fields.first]


def _context_cues(fields: Fields, fr: np.ndarray, first: np.ndarray, n: np.ndarray, keys: list[str],
                  ordinary: np.ndarray, cue_words: np.ndarray
                  ) -> tuple[list[str], list[str], list[str], list[str], np.ndarray]:
    """``(nominative, counterfeit, comparison, cue_side, in_clause)`` of every match, one field at a time
    (skipped where no cue word and no platform mark occurs: ``cue_words`` per field row)."""
    count = len(fr)
    nominative = [""] * count
    counterfeit = [""] * count
    comparison = [""] * count
    cue_side = [""] * count
    clause = np.zeros(count, dtype=bool)
    order = np.argsort(fr, kind="stable")
    bounds = np.flatnonzero(np.diff(fr[order])) + 1
    for group in np.split(order, bounds) if len(order) else []:
        f = int(fr[group[0]])
        if not cue_words[f] and not any(keys[i] in PLATFORM_KEYS for i in group):
            continue
        toks = fields.tokens[f]
        base = int(fields.first[f])
        spans = [(int(first[i]) - base, int(first[i] + n[i]) - base - 1, keys[i], bool(ordinary[i])) for i in group]
        for i, cue in zip(group.tolist(), field_cues(fields.text[f], toks, spans), strict=True):
            nominative[i], counterfeit[i], comparison[i], cue_side[i], clause[i] = cue
    return nominative, counterfeit, comparison, cue_side, clause


def _symbols(fields: Fields, fr: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[str]:
    """The trademark sign written inside or right after each match ("" when none), see :func:`symbol_near`."""
    symbols = [""] * len(fr)
    for i, f in enumerate(fr.tolist()):
        if fields.symbols[f]:
            symbols[i] = symbol_near(fields.text[f], fields.symbols[f], int(start[i]), int(end[i]))
    return symbols


def _ownership_flags(tt: TokenTable, first: np.ndarray, n: np.ndarray, key: np.ndarray, suffix: np.ndarray,
                     profile: SellerProfile, index: MatchIndex) -> tuple[np.ndarray, np.ndarray]:
    """``(own, authorized)`` per match: the seller's own or authorised mark, by key or as written (with and
    without the matched suffix)."""
    own_keys, own_ids, auth_keys, auth_ids = ownership(profile, index)
    own = own_ids[key].copy()
    authorized = auth_ids[key].copy()
    if own_keys or auth_keys:
        for i in range(len(key)):
            written = "".join(tt.text[first[i] : first[i] + n[i]])
            forms = {written, written[: len(written) - suffix[i]]}
            own[i] |= bool(forms & own_keys)
            authorized[i] |= bool(forms & auth_keys)
    return own, authorized


def _cover_text(covers: list[list[int]], index: MatchIndex, records: _MarkRows) -> list[str]:
    """``mark (owner)`` of each key a match covers, ``;``-joined."""
    covered = [c for cv in covers for c in cv]
    if not covered:
        return [""] * len(covers)
    rows = index.key_mark[np.asarray(covered, dtype=np.int64)]
    named = iter([f"{m} ({o})" for m, o in zip(records.get("mark", rows).tolist(), records.get("owner", rows).tolist(),
                                                strict=True)])
    return [";".join(next(named) for _ in cv) if cv else "" for cv in covers]
