"""The trademark CSV format (fixed contract): read and write.

Columns ``mark, owner, nice_classes, status, jurisdiction, serial_number, registration_number, kind,
source, aliases``; only ``mark`` is required (``aliases``, the ``;``-separated other written forms of the mark,
is optional like the rest), and the extra corpus columns (``goods_services``, ``drawing_code``,
...) are read too when present. Other columns are ignored with a note. A row with a bad value (empty mark,
unknown status or kind, a class outside 1..45) is reported with its file, row and column, skipped and
counted; the import goes on.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import operator
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import CorpusError
from .schema import EXTRA_COLUMNS, GOODS_TEXT_COLUMNS, KINDS, MARK_COLUMNS, STATUSES, TRADEMARK_CSV_COLUMNS
from .stats import ImportStats

_KNOWN = frozenset(MARK_COLUMNS)


def _classes(value: str) -> str | None:
    """``"9; 25;9"`` -> ``"9;25"``; ``None`` if any part is not an integer 1..45."""
    out = set()
    for part in value.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 45:
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
        index, width = _read_header(csv.reader(handle), path, stats)  # the reader reads no line ahead
        row_no = 1  # the CSV row of the last record read (the header is row 1)
        while True:
            raw, failure, more = _read_chunk(handle, path, row_no, chunk_rows)
            batch = _chunk_batch(raw, row_no, index, width, path.name, stats, bar)
            row_no += len(raw)
            if batch is not None:
                yield batch
            if failure is not None:
                raise failure
            if not more:
                break


def _read_chunk(handle: Any, path: Path, row_no: int, chunk_rows: int
                ) -> tuple[list[list[str]], CorpusError | None, bool]:
    """The CSV records of the next ``chunk_rows`` lines of ``handle`` (a quoted record may run on past
    them): ``(records, the error that stopped the reading or None, whether lines may remain)``.

    Lines without a quote or NUL character (and shorter than the CSV field size limit) are records of
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
    if '"' not in text and "\x00" not in text and max(map(len, lines), default=0) <= csv.field_size_limit():
        return [(s.split(",") if (s := line.rstrip("\r\n")) else []) for line in lines], failure, more
    pending = iter(lines)
    # a quoted record may go on past the chunk's lines (into the file, or into the decoding error)
    reader = csv.reader(itertools.chain(pending, handle if failure is None else _raise(failure)))
    records: list[list[str]] = []
    try:
        while operator.length_hint(pending):
            records.append(next(reader))
    except UnicodeDecodeError as exc:
        return records, _not_utf8(path, exc), False
    except csv.Error as exc:
        return records, CorpusError(f"malformed CSV: {exc}", path=path, row=row_no + len(records) + 1), False
    except CorpusError as exc:
        return records, exc, False
    return records, failure, more


def _raise(error: Exception) -> Iterator[str]:
    raise error
    yield ""  # pragma: no cover - makes this a generator


def _read_header(reader: Any, path: Path, stats: ImportStats) -> tuple[dict[str, int], int]:
    """``({known column: position}, header width)`` of the CSV's header row (a note for unknown columns)."""
    try:
        header = next(reader, None)
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
    return index, len(names)


def _chunk_batch(raw: list[list[str]], row_no: int, index: dict[str, int], width: int, name: str,
                 stats: ImportStats, bar: Any) -> dict[str, list[str]] | None:
    """The checked column batch of the rows ``raw`` (CSV rows ``row_no + 1`` on), or None when none is kept."""
    keep = [i for i, values in enumerate(raw) if "".join(values).strip()]  # blank lines are left out
    if not keep:
        return None
    rows = raw if len(keep) == len(raw) else [raw[i] for i in keep]
    stats.read += len(rows)
    if bar is not None:
        bar.update(len(rows))
    if min(map(len, rows)) < width:
        rows = [v if len(v) >= width else v + [""] * (width - len(v)) for v in rows]
    by_position = list(zip(*rows, strict=False))  # rows may be longer than the header: the first `width` count
    n = len(rows)
    broken = _broken_rows(by_position, index, width)
    columns = {c: (_squeeze(by_position[index[c]]) if c in index and any(by_position[index[c]]) else [""] * n)
               for c in MARK_COLUMNS}
    bad = _bad_rows(columns) | broken
    if bad:
        for i in sorted(bad):
            column, reason = bad[i]
            stats.skip("bad_value", path=name, row=row_no + 1 + keep[i], column=column, detail=reason)
        good = [i for i in range(n) if i not in bad]
        if not good:
            return None
        pick = _picker(good)
        columns = {c: pick(values) for c, values in columns.items()}
    _normalise(columns, name)
    stats.yielded += len(columns["mark"])
    columns["_created"] = [""] * len(columns["mark"])
    return columns


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


#: Columns whose value is one line: a line break there is a quote left open, which swallowed the lines after
#: it (the goods texts may run over several lines).
_ONE_LINE = tuple(c for c in MARK_COLUMNS if c not in GOODS_TEXT_COLUMNS)


def _broken_rows(by_position: list[tuple[str, ...]], index: dict[str, int], width: int
                 ) -> dict[int, tuple[str, str]]:
    """``{row: (column, problem)}`` of the rows where a quote was left open: a one-line column's value runs
    over lines that look like rows of the file (as many commas as the header has, less one), or to the end of
    the file (the value ends with the file's last line break). A quoted value written over two lines on
    purpose (``"Multi\nline, quoted"``) stays. Tested on the column's values joined first, so a clean chunk
    costs one search per column."""
    out: dict[int, tuple[str, str]] = {}
    for column in _ONE_LINE:
        if column not in index:
            continue
        values = by_position[index[column]]
        joined = "\x00".join(values)
        if "\n" not in joined and "\r" not in joined:
            continue
        for i, v in enumerate(values):
            if i not in out and _swallowed_rows(v, width):
                after = len(v.splitlines()) - 1
                out[i] = (column, f"a line break inside {column!r}: a quote left open? {after} line(s) after it were "
                                  "read into this value (close the quote; those rows were not imported)")
    return out


def _swallowed_rows(value: str, width: int) -> bool:
    lines = value.splitlines()
    if len(lines) < 2:
        return False
    return value.endswith(("\n", "\r")) or any(line.count(",") >= max(1, width - 1) for line in lines[1:])


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
    """Write ``rows`` (lists in ``columns`` order) as a UTF-8 trademark CSV; return the row count."""
    out = Path(out)
    count = 0
    try:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(row)
                count += 1
    except OSError as exc:
        raise CorpusError(f"cannot write trademark CSV: {exc.strerror or exc}", path=out) from None
    return count
