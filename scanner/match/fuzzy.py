"""Fuzzy candidates: typo (edit distance, letter shuffles) and phonetic matches of distinctive marks.

Never listing x mark: each eligible listing token is looked up, once per distinct token and context, in
the signature index built by :mod:`scanner.match.index`. A signature combines

* the *context*: how many tokens the window has, which of them is fuzzy, and the exact hashes of the others
  (``Hello Kity``: 2 tokens, token 1 fuzzy, token 0 = ``hello``);
* a value of the fuzzy token: one of its deletion variants (symmetric deletion neighbourhood: a mark token
  and a listing token within ``k`` edits share a string reachable by at most ``k`` deletions from each),
  its shuffle key, or its Metaphone code.

Candidates are then verified with rapidfuzz (OSA distance, Indel ratio) following :mod:`.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish
import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from ..frames import Distinct
from . import hashing, rules
from .exact import empty_candidates
from .index import MatchIndex
from .tokens import TokenTable
from .words import is_common

_SALTS = {rules.KIND_TYPO: hashing.SALT_TYPO, rules.KIND_SHUFFLE: hashing.SALT_SHUFFLE, rules.KIND_PHONETIC: hashing.SALT_PHONETIC}


@lru_cache(maxsize=200_000)
def fuzzy_eligible(token: str) -> bool:
    """A listing token that may be a misspelt / sound-alike mark token."""
    return len(token) >= rules.MIN_FUZZY_TOKEN and token.isalpha() and not is_common(token)


@lru_cache(maxsize=200_000)
def phonetic_code(token: str) -> str:
    """Metaphone code of an ASCII alphabetic token ("" otherwise)."""
    if not (token.isascii() and token.isalpha()):
        return ""
    return jellyfish.metaphone(token)


def verify(kind: int, token: str, mark_token: str) -> bool:
    """Does ``token`` stand for ``mark_token`` under rule ``kind``?"""
    if token == mark_token or len(mark_token) < rules.MIN_FUZZY_MARK_TOKEN:
        return False
    budget = rules.typo_budget(len(mark_token))
    if kind == rules.KIND_TYPO:
        return OSA.distance(token, mark_token, score_cutoff=budget) <= budget
    if kind == rules.KIND_SHUFFLE:
        return (
            len(token) == len(mark_token) >= rules.SHUFFLE_MIN_LENGTH
            and rules.shuffle_key(token) == rules.shuffle_key(mark_token)
            and OSA.distance(token, mark_token, score_cutoff=budget + 1) <= budget + 1
        )
    if kind == rules.KIND_PHONETIC:
        code = phonetic_code(token)
        return (
            len(code) >= rules.PHONETIC_MIN_CODE
            and code == phonetic_code(mark_token)
            and fuzz.ratio(token, mark_token) >= rules.PHONETIC_MIN_RATIO
        )
    return False


def similarity(kind: int, window: str, key: str) -> float:
    """0..100: OSA similarity for typos, Indel ratio for phonetic matches (compact strings)."""
    if kind == rules.KIND_PHONETIC:
        return round(float(fuzz.ratio(window, key)), 1)
    return round(100.0 * float(OSA.normalized_similarity(window, key)), 1)


def fuzzy_candidates(tt: TokenTable, index: MatchIndex, covered: np.ndarray) -> pd.DataFrame:
    """Verified fuzzy candidates; ``covered[row]`` marks real tokens already in an exact-family match."""
    if len(index.fuzzy_sig) == 0 or tt.n_real == 0:
        return empty_candidates()
    n_real = tt.n_real
    text = tt.text
    elig = np.fromiter(map(fuzzy_eligible, tt.uniques), dtype=bool, count=len(tt.uniques))[tt.code[:n_real]]
    elig &= ~covered[:n_real]
    rows = np.flatnonzero(elig)
    if not rows.size:
        return empty_candidates()
    # 1. every window around an eligible token whose context the index knows
    occ = _occurrences(tt, index, rows)
    if occ.empty:
        return empty_candidates()
    distinct = Distinct([text[i] for i in occ["t"].tolist()])
    tok_codes, tok_uniques = distinct.codes, distinct.uniques
    occ["u"] = tok_codes
    occ["win"] = occ.groupby(["u", "ctx"], sort=False).ngroup()
    wins = occ.drop_duplicates("win").sort_values("win")
    # 2. the (window, key, kind) whose signatures the index holds
    cand = _signature_hits(wins, _TokenValues.of(list(tok_uniques)), index)
    if cand is None:
        return empty_candidates()
    # 3. verify each (window, key, kind) on one occurrence, keep the best kind per (window, key)
    verified = _verify_windows(cand, wins, text, index)
    if not verified:
        return empty_candidates()
    w_id = wins["win"].to_numpy()
    vw = pd.DataFrame(
        [(int(w_id[wi]), k, kind, sim) for (wi, k), (kind, sim) in verified.items()],
        columns=["win", "key", "kind", "similarity"],
    )
    out = occ.merge(vw, on="win")
    # 4. every occurrence: check its other tokens too (the context is a hash)
    good = []
    for s, n, j, k in zip(out["s"].tolist(), out["n"].tolist(), out["j"].tolist(), out["key"].tolist(), strict=True):
        mark_toks = index.key_tokens[k].split(" ")
        good.append(all(text[s + i] == mark_toks[i] for i in range(n) if i != j))
    out = out[np.asarray(good, dtype=bool)]
    return pd.DataFrame({
        "field_row": tt.field_row[out["s"].to_numpy()], "first": out["s"].to_numpy(np.int64),
        "n": out["n"].to_numpy(np.int64), "key": out["key"].to_numpy(np.int64),
        "kind": out["kind"].to_numpy(np.int64), "similarity": out["similarity"].to_numpy(float),
        "suffix": np.zeros(len(out), np.int64),
    })


def _occurrences(tt: TokenTable, index: MatchIndex, rows: np.ndarray) -> pd.DataFrame:
    """Step 1: one row per window of ``n`` tokens (in one field) where eligible token ``t`` is token ``j`` and
    the window's context ``ctx`` is in the index; ``s`` is the window's first token."""
    n_real = tt.n_real
    seq = tt.seq[:n_real]
    look = hashing.finish(tt.raw[:n_real], tt.length[:n_real])
    occ_t, occ_s, occ_n, occ_j, occ_ctx = [], [], [], [], []
    for n in range(1, rules.MAX_FUZZY_TOKENS + 1):
        for j in range(n):
            s = rows - j
            e = s + n - 1
            ok = (s >= 0) & (e < n_real)
            t_ok, s_ok, e_ok = rows[ok], s[ok], e[ok]
            same = (seq[s_ok] == seq[t_ok]) & (seq[e_ok] == seq[t_ok])
            t_ok, s_ok = t_ok[same], s_ok[same]
            others = np.zeros(len(t_ok), dtype=np.uint64)
            with np.errstate(over="ignore"):
                for i in range(n):
                    if i != j:
                        others = others + hashing.token_term(look[s_ok + i], np.full(len(s_ok), i))
            ctx = hashing.context_hash(np.full(len(s_ok), n), np.full(len(s_ok), j), others)
            known = equal_range(index.fuzzy_ctx, ctx)[1] > 0
            occ_t.append(t_ok[known])
            occ_s.append(s_ok[known])
            occ_n.append(np.full(int(known.sum()), n))
            occ_j.append(np.full(int(known.sum()), j))
            occ_ctx.append(ctx[known])
    return pd.DataFrame({
        "t": np.concatenate(occ_t), "s": np.concatenate(occ_s), "n": np.concatenate(occ_n),
        "j": np.concatenate(occ_j), "ctx": np.concatenate(occ_ctx),
    })


@dataclass(frozen=True)
class _TokenValues:
    """The typo / shuffle / phonetic values of each distinct fuzzy token, sorted by token: token ``u``'s
    values are ``val[start[u] : start[u] + count[u]]`` (``kind`` says which rule each belongs to)."""

    val: np.ndarray
    kind: np.ndarray
    start: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, utoks: list[str]) -> _TokenValues:
        v_u, v_val, v_kind = [], [], []
        owner, dh = hashing.deletion_hashes(utoks, [rules.query_budget(len(t)) for t in utoks])
        v_u.append(owner)
        v_val.append(dh)
        v_kind.append(np.full(len(owner), rules.KIND_TYPO))
        sh = [i for i, t in enumerate(utoks) if len(t) >= rules.SHUFFLE_MIN_LENGTH]
        if sh:
            v_u.append(np.asarray(sh))
            v_val.append(hashing.lookup_hashes([rules.shuffle_key(utoks[i]) for i in sh]))
            v_kind.append(np.full(len(sh), rules.KIND_SHUFFLE))
        ph = [(i, c) for i, t in enumerate(utoks) if len(c := phonetic_code(t)) >= rules.PHONETIC_MIN_CODE]
        if ph:
            v_u.append(np.asarray([i for i, _ in ph]))
            v_val.append(hashing.lookup_hashes([c for _, c in ph]))
            v_kind.append(np.full(len(ph), rules.KIND_PHONETIC))
        vu = np.concatenate(v_u).astype(np.int64)
        vval = np.concatenate(v_val)
        vkind = np.concatenate(v_kind).astype(np.int64)
        order = np.argsort(vu, kind="stable")
        vu, vval, vkind = vu[order], vval[order], vkind[order]
        return cls(val=vval, kind=vkind, start=np.searchsorted(vu, np.arange(len(utoks))),
                   count=np.bincount(vu, minlength=len(utoks)))


def _signature_hits(wins: pd.DataFrame, values: _TokenValues, index: MatchIndex) -> pd.DataFrame | None:
    """Step 2: ``(wi, key, kind)`` (``wi`` the window's position in ``wins``) for every signature of a window
    (its context x a value of its fuzzy token) that the index holds for the same kind and token position;
    ``None`` when no signature is in the index."""
    # windows x values of their token
    w_u = wins["u"].to_numpy()
    w_ctx = wins["ctx"].to_numpy(np.uint64)
    reps = values.count[w_u]
    pair_win = np.repeat(np.arange(len(wins)), reps)
    offs = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    vidx = values.start[w_u][pair_win] + offs
    sig = np.empty(len(pair_win), dtype=np.uint64)
    for kind, salt in _SALTS.items():
        m = values.kind[vidx] == kind
        sig[m] = hashing.signature(w_ctx[pair_win[m]], values.val[vidx[m]], salt)
    lo, cnt = equal_range(index.fuzzy_sig, sig)
    has = cnt > 0
    if not has.any():
        return None
    pw_, lo_, cnt_ = pair_win[has], lo[has], cnt[has]
    ent = np.repeat(lo_, cnt_) + (np.arange(int(cnt_.sum())) - np.repeat(np.cumsum(cnt_) - cnt_, cnt_))
    ent_win = np.repeat(pw_, cnt_)
    ent_kind_q = np.repeat(values.kind[vidx[has]], cnt_)
    w_j = wins["j"].to_numpy()
    keep = (index.fuzzy_kind[ent] == ent_kind_q) & (index.fuzzy_pos[ent] == w_j[ent_win])
    return pd.DataFrame({"wi": ent_win[keep], "key": index.fuzzy_key[ent][keep].astype(np.int64),
                         "kind": ent_kind_q[keep]}).drop_duplicates()


def equal_range(table: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per value, where its run of equal entries in the sorted ``table`` starts and how long it is (0: not
    there); ``np.searchsorted`` left and right, made cheap for a large memory-mapped table: the values are
    looked for in sorted order (each search starts where the last one ended, and the table is read
    front to back), and the right end only for the values found (most are not: a 10,000-listing batch of real
    titles looks up ~150,000 signatures in the 12.4-million-entry table of a million marks and finds ~2,500;
    0.05-0.12 s against 0.48-0.50 s for the two plain searches)."""
    order = np.argsort(values, kind="stable")
    wanted = values[order]
    lo = np.searchsorted(table, wanted, "left")
    found = np.zeros(len(wanted), dtype=bool)
    inside = lo < len(table)
    found[inside] = table[lo[inside]] == wanted[inside]
    count = np.zeros(len(wanted), dtype=np.int64)
    count[found] = np.searchsorted(table, wanted[found], "right") - lo[found]
    out_lo, out_count = np.empty_like(lo), np.empty_like(count)
    out_lo[order], out_count[order] = lo, count
    return out_lo, out_count


def _verify_windows(cand: pd.DataFrame, wins: pd.DataFrame, text: list[str],
                    index: MatchIndex) -> dict[tuple[int, int], tuple[int, float]]:
    """Step 3: ``{(wi, key): (best kind, similarity)}`` of the candidates whose window holds the mark's other
    tokens exactly and whose fuzzy token passes :func:`verify`."""
    w_s = wins["s"].to_numpy()
    w_n = wins["n"].to_numpy()
    w_j = wins["j"].to_numpy()
    verified: dict[tuple[int, int], tuple[int, float]] = {}
    for wi, k, kind in cand.itertuples(index=False):
        mark_toks = index.key_tokens[k].split(" ")
        n, j, s = int(w_n[wi]), int(w_j[wi]), int(w_s[wi])
        window = text[s : s + n]
        if len(mark_toks) != n or any(window[i] != mark_toks[i] for i in range(n) if i != j):
            continue
        if not verify(int(kind), window[j], mark_toks[j]):
            continue
        best = verified.get((wi, k))
        if best is None or kind < best[0]:
            verified[(wi, k)] = (int(kind), similarity(int(kind), "".join(window), index.keys[k]))
    return verified
