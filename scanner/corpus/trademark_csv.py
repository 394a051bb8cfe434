"""The trademark CSV format (fixed contract): read and write.

Columns ``mark, owner, nice_classes, status, jurisdiction, serial_number, registration_number, kind,
source, aliases``; only ``mark`` is required (``aliases``, the ``;``-separated other written forms of the mark,
is optional like the rest), and the extra corpus columns (``goods_services``, ``drawing_code``,
...) are read too when present. Other columns are ignored with a note. A row with a bad value (empty mark,
unknown status or kind, a class outside 1..45) is reported with its file, row and column, skipped and
counted; the import goes on.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import CorpusError
from .schema import EXTRA_COLUMNS, KINDS, MARK_COLUMNS, STATUSES, TRADEMARK_CSV_COLUMNS
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


def iter_trademark_csv(path: str | Path, *, stats: ImportStats | None = None, bar: Any = None
                       ) -> Iterator[dict[str, str]]:
    """Stream the rows of a trademark CSV as records in ``MARK_COLUMNS`` (+ ``_created`` = "").

    An empty ``source`` is filled with the file name. ``bar`` is advanced by one per row.
    """
    path = Path(path)
    stats = stats if stats is not None else ImportStats()
    name = path.name
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CorpusError(f"cannot read trademark CSV: {exc.strerror or exc}", path=path) from None
    with handle:
        reader = csv.reader(handle)
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
            stats.note(f"{name}: ignored unknown column(s) {', '.join(unknown[:10])}")
        width = len(names)
        row_no = 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError as exc:
                raise _not_utf8(path, exc) from None
            except csv.Error as exc:
                raise CorpusError(f"malformed CSV: {exc}", path=path, row=row_no + 1) from None
            row_no += 1
            if not any(v.strip() for v in values):
                continue  # blank line
            stats.read += 1
            if bar is not None:
                bar.update(1)
            if len(values) < width:
                values = values + [""] * (width - len(values))
            row = {c: (" ".join(values[index[c]].split()) if c in index else "") for c in MARK_COLUMNS}
            problem = _check(row)
            if problem is not None:
                column, reason = problem
                stats.skip("bad_value", path=name, row=row_no, column=column, detail=reason)
                continue
            if not row["source"]:
                row["source"] = name
            row["_created"] = ""
            stats.yielded += 1
            yield row


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> CorpusError:
    byte = exc.object[exc.start:exc.start + 1].hex()
    return CorpusError(f"not UTF-8 text (found byte 0x{byte}); save the file as UTF-8 (CSV UTF-8 in Excel)",
                       path=path)


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
