"""The trademark CSV format (fixed contract): read and write.

Columns ``mark, owner, nice_classes, status, jurisdiction, serial_number, registration_number, kind,
source, aliases``; only ``mark`` is required (``aliases``, the ``;``-separated other written forms of the mark,
is optional like the rest), and the extra corpus columns (``goods_services``, ``drawing_code``,
...) are read too when present. Other columns are ignored with a note. A row with a bad value (empty mark,
unknown status or kind, a class outside 1..45), with more values than the header has columns, or with a quote
left open is reported with its file, row and column, skipped and counted; the import goes on. A date that is
not one (``*_date`` columns) is left empty and reported, the mark kept.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import itertools
import operator
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorpusError
from ..numbers import ascii_digits
from ..replace_file import write_output
from .schema import EXTRA_COLUMNS, KINDS, MARK_COLUMNS, STATUSES, TRADEMARK_CSV_COLUMNS
from .stats import ImportStats

_KNOWN = frozenset(MARK_COLUMNS)

#: The longest value read, in characters. The csv module's default (128 KiB) is less than the longest goods
#: texts ``corpus export`` writes; a quote left open in a big file still stops at a one-line error here.
FIELD_SIZE_LIMIT = 32 << 20


@contextmanager
def _field_size_limit() -> Iterator[None]:
    """The csv module's field size limit at :data:`FIELD_SIZE_LIMIT` while a chunk is read. The module has only
    a process-wide setting: it is put back after each chunk, so that the other CSV readers (the listings' reader
    stops a quote left open at the default limit) keep theirs. Not for threads reading CSV at the same time (the
    corpus is read in one thread a process)."""
    old = csv.field_size_limit(FIELD_SIZE_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _classes(value: str) -> str | None:
    """``"9; 25;9"`` -> ``"9;25"``; ``None`` if any part is not an integer 1..45 (ASCII digits only: ``"²"``
    is not a class)."""
    out = set()
    for part in value.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if not ascii_digits(part) or not 1 <= int(part) <= 45:
            return None
        out.add(int(part))
    return ";".join(str(c) for c in sorted(out))


def _check(row: dict[str, str]) -> tuple[str, str] | None:
    """Normalise ``row`` in place; return ``(column, problem)`` for a bad value."""
    if not row["mark"]:
        return "mark", "empty mark"
    status = row["status"].lower()
    if status and status not in STATUSES:
        return "status", f"bad status {row['status']!r} (use {', '.join(STATUSES)} or leave empty)"
    row["status"] = status
    kind = row["kind"].lower()
    if kind and kind not in KINDS:
        return "kind", f"bad kind {row['kind']!r} (use {', '.join(KINDS)} or leave empty)"
    row["kind"] = kind
    classes = _classes(row["nice_classes"])
    if classes is None:
        return "nice_classes", f"bad nice_classes {row['nice_classes']!r} (';'-separated integers 1..45)"
    row["nice_classes"] = classes
    row["jurisdiction"] = row["jurisdiction"].upper()
    row["aliases"] = _aliases(row["aliases"])
    return None


def _aliases(value: str) -> str:
    """``" D&D ; DnD;;D&D"`` -> ``"D&D;DnD"``: trimmed, empty parts and repeats dropped, order kept."""
    if not value:
        return ""
    out: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return ";".join(out)


#: Rows read, normalised and checked at a time by :func:`iter_trademark_csv_batches`.
CHUNK_ROWS = 20_000

#: The date columns: stored as ``YYYYMMDD`` (compared as text when the newest record of a serial number wins).
_DATE_COLUMNS = tuple(c for c in MARK_COLUMNS if c.endswith("_date"))

#: Bad dates listed one by one in the notes, a file (all are counted in ``flags["bad_date"]``).
_DATES_LISTED = 10


@dataclass
class _File:
    """A trademark CSV's header, and what its reading keeps from chunk to chunk."""

    name: str
    header: list[str]
    index: dict[str, int]  # known column -> its position (the first, for a column named twice)
    dates: set[str] = field(default_factory=lambda: {""})  # values seen that are dates in YYYYMMDD
    date_forms: dict[str, str] = field(default_factory=dict)  # values seen in the other accepted forms -> YYYYMMDD
    bad_dates: int = 0

    def column(self, position: int) -> str:
        """The name of the column at ``position`` (known columns by their own name)."""
        if position >= len(self.header):
            return f"field {position + 1}"
        name = self.header[position].strip()
        return name.lower() if name.lower() in _KNOWN else name or f"field {position + 1}"


