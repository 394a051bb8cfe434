"""Exact-family candidates: windows of listing tokens whose concatenation is a mark key.

Every window of 1..:data:`~scanner.match.rules.MAX_WINDOW_TOKENS` consecutive tokens of a field is hashed
incrementally (``H(a+b) = H(a) * P**len(b) + H(b)``) and looked up in the key table; a window is only
widened while it is still a prefix of some key (Bloom filter), so the scan costs a few lookups per token
however many marks the corpus has. Plural windows (``legos`` -> ``lego``) and a model number glued to the
last word (``hero3`` -> ``hero``) are the same hash with that ending removed (``(H - H(end)) * P**-len(end)``). Hits are then checked against the key strings and the
rules in :mod:`scanner.match.rules`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import hashing, rules
from .index import FLAG_ORDINARY, MatchIndex
from .tokens import TokenTable

CANDIDATE_COLUMNS = ("field_row", "first", "n", "key", "kind", "similarity", "suffix")


def empty_candidates() -> pd.DataFrame:
    return pd.DataFrame({
        "field_row": np.zeros(0, np.int64), "first": np.zeros(0, np.int64), "n": np.zeros(0, np.int64),
        "key": np.zeros(0, np.int64), "kind": np.zeros(0, np.int64), "similarity": np.zeros(0, float),
        "suffix": np.zeros(0, np.int64),
    })


def _tails(text: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Removable endings of each token (each distinct token text): ``(length, raw hash)`` per token for a
    plural ``s``, a plural ``es`` and a model number glued to a word (``hero3``, ``fit2``, ``xbox360``);
    length 0 = none."""
    n = len(text)
    ends_s = np.fromiter((t.endswith("s") and len(t) > 1 for t in text), dtype=bool, count=n)
    ends_es = np.fromiter((t.endswith("es") and len(t) > 2 for t in text), dtype=bool, count=n)
    s_len = ends_s.astype(np.int64)
    es_len = ends_es.astype(np.int64) * 2
    d_len = np.zeros(n, dtype=np.int64)
    d_hash = np.zeros(n, dtype=np.uint64)
    idx, tails = [], []
    for i, t in enumerate(text):
        if t[-1].isdigit() and not t[0].isdigit():
            d = len(t) - len(t.rstrip("0123456789"))
            if d <= rules.MAX_DIGIT_SUFFIX and t[-d - 1].isalpha():
                idx.append(i)
                tails.append(t[-d:])
    if idx:
        raw, lengths = hashing.poly_hashes(tails)
        d_len[idx] = lengths
        d_hash[idx] = raw
    with np.errstate(over="ignore"):
        es_hash = np.full(n, np.uint64(ord("e")) * hashing.P + np.uint64(ord("s")), dtype=np.uint64)
    return [(s_len, np.full(n, np.uint64(ord("s")), dtype=np.uint64)), (es_len, es_hash), (d_len, d_hash)]


