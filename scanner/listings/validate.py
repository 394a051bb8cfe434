"""Row validation and the compact column store: every row is either a listing or a rejected row.

Rules (the same for every format):

* a wholly blank row (nothing but whitespace and delimiters) is not a row: it is skipped and counted in
  the file's notes;
* a row with more fields than the header, where every extra field is empty (e.g. a trailing tab), is a
  good row: the extra empty fields are dropped and counted in the notes;
* a row with fewer fields, or more non-empty fields, than the header is rejected (a value with a tab or
  a line break in it splits a row); workbook rows are never short (missing cells are empty);
* a row whose title is empty after stripping is rejected (column: the title header);
* a row with bytes that cannot be decoded is rejected (the reason names the byte, its offset in the file
  and the column);
* values are text, stripped of surrounding whitespace (``str.strip()``); nothing is converted, so
  ``00123``, ``NA``, ``NULL``, ``None``, ``n/a`` and ``#N/A`` stay those strings.

Always ``rows_read == rows_ok + rows_rejected``: rows_read is counted independently (records seen minus
blank ones) and checked. Good rows are kept as pyarrow string chunks holding only the columns the plan
reads, so a million-row file stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

import numpy as np
import pandas as pd
import pyarrow as pa

from .decode import MARKER, show_markers
from .plan import Plan
from .schema import CANONICAL_COLUMNS, REJECTED_COLUMNS, empty_rejected, printable

FLUSH_ROWS = 50_000
_ASIN_TYPES = {"1", "asin"}


def _looks_like_asin(value: str) -> bool:
    return len(value) == 10 and value[0] == "B" and value.isalnum() and value.isupper()


def constant_strings(text: str, n: int) -> pa.Array:
    """``n`` copies of ``text`` as a pyarrow large_string array, built from buffers (no Python list)."""
    data = text.encode("utf-8")
    offsets = np.arange(n + 1, dtype=np.int64) * len(data)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data * n))


class Collector:
    """Collects the rows under one header: listings (compact) and rejected rows (with reasons)."""

    def __init__(
        self,
        path: str,
        plan: Plan,
        *,
        delimiter: str = "\t",
        fixed_width: bool = True,
        value_fn: Callable[[str], str] | None = None,
    ) -> None:
        self.path = printable(path)  # the source_file column and the rejected rows' file: text outputs can hold
        self.plan = plan
        self.delimiter = delimiter
        self.fixed_width = fixed_width
        self.value_fn = value_fn
        cols = plan.columns
        self._pos = {c: i for i, c in enumerate(cols)}
        self._last = cols[-1]
        self._get = itemgetter(*cols) if len(cols) > 1 else (lambda cells, _c=cols[0]: (cells[_c],))
        self._recs: list[tuple[str, ...]] = []
        self._rows: list[int] = []
        self._chunks: dict[str, list[pa.Array]] = {s.field: [] for s in plan.sources}
        if plan.asin_fallback is not None:
            self._chunks.setdefault("asin", [])
        self._row_chunks: list[np.ndarray] = []
        self.rejected: list[tuple[str, int, str, str, str]] = []
        self.records = 0  # records seen (blank ones included)
        self.blank = 0
        self.trailing_empty = 0
        self.beyond_header = 0
        self.rows_ok = 0

    # -- input ---------------------------------------------------------------------------------------
    def add_lines(self, lines: list[str], first_line: int, bad: dict[int, str] | None = None) -> None:
        """Tab-separated physical lines, ``lines[i]`` on line ``first_line + i`` (the hot path)."""
        self.records += len(lines)
        width, title, get = self.plan.width, self.plan.title_column, self._get
        recs, rows = self._recs, self._rows
        if not bad and self.value_fn is None:
            tabs, cut = width - 1, self._last + 1  # split only as far as the last column read
            for index, line in enumerate(lines):
                if line.count("\t") == tabs:
                    cells = line.split("\t", cut)
                    if cells[title].strip():
                        recs.append(get(cells))
                        rows.append(first_line + index)
                        continue
                self._irregular(line.split("\t"), first_line + index, line)
        else:
            bad = bad or {}
            for index, line in enumerate(lines):
                cells = line.split("\t")
                if index in bad:
                    self._reject_undecodable(cells, first_line + index, line, bad[index])
                elif len(cells) == width and self._has_title(cells):
                    recs.append(get(cells))
                    rows.append(first_line + index)
                else:
                    self._irregular(cells, first_line + index, line)
        if len(recs) >= FLUSH_ROWS:
            self.flush()

    def add_blank(self, n: int) -> None:
        """``n`` blank records, counted as :meth:`add_record` counts one (a worksheet's missing rows)."""
        self.records += n
        self.blank += n

    def add_record(self, cells: list[str], row: int, raw: str, bad: str | None = None) -> None:
        """One record already split into cells (a CSV record or a worksheet row) starting at ``row``."""
        self.records += 1
        if bad:
            self._reject_undecodable(cells, row, raw, bad)
        elif len(cells) == self.plan.width and self._has_title(cells):
            self._recs.append(self._get(cells))
            self._rows.append(row)
            if len(self._recs) >= FLUSH_ROWS:
                self.flush()
        else:
            self._irregular(cells, row, raw)

    def reject(self, row: int, column: str, reason: str, raw: str) -> None:
        """Record one rejected row (it counts as read)."""
        self.rejected.append((self.path, row, column, reason, show_markers(raw.rstrip("\r"))))

    def reject_record(self, row: int, column: str, reason: str, raw: str) -> None:
        """A record the parser could not split (it counts as read and rejected)."""
        self.records += 1
        self.reject(row, column, reason, raw)

    # -- rules ---------------------------------------------------------------------------------------
    def _irregular(self, cells: list[str], row: int, raw: str) -> None:
        width = self.plan.width
        if not any(c.strip() for c in cells):
            self.blank += 1
            return
        if len(cells) > width:
            if any(c.strip() for c in cells[width:]):
                if self.fixed_width:
                    self._wrong_width(cells, row, raw)
                    return
                self.beyond_header += 1
            elif self.fixed_width:  # a worksheet row is as wide as the sheet: empty cells are normal
                self.trailing_empty += 1
            cells = cells[:width]
        elif len(cells) < width:
            if self.fixed_width:
                self._wrong_width(cells, row, raw)
                return
            cells = cells + [""] * (width - len(cells))
        if not self._has_title(cells):
            self.reject(row, self.plan.header(self.plan.title_column), "empty title", raw)
            return
        self._recs.append(self._get(cells))
        self._rows.append(row)

    def _has_title(self, cells: list[str]) -> bool:
        title = cells[self.plan.title_column].strip()
        return bool(title and (self.value_fn is None or self.value_fn(title).strip()))

    def _wrong_width(self, cells: list[str], row: int, raw: str) -> None:
        name = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(self.delimiter, repr(self.delimiter))
        hint = "a value may hold a line break" if len(cells) < self.plan.width else "a value may hold a " + name
        self.reject(row, "", f"expected {self.plan.width} {name}-separated fields, found {len(cells)} ({hint})", raw)

    def _reject_undecodable(self, cells: list[str], row: int, raw: str, reason: str) -> None:
        column = next((self.plan.header(i) or f"field {i + 1}" for i, c in enumerate(cells) if MARKER.search(c)), "")
        self.reject(row, column, reason, raw)

    # -- output --------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Move the pending good rows into compact pyarrow chunks."""
        recs = self._recs
        if not recs:
            return
        fn = self.value_fn
        values: dict[str, list[str]] = {}
        for source in self.plan.sources:
            pos = [self._pos[c] for c in source.columns]
            if len(pos) == 1:
                p = pos[0]
                col = [r[p].strip() for r in recs] if fn is None else [fn(r[p].strip()).strip() for r in recs]
            elif source.join is not None:
                col = [source.join.join(v for v in (self._value(r[p]) for p in pos) if v) for r in recs]
            else:
                col = [next((v for v in (self._value(r[p]) for p in pos) if v), "") for r in recs]
            values[source.field] = col
        if self.plan.asin_fallback is not None:
            values["asin"] = self._asins(recs, values.get("asin"))
        for name, col in values.items():
            self._chunks[name].append(pa.array(col, type=pa.large_string()))
        self._row_chunks.append(np.array(self._rows, dtype=np.int64))
        self.rows_ok += len(recs)
        self._recs, self._rows = [], []

    def _value(self, text: str) -> str:
        text = text.strip()
        return self.value_fn(text).strip() if self.value_fn is not None else text

    def _asins(self, recs: list[tuple[str, ...]], primary: list[str] | None) -> list[str]:
        fb = self.plan.asin_fallback
        id_pos = self._pos[fb.id_column]
        type_pos = None if fb.type_column is None else self._pos[fb.type_column]
        out = list(primary) if primary is not None else [""] * len(recs)
        for i in [i for i, asin in enumerate(out) if not asin]:
            pid = self._value(recs[i][id_pos])
            if type_pos is None:
                out[i] = pid if _looks_like_asin(pid) else ""
            else:
                out[i] = pid if self._value(recs[i][type_pos]).casefold() in _ASIN_TYPES else ""
        return out

    def counts(self) -> tuple[int, int, int]:
        """``(rows_read, rows_ok, rows_rejected)``; raises if the rows do not add up (a reader bug)."""
        self.flush()
        read = self.records - self.blank
        if read != self.rows_ok + len(self.rejected):
            raise RuntimeError(
                f"{self.path}: row accounting broken: {read} read != {self.rows_ok} ok + {len(self.rejected)} rejected"
            )
        return read, self.rows_ok, len(self.rejected)

    def notes(self) -> list[str]:
        """What the rules did that the user may want to know."""
        out = []
        if self.blank:
            out.append(f"{self.blank} blank line(s) skipped (not rows)")
        if self.trailing_empty:
            out.append(f"{self.trailing_empty} row(s) had extra empty fields at the end (ignored)")
        if self.beyond_header:
            out.append(f"{self.beyond_header} row(s) had values in columns without a header (ignored)")
        return out

    def listings(self, *, marketplace: str = "") -> pd.DataFrame:
        """The good rows as the canonical listing table (pyarrow-backed ``str`` columns)."""
        self.flush()
        n = self.rows_ok
        data: dict[str, pd.Series] = {}
        for name in CANONICAL_COLUMNS:
            if name == "source_row":
                rows = np.concatenate(self._row_chunks) if self._row_chunks else np.empty(0, dtype=np.int64)
                data[name] = pd.Series(rows, dtype="int64")
                continue
            if name == "source_file":
                chunked = pa.chunked_array([constant_strings(self.path, n)])
            elif self._chunks.get(name):
                chunked = pa.chunked_array(self._chunks[name], type=pa.large_string())
            else:
                chunked = pa.chunked_array([constant_strings("", n)])
            series = pd.Series(chunked, dtype="str")
            if name == "marketplace" and marketplace:
                series = series.mask(series == "", marketplace)
            data[name] = series
        return pd.DataFrame(data)

    def rejected_frame(self) -> pd.DataFrame:
        """The rejected rows (:data:`REJECTED_COLUMNS`)."""
        if not self.rejected:
            return empty_rejected()
        frame = pd.DataFrame(self.rejected, columns=list(REJECTED_COLUMNS))
        return frame.astype({c: ("int64" if c == "source_row" else "str") for c in REJECTED_COLUMNS})
