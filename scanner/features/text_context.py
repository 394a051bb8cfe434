"""A listing field as the features read it: its words, where its content starts and ends once trivia words
("NEW", "hot sale", "2024") at either end are left out, and -- for every match at once -- the field texts of
the matches as flat token arrays that :mod:`scanner.features.position` searches with ``np.searchsorted``."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text import brand_key
from ..wordlists import content_bounds, is_trivia

#: A word: letters/digits, with inner apostrophes ("levi's").
TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of every word of ``text``."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


class FieldText:
    """One listing field as the features read it: "_" reads as a space; tokens; where content starts/ends
    once trivia words ("NEW", "hot sale", "2024") at either end are left out."""

    __slots__ = ("text", "low", "toks", "first", "last", "n_content")

    def __init__(self, text: str) -> None:
        self.text = text.replace("_", " ")
        self.low = self.text.lower()
        self.toks = tokens(self.text)
        self.first, self.last = content_bounds([t[2] for t in self.toks])
        # a year joined to another number is a fitment range ("2018-2023"), not a trivia suffix
        toks = self.toks
        while self.first <= self.last + 1 < len(toks) and any(
                self._joined(a, b) for a, b in ((self.last, self.last + 1), (self.last + 1, self.last + 2))):
            self.last += 1
        self.n_content = max(self.last - self.first + 1, 1)

    def _joined(self, a: int, b: int) -> bool:
        """Tokens ``a`` and ``b`` are numbers written as one range ("2018-2023", "2018/19")."""
        toks = self.toks
        if a < 0 or b >= len(toks):
            return False
        gap = self.text[toks[a][1]:toks[b][0]]
        return gap in ("-", "–", "/") and toks[a][2][:1].isdigit() and toks[b][2][:1].isdigit()

    def lead_key(self) -> str:
        """brand_key of the first content word, "" when there is none."""
        return brand_key(self.toks[self.first][2]) if self.last >= self.first else ""

    def lead_start(self) -> int:
        """Where the first content word starts, -1 when there is none."""
        return self.toks[self.first][0] if self.last >= self.first else -1


def lead_word(text: str) -> tuple[int, int, str] | None:
    """``(start, end, word)`` of the first content word of ``text``, as :class:`FieldText` reads it
    (``toks[first]``; the first word that is no trivia word), None when there is none. Reads no further."""
    for m in TOKEN.finditer(text.replace("_", " ")):
        if not is_trivia(m.group()):
            return m.start(), m.end(), m.group()
    return None


def content_length(title: str) -> float:
    """Words in the title without trivia words at either end (capped at 60)."""
    first, last = content_bounds(TOKEN.findall(title.replace("_", " ")))
    return float(min(max(last - first + 1, 0), 60))


def field_text(text: str, cache: dict[str, FieldText] | None = None) -> FieldText:
    """``FieldText(text)``, made once per distinct text when a ``cache`` (``{text: FieldText}``, kept by the
    caller for one table) is given: listings repeat their titles, and one title is read by several features.
    A FieldText is never changed once made, so sharing it is safe."""
    if cache is None:
        return FieldText(text)
    found = cache.get(text)
    if found is None:
        found = cache[text] = FieldText(text)
    return found


def content_text(title: str, cache: dict[str, FieldText] | None = None) -> str:
    """The title without trivia words at either end ("NEW/..." "... 2024"), for the goods inference."""
    ft = field_text(title, cache)
    if ft.last < ft.first:
        return ft.text
    return ft.text[ft.toks[ft.first][0]:ft.toks[ft.last][1]]


_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def may_name(text: str, own_names: set[str]) -> bool:
    """False when none of ``own_names`` can be written in ``text`` (a quick exact test for ASCII text: there
    :func:`brand_key` of a run of words is the run lower-cased without its non-alphanumerics, a substring of
    the whole text so reduced). True when it may be (or the text is not ASCII): then look word by word."""
    if not text.isascii():
        return True
    compact = _NOT_ASCII_ALNUM.sub("", text.lower())
    return any(name in compact for name in own_names)


def own_name_starts(ft: FieldText, own_names: set[str], *, first_only: bool = False) -> list[int]:
    """Where one of the seller's own brand names (as :func:`brand_key` keys) is written in the field: a run of
    1-3 tokens whose key is the name ("Harbor Mist", "harbormist", "HARBOR-MIST"). ``first_only``: stop at
    the first one (the earliest start)."""
    if not may_name(ft.text, own_names):
        return []
    toks = ft.toks
    starts = []
    for i in range(len(toks)):
        for n in (1, 2, 3):
            if i + n > len(toks):
                break
            if brand_key("".join(t[2] for t in toks[i:i + n])) in own_names:
                starts.append(toks[i][0])
                break
        if first_only and starts:
            break
    return starts


@dataclass
class FieldContexts:
    """The distinct (listing, field) texts of a set of matches, their tokens flattened into arrays.

    ``group`` gives each match its field text (an index into ``fields``); the tokens of field ``g`` are
    ``tok_*[offset[g]:offset[g] + n_tok[g]]``; ``first``/``last`` are the content bounds of each field
    (token indices, as :class:`FieldText`), ``span`` exceeds every position so that ``g * span + pos``
    orders (field, position) pairs in one sorted array.
    """

    group: np.ndarray
    fields: list[FieldText]
    offset: np.ndarray
    n_tok: np.ndarray
    tok_start: np.ndarray
    tok_end: np.ndarray
    tok_text: np.ndarray
    first: np.ndarray
    last: np.ndarray
    span: int

    @property
    def tok_group(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.fields), dtype=np.int64), self.n_tok)


def field_contexts(listings: pd.DataFrame, listing: pd.Series, field: pd.Series, ends: np.ndarray,
                   cache: dict[str, FieldText] | None = None) -> FieldContexts:
    """One :class:`FieldText` per distinct (listing, field) of the matches, in order of first appearance
    (made once per distinct text; ``cache`` may hold some already, see :func:`field_text`)."""
    keys = pd.DataFrame({"listing": listing.to_numpy(), "field": field.to_numpy()})
    group = keys.groupby(["listing", "field"], sort=False).ngroup().to_numpy(dtype=np.int64)
    distinct = keys.drop_duplicates()
    texts = np.full(len(distinct), "", dtype=object)
    for fld in pd.unique(distinct["field"]):
        if fld in listings.columns:
            where = (distinct["field"] == fld).to_numpy()
            values = listings[fld].reindex(distinct["listing"].to_numpy()[where]).to_numpy(dtype=object)
            texts[where] = [str(v) for v in values]
    cache = {} if cache is None else cache
    fields = [field_text(t, cache) for t in texts]
    n_tok = np.fromiter((len(f.toks) for f in fields), dtype=np.int64, count=len(fields))
    offset = np.concatenate(([0], np.cumsum(n_tok)[:-1])).astype(np.int64)
    flat = [t for f in fields for t in f.toks]
    tok_start = np.fromiter((t[0] for t in flat), dtype=np.int64, count=len(flat))
    tok_end = np.fromiter((t[1] for t in flat), dtype=np.int64, count=len(flat))
    tok_text = np.empty(len(flat), dtype=object)
    tok_text[:] = [t[2] for t in flat]
    longest = max((len(f.text) for f in fields), default=0)
    span = int(max(longest, int(ends.max()) if len(ends) else 0)) + 2
    return FieldContexts(
        group=group, fields=fields, offset=offset, n_tok=n_tok, tok_start=tok_start, tok_end=tok_end,
        tok_text=tok_text, first=np.fromiter((f.first for f in fields), dtype=np.int64, count=len(fields)),
        last=np.fromiter((f.last for f in fields), dtype=np.int64, count=len(fields)), span=span)
