"""The compiled match index: one entry per unique mark key, plus hash tables for exact and fuzzy lookups.

Representative record (the row reported as ``mark_id`` / ``mark`` / ``owner`` for a key), chosen
deterministically among the records sharing the key: live before pending before unknown before dead;
then kind ``brand`` before ``product_line`` before ``franchise``/``character``/``team`` before unknown
before ``word``; then the most recent (largest of registration and filing date); then the lowest row.
Every other record stays reachable: ``record_key[row]`` gives a row's key, ``key_records`` /
``key_owners`` count records and distinct owners per key.

Aliases (the ``aliases`` column: ``;``-separated other written forms of a mark, such as ``LOTR`` or
``ナイキ``) are extra keys of the same record: an alias's normalised form becomes a key whose representative
is the record the alias belongs to (same mark id, owner, classes and kind), found by the exact and
joined/split search like the mark. ``key_alias`` says which alias a key stands for ("" for the marks' own
keys) and ``key_base`` the key of the mark itself. A mark's own key always wins: an alias that normalises to
the key of some mark (its own or another) adds nothing. Aliases of one CJK character or of more than
:data:`~scanner.match.rules.MAX_KEY_LENGTH` characters are not indexed. Typo / phonetic signatures are
made for an alias only when it is written in Latin letters and has at least
:data:`~scanner.match.words.MIN_DISTINCTIVE_LENGTH` letters (fuzzy matching of CJK or Cyrillic forms is not
meaningful). ``alias_row`` / ``alias_key`` list the indexed aliases (record row, key id), so that
ownership reaches them.
"""

from __future__ import annotations

import itertools
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import jellyfish
import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..errors import CorpusError
from ..frames import Distinct
from ..frequency import english_zipfs
from ..progress import Progress
from ..progress import get as _progress
from ..text import brand_key, mark_tokens
from . import hashing, rules
from .words import MIN_DISTINCTIVE_LENGTH, distinctive_keys

#: Bump when the index layout or the rules it encodes change (invalidates cached indexes).
INDEX_FORMAT_VERSION = 2

STATUS_RANK = {"live": 0, "pending": 1, "": 2, "dead": 3}
KIND_RANK = {"brand": 0, "product_line": 1, "franchise": 2, "character": 2, "team": 2, "": 3, "word": 4}

FLAG_DISTINCTIVE = 1
FLAG_ORDINARY = 2

#: The corpus columns the index is built from (the others may be left empty when building it).
INDEX_COLUMNS = ("mark", "aliases", "status", "kind", "owner", "registration_date", "filing_date")

#: The NumPy arrays of an index (saved one ``.npy`` file each).
ARRAY_FIELDS = (
    "key_mark", "key_records", "key_owners", "key_ntok", "key_flags", "key_zipf",
    "exact_slots", "exact_values", "prefix_bits",
    "fuzzy_sig", "fuzzy_key", "fuzzy_pos", "fuzzy_kind", "fuzzy_ctx",
    "record_key", "record_owner", "key_base", "alias_row", "alias_key",
)


