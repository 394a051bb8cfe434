"""The brute-force oracle the property tests compare the engine with, and checks of the oracle itself.

A slow, obviously-correct matcher: every mark against every token window, pure Python.

It follows the written rules of ``scanner/match/rules.py`` without any of the engine's machinery (no
hashing, no deletion neighbourhoods, no Bloom filter, no rapidfuzz): the property tests check that the
fast path finds exactly the candidates this finds.
"""

from __future__ import annotations

import jellyfish
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from scanner.dictionary import is_dictionary_word
from scanner.match import rules as R
from scanner.match.index import KIND_RANK, STATUS_RANK
from scanner.match.words import MIN_DISTINCTIVE_LENGTH, is_common, is_distinctive, is_ordinary
from scanner.text import mark_tokens, tokenize


def osa(a: str, b: str) -> int:
    """Optimal string alignment distance (adjacent transposition = 1 edit)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def indel_ratio(a: str, b: str) -> float:
    """100 * (1 - indel distance / total length), via the longest common subsequence."""
    if not a and not b:
        return 100.0
    lcs = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            lcs[i][j] = lcs[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(lcs[i - 1][j], lcs[i][j - 1])
    return 100.0 * 2 * lcs[len(a)][len(b)] / (len(a) + len(b))


def marks_by_key(marks: list[dict[str, str]]) -> dict[str, dict]:
    """key -> {"counts": token counts of its records, "tokens": the representative's tokens}."""
    groups: dict[str, list] = {}
    for row, m in enumerate(marks):
        toks = mark_tokens(m["mark"])
        key = "".join(toks)
        if key and len(key) <= R.MAX_KEY_LENGTH:
            rank = (STATUS_RANK.get(m.get("status", ""), 2), KIND_RANK.get(m.get("kind", ""), 3), row)
            groups.setdefault(key, []).append((rank, toks))
    return {k: {"counts": {len(t) for _, t in v}, "tokens": min(v)[1]} for k, v in groups.items()}


def _allowed(key: str, info: dict, window: list[str]) -> bool:
    if len(window) in info["counts"]:
        return True
    if len(key) <= R.SHORT_KEY:
        return False
    if is_ordinary(key):
        return len(window) > 1 and all(len(t) == 1 for t in window)
    return True


def _fuzzy_kind(token: str, mark_token: str) -> int | None:
    if token == mark_token or len(mark_token) < R.MIN_FUZZY_MARK_TOKEN:
        return None
    budget = R.typo_budget(len(mark_token))
    if osa(token, mark_token) <= budget:
        return R.KIND_TYPO
    if (
        len(token) == len(mark_token) >= R.SHUFFLE_MIN_LENGTH
        and token[0] == mark_token[0]
        and token[-1] == mark_token[-1]
        and sorted(token[1:-1]) == sorted(mark_token[1:-1])
        and osa(token, mark_token) <= budget + 1
    ):
        return R.KIND_SHUFFLE
    if token.isascii() and token.isalpha() and mark_token.isascii() and mark_token.isalpha():
        code = jellyfish.metaphone(token)
        if len(code) >= R.PHONETIC_MIN_CODE and code == jellyfish.metaphone(mark_token) \
                and indel_ratio(token, mark_token) >= R.PHONETIC_MIN_RATIO:
            return R.KIND_PHONETIC
    return None


def oracle_candidates(texts: list[str], marks: list[dict[str, str]]) -> set[tuple[int, int, int, str, int]]:
    """``(text index, first token, token count, key, kind)`` of every candidate."""
    keys = marks_by_key(marks)
    out: set[tuple[int, int, int, str, int]] = set()
    for f, text in enumerate(texts):
        toks = tokenize(text)
        words = [t.text for t in toks]
        variants = [(words, None)]
        for k, t in enumerate(toks):
            for alt in t.alts:
                variants.append((words[:k] + [alt] + words[k + 1 :], k))
        exact_hits = set()
        for ws, must_cover in variants:
            for s in range(len(ws)):
                for e in range(s + 1, min(len(ws), s + R.MAX_WINDOW_TOKENS) + 1):
                    if must_cover is not None and not s <= must_cover < e:
                        continue
                    window = ws[s:e]
                    joined = "".join(window)
                    last = window[-1]
                    digits = len(last) - len(last.rstrip("0123456789"))
                    glued = 0 < digits <= R.MAX_DIGIT_SUFFIX and not last[0].isdigit() and last[-digits - 1].isalpha()
                    for suffix, ending in ((0, ""), (1, "s"), (2, "es"), (digits, "digits")):
                        if ending == "digits" and not glued:
                            continue
                        if ending in ("s", "es") and not (joined.endswith(ending) and len(last) > suffix):
                            continue
                        key = joined[: len(joined) - suffix]
                        if suffix and len(key) < R.MIN_PLURAL_KEY:
                            continue
                        if key in keys and _allowed(key, keys[key], window):
                            exact_hits.add((f, s, e - s, key, R.KIND_EXACT))
        out |= exact_hits
        covered = {i for _, s, n, _, _ in exact_hits for i in range(s, s + n)}
        best: dict[tuple[int, int, int, str], int] = {}
        for t, u in enumerate(words):
            if t in covered or len(u) < R.MIN_FUZZY_TOKEN or not u.isalpha() or is_common(u):
                continue
            for key, info in keys.items():
                mt = info["tokens"]
                n = len(mt)
                if n > R.MAX_FUZZY_TOKENS or not is_distinctive(key):
                    continue
                for j in range(n):
                    s = t - j
                    if s < 0 or s + n > len(words):
                        continue
                    if any(words[s + i] != mt[i] for i in range(n) if i != j):
                        continue
                    kind = _fuzzy_kind(u, mt[j])
                    if kind is not None:
                        k = (f, s, n, key)
                        best[k] = min(best.get(k, kind), kind)
        out |= {(*k, kind) for k, kind in best.items()}
        # a short coined mark typed with a doubled letter ("nikee" for NIKE): scanner.match.doubled
        for t, u in enumerate(words):
            if (t in covered or len(u) != MIN_DISTINCTIVE_LENGTH or not u.isalpha() or is_common(u)
                    or u in keys or is_dictionary_word(u)):
                continue
            for i in range(1, len(u)):
                v = u[:i] + u[i + 1:]
                if u[i] == u[i - 1] and v in keys and not is_ordinary(v) and not is_dictionary_word(v):
                    out.add((f, t, 1, v, R.KIND_TYPO))
    return out


# --- the oracle's own building blocks agree with the libraries the engine uses -----------------------

_short = st.text(alphabet="abcde", max_size=8)


@settings(max_examples=300, deadline=None)
@given(_short, _short)
def test_osa_matches_rapidfuzz(a: str, b: str) -> None:
    assert osa(a, b) == OSA.distance(a, b)


@settings(max_examples=300, deadline=None)
@given(_short, _short)
def test_indel_ratio_matches_rapidfuzz(a: str, b: str) -> None:
    assert abs(indel_ratio(a, b) - fuzz.ratio(a, b)) < 1e-9


def test_oracle_examples() -> None:
    marks = [{"mark": "Samsung"}, {"mark": "Hello Kitty"}, {"mark": "NIKE"}]
    got = oracle_candidates(["Samsnug phone", "Hello Kity", "N-I-K-E", "Nyke"], marks)
    assert got == {
        (0, 0, 1, "samsung", R.KIND_TYPO),
        (1, 0, 2, "hellokitty", R.KIND_TYPO),
        (2, 0, 4, "nike", R.KIND_EXACT),
    }
