"""Rows of a DataFrame as plain Python objects, fast.

pandas boxes every value of a text column one at a time when a frame is turned into records or iterated
(``to_dict(orient="records")``, ``itertuples``, iterating a column of the ``str`` dtype): about 1-2 µs a
value, seconds for the matches of a large catalogue. Taking whole columns with ``tolist()`` and zipping
them gives the same values at a fraction of the cost.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa


def _box(value: Any) -> Any:
    """What ``to_dict`` makes of a value of an object column: NumPy scalars as Python ones, ``pd.NA`` as None."""
    if isinstance(value, np.generic):
        return value.item()
    return None if value is pd.NA else value


def column_values(frame: pd.DataFrame, col: Any) -> list[Any]:
    """The values of one column as ``to_dict(orient="records")`` gives them (Python scalars)."""
    series = frame[col]
    values = series.tolist()
    if series.dtype == object or (isinstance(series.dtype, pd.api.extensions.ExtensionDtype)
                                  and not pd.api.types.is_string_dtype(series.dtype)):
        values = [_box(v) for v in values]
    return values


def _iterated(series: pd.Series) -> list[Any]:
    """The values iterating ``series`` gives (what ``itertuples`` yields), taken from the whole column where
    that gives the same values: NumPy, object and ``str`` columns."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) or pd.api.types.is_string_dtype(dtype):
        return series.tolist()
    return list(series)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict(orient="records")``: one dict per row, built from whole columns."""
    cols = list(frame.columns)
    if not cols:
        return [{} for _ in range(len(frame))]
    values = [column_values(frame, c) for c in cols]
    return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]


def tuples(frame: pd.DataFrame, name: str = "Pandas", chunk: int = 20_000) -> Iterator[Any]:
    """``frame.itertuples(index=False)``: one named tuple per row (fields renamed as pandas renames them),
    made ``chunk`` rows at a time (so a long table is never held as Python objects all at once)."""
    cols = list(frame.columns)
    row = namedtuple(name, [str(c) for c in cols], rename=True)  # noqa: PYI024
    if not cols:
        yield from (row() for _ in range(len(frame)))
        return
    for at in range(0, len(frame), chunk):
        part = frame.iloc[at : at + chunk]
        yield from map(row._make, zip(*(_iterated(part[c]) for c in cols), strict=True))


def mapping(series: pd.Series) -> dict[Any, Any]:
    """``series.to_dict()``: index label -> value."""
    return dict(zip(series.index.tolist(), column_values(series.to_frame("v"), "v"), strict=True))


class Distinct:
    """The distinct values of a column (or array), numbered once, for pure functions of each value computed
    once per distinct value (a batch repeats its words thousands of times)."""

    def __init__(self, values: Any) -> None:
        encoded = _text_codes(values)
        if encoded is None:
            encoded = _number_codes(values)
        if encoded is not None:
            self.codes, self.uniques = encoded
            return
        self.codes, uniques = pd.factorize(pd.Series(np.asarray(values, dtype=object), dtype=object), sort=False,
                                           use_na_sentinel=False)
        self.uniques = list(uniques)

    def floats(self, fn: Any) -> np.ndarray:
        """``fn`` of each value, as floats."""
        if not self.uniques:
            return np.zeros(len(self.codes))
        return np.array([fn(v) for v in self.uniques], dtype=float)[self.codes]

    def objects(self, fn: Any) -> np.ndarray:
        """``fn`` of each value, as an object array."""
        values = np.empty(len(self.uniques), dtype=object)
        values[:] = [fn(v) for v in self.uniques]
        return values[self.codes]


def _text_codes(values: Any) -> tuple[np.ndarray, list[str]] | None:
    """``(codes, uniques)`` of text values with no missing one, numbered in the order they first occur (as
    ``pd.factorize(sort=False)``) by Arrow's dictionary encoding: a column of pandas' ``str`` dtype is read
    without making a Python string of every value, a list of strings is hashed in C. None for anything
    else (numbers, missing values, mixed types), which :class:`Distinct` factorizes with pandas."""
    if isinstance(values, pd.Series):
        values = values.array if isinstance(values.dtype, pd.StringDtype) else values.to_numpy()
    try:
        if isinstance(values, pd.api.extensions.ExtensionArray):
            if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
                return None
            array = pa.array(values)
        elif isinstance(values, (list, np.ndarray)) and (not isinstance(values, np.ndarray) or values.dtype == object):
            array = pa.array(values, type=pa.large_string())
        else:
            return None
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # (a lone surrogate is no UTF-8)
        return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        return None
    encoded = array.dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp), encoded.dictionary.to_pylist()


def _number_codes(values: Any) -> tuple[np.ndarray, list[Any]] | None:
    """``(codes, uniques)`` of a NumPy array (or column) of numbers or booleans, factorized as they are (not
    as objects; NaN is a value, as in :class:`Distinct`), the values as Python scalars. None for anything else."""
    array = values.to_numpy() if isinstance(values, pd.Series) else values
    if not isinstance(array, np.ndarray) or array.dtype.kind not in "biuf":
        return None
    codes, uniques = pd.factorize(array, sort=False, use_na_sentinel=False)
    return codes, uniques.tolist()


def per_distinct(values: Any, fn: Any) -> np.ndarray:
    """``fn`` of each of ``values`` (a column or array), as floats, computed once per distinct value: a
    catalogue repeats its titles and words."""
    return Distinct(values).floats(fn)


def map_distinct(series: pd.Series, fn: Any) -> pd.Series:
    """``series.map(fn)`` for a pure ``fn``, called once per distinct value (a batch repeats its owners and
    words thousands of times)."""
    return pd.Series(Distinct(series).objects(fn), index=series.index, dtype=object)


def str_array(values: Any) -> Any:
    """A list (or object array) of Python strings as pandas' ``str`` array, converted by Arrow in one call:
    pandas converts a list a value at a time, about four times slower (at a million marks a batch's matches
    hold a million such strings). Anything else (an empty list, numbers, NaN, lists) is returned as it is,
    for pandas to convert as before."""
    if not isinstance(values, (list, np.ndarray)) or len(values) == 0 or (
            isinstance(values, np.ndarray) and values.dtype != object):
        return values
    try:
        return pd.array(pa.array(values, type=pa.large_string()), dtype="str")
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # (a lone surrogate is no UTF-8)
        return values


def new_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame of columns made for it, taken as they are (not copied into consolidated blocks), their
    strings converted by :func:`str_array`."""
    return pd.DataFrame({name: str_array(values) for name, values in columns.items()}, copy=False)