def iter_trademark_csv(path: str | Path, *, stats: ImportStats | None = None, bar: Any = None
                       ) -> Iterator[dict[str, str]]:
    """Stream the rows of a trademark CSV as records in ``MARK_COLUMNS`` (+ ``_created`` = "").

    An empty ``source`` is filled with the file name. ``bar`` is advanced by the rows read.
    """
    names = (*MARK_COLUMNS, "_created")
    for batch in iter_trademark_csv_batches(path, stats=stats, bar=bar):
        for values in zip(*(batch[c] for c in names), strict=True):
            yield dict(zip(names, values, strict=True))


def iter_trademark_csv_batches(path: str | Path, *, stats: ImportStats | None = None, bar: Any = None,
                               chunk_rows: int = CHUNK_ROWS) -> Iterator[dict[str, list[str]]]:
    """The rows of a trademark CSV (see :func:`iter_trademark_csv`) as column batches: ``{column: values}``
    over ``MARK_COLUMNS`` + ``_created``, one batch per ``chunk_rows`` rows read (blank lines and skipped
    rows left out). The rows of a chunk are normalised and checked column by column; every bad row is
    reported with its file, row and column as one row at a time would be. ``bar`` is advanced by the rows
    read."""
    path = Path(path)
    stats = stats if stats is not None else ImportStats()
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CorpusError(f"cannot read trademark CSV: {exc.strerror or exc}", path=path) from None
    with handle:
        file = _read_header(handle, path, stats)
        row_no = 1  # the CSV row of the last record read (the header is row 1)
        while True:
            raw, open_quotes, failure, more = _read_chunk(handle, path, row_no, chunk_rows)
            batch = _chunk_batch(raw, open_quotes, row_no, file, stats, bar)
            row_no += len(raw)
            if batch is not None:
                yield batch
            if failure is not None:
                raise failure
            if not more:
                break
    if file.bad_dates > _DATES_LISTED:
        stats.note(f"{file.name}: {file.bad_dates:,} bad dates in all were left empty (the first {_DATES_LISTED} "
                   "are listed)")


def _read_chunk(handle: Any, path: Path, row_no: int, chunk_rows: int
                ) -> tuple[list[list[str]], dict[int, int], CorpusError | None, bool]:
    """The CSV records of the next ``chunk_rows`` lines of ``handle`` (a quoted record may run on past
    them): ``(records, {record: lines it spans} for those with a quote left open (:func:`_left_open`), the
    error that stopped the reading or None, whether lines may remain)``.

    Lines without a quote or NUL character (and not longer than the field size limit) are records of
    their comma-separated values, as the csv module reads them; a chunk with any of those is read by
    the csv module itself."""
    lines: list[str] = []
    failure: CorpusError | None = None
    try:
        for line in itertools.islice(handle, chunk_rows):
            lines.append(line)
    except UnicodeDecodeError as exc:
        failure = _not_utf8(path, exc)
    more = failure is None and len(lines) == chunk_rows
    text = "".join(lines)
    if '"' not in text and "\x00" not in text and max(map(len, lines), default=0) <= FIELD_SIZE_LIMIT:
        return [(s.split(",") if (s := line.rstrip("\r\n")) else []) for line in lines], {}, failure, more
    pending = iter(lines)
    # a quoted record may go on past the chunk's lines (into the file, or into the decoding error)
    after: list[str] = []
    reader = csv.reader(itertools.chain(pending, _kept(handle if failure is None else _raise(failure), after)))
    records: list[list[str]] = []
    ends: list[int] = []  # the lines read at the end of each record
    with _field_size_limit():
        try:
            while operator.length_hint(pending):
                records.append(next(reader))
                ends.append(reader.line_num)
        except UnicodeDecodeError as exc:
            failure, more = _not_utf8(path, exc), False
        except csv.Error as exc:
            failure = CorpusError(f"malformed CSV: {exc}", path=path, row=row_no + len(records) + 1)
            more = False
        except CorpusError as exc:
            failure, more = exc, False
        open_quotes = _open_quotes(lines + after if after else lines, ends)
    return records, open_quotes, failure, more


def _kept(lines: Iterable[str], into: list[str]) -> Iterator[str]:
    """``lines``, each kept in ``into`` as it passes."""
    for line in lines:
        into.append(line)
        yield line


def _raise(error: Exception) -> Iterator[str]:
    raise error
    yield ""  # pragma: no cover - makes this a generator