@dataclass
class MatchIndex:
    """Everything the matcher needs about a corpus, as flat arrays (see the module docstring)."""

    content_hash: str
    keys: list[str]  # compact key per key id
    key_tokens: list[str]  # the representative record's tokens, space-joined
    key_mark: np.ndarray  # int64: representative row (position in corpus.marks)
    key_records: np.ndarray  # int32: records sharing the key
    key_owners: np.ndarray  # int32: distinct (non-empty) owners among them
    key_ntok: np.ndarray  # uint32: bit n set when some record has n tokens (n >= 31 -> bit 31)
    key_flags: np.ndarray  # uint8: FLAG_DISTINCTIVE | FLAG_ORDINARY
    key_zipf: np.ndarray  # float32: English word frequency of the key (Zipf)
    exact_slots: np.ndarray  # HashTable over key lookup hashes -> key id
    exact_values: np.ndarray
    prefix_bits: np.ndarray  # BloomFilter over proper prefixes of keys
    fuzzy_sig: np.ndarray  # uint64, sorted: typo / shuffle / phonetic signatures
    fuzzy_key: np.ndarray  # int32 key id per signature
    fuzzy_pos: np.ndarray  # int8: the token of the mark the signature is about
    fuzzy_kind: np.ndarray  # int8: rules.KIND_TYPO / KIND_SHUFFLE / KIND_PHONETIC
    fuzzy_ctx: np.ndarray  # uint64, sorted unique contexts of the fuzzy signatures
    record_key: np.ndarray  # int32 per corpus row: its key id, -1 when it has none
    record_owner: np.ndarray  # int32 per corpus row: owner id, -1 when no owner
    owner_keys: list[str]  # brand_key of each owner id
    key_base: np.ndarray  # int32 per key id: the key of the mark itself (itself, except for an alias key)
    alias_row: np.ndarray  # int64 per indexed alias: the corpus row it belongs to
    alias_key: np.ndarray  # int32 per indexed alias: its key id
    key_alias: list[str]  # per key id: the alias text it stands for, "" for a mark's own key
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.exact = hashing.HashTable(self.exact_slots, self.exact_values)
        self.prefixes = hashing.BloomFilter(self.prefix_bits)

    @property
    def n_keys(self) -> int:
        return len(self.keys)

    @property
    def max_key_length(self) -> int:
        return int(self.meta.get("max_key_length", 0))

    def key_id(self, key: str) -> int:
        """The id of a compact key, or -1."""
        if not key:
            return -1
        found = int(self.exact.get(hashing.lookup_hashes([key]))[0])
        return found if found >= 0 and self.keys[found] == key else -1

    def key_ids(self, keys: list[str]) -> np.ndarray:
        """:meth:`key_id` of each of ``keys`` (int64 array, -1 where none), in one vectorised lookup."""
        if not keys:
            return np.zeros(0, dtype=np.int64)
        found = self.exact.get(hashing.lookup_hashes(keys)).astype(np.int64)
        return np.fromiter((f if f >= 0 and key and self.keys[f] == key else -1
                            for f, key in zip(found.tolist(), keys, strict=True)), dtype=np.int64, count=len(keys))

    def key_rows(self, key_ids: np.ndarray) -> list[np.ndarray]:
        """The corpus rows (positions in ``corpus.marks``) of each key in ``key_ids``, one array per key."""
        order = self.__dict__.get("_rows_order")
        if order is None:
            order = np.argsort(self.record_key, kind="stable")
            bounds = np.searchsorted(self.record_key[order], np.arange(self.n_keys + 1))
            self.__dict__["_rows_order"], self.__dict__["_rows_bounds"] = order, bounds
        bounds = self.__dict__["_rows_bounds"]
        return [order[bounds[k]:bounds[k + 1]] for k in np.asarray(key_ids, dtype=np.int64).tolist()]

    def token_counts(self, key_id: int) -> set[int]:
        """The token counts the records of a key were written with."""
        mask = int(self.key_ntok[key_id])
        return {n for n in range(32) if mask >> n & 1}


#: The columns :func:`record_order` reads.
ORDER_COLUMNS = ("status", "kind", "registration_date", "filing_date")