def exact_candidates(tt: TokenTable, index: MatchIndex) -> pd.DataFrame:
    """Verified exact-family candidates (``kind`` 0, ``similarity`` 100)."""
    n_tok = len(tt.text)
    # a window with a removable ending may be longer than any key
    maxlen = index.max_key_length + rules.MAX_DIGIT_SUFFIX
    if n_tok == 0 or index.n_keys == 0:
        return empty_candidates()
    pw = hashing.powers(maxlen)
    inv = np.ones(rules.MAX_DIGIT_SUFFIX + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(1, len(inv)):
            inv[i] = inv[i - 1] * hashing.P_INV
    tails = _tails(tt.uniques)  # per distinct token text: index them with tt.code
    start = np.flatnonzero(tt.length <= maxlen)
    cur_raw = tt.raw[start]
    cur_len = tt.length[start]
    found_start, found_w, found_key, found_suffix = [], [], [], []
    w = 1
    with np.errstate(over="ignore"):
        while start.size and w <= rules.MAX_WINDOW_TOKENS:
            last = start + (w - 1)
            h = hashing.finish(cur_raw, cur_len)
            kid = index.exact.get(h)
            hit = kid >= 0
            found_start.append(start[hit])
            found_w.append(np.full(int(hit.sum()), w))
            found_key.append(kid[hit])
            found_suffix.append(np.zeros(int(hit.sum()), np.int64))
            last_code = tt.code[last]
            for tail_len, tail_hash in tails:
                tl = tail_len[last_code]
                m = (tl > 0) & (cur_len - tl >= rules.MIN_PLURAL_KEY)
                if not m.any():
                    continue
                r = (cur_raw[m] - tail_hash[last_code[m]]) * inv[tl[m]]
                k2 = index.exact.get(hashing.finish(r, cur_len[m] - tl[m]))
                hit2 = k2 >= 0
                found_start.append(start[m][hit2])
                found_w.append(np.full(int(hit2.sum()), w))
                found_key.append(k2[hit2])
                found_suffix.append(tl[m][hit2])
            # widen the windows that are still a prefix of some key
            nxt = start + w
            ext = nxt < n_tok
            ext[ext] = tt.seq[nxt[ext]] == tt.seq[start[ext]]
            ext[ext] = cur_len[ext] + tt.length[nxt[ext]] <= maxlen
            ext[ext] = index.prefixes.contains(h[ext])
            start, cur_raw, cur_len, nxt = start[ext], cur_raw[ext], cur_len[ext], nxt[ext]
            cur_raw = cur_raw * pw[tt.length[nxt]] + tt.raw[nxt]
            cur_len = cur_len + tt.length[nxt]
            w += 1
    if not found_start:
        return empty_candidates()
    starts = np.concatenate(found_start)
    widths = np.concatenate(found_w)
    keys = np.concatenate(found_key).astype(np.int64)
    suffixes = np.concatenate(found_suffix)
    keep = _verified(tt, index, starts, widths, keys, suffixes)
    if not keep.any():
        return empty_candidates()
    n_kept = int(keep.sum())
    df = pd.DataFrame({
        "field_row": tt.field_row[starts[keep]].astype(np.int64), "first": tt.real[starts[keep]].astype(np.int64),
        "n": widths[keep].astype(np.int64), "key": keys[keep],
        "kind": np.full(n_kept, rules.KIND_EXACT, np.int64), "similarity": np.full(n_kept, 100.0),
        "suffix": suffixes[keep].astype(np.int64),
    })
    return df.drop_duplicates(["field_row", "first", "n", "key"], ignore_index=True)


def _verified(tt: TokenTable, index: MatchIndex, starts: np.ndarray, widths: np.ndarray, keys: np.ndarray,
              suffixes: np.ndarray) -> np.ndarray:
    """Mask of the hash hits that are real: the window (without its removed ending) is the key, the rules of
    :func:`_allowed` hold, and a virtual copy is only counted where it uses the alternative form."""
    alt = tt.alt_row[tt.seq[starts]]
    keep = (alt < 0) | ((tt.real[starts] <= alt) & (alt <= tt.real[starts + widths - 1]))
    text = tt.text
    # a one-token window is decided by (token text, key, ending) alone: once per distinct triple
    one = np.flatnonzero(keep & (widths == 1))
    if len(one):
        triples, inverse = hashing.unique_int_rows(tt.code[starts[one]], keys[one], suffixes[one])
        ok = np.fromiter((_window_is_key(index, [tt.uniques[c]], k, suf) for c, k, suf in triples.tolist()),
                         dtype=bool, count=len(triples))
        keep[one] = ok[inverse.reshape(-1)]
    wide = keep & (widths > 1)
    for i, s, wd, k, suf in zip(np.flatnonzero(wide).tolist(), starts[wide].tolist(), widths[wide].tolist(),
                                keys[wide].tolist(), suffixes[wide].tolist(), strict=True):
        keep[i] = _window_is_key(index, text[s : s + wd], k, suf)
    return keep


def _window_is_key(index: MatchIndex, window: list[str], k: int, suf: int) -> bool:
    """The tokens ``window`` joined, without their last ``suf`` letters, are key ``k``, as :func:`_allowed`
    allows."""
    joined = "".join(window)
    if suf:
        joined = joined[:-suf]
    key = index.keys[k]
    return joined == key and _allowed(index, k, key, window)


def _allowed(index: MatchIndex, k: int, key: str, window: list[str]) -> bool:
    """The token-structure rules of :mod:`scanner.match.rules` for an exact-family hit."""
    registered = int(index.key_ntok[k]) >> min(len(window), 31) & 1
    if registered:
        return True
    if len(key) <= rules.SHORT_KEY:
        return False
    if index.key_flags[k] & FLAG_ORDINARY:
        return len(window) > 1 and all(len(t) == 1 for t in window)
    return True