def _open_quotes(lines: list[str], ends: list[int]) -> dict[int, int]:
    """``{record: lines it spans}`` of the records read from ``lines`` (record ``i`` ending at line ``ends[i]``)
    that run over several lines because a quote was left open."""
    if not ends or ends[-1] == len(ends):  # every record on one line
        return {}
    out = {}
    start = 0
    for i, end in enumerate(ends):
        if end - start > 1 and _left_open(lines[start:end]):
            out[i] = end - start
        start = end
    return out


def _left_open(lines: list[str]) -> bool:
    """Whether the record read from ``lines`` (more than one) is rows swallowed by a quote left open, not a value
    that really holds line breaks. Such a value ends on a line with its closing quote (an odd number of ``"``),
    right before a comma or the line's end; the rows an open quote swallowed are each complete (balanced
    quotes), and what ends the value then, if anything, is the opening quote of a later value, followed by its
    text (or the end of the file). Neither test counts commas, so narrow files (2-3 columns) are judged alike."""
    if all(line.count('"') % 2 == 0 for line in lines[1:]):
        return True
    try:
        for _ in csv.reader(lines, strict=True):  # strict: a quote must close right before a comma or line end
            pass
    except csv.Error:
        return True
    return False


def _read_header(handle: Any, path: Path, stats: ImportStats) -> _File:
    """The CSV's header row (a note for unknown columns)."""
    try:
        with _field_size_limit():
            header = next(csv.reader(handle), None)  # the reader reads no line ahead
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None
    except csv.Error as exc:
        raise CorpusError(f"cannot read trademark CSV header: {exc}", path=path, row=1) from None
    if header is None:
        raise CorpusError("empty file: expected a header row with at least a 'mark' column", path=path)
    names = [h.strip().lower() for h in header]
    if "mark" not in names:
        shown = ", ".join(h for h in header[:10] if h.strip()) or "nothing"
        raise CorpusError(f"no 'mark' column in the header (found {shown})", path=path, row=1)
    index = {n: i for i, n in reversed(list(enumerate(names))) if n in _KNOWN}
    unknown = [h for h, n in zip(header, names, strict=True) if n not in _KNOWN and h.strip()]
    if unknown:
        stats.note(f"{path.name}: ignored unknown column(s) {', '.join(unknown[:10])}")
    return _File(path.name, header, index)


def _chunk_batch(raw: list[list[str]], open_quotes: dict[int, int], row_no: int, file: _File,
                 stats: ImportStats, bar: Any) -> dict[str, list[str]] | None:
    """The checked column batch of the rows ``raw`` (CSV rows ``row_no + 1`` on; ``open_quotes`` from
    :func:`_read_chunk`), or None when none is kept."""
    keep = [i for i, values in enumerate(raw) if "".join(values).strip()]  # blank lines are left out
    if not keep:
        return None
    rows = raw if len(keep) == len(raw) else [raw[i] for i in keep]
    stats.read += len(rows)
    if bar is not None:
        bar.update(len(rows))
    n = len(rows)
    by_position = _known_values(rows, file.index)
    columns = {c: (_squeeze(by_position[p]) if (p := file.index.get(c)) is not None and any(by_position[p])
                   else [""] * n) for c in MARK_COLUMNS}
    # one report a row: a quote left open, else more values than columns, else the first bad value
    bad = {i: ("bad_value", *problem) for i, problem in _bad_rows(columns).items()}
    if max(map(len, rows)) > len(file.header):
        bad.update(_long_rows(rows, len(file.header)))
    if open_quotes:
        bad.update(_quote_rows(raw, open_quotes, keep, file))
    good = range(n)
    if bad:
        for i in sorted(bad):
            reason, column, detail = bad[i]
            stats.skip(reason, path=file.name, row=row_no + 1 + keep[i], column=column, detail=detail)
        good = [i for i in range(n) if i not in bad]
        if not good:
            return None
        pick = _picker(good)
        columns = {c: pick(values) for c, values in columns.items()}
    _normalise(columns, file.name)
    _check_dates(columns, file, stats, lambda j: row_no + 1 + keep[good[j]])
    stats.yielded += len(columns["mark"])
    columns["_created"] = [""] * len(columns["mark"])
    return columns


def _known_values(rows: list[list[str]], index: dict[str, int]) -> dict[int, tuple[str, ...]]:
    """``{position: values}`` at the positions of the known columns only (a short row's missing values empty):
    a header with thousands of empty or unknown columns costs nothing."""
    positions = sorted(set(index.values()))
    need = positions[-1] + 1
    if min(map(len, rows)) < need:
        rows = [v if len(v) >= need else v + [""] * (need - len(v)) for v in rows]
    if len(positions) == need:  # the first `need` positions, transposed (the values after them are not)
        return dict(enumerate(itertools.islice(zip(*rows, strict=False), need)))
    if len(positions) == 1:
        return {need - 1: tuple(v[need - 1] for v in rows)}
    return dict(zip(positions, zip(*map(operator.itemgetter(*positions), rows), strict=True), strict=True))


