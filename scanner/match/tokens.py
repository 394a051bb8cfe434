"""Listing fields -> one flat token table (what the vectorised matcher scans)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from ..errors import InputError
from ..frames import Distinct
from ..listings.schema import TEXT_FIELDS
from ..progress import Progress
from ..progress import get as _progress
from ..text import Columns, Token, analyze_columns, column_tokens
from . import hashing, rules


class FieldTokens(Sequence):
    """The tokens of each field (``tuple[Token, ...]``), made when asked for from the columns the token table
    is laid out from (most fields are never looked at token by token)."""

    def __init__(self, columns: list[Columns]) -> None:
        self._columns = columns

    def __len__(self) -> int:
        return len(self._columns)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[r] for r in range(*row.indices(len(self)))]
        words, starts, ends, alts, _symbols = self._columns[row]
        return column_tokens(words, starts, ends, alts)


@dataclass
class Fields:
    """One row per non-empty (listing, field) text."""

    listing: list  # index label of the listing
    field: list[str]
    text: list[str]
    tokens: Sequence[tuple[Token, ...]]
    symbols: list[tuple[tuple[int, str], ...]]
    first: np.ndarray  # int64: index of the field's first token in the token table


@dataclass
class TokenTable:
    """Every token of every field, in order. Rows ``[0, n_real)`` are the real tokens; rows after that are
    copies of a field with one token replaced by an alternative form (``b1ue`` read as ``blue``)."""

    text: list[str]
    field_row: np.ndarray  # int64: row in Fields (virtual copies point at their real field)
    seq: np.ndarray  # int64: sequence id (a field or a virtual copy); windows never cross sequences
    pos: np.ndarray  # int64: token index within its field
    real: np.ndarray  # int64: the real token row this row stands for
    alt_row: np.ndarray  # int64 per sequence: the real token replaced in a virtual copy, -1 for a field
    n_real: int
    raw: np.ndarray  # uint64 polynomial hash
    length: np.ndarray  # int64
    start: np.ndarray  # int64 per real row: span in the original field text
    end: np.ndarray
    code: np.ndarray  # int64 per row: index of its text in ``uniques``
    uniques: list[str]  # the distinct token texts (per-token facts are computed once per distinct text)

    @property
    def lookup(self) -> np.ndarray:
        return hashing.finish(self.raw, self.length)


def field_texts(listings: pd.DataFrame, fields: tuple[str, ...]) -> list[tuple[object, str, str]]:
    """``(listing label, field, text)`` for every non-empty field (missing text columns count as empty)."""
    for f in fields:
        if f not in listings.columns and f not in TEXT_FIELDS:
            raise InputError(f"the listings have no column {f!r} to match (text fields: {', '.join(TEXT_FIELDS)})")
    out = []
    cols = [f for f in fields if f in listings.columns]
    labels = listings.index.tolist()
    for f in cols:
        values = listings[f].tolist()
        for label, v in zip(labels, values, strict=True):
            if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
                continue
            v = v if isinstance(v, str) else str(v)
            if v.strip():
                out.append((label, f, v))
    order = {f: i for i, f in enumerate(fields)}
    pos = {label: i for i, label in enumerate(labels)}
    out.sort(key=lambda r: (pos[r[0]], order[r[1]]))
    return out


def build_tokens(listings: pd.DataFrame, fields: tuple[str, ...], progress: Progress | None = None) -> tuple[Fields, TokenTable]:
    """Analyse every field once and lay the tokens out flat."""
    progress = _progress(progress)
    items = field_texts(listings, fields)
    columns: list[Columns] = []
    seen: dict[str, Columns] = {}  # a text met again (variants of one product) is analysed once
    with progress.task("normalising listings", total=len(items), unit="fields", unit_scale=True) as bar:
        for i, (_, _, text) in enumerate(items):
            a = seen.get(text)
            if a is None:
                a = seen[text] = analyze_columns(text)
            columns.append(a)
            if i % 20000 == 19999:
                bar.update(20000)
        bar.update(len(items) % 20000)
    n_fields = len(columns)
    counts = np.fromiter((len(c[0]) for c in columns), dtype=np.int64, count=n_fields)
    first = np.zeros(n_fields, dtype=np.int64)
    if n_fields:
        first[1:] = np.cumsum(counts)[:-1]
    fields_tbl = Fields(
        listing=[r[0] for r in items],
        field=[r[1] for r in items],
        text=[r[2] for r in items],
        tokens=FieldTokens(columns),
        symbols=[c[4] for c in columns],
        first=first,
    )
    text = list(chain.from_iterable(c[0] for c in columns))
    n_real = len(text)
    tok_start = np.fromiter(chain.from_iterable(c[1] for c in columns), dtype=np.int64, count=n_real)
    tok_end = np.fromiter(chain.from_iterable(c[2] for c in columns), dtype=np.int64, count=n_real)
    field_row = np.repeat(np.arange(n_fields, dtype=np.int64), counts)
    pos = np.arange(n_real, dtype=np.int64) - np.repeat(first, counts)
    seq = field_row.copy()
    real = np.arange(n_real, dtype=np.int64)
    alt_row = [-1] * n_fields
    # virtual copies for alternative forms (rare: digits read as letters two ways). A copy holds the tokens
    # a window with the replaced token can reach, not the whole field (windows elsewhere in a copy are not
    # counted, exact._verified): a field of 2,000 such words made 4 million rows
    reach = rules.MAX_WINDOW_TOKENS - 1
    extra_text, extra_field, extra_pos, extra_real, extra_seq = [], [], [], [], []
    next_seq = n_fields
    for r in [r for r, c in enumerate(columns) if c[3] is not None]:
        words = columns[r][0]
        for k, token_alts in enumerate(columns[r][3]):
            lo, hi = max(0, k - reach), min(len(words), k + reach + 1)
            for alt in token_alts:
                for m in range(lo, hi):
                    extra_text.append(alt if m == k else words[m])
                    extra_field.append(r)
                    extra_pos.append(m)
                    extra_real.append(int(first[r]) + m)
                    extra_seq.append(next_seq)
                alt_row.append(int(first[r]) + k)
                next_seq += 1
    if extra_text:
        text = text + extra_text
        field_row = np.concatenate([field_row, np.asarray(extra_field, np.int64)])
        pos = np.concatenate([pos, np.asarray(extra_pos, np.int64)])
        real = np.concatenate([real, np.asarray(extra_real, np.int64)])
        seq = np.concatenate([seq, np.asarray(extra_seq, np.int64)])
    distinct = Distinct(text)  # the token texts, numbered by Arrow
    code, uniques = distinct.codes.astype(np.int64, copy=False), distinct.uniques
    raw, length = hashing.poly_hashes(uniques)
    table = TokenTable(
        text=text, field_row=field_row, seq=seq, pos=pos, real=real,
        alt_row=np.asarray(alt_row, dtype=np.int64), n_real=n_real, raw=raw[code], length=length[code],
        start=tok_start, end=tok_end, code=code, uniques=uniques,
    )
    return fields_tbl, table
