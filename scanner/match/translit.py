"""Marks written in another script: Cyrillic, katakana and Hangul renderings of Latin distinctive marks.

A Russian, Japanese or Korean listing writes a foreign brand by sound (``Пума``, ``プーマ``, ``푸마`` for
PUMA). Listing words in those scripts are transliterated to Latin letters with ``anyascii`` (one small,
dependency-free table for Cyrillic, kana and Hangul alike; ISC licence) plus a few spelling rules of each
script, and compared with the *distinctive* marks of the index (:func:`scanner.match.words.is_distinctive`):

* a Cyrillic word is read whole; katakana and Hangul characters (one token each, see :mod:`scanner.text`)
  are read in windows of glued characters (``プーマスニーカー`` holds ``プーマ``; a window that is part of a
  longer katakana word is dropped by :mod:`.kana_words`);
* the reading (or a variant: katakana's added final vowel dropped, ``r`` read as ``l``, Korean's added
  ``eu`` dropped, Russian ``чч`` for ``cc``) equals a mark key -> similarity 100; or, for a whole word or
  run (not a window inside a longer run), it has the mark's Metaphone code (>=
  :data:`scanner.match.rules.PHONETIC_MIN_CODE` characters) and an Indel ratio of at least
  :data:`MIN_RATIO` and a length within one letter of the mark's;
* a word that is common in its own language (wordfreq Zipf >= :data:`LOCAL_WORD_ZIPF` in ru/ja/ko) is an
  ordinary word, never a mark (>= :data:`LOCAL_SOUNDALIKE_ZIPF`: never a sound-alike); tokens already inside an exact or alias match are skipped.

Chinese renderings (``彪马``) carry no phonetic link to the Latin name: they come from the corpus
``aliases`` column. Candidates have kind :data:`scanner.match.rules.KIND_TRANSLIT` (method ``translit``).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import jellyfish
import numpy as np
import pandas as pd
from anyascii import anyascii
from rapidfuzz import fuzz

from ..frequency import dict_zipf
from . import rules
from .exact import empty_candidates
from .index import FLAG_DISTINCTIVE, MatchIndex
from .tokens import Fields, TokenTable

#: A reading must be at least this similar (Indel ratio) to a mark with the same Metaphone code. A window
#: inside a longer run of glued characters must read as the mark exactly: of the sound-alikes found inside
#: ordinary katakana words (wordfreq's Japanese list) next to none was a mark's real rendering.
MIN_RATIO = 80.0
#: A word at least this common in its language (wordfreq Zipf) is an ordinary word there.
LOCAL_WORD_ZIPF = 4.0
#: ... and a word at least this common is never a *sound-alike* of a mark (only an exact reading counts):
#: katakana loanwords are common words that sound like English ones (``スニーカー``).
LOCAL_SOUNDALIKE_ZIPF = 3.5
#: Longest window of glued katakana / Hangul characters read as one word.
MAX_KANA = 8
MAX_HANGUL = 5
MIN_READING = 4

_SMALL_VOWELS = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo"}


def script(token: str) -> str:
    """``cyrillic``, ``kana`` (katakana), ``hangul`` or "" for a listing token."""
    if not token:
        return ""
    c = token[0]
    o = ord(c)
    if 0x30A0 <= o <= 0x30FF and len(token) == 1:
        return "kana"
    if 0xAC00 <= o <= 0xD7AF and len(token) == 1:
        return "hangul"
    if token.isalpha() and all(0x0400 <= ord(ch) <= 0x04FF for ch in token):
        return "cyrillic"
    return ""


def _clean(s: str) -> str:
    return "".join(c for c in s.lower() if c.isascii() and c.isalnum())


def _kana(text: str) -> str:
    """Katakana -> Hepburn-like Latin: small vowels replace the vowel before them (``シャ`` sha, ``ディ`` di),
    the long-vowel mark and the small ``ッ`` (doubling) are dropped."""
    out = ""
    for ch in text:
        if ch in "ーッ・":
            continue
        if ch in _SMALL_VOWELS and out and out[-1] in "aeiou":
            v = _SMALL_VOWELS[ch]
            out = out[:-1]
            if v.startswith("y") and (out[-2:] in ("sh", "ch") or out[-1:] == "j"):
                v = v[1:]
            out += v
            continue
        out += _clean(anyascii(ch))
    return out


@lru_cache(maxsize=100_000)
def readings(text: str, kind: str) -> tuple[str, ...]:
    """Latin readings of a word written in ``kind`` script (most literal first)."""
    if kind == "kana":
        base = _kana(text)
        forms = [base]
        if len(base) > 2 and base[-1] in "uo" and base[-2] not in "aeiou":
            forms.append(base[:-1])
        forms += [f.replace("ai", "y") for f in forms if "ai" in f]
        forms += [f.replace("r", "l") for f in forms if "r" in f]
    elif kind == "hangul":
        base = _clean(anyascii(text))
        forms = [base, base.replace("eu", "")]
        forms += [f.replace("sy", "sh") for f in forms if "sy" in f]
    else:
        base = _clean(anyascii(text))
        forms = [base, base.replace("chch", "cc"), base.replace("kh", "h")]
    forms += [f.replace("ks", "x") for f in forms if "ks" in f]
    out: list[str] = []
    for f in forms:
        if len(f) >= MIN_READING and f not in out:
            out.append(f)
    return tuple(out)


_LANG = {"cyrillic": "ru", "kana": "ja", "hangul": "ko"}


def local_zipf(text: str, kind: str) -> float:
    """How common ``text`` is in the language of its script (wordfreq Zipf; 0 when unknown)."""
    return dict_zipf(text.lower(), _LANG[kind])


class _Lookup:
    """Distinctive Latin keys of an index by key and by Metaphone code."""

    def __init__(self, index: MatchIndex) -> None:
        self.exact: dict[str, int] = {}
        self.codes: dict[str, list[int]] = {}
        for k in np.flatnonzero(index.key_flags & FLAG_DISTINCTIVE).tolist():
            key = index.keys[k]
            if not (key.isascii() and key.isalpha()) or index.key_alias[k]:
                continue
            self.exact.setdefault(key, k)
            code = jellyfish.metaphone(key)
            if len(code) >= rules.PHONETIC_MIN_CODE:
                self.codes.setdefault(code, []).append(k)


_LOOKUPS: dict[str, _Lookup] = {}


def _lookup(index: MatchIndex) -> _Lookup:
    found = _LOOKUPS.get(index.content_hash)
    if found is None:
        _LOOKUPS.clear()
        found = _LOOKUPS[index.content_hash] = _Lookup(index)
    return found


def best_mark(text: str, kind: str, index: MatchIndex, *, inside: bool = False) -> tuple[int, float] | None:
    """``(key id, similarity)`` of the distinctive mark ``text`` (a word in ``kind`` script) reads as."""
    if local_zipf(text, kind) >= LOCAL_WORD_ZIPF:
        return None
    look = _lookup(index)
    forms = readings(text, kind)
    for f in forms:
        if f in look.exact:
            return look.exact[f], 100.0
    if inside or local_zipf(text, kind) >= LOCAL_SOUNDALIKE_ZIPF:
        return None
    best: tuple[int, float] | None = None
    for f in forms:
        code = jellyfish.metaphone(f)
        for k in look.codes.get(code, ()) if len(code) >= rules.PHONETIC_MIN_CODE else ():
            if abs(len(f) - len(index.keys[k])) > 1:
                continue  # a sound-alike has the mark's length (フリース "furis" is not FURIOSA)
            ratio = float(fuzz.ratio(f, index.keys[k]))
            if ratio >= MIN_RATIO and (best is None or ratio > best[1]):
                best = (k, round(ratio, 1))
    return best


def translit_candidates(fields: Fields, tt: TokenTable, index: MatchIndex, covered: np.ndarray) -> pd.DataFrame:
    """Candidates (the candidates-table shape) for listing words in Cyrillic, katakana or Hangul."""
    n_real = tt.n_real
    kinds = [""] * n_real
    # script() is "" for an ASCII token: look only at the others (a Python call per token is seconds)
    non_ascii = np.fromiter((not t.isascii() for t in tt.uniques), dtype=bool, count=len(tt.uniques))
    for i in np.flatnonzero(non_ascii[tt.code[:n_real]]).tolist():
        if not covered[i]:
            kinds[i] = script(tt.text[i])
    if not any(kinds):
        return empty_candidates()
    # read the words as written (normalised tokens lose the kana voicing marks: プ -> フ)
    text = [""] * n_real
    for i in [i for i, kind in enumerate(kinds) if kind]:
        text[i] = unicodedata.normalize("NFKC", fields.text[int(tt.field_row[i])][int(tt.start[i]) : int(tt.end[i])]).lower()
    rows: list[tuple[int, int, int, int, float]] = []  # field_row, first, n, key, similarity
    i = 0
    while i < n_real:
        kind = kinds[i]
        if not kind:
            i += 1
            continue
        if kind == "cyrillic":
            hit = best_mark(text[i], kind, index)
            if hit:
                rows.append((int(tt.field_row[i]), i, 1, hit[0], hit[1]))
            i += 1
            continue
        # a run of glued characters of one script in one field
        j = i + 1
        while (j < n_real and kinds[j] == kind and tt.field_row[j] == tt.field_row[i]
               and tt.start[j] == tt.end[j - 1]):
            j += 1
        rows.extend(_run(text, tt, index, kind, i, j))
        i = j
    if not rows:
        return empty_candidates()
    return pd.DataFrame({
        "field_row": np.asarray([r[0] for r in rows], np.int64), "first": np.asarray([r[1] for r in rows], np.int64),
        "n": np.asarray([r[2] for r in rows], np.int64), "key": np.asarray([r[3] for r in rows], np.int64),
        "kind": np.full(len(rows), rules.KIND_TRANSLIT, np.int64),
        "similarity": np.asarray([r[4] for r in rows], float), "suffix": np.zeros(len(rows), np.int64),
    })


def _run(text: list[str], tt: TokenTable, index: MatchIndex, kind: str, i: int, j: int) -> list[tuple]:
    """The best non-overlapping windows of the run ``[i, j)`` that read as marks (most similar, then longest
    first)."""
    widest = MAX_KANA if kind == "kana" else MAX_HANGUL
    found = []
    for s in range(i, j):
        for e in range(s + 2, min(j, s + widest) + 1):
            hit = best_mark("".join(text[s:e]), kind, index, inside=(s, e) != (i, j))
            if hit:
                found.append((e - s, hit[1], s, e, hit[0]))
    found.sort(key=lambda h: (-h[1], -h[0], h[2]))
    taken: list[tuple[int, int]] = []
    out = []
    for _, sim, s, e, k in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        out.append((int(tt.field_row[s]), s, e - s, k, sim))
    return out