def _long_rows(rows: list[list[str]], width: int) -> dict[int, tuple[str, str | None, str]]:
    """``{row: (reason, column, problem)}`` of the rows with more values than the header has columns (empty
    values at the end do not count)."""
    out: dict[int, tuple[str, str | None, str]] = {}
    for i, values in enumerate(rows):
        if len(values) > width and "".join(values[width:]).strip():
            extra = ", ".join(repr(v) for v in values[width:] if v.strip())
            out[i] = ("extra_fields", None, f"{len(values)} fields, the header has {width}: a value with an "
                                            f"unquoted comma? (beyond the header: {extra})")
    return out


def _quote_rows(raw: list[list[str]], open_quotes: dict[int, int], keep: list[int], file: _File
                ) -> dict[int, tuple[str, str, str]]:
    """``{row: (reason, column, problem)}`` of the rows a quote was left open in (``open_quotes``:
    ``{record of raw: lines it spans}``), named by the column of their first value with a line break."""
    at = {r: i for i, r in enumerate(keep)}
    out = {}
    for r, span in open_quotes.items():
        if r in at:
            values = raw[r]
            p = next((p for p, v in enumerate(values) if "\n" in v or "\r" in v), 0)
            column = file.column(p)
            out[at[r]] = ("bad_value", column,
                          f"a line break inside {column!r}: a quote left open? {span - 1} line(s) after it were "
                          "read into this value (close the quote; those rows were not imported)")
    return out


#: A whitespace character other than the space.
_OTHER_SPACE = re.compile(r"[^\S ]")


def _squeeze(values: tuple[str, ...]) -> list[str]:
    """Each value with its whitespace runs made single spaces and the ends trimmed (``" ".join(v.split())``),
    computed value by value only when some value needs it (tested on the values joined by NUL characters)."""
    text = "\x00".join(values)
    if ("  " in text or "\x00 " in text or " \x00" in text or text.startswith(" ") or text.endswith(" ")
            or _OTHER_SPACE.search(text)):
        return [" ".join(v.split()) for v in values]
    return list(values)


def _picker(rows: list[int]) -> Any:
    """A function taking the values at positions ``rows`` (in order) from a list, as a list."""
    if len(rows) == 1:
        return lambda values: [values[rows[0]]]
    get = operator.itemgetter(*rows)
    return lambda values: list(get(values))


def _bad_rows(columns: dict[str, list[str]]) -> dict[int, tuple[str, str]]:
    """``{row: (column, problem)}`` of the rows with a bad value: an empty mark, an unknown status or kind, a
    class outside 1..45 (the first of these, in this order, as :func:`_check` reports it)."""
    marks = columns["mark"]
    suspects: set[int] = {i for i, v in enumerate(marks) if not v} if "" in marks else set()
    for column, valid in (("status", lambda v: v.lower() in STATUSES), ("kind", lambda v: v.lower() in KINDS),
                          ("nice_classes", lambda v: _classes(v) is not None)):
        wrong = {v for v in set(columns[column]) if v and not valid(v)}
        if wrong:
            suspects.update(i for i, v in enumerate(columns[column]) if v in wrong)
    out = {}
    for i in suspects:
        problem = _check({c: columns[c][i] for c in ("mark", "status", "kind", "nice_classes", "jurisdiction",
                                                     "aliases")})
        if problem is not None:
            out[i] = problem
    return out


def _normalise(columns: dict[str, list[str]], name: str) -> None:
    """What :func:`_check` does to a good row, column by column (each distinct value once): status and kind
    in lower case, the classes sorted, the jurisdiction in upper case, the aliases cleaned; an empty source
    is the file name."""
    for column, fix in (("status", str.lower), ("kind", str.lower), ("nice_classes", _classes),
                        ("jurisdiction", str.upper), ("aliases", _aliases)):
        values = columns[column]
        fixed = {v: fix(v) for v in set(values)}
        if any(k != v for k, v in fixed.items()):
            columns[column] = list(map(fixed.__getitem__, values))
    columns["source"] = [v or name for v in columns["source"]]


