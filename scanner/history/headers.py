"""Find the header row and the columns of a report sheet the seller may have edited.

The report writes its headers on row 1. A seller may insert a title row above them, or add words to a
header (``Decision (pull/edit/keep)``): the header row is the first of the first :data:`HEADER_ROWS` rows
that has both a ``SKU`` and a ``Decision`` header, and a column is the header spelled as written (any case,
stray spaces), else the one header that starts with that name followed by a non-letter (``Decision:``,
``Decisions``, never ``Skull`` for ``SKU``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

#: How far down the header row is looked for.
HEADER_ROWS = 5
#: The columns ``read_decisions`` reads (casefolded header names).
COLUMNS: tuple[str, ...] = ("decision", "sku", "asin", "marketplace", "text hash", "marks", "risk level", "notes")
#: The two a sheet's decisions cannot be read without, as the report spells them.
REQUIRED: tuple[str, ...] = ("SKU", "Decision")


def _name(value: Any) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def match_columns(row: tuple[Any, ...] | None) -> dict[str, int]:
    """``{column: index}`` of the :data:`COLUMNS` found in a header row."""
    names = [_name(v) for v in (row or ())]
    out: dict[str, int] = {}
    for col in COLUMNS:
        exact = [i for i, n in enumerate(names) if n == col]
        if exact:
            out[col] = exact[0]
            continue
        pattern = re.compile(rf"{re.escape(col)}s?(?![^\W_])")
        starts = [i for i, n in enumerate(names) if pattern.match(n)]
        if len(starts) == 1:
            out[col] = starts[0]
    return out


def find_header(rows: Iterator[tuple[Any, ...]]) -> tuple[int, dict[str, int], list[str]]:
    """Read ``rows`` up to the header row: ``(its row number, its columns, [])``; when none of the first
    :data:`HEADER_ROWS` rows has both required columns: ``(0, {}, the required columns missing)`` (empty when
    the sheet holds nothing at all)."""
    best: dict[str, int] = {}
    seen_any = False
    for number, row in enumerate(rows, start=1):
        cols = match_columns(row)
        if all(r.casefold() in cols for r in REQUIRED):
            return number, cols, []
        seen_any = seen_any or any(v is not None and str(v).strip() for v in (row or ()))
        if len(cols) > len(best):
            best = cols
        if number >= HEADER_ROWS:
            break
    if not seen_any:
        return 0, {}, []
    return 0, {}, [r for r in REQUIRED if r.casefold() not in best]
