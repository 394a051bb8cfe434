"""Vectorised, deterministic string hashing (NumPy, uint64 arithmetic modulo 2**64).

Strings are hashed with a polynomial (Horner) hash ``H(s) = sum(ord(s[i]) * P**(len-1-i))`` so that the hash
of a concatenation, of a string with its last letter removed, or of a string with one or two letters
deleted can be computed from prefix hashes without building the strings. Lookups use :func:`finish`, which
mixes in the length and scatters the bits (splitmix64). Everything is deterministic across processes, so
hashes can be cached on disk.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

P = np.uint64(0x100000001B3)  # odd, so invertible modulo 2**64
P_INV = np.uint64(pow(int(P), -1, 2**64))
_LEN_SALT = np.uint64(0x9E3779B97F4A7C15)

#: Salts that keep the signature spaces of the fuzzy index apart.
SALT_TYPO = np.uint64(0x51A7E0D1C0FFEE01)
SALT_SHUFFLE = np.uint64(0x2545F4914F6CDD1D)
SALT_PHONETIC = np.uint64(0x6A09E667F3BCC909)
_CTX_N = np.uint64(0xBB67AE8584CAA73B)
_CTX_J = np.uint64(0x3C6EF372FE94F82B)
_CTX_POS = np.uint64(0xA54FF53A5F1D36F1)


def mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (element-wise, uint64)."""
    x = np.asarray(x, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def finish(raw: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The lookup hash of strings with polynomial hash ``raw`` and length ``lengths`` (never 0)."""
    with np.errstate(over="ignore"):
        h = mix(np.asarray(raw, np.uint64) ^ (np.asarray(lengths, np.uint64) * _LEN_SALT))
    return h | np.uint64(1)


def powers(n: int) -> np.ndarray:
    """``P**i`` for ``i`` in ``0..n`` (uint64, modulo 2**64)."""
    out = np.ones(n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(1, n + 1):
            out[i] = out[i - 1] * P
    return out


def code_matrix(strings: Sequence[str], length: int) -> np.ndarray:
    """Code points of equal-length strings as an ``(n, length)`` uint64 matrix."""
    if not strings:
        return np.zeros((0, length), dtype=np.uint64)
    buf = "".join(strings).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(buf, dtype="<u4").reshape(len(strings), length).astype(np.uint64)


def by_length(strings: Sequence[str]) -> dict[int, np.ndarray]:
    """Indices of ``strings`` grouped by string length."""
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    order = np.argsort(lengths, kind="stable")
    sorted_len = lengths[order]
    groups = {}
    if len(order):
        cuts = np.flatnonzero(np.diff(sorted_len)) + 1
        for part in np.split(order, cuts):
            groups[int(lengths[part[0]])] = part
    return groups


def poly_hashes(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Raw polynomial hashes and lengths of ``strings`` (vectorised per length)."""
    n = len(strings)
    raw = np.zeros(n, dtype=np.uint64)
    lengths = np.zeros(n, dtype=np.int64)
    for length, idx in by_length(strings).items():
        lengths[idx] = length
        if length == 0:
            continue
        codes = code_matrix([strings[i] for i in idx.tolist()], length)
        h = np.zeros(len(idx), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for c in range(length):
                h = h * P + codes[:, c]
        raw[idx] = h
    return raw, lengths


def lookup_hashes(strings: Sequence[str]) -> np.ndarray:
    """:func:`finish` of :func:`poly_hashes`: the hash under which a string is looked up."""
    raw, lengths = poly_hashes(strings)
    return finish(raw, lengths)


def prefix_hashes(codes: np.ndarray) -> np.ndarray:
    """``pre[:, i]`` = raw hash of the first ``i`` characters (``i`` in ``0..L``)."""
    n, length = codes.shape
    pre = np.zeros((n, length + 1), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in range(length):
            pre[:, c + 1] = pre[:, c] * P + codes[:, c]
    return pre


def deletion_hashes(strings: Sequence[str], max_deletions: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Lookup hashes of every string obtained by deleting up to ``max_deletions[i]`` characters (0, 1 or 2)
    from ``strings[i]`` (the string itself included).

    Returns ``(owner, hashes)``: ``owner[m]`` is the index of the string that gave ``hashes[m]``, sorted by
    ``(owner, hash)``. Duplicates (deleting either of two equal neighbours) are removed per string.
    """
    kmax = np.asarray(max_deletions, dtype=np.int64)
    # strings of one length and one number of variants at a time: one row of variants per string, each row
    # sorted and de-duplicated on its own, then every row copied to its place in (owner, hash) order
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (owners, sorted variants, kept)
    counts = np.zeros(len(kmax), dtype=np.int64)
    for length, idx in by_length(strings).items():
        if length == 0:
            continue
        k = kmax[idx]
        singles = (k >= 1) & (length >= 2)
        doubles = (k >= 2) & (length >= 3)
        for n_del in (0, 1, 2):
            sel = np.flatnonzero(singles.astype(np.int64) + doubles == n_del)
            if not len(sel):
                continue
            owners = idx[sel]
            variants = _variant_matrix(code_matrix([strings[i] for i in owners.tolist()], length), n_del)
            variants.sort(axis=1)
            kept = np.ones(variants.shape, dtype=bool)
            kept[:, 1:] = variants[:, 1:] != variants[:, :-1]
            counts[owners] = kept.sum(axis=1)
            parts.append((owners, variants, kept))
    total = int(counts.sum())
    owner = np.empty(total, dtype=np.int64)
    hs = np.empty(total, dtype=np.uint64)
    start = np.cumsum(counts) - counts
    while parts:
        owners, variants, kept = parts.pop()
        rank = np.cumsum(kept, axis=1) - 1
        where = (start[owners][:, None] + rank)[kept]
        owner[where] = np.repeat(owners, kept.sum(axis=1))
        hs[where] = variants[kept]
        del owners, variants, kept, rank, where
    return owner, hs


def _variant_matrix(codes: np.ndarray, n_del: int) -> np.ndarray:
    """Lookup hashes of each row of ``codes`` (equal-length strings) with no, every one (``n_del`` >= 1) and
    every two (``n_del`` == 2) characters deleted: one row of variants per string."""
    n, length = codes.shape
    width = 1 + (length if n_del >= 1 else 0) + (length * (length - 1) // 2 if n_del >= 2 else 0)
    out = np.empty((n, width), dtype=np.uint64)
    pre = prefix_hashes(codes)
    pw = powers(length)
    full = pre[:, length]
    out[:, 0] = finish(full, np.full(n, length))
    col = 1
    with np.errstate(over="ignore"):
        if n_del >= 1:
            for j in range(length):
                suffix = full - pre[:, j + 1] * pw[length - j - 1]
                out[:, col] = finish(pre[:, j] * pw[length - 1 - j] + suffix, np.full(n, length - 1))
                col += 1
        if n_del >= 2:
            for j1 in range(length):
                for j2 in range(j1 + 1, length):
                    mid = pre[:, j2] - pre[:, j1 + 1] * pw[j2 - j1 - 1]
                    suffix = full - pre[:, j2 + 1] * pw[length - j2 - 1]
                    h = pre[:, j1] * pw[length - 2 - j1] + mid * pw[length - 1 - j2] + suffix
                    out[:, col] = finish(h, np.full(n, length - 2))
                    col += 1
    return out


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-D array by sorting (NumPy's hash-based unique is many times slower on millions of
    64-bit hashes)."""
    out = np.sort(values)
    if len(out) > 1:
        keep = np.empty(len(out), dtype=bool)
        keep[0] = True
        np.not_equal(out[1:], out[:-1], out=keep[1:])
        out = out[keep]
    return out


def unique_int_rows(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)`` for columns of non-negative
    integers: the rows are numbered as one integer each (mixed radix, so in the same order) where that fits
    in 63 bits, and the numbers made unique, several times faster than unique rows."""
    cols = [np.asarray(c, dtype=np.int64) for c in columns]
    radix = [int(c.max()) + 1 if len(c) else 1 for c in cols]
    if len(cols[0]) and min(int(c.min()) for c in cols) >= 0 and math.prod(radix) < 2**63:
        number = cols[0].copy()
        for c, r in zip(cols[1:], radix[1:], strict=True):
            number = number * r + c
        uniques, inverse = np.unique(number, return_inverse=True)
        rows = np.empty((len(uniques), len(cols)), dtype=np.int64)
        rest = uniques
        for j in range(len(cols) - 1, 0, -1):
            rest, rows[:, j] = np.divmod(rest, radix[j])
        rows[:, 0] = rest
        return rows, inverse.reshape(-1)
    rows, inverse = np.unique(np.stack(cols, axis=1), axis=0, return_inverse=True)
    return rows, inverse.reshape(-1)


def context_hash(n: np.ndarray, j: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Signature of "an ``n``-token window whose token ``j`` is fuzzy and whose other tokens are exact".

    ``others`` is the sum (uint64, wrapping) of :func:`token_term` over the exact tokens.
    """
    with np.errstate(over="ignore"):
        return mix(np.asarray(n, np.uint64) * _CTX_N + np.asarray(j, np.uint64) * _CTX_J + others)


def token_term(token_hash: np.ndarray, position: np.ndarray) -> np.ndarray:
    """One exact token's contribution to a :func:`context_hash` (depends on its position)."""
    with np.errstate(over="ignore"):
        return mix(np.asarray(token_hash, np.uint64) + (np.asarray(position, np.uint64) + np.uint64(1)) * _CTX_POS)


def signature(context: np.ndarray, value: np.ndarray, salt: np.uint64) -> np.ndarray:
    """Combine a context hash with a token-level hash (deletion variant, shuffle key, phonetic code)."""
    return mix(np.asarray(context, np.uint64) ^ mix(np.asarray(value, np.uint64) ^ salt))


class HashTable:
    """An open-addressing hash table from non-zero uint64 keys to int32 values (NumPy arrays, so it can be
    saved with ``np.save`` and probed for millions of keys at once)."""

    def __init__(self, slots: np.ndarray, values: np.ndarray) -> None:
        self.slots = slots
        self.values = values
        self.mask = np.int64(len(slots) - 1)

    @classmethod
    def build(cls, keys: np.ndarray, values: np.ndarray) -> HashTable:
        keys = np.asarray(keys, np.uint64)
        cap = 1 << max(4, int(3 * max(len(keys), 1) - 1).bit_length())
        slots = np.zeros(cap, dtype=np.uint64)
        vals = np.full(cap, -1, dtype=np.int32)
        pos = (keys & np.uint64(cap - 1)).astype(np.int64)
        pending = np.arange(len(keys))
        placed = np.zeros(len(keys), dtype=bool)
        while pending.size:
            p = pos[pending]
            empty = slots[p] == 0
            cand, pc = pending[empty], p[empty]
            slot_ids, first = np.unique(pc, return_index=True)
            winners = cand[first]
            slots[slot_ids] = keys[winners]
            vals[slot_ids] = values[winners]
            placed[winners] = True
            pending = pending[~placed[pending]]
            pos[pending] = (pos[pending] + 1) & (cap - 1)
        return cls(slots, vals)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """Values for ``keys`` (-1 where absent)."""
        keys = np.asarray(keys, np.uint64)
        out = np.full(len(keys), -1, dtype=np.int32)
        idx = (keys & np.uint64(self.mask)).astype(np.int64)
        active = np.arange(len(keys))
        while active.size:
            s = self.slots[idx[active]]
            found = s == keys[active]
            out[active[found]] = self.values[idx[active[found]]]
            active = active[~found & (s != 0)]
            idx[active] = (idx[active] + 1) & self.mask
        return out


class BloomFilter:
    """A two-probe Bloom filter over uint64 hashes (a NumPy bit array)."""

    def __init__(self, bits: np.ndarray) -> None:
        self.bits = bits
        self.nbits = np.uint64(len(bits) * 8)

    @classmethod
    def build(cls, hashes: np.ndarray, bits_per_item: int = 16) -> BloomFilter:
        n = max(len(hashes), 1)
        nbytes = 1 << max(6, int(n * bits_per_item // 8 - 1).bit_length())
        bits = np.zeros(nbytes, dtype=np.uint8)
        f = cls(bits)
        for pos in f._probes(np.asarray(hashes, np.uint64)):
            np.bitwise_or.at(bits, (pos >> np.uint64(3)).astype(np.int64), (np.uint8(1) << (pos & np.uint64(7)).astype(np.uint8)))
        return f

    def _probes(self, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return h % self.nbits, mix(h) % self.nbits

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        h = np.asarray(hashes, np.uint64)
        ok = np.ones(len(h), dtype=bool)
        for pos in self._probes(h):
            byte = self.bits[(pos >> np.uint64(3)).astype(np.int64)]
            ok &= (byte >> (pos & np.uint64(7)).astype(np.uint8)) & np.uint8(1) == 1
        return ok