def isin_text(values: Any, options: Any) -> np.ndarray:
    """``np.isin(values, options)`` for text (an object array or list): by hashing, not sorting Python
    strings (``np.isin`` took ~30 ms for 55,000 values and a hundred options, this ~1.5 ms)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object).isin(list(options)).to_numpy(dtype=bool)


def rows_in(left: Sequence[Any], right: Sequence[Any]) -> np.ndarray:
    """``pd.MultiIndex.from_arrays(left).isin(pd.MultiIndex.from_arrays(right))``: which rows of the columns
    ``left`` (equal lengths) are also a row of the columns ``right``. Each pair of columns is numbered
    jointly (:class:`Distinct`), the numbers of a row make one integer, and those
    are looked up by hashing: no tuple per row. Rows with too many combinations for 63 bits take the
    MultiIndex."""
    n = len(left[0])
    key_left, key_right, width = np.zeros(n, dtype=np.int64), np.zeros(len(right[0]), dtype=np.int64), 1
    for a, b in zip(left, right, strict=True):
        distinct = Distinct(pd.concat([pd.Series(a), pd.Series(b)], ignore_index=True))
        codes, uniques = distinct.codes, distinct.uniques
        width *= max(len(uniques), 1)
        if width >= 1 << 62:
            return pd.MultiIndex.from_arrays(list(left)).isin(pd.MultiIndex.from_arrays(list(right)))
        key_left = key_left * len(uniques) + codes[:n]
        key_right = key_right * len(uniques) + codes[n:]
    return pd.Series(key_left).isin(pd.Series(key_right)).to_numpy(dtype=bool)