#: A date in an accepted form: ``YYYYMMDD``, ``YYYY-MM-DD`` or ``YYYY/MM/DD``, maybe followed by a time after a
#: ``T`` or a space (``2024-01-06T12:30:00Z``, ``2024-01-06 12:30``).
_DATE = re.compile(r"(\d{4})([-/]?)(\d\d)\2(\d\d)(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?",
                   re.ASCII)

#: Values kept a file in ``_File.dates`` / ``_File.date_forms`` at most (each distinct value is checked once).
_DATES_KEPT = 100_000


def _date(value: str) -> str | None:
    """``"2024-01-06"``, ``"2024/01/06"``, ``"20240106"``, ``"2024-01-06T12:30:00"`` -> ``"20240106"``; None
    for anything else (``"yesterday"``, ``"01/02/2020"``, ``"20240230"``)."""
    m = _DATE.fullmatch(value)
    if m is None:
        return None
    try:
        datetime.date(int(m[1]), int(m[3]), int(m[4]))
    except ValueError:
        return None
    return m[1] + m[3] + m[4]


def _check_dates(columns: dict[str, list[str]], file: _File, stats: ImportStats, row_of: Any) -> None:
    """The date columns in ``YYYYMMDD``; a value that is no date in an accepted form is left empty, counted
    (``flags["bad_date"]``) and listed in the notes with its file, row (``row_of(i)``) and column (the first
    :data:`_DATES_LISTED` of a file). Each distinct date is checked once a file."""
    for column in _DATE_COLUMNS:
        if column not in file.index:
            continue
        values = columns[column]
        odd = set(values).difference(file.dates)
        if not odd:
            continue
        changed: dict[str, str | None] = {}
        for value in odd:
            date = file.date_forms.get(value) or _date(value)
            if date == value:
                if len(file.dates) < _DATES_KEPT:
                    file.dates.add(value)
                continue
            if date is not None and len(file.date_forms) < _DATES_KEPT:
                file.date_forms[value] = date
            changed[value] = date
        if not changed:
            continue
        if None in changed.values():
            for i, value in enumerate(values):
                if value in changed and changed[value] is None:
                    stats.flags["bad_date"] += 1
                    file.bad_dates += 1
                    if file.bad_dates <= _DATES_LISTED:
                        shown = repr(value) if len(value) <= 40 else f"{value[:40]!r}..."
                        stats.note(f"{file.name}, row {row_of(i)}, column {column!r}: bad date {shown} left "
                                   "empty (use YYYYMMDD or YYYY-MM-DD); the mark is kept")
        columns[column] = [changed.get(v, v) or "" for v in values]


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> CorpusError:
    byte = exc.object[exc.start:exc.start + 1].hex()
    line = _first_undecodable_line(path)
    where = f" at line {line}" if line is not None else ""
    return CorpusError(f"not UTF-8 text{where} (found byte 0x{byte}); save the file as UTF-8 (CSV UTF-8 in "
                       "Excel)", path=path)


def _first_undecodable_line(path: Path, block_size: int = 1 << 20) -> int | None:
    """The line (from 1) of the first byte of ``path`` that is not UTF-8, or None (read again only when
    the text reader failed: its decoder reads ahead, so it cannot tell the line itself)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    try:
        with open(path, "rb") as handle:
            while block := handle.read(block_size):
                pending = len(decoder.getstate()[0])  # bytes of a character cut by the last block
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    return line + block.count(b"\n", 0, max(exc.start - pending, 0))
                line += block.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return line
    except OSError:
        return None
    return None


def export_columns(columns: Iterable[str]) -> list[str]:
    """The fixed trademark CSV columns first, then the extra ones present in ``columns``."""
    present = set(columns)
    extra = [c for c in EXTRA_COLUMNS if c in present]
    extra += [c for c in columns if c not in TRADEMARK_CSV_COLUMNS and c not in extra]
    return list(TRADEMARK_CSV_COLUMNS) + extra


def write_trademark_csv(rows: Iterable[dict[str, str]] | Iterable[list[str]], out: str | Path,
                        columns: list[str]) -> int:
    """Write ``rows`` (lists in ``columns`` order) as a UTF-8 trademark CSV; return the row count. Whole or not
    at all (:func:`scanner.replace_file.write_output`): when ``rows`` fail part-way (a damaged corpus), the file
    it was to replace is left as it was."""
    out = Path(out)
    count = 0

    def write(handle: Any) -> None:
        nonlocal count
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1

    try:
        write_output(out, write)
    except OSError as exc:
        raise CorpusError(f"cannot write trademark CSV: {exc.strerror or exc}", path=out) from None
    return count
