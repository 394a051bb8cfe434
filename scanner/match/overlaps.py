"""Overlapping candidates in one field -> the matches to report.

* Same words, several marks: the best candidate wins — exact family before typo before phonetic, then the
  higher similarity, then the longer key (``beats`` over the plural of ``beat``), then the lower key id.
* A candidate whose words lie strictly inside another candidate's words is dropped, whatever its owner
  (``Hello Kitty`` covers ``Kitty``; ``Apple Watch`` covers ``Apple``): the text uses the longer mark, and
  a word of it is not a separate use. The dropped marks stay visible in the longer match's ``covers``
  column (``mark (owner)``; ``;``-separated), so nothing found is lost.
* Candidates that only partly overlap are both kept.

A kept match that a later filter drops (``find_matches``: "for EOS" is not FOREO written apart) gives its
words back: :func:`uncovered` names the candidates it covered, which are resolved again, so that the EOS it
held is reported.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import rules

_KIND_RANK = {rules.KIND_EXACT: 0, rules.KIND_TYPO: 1, rules.KIND_SHUFFLE: 1, rules.KIND_PHONETIC: 2, rules.KIND_TRANSLIT: 2}


def _overlapping_fields(field: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Field rows in which at least two candidates share a token."""
    order = np.lexsort((start, field))
    f, s, e = field[order], start[order], end[order]
    if len(f) < 2:
        return np.zeros(0, dtype=field.dtype)
    base = (f - f.min()).astype(np.int64) * (int(e.max()) + 1)
    reach = np.maximum.accumulate(base + e) - base  # furthest end so far within the field
    clash = (f[1:] == f[:-1]) & (s[1:] < reach[:-1])
    return np.unique(f[1:][clash])


def resolve(cands: pd.DataFrame, pos: np.ndarray, key_len: np.ndarray) -> tuple[pd.DataFrame, list[list[int]]]:
    """Keep the reported matches. Returns them (sorted by field and position) and, per kept row, the key
    ids of the candidates it covers."""
    if cands.empty:
        return cands.assign(start_pos=np.zeros(0, np.int64)), []
    c = cands.copy()
    c["start_pos"] = pos[c["first"].to_numpy()]
    field = c["field_row"].to_numpy()
    busy = np.isin(field, _overlapping_fields(field, c["start_pos"].to_numpy(), (c["start_pos"] + c["n"]).to_numpy()))
    alone = c[~busy]
    crowded = c[busy]
    crowded_kept, crowded_covers = _resolve_slow(crowded, key_len)
    kept = pd.concat([alone, crowded_kept])
    covers = [[] for _ in range(len(alone))] + crowded_covers
    order = np.lexsort((kept["n"].to_numpy(), kept["start_pos"].to_numpy(), kept["field_row"].to_numpy()))
    kept = kept.iloc[order]
    covers = [covers[i] for i in order]
    return kept.reset_index(drop=True), covers


def _resolve_slow(c: pd.DataFrame, key_len: np.ndarray) -> tuple[pd.DataFrame, list[list[int]]]:
    """The rules above, candidate by candidate, for fields where candidates overlap."""
    if c.empty:
        return c, []
    c = c.assign(_rank=c["kind"].map(_KIND_RANK), _klen=key_len[c["key"].to_numpy()])
    c = c.sort_values(
        ["field_row", "n", "_rank", "similarity", "_klen", "key", "start_pos"],
        ascending=[True, False, True, False, False, True, True],
        kind="stable",
    )
    keep_idx: list[int] = []
    covers: list[list[int]] = []
    cur_field = None
    kept_spans: list[tuple[int, int, int]] = []  # (start, end, slot in keep_idx)
    for idx, fr, s, n, k in zip(c.index, c["field_row"].tolist(), c["start_pos"].tolist(), c["n"].tolist(),
                                c["key"].tolist(), strict=True):
        if fr != cur_field:
            cur_field = fr
            kept_spans = []
        e = s + n
        container = next(((ks, ke, slot) for ks, ke, slot in kept_spans if ks <= s and e <= ke), None)
        if container is not None:
            ks, ke, slot = container
            if (ks, ke) != (s, e) and k not in covers[slot]:
                covers[slot].append(k)
            continue
        kept_spans.append((s, e, len(keep_idx)))
        keep_idx.append(idx)
        covers.append([])
    return c.loc[keep_idx].drop(columns=["_rank", "_klen"]), covers


def uncovered(cands: pd.DataFrame, pos: np.ndarray, kept: pd.DataFrame, dropped: np.ndarray) -> pd.DataFrame:
    """The candidates that lay strictly inside a dropped kept match (``dropped``: a mask over ``kept``) and
    inside none of the kept matches that stay: what those dropped matches covered, to resolve again."""
    if cands.empty or not dropped.any():
        return cands.iloc[:0]
    gone = kept[dropped]
    fields = gone["field_row"].to_numpy()
    c_field = cands["field_row"].to_numpy()
    near = np.flatnonzero(np.isin(c_field, fields))
    if not len(near):
        return cands.iloc[:0]
    c_start = pos[cands["first"].to_numpy()[near]]
    c_end = c_start + cands["n"].to_numpy()[near]
    c_field = c_field[near]

    def inside(spans: pd.DataFrame, strictly: bool) -> np.ndarray:
        out = np.zeros(len(near), dtype=bool)
        by_field: dict[int, list[tuple[int, int]]] = {}
        for f, s, n in zip(spans["field_row"].tolist(), spans["start_pos"].tolist(), spans["n"].tolist(), strict=True):
            by_field.setdefault(f, []).append((s, s + n))
        for j, (f, s, e) in enumerate(zip(c_field.tolist(), c_start.tolist(), c_end.tolist(), strict=True)):
            out[j] = any(ks <= s and e <= ke and (not strictly or (ks, ke) != (s, e)) for ks, ke in by_field.get(f, ()))
        return out

    stays = kept[~dropped]
    back = inside(gone, strictly=True) & ~inside(stays[np.isin(stays["field_row"].to_numpy(), fields)], strictly=False)
    return cands.iloc[near[back]]