def record_order(marks: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(status rank, kind rank, recency)`` of every record of ``marks`` (int64 arrays): the representative
    order of the module docstring is ascending status and kind, then descending recency, then the row."""
    status = _column(marks, "status").str.strip().str.lower().map(STATUS_RANK).fillna(2).to_numpy(np.int64)
    kind = _column(marks, "kind").str.strip().str.lower().map(KIND_RANK).fillna(3).to_numpy(np.int64)
    return status, kind, _recency(marks)


def _recency(marks: pd.DataFrame) -> np.ndarray:
    out = np.zeros(len(marks), dtype=np.int64)
    for col in ("registration_date", "filing_date"):
        if col in marks.columns:
            vals = pd.to_numeric(marks[col].astype(str).str.slice(0, 8), errors="coerce").fillna(0)
            out = np.maximum(out, vals.to_numpy(dtype=np.int64))
    return out


def _column(marks: pd.DataFrame, name: str) -> pd.Series:
    if name not in marks.columns:
        return pd.Series([""] * len(marks), index=marks.index, dtype=object)
    return marks[name].fillna("").astype(str)


def _aliases(marks: pd.DataFrame) -> tuple[list[int], list[str]]:
    """``(row, alias)`` of every alias in the ``aliases`` column (``;``-separated), in row order."""
    rows: list[int] = []
    texts: list[str] = []
    column = _column(marks, "aliases")
    for row in np.flatnonzero(column.str.len().to_numpy() > 0).tolist():
        for alias in column.iat[row].split(";"):
            alias = " ".join(alias.split())
            if alias:
                rows.append(row)
                texts.append(alias)
    return rows, texts


def _fuzzy_alias(alias: str) -> bool:
    """An alias gets typo / phonetic signatures only in Latin letters, with at least 5 of them."""
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= MIN_DISTINCTIVE_LENGTH and all(c.isascii() or unicodedata.name(c, "").startswith("LATIN")
                                                           for c in letters)


def build_index(corpus: Corpus, *, progress: Progress | None = None) -> MatchIndex:
    """Compile the match index of ``corpus`` (no caching; see :func:`scanner.match.prepare_index`)."""
    progress = _progress(progress)
    started = time.perf_counter()
    marks = corpus.marks
    if "mark" not in marks.columns:
        raise CorpusError("the corpus has no 'mark' column")
    n = len(marks)
    alias_src, alias_texts = _aliases(marks)
    # entries 0..n-1 are the records, entries n.. their aliases (entry_row maps an entry to its record)
    texts = _column(marks, "mark").tolist() + alias_texts
    entry_row = np.concatenate([np.arange(n, dtype=np.int64), np.asarray(alias_src, dtype=np.int64)])

    # 1. normalise every record (one analysis per distinct mark text)
    text_code, text_tokens = _entry_tokens(texts, progress)
    del texts
    entry_key, keys, ntok, too_long = _entry_keys(text_code, text_tokens, n)
    record_key = entry_key[:n]
    n_keys = len(keys)
    # 2. representative entry per key (an alias entry ranks as its record)
    key_entry, key_records, key_ntok = _representatives(marks, entry_row, entry_key, ntok, n_keys)
    key_mark = entry_row[key_entry]
    # 3. owners
    record_owner, owner_keys, key_owners = _owners(marks, entry_row, entry_key, n_keys)
    # 4. key properties
    key_tokens = [" ".join(text_tokens[c]) for c in text_code[key_entry].tolist()]
    del text_tokens, text_code
    aliases = _alias_keys(key_entry, key_mark, record_key, entry_key, entry_row, alias_texts, n)
    key_zipf, key_flags = _key_flags(keys)
    # 5. exact table + prefix filter
    progress.info(f"match index: {n_keys:,} keys from {n:,} marks; hashing")
    table, collisions = _exact_table(keys)
    prefix_bits = _prefix_filter(keys)
    # 6. fuzzy signatures (aliases only in Latin letters, >= 5 of them)
    fuzzy_ok = np.fromiter((not a or _fuzzy_alias(a) for a in aliases["key_alias"]), dtype=bool, count=n_keys)
    fuzzy = _fuzzy_entries(keys, key_tokens, np.where(fuzzy_ok, key_flags, 0).astype(np.uint8))

    meta = {
        "format": INDEX_FORMAT_VERSION,
        "n_marks": n,
        "n_keys": n_keys,
        "n_aliases": len(alias_texts),
        "alias_keys": int((key_entry >= n).sum()),
        "skipped_long": int(too_long.sum()),
        "hash_collisions": collisions,
        "max_key_length": int(max((len(k) for k in keys), default=0)),
        "fuzzy_entries": int(len(fuzzy["fuzzy_sig"])),
        "build_seconds": round(time.perf_counter() - started, 2),
    }
    return MatchIndex(
        content_hash=corpus.content_hash,
        keys=keys,
        key_tokens=key_tokens,
        key_mark=key_mark,
        key_records=key_records,
        key_owners=key_owners,
        key_ntok=key_ntok,
        key_flags=key_flags,
        key_zipf=key_zipf,
        exact_slots=table.slots,
        exact_values=table.values,
        prefix_bits=prefix_bits,
        record_key=record_key,
        record_owner=record_owner,
        owner_keys=owner_keys,
        meta=meta,
        **aliases,
        **fuzzy,
    )


def _entry_tokens(texts: list[str], progress: Progress) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Step 1a: ``(text code of every entry, normalised tokens of each distinct text)`` (the codes number the
    distinct texts in order of first appearance; one analysis per distinct text)."""
    n_entries = len(texts)
    distinct = Distinct(texts)
    codes, uniques = distinct.codes, distinct.uniques
    tokens: list[tuple[str, ...]] = []
    step = 50_000
    with progress.task("indexing marks", total=n_entries, unit="marks", unit_scale=True) as bar:
        done = 0
        for start in range(0, len(uniques), step):
            tokens.extend(map(mark_tokens, uniques[start:start + step]))
            now = n_entries * len(tokens) // max(len(uniques), 1)
            bar.update(now - done)
            done = now
        bar.update(n_entries - done)
    return codes.astype(np.int64), tokens


def _entry_keys(text_code: np.ndarray, text_tokens: list[tuple[str, ...]],
                n: int) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Step 1b: ``(entry_key, keys, ntok, too_long)``: the key id of every entry (-1 when it has none), the
    compact keys, each entry's token count and whether its key is too long to index. ``n`` is the number of
    records (the entries after them are aliases). ``text_code`` / ``text_tokens`` are step 1a's."""
    n_entries = len(text_code)
    compact_u = ["".join(t) for t in text_tokens]
    ntok = np.fromiter(map(len, text_tokens), dtype=np.int64, count=len(text_tokens))[text_code]
    clen = np.fromiter(map(len, compact_u), dtype=np.int64, count=len(compact_u))[text_code]
    too_long = clen > rules.MAX_KEY_LENGTH
    # the distinct texts are numbered in order of first appearance, so numbering their compact forms the
    # same way numbers the entries' compact forms in order of first appearance
    distinct = Distinct(compact_u)
    compact_code, uniques = distinct.codes, distinct.uniques
    codes = compact_code.astype(np.int64)[text_code]
    empty_code = -1
    for i, u in enumerate(uniques):
        if u == "":
            empty_code = i
            break
    valid = (codes != empty_code) & ~too_long
    if n_entries > n:
        # an alias adds a key only where no mark has it, and never as a single CJK character
        mark_codes = np.zeros(len(uniques), dtype=bool)
        mark_codes[codes[:n][valid[:n]]] = True
        single = clen[n:] == 1
        valid[n:] &= ~mark_codes[codes[n:]] & ~single
    # renumber keys densely over valid entries (marks first, in first appearance order; then aliases)
    used = np.concatenate([hashing.sorted_unique(codes[:n][valid[:n]]), hashing.sorted_unique(codes[n:][valid[n:]])])
    used = used[np.sort(np.unique(used, return_index=True)[1])]
    remap = np.full(len(uniques), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    entry_key = np.where(valid, remap[codes], -1).astype(np.int32)
    keys = [uniques[u] for u in used.tolist()]
    return entry_key, keys, ntok, too_long


def _representatives(marks: pd.DataFrame, entry_row: np.ndarray, entry_key: np.ndarray, ntok: np.ndarray,
                     n_keys: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 2: ``(key_entry, key_records, key_ntok)``: the representative entry of each key (see the module
    docstring; an alias entry ranks as its record), the number of entries sharing it and the bit set of their
    token counts."""
    status, kind, recency = (a[entry_row] for a in record_order(marks))
    rows = np.flatnonzero(entry_key >= 0)
    order = rows[np.lexsort((rows, -recency[rows], kind[rows], status[rows], entry_key[rows]))]
    rk = entry_key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = rk[1:] != rk[:-1]
    key_entry = np.zeros(n_keys, dtype=np.int64)
    key_entry[rk[first]] = order[first]
    key_records = np.bincount(rk, minlength=n_keys).astype(np.int32)
    bits = np.left_shift(np.uint32(1), np.minimum(ntok[order], 31).astype(np.uint32))
    key_ntok = np.zeros(n_keys, dtype=np.uint32)
    if len(order):
        starts = np.flatnonzero(first)
        key_ntok[rk[starts]] = np.bitwise_or.reduceat(bits, starts)
    return key_entry, key_records, key_ntok


def _owners(marks: pd.DataFrame, entry_row: np.ndarray, entry_key: np.ndarray,
            n_keys: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Step 3: ``(record_owner, owner_keys, key_owners)``: the owner id of each record (-1 when it has none),
    the ``brand_key`` of each owner id and the number of distinct owners per key."""
    owners = _column(marks, "owner")
    uniq_owners = pd.unique(owners)
    okeys = [brand_key(o) for o in uniq_owners]
    okey_codes, owner_keys = pd.factorize(pd.Series(okeys, dtype=object))
    owner_map = dict(zip(uniq_owners, okey_codes, strict=True))
    record_owner = owners.map(owner_map).to_numpy(dtype=np.int64)
    owner_keys = list(owner_keys)
    if "" in owner_keys:
        blank = owner_keys.index("")
        record_owner = np.where(record_owner == blank, -1, record_owner)
    record_owner = record_owner.astype(np.int32)
    entry_owner = record_owner[entry_row]
    rows = np.flatnonzero(entry_key >= 0)
    rows = rows[entry_owner[rows] >= 0]
    # the distinct (key, owner) pairs, each as one number
    width = np.int64(len(owner_keys) + 1)
    pairs = hashing.sorted_unique(entry_key[rows].astype(np.int64) * width + entry_owner[rows].astype(np.int64))
    key_owners = np.bincount(pairs // width, minlength=n_keys).astype(np.int32)
    return record_owner, owner_keys, key_owners


def _alias_keys(key_entry: np.ndarray, key_mark: np.ndarray, record_key: np.ndarray, entry_key: np.ndarray,
                entry_row: np.ndarray, alias_texts: list[str], n: int) -> dict[str, Any]:
    """Step 4a: the alias fields of the index (``key_alias``, ``key_base``, ``alias_row``, ``alias_key``)."""
    n_keys = len(key_entry)
    is_alias = key_entry >= n
    key_alias = [alias_texts[e - n] if e >= n else "" for e in key_entry.tolist()]
    own_key = record_key[key_mark]
    key_base = np.where(is_alias & (own_key >= 0), own_key, np.arange(n_keys)).astype(np.int32)
    kept_alias = np.flatnonzero(entry_key[n:] >= 0)
    alias_row = entry_row[n:][kept_alias].astype(np.int64)
    alias_key = entry_key[n:][kept_alias].astype(np.int32)
    return {"key_alias": key_alias, "key_base": key_base, "alias_row": alias_row, "alias_key": alias_key}


def _key_flags(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Step 4b: ``(key_zipf, key_flags)``: each key's English word frequency and its distinctive / ordinary
    flags."""
    key_zipf = english_zipfs(keys).astype(np.float32)
    distinctive, ordinary = distinctive_keys(keys)
    key_flags = (np.where(distinctive, FLAG_DISTINCTIVE, 0)
                 | np.where(ordinary & (key_zipf > 0), FLAG_ORDINARY, 0)).astype(np.uint8)
    return key_zipf, key_flags


def _exact_table(keys: list[str]) -> tuple[hashing.HashTable, int]:
    """Step 5: the hash table of the keys' lookup hashes (-> key id) and the number of colliding hashes."""
    exact_hash = hashing.lookup_hashes(keys)
    uniq_hash, first_idx, counts = np.unique(exact_hash, return_index=True, return_counts=True)
    collisions = int((counts > 1).sum())
    return hashing.HashTable.build(uniq_hash, first_idx.astype(np.int32)), collisions


def _prefix_filter(keys: list[str]) -> np.ndarray:
    """Bloom filter of every proper prefix of every key (lets the window scan stop early)."""
    parts = []
    for length, idx in hashing.by_length(keys).items():
        if length < 2:
            continue
        pre = hashing.prefix_hashes(hashing.code_matrix([keys[i] for i in idx.tolist()], length))
        for i in range(1, length):
            parts.append(hashing.finish(pre[:, i], np.full(len(idx), i)))
    hashes = hashing.sorted_unique(np.concatenate(parts)) if parts else np.zeros(0, np.uint64)
    return hashing.BloomFilter.build(hashes).bits


#: Entries per block when computing signatures (bounds the temporary arrays of the hash mixing).
_BLOCK = 1 << 18


def _fuzzy_entries(keys: list[str], key_tokens: list[str], key_flags: np.ndarray) -> dict[str, np.ndarray]:
    """Typo (deletion neighbourhood), shuffle and phonetic signatures of every distinctive key's tokens."""
    ent_key, ent_n, ent_j, ent_tok, ctx = _fuzzy_tokens(key_tokens, key_flags)
    if not ent_tok:
        empty = np.zeros(0, np.uint64)
        return {"fuzzy_sig": empty, "fuzzy_key": np.zeros(0, np.int32), "fuzzy_pos": np.zeros(0, np.int8),
                "fuzzy_kind": np.zeros(0, np.int8), "fuzzy_ctx": empty}
    ent_key_a = np.asarray(ent_key, dtype=np.int32)
    ent_j_a = np.asarray(ent_j, dtype=np.int8)
    sigs: list[np.ndarray] = []
    kid: list[np.ndarray] = []
    pos: list[np.ndarray] = []
    kind: list[np.ndarray] = []

    def add(sig: np.ndarray, entries: np.ndarray, sig_kind: int) -> None:
        sigs.append(sig)
        kid.append(ent_key_a[entries])
        pos.append(ent_j_a[entries])
        kind.append(np.full(len(entries), sig_kind, np.int8))

    # typo: deletion neighbourhoods
    add(*_typo_signatures(ent_tok, ctx), rules.KIND_TYPO)
    # shuffle
    sh = [i for i, t in enumerate(ent_tok) if len(t) >= rules.SHUFFLE_MIN_LENGTH]
    if sh:
        sh_a = np.asarray(sh)
        add(hashing.signature(ctx[sh_a], hashing.lookup_hashes([rules.shuffle_key(ent_tok[i]) for i in sh]), hashing.SALT_SHUFFLE),
            sh_a, rules.KIND_SHUFFLE)
    # phonetic
    ph, codes = _phonetic_codes(ent_tok)
    if ph:
        ph_a = np.asarray(ph)
        add(hashing.signature(ctx[ph_a], hashing.lookup_hashes(codes), hashing.SALT_PHONETIC), ph_a, rules.KIND_PHONETIC)
    return _sorted_signatures(sigs, {"fuzzy_key": kid, "fuzzy_pos": pos, "fuzzy_kind": kind}, ctx)


def _fuzzy_tokens(key_tokens: list[str],
                  key_flags: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray]:
    """``(key id, token count, position, token, context)`` of every token long enough for fuzzy matching, in
    the distinctive keys of at most ``MAX_FUZZY_TOKENS`` tokens; the context of a token is the hash of its
    key's token count, its position and the sum of the other tokens' terms."""
    kids = np.flatnonzero(key_flags & FLAG_DISTINCTIVE)
    split = [key_tokens[k].split(" ") for k in kids.tolist()]
    ntoks = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
    fits = ntoks <= rules.MAX_FUZZY_TOKENS
    kids, ntoks = kids[fits], ntoks[fits]
    all_tok = list(itertools.chain.from_iterable(itertools.compress(split, fits.tolist())))
    del split
    owner = np.repeat(np.arange(len(kids)), ntoks)  # entry-group (key) index per token of the key
    starts = np.cumsum(ntoks) - ntoks
    all_pos = np.arange(len(all_tok), dtype=np.int64) - starts[owner]
    lengths = np.fromiter(map(len, all_tok), dtype=np.int64, count=len(all_tok))
    chosen = np.flatnonzero(lengths >= rules.MIN_FUZZY_MARK_TOKEN)
    ent_tok = _take(all_tok, chosen)
    ent_group = owner[chosen]
    ent_key, ent_n, ent_j = kids[ent_group], ntoks[ent_group], all_pos[chosen]
    if not ent_tok:
        return ent_key, ent_n, ent_j, ent_tok, np.zeros(0, np.uint64)
    # context of each entry: the sum of the other tokens' terms (each key's tokens are contiguous)
    term = hashing.token_term(hashing.lookup_hashes(all_tok), all_pos)
    total = np.add.reduceat(term, starts) if len(starts) else np.zeros(0, np.uint64)
    with np.errstate(over="ignore"):
        others = total[ent_group] - term[chosen]  # less the entry's own term (token j of its key)
    ctx = hashing.context_hash(ent_n, ent_j, others)
    return ent_key, ent_n, ent_j, ent_tok, ctx


def _take(values: list[str], positions: np.ndarray) -> list[str]:
    """``[values[i] for i in positions]``."""
    if len(positions) == len(values):
        return list(values)
    return [values[i] for i in positions.tolist()]


def _typo_signatures(ent_tok: list[str], ctx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(signature, entry)`` of every deletion-neighbourhood variant of every token."""
    lengths = np.fromiter(map(len, ent_tok), dtype=np.int64, count=len(ent_tok))
    budget = np.array([rules.typo_budget(n) for n in range(int(lengths.max(initial=0)) + 1)], dtype=np.int64)
    owner_e, dh = hashing.deletion_hashes(ent_tok, budget[lengths])
    # the typo entries are most of the index: signatures computed a block at a time (the hash mixing makes
    # temporary arrays), each temporary freed as soon as possible
    typo_sig = np.empty(len(dh), dtype=np.uint64)
    for start in range(0, len(dh), _BLOCK):
        stop = start + _BLOCK
        typo_sig[start:stop] = hashing.signature(ctx[owner_e[start:stop]], dh[start:stop], hashing.SALT_TYPO)
    return typo_sig, owner_e


def _phonetic_codes(ent_tok: list[str]) -> tuple[list[int], list[str]]:
    """``(entries, metaphone codes)`` of the all-ASCII-letter tokens with a code long enough (one Metaphone
    per distinct token)."""
    known: dict[str, str] = {}
    ph, codes = [], []
    for i, t in enumerate(ent_tok):
        if t.isascii() and t.isalpha():
            c = known.get(t)
            if c is None:
                c = known[t] = jellyfish.metaphone(t)
            if len(c) >= rules.PHONETIC_MIN_CODE:
                ph.append(i)
                codes.append(c)
    return ph, codes


def _sorted_signatures(sigs: list[np.ndarray], columns: dict[str, list[np.ndarray]],
                       ctx: np.ndarray) -> dict[str, np.ndarray]:
    """The fuzzy arrays of the index, sorted by signature (each part list is emptied as it is joined)."""
    sig = np.concatenate(sigs)
    sigs.clear()
    order = np.argsort(sig, kind="stable")
    out = {"fuzzy_sig": sig[order]}
    del sig
    for name, parts in columns.items():
        column = np.concatenate(parts)
        parts.clear()
        out[name] = column[order]
        del column
    out["fuzzy_ctx"] = hashing.sorted_unique(ctx)
    return out
