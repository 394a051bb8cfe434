"""Importer for the USPTO Trademark Case Files Dataset (Office of the Chief Economist) CSV tables.

A folder holding ``case_file.csv``, ``owner.csv``, ``intl_class.csv`` and ``statement.csv`` (each may also
be a ``.csv.zip`` holding that one CSV) is one source. Columns are read by name (see
``OCE_TM_CaseFiles_vartable``): ``serial_no`` joins the tables.

The real tables are large (8.1M / 17.4M / 9.2M / 15.3M rows). The join is memory bounded:

* each table is read in blocks with pyarrow's streaming CSV reader (only the needed columns);
* when every table is sorted by ``serial_no`` (checked first with a fast pass over that column) the four
  streams are merge-joined: memory holds one block per table and one serial's rows;
* a table that is not sorted is first copied (its needed columns) into a temporary on-disk SQLite
  database and read back ``ORDER BY serial_no``: the same merge-join then runs over it.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import CorpusError
from . import uspto_codes as codes
from .stats import ImportStats

#: table -> (required columns, optional columns)
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "case_file": (("serial_no", "mark_id_char"),
                  ("registration_no", "cfh_status_cd", "mark_draw_cd", "filing_dt", "registration_dt")),
    "owner": (("serial_no", "own_type_cd", "own_name"), ("own_seq",)),
    "intl_class": (("serial_no", "intl_class_cd"), ()),
    "statement": (("serial_no", "statement_type_cd", "statement_text"), ()),
}

BLOCK_SIZE = 1 << 19  # pyarrow reads several blocks ahead per table: keeps the four readers' memory small


def find_tables(folder: Path) -> dict[str, Path] | None:
    """The four table files in ``folder`` (``name.csv`` or ``name.csv.zip``), or None if any is missing."""
    found = {}
    for name in TABLES:
        for candidate in (folder / f"{name}.csv", folder / f"{name}.csv.zip", folder / f"{name}.zip"):
            if candidate.is_file():
                found[name] = candidate
                break
        else:
            return None
    return found


def is_casefiles_folder(path: Path) -> bool:
    return path.is_dir() and find_tables(path) is not None


class _Counting(io.RawIOBase):
    """A read-only stream wrapper that counts the bytes read (for progress)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.count += n
        return n


@contextmanager
def _open_table(path: Path) -> Iterator[IO[bytes]]:
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
                if len(members) != 1:
                    raise CorpusError("expected exactly one .csv file in the zip", path=path)
                with archive.open(members[0]) as stream:
                    yield stream
        else:
            with open(path, "rb") as stream:
                yield stream
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CorpusError(f"cannot read Case Files table (truncated or corrupt?): {exc}", path=path) from None


def _header(path: Path) -> list[str]:
    with _open_table(path) as stream:
        line = stream.readline(1 << 20).decode("utf-8-sig", errors="replace")
    row = next(csv.reader([line]), [])
    return [c.strip() for c in row]


def table_columns(name: str, path: Path, stats: ImportStats) -> tuple[list[str], list[str]]:
    """(columns to read, optional columns absent) for table ``name``; a missing required column is fatal."""
    header = _header(path)
    required, optional = TABLES[name]
    for col in required:
        if col not in header:
            raise CorpusError(f"no {col!r} column in the {name} table (found {', '.join(header[:12])})",
                              path=path, column=col)
    missing = [c for c in optional if c not in header]
    for col in missing:
        stats.note(f"{path.name}: no {col!r} column; left empty")
    return [c for c in (*required, *optional) if c in header], missing


def _batches(stream: IO[bytes], columns: list[str], path: Path) -> Iterator[pa.RecordBatch]:
    """The table's needed columns in blocks. A row the parser cannot read (another number of fields than
    the header, bytes that are not UTF-8) stops the import with one line naming the table and the row: the
    tables are written by a program, so such a row means a damaged file."""
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=BLOCK_SIZE, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns,
                column_types={c: pa.string() for c in columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            yield batch
    except pa.ArrowInvalid as exc:
        found = re.search(r"CSV column #(\d+)", str(exc))
        header = _header(path) if found else []
        column = header[int(found.group(1))] if found and int(found.group(1)) < len(header) else None
        raise CorpusError(f"cannot parse CSV (a damaged or truncated table?): {' '.join(str(exc).split())[:300]}",
                          path=path, column=column) from None


def _is_sorted(path: Path) -> bool:
    """Whether the table's rows are in ``serial_no`` order (one fast pass over that column)."""
    last = None
    with _open_table(path) as stream:
        for batch in _batches(stream, ["serial_no"], path):
            serials = pc.utf8_trim_whitespace(batch.column(0))
            n = len(serials)
            if n == 0:
                continue
            if last is not None and serials[0].as_py() < last:
                return False
            if n > 1 and not pc.all(pc.less_equal(serials.slice(0, n - 1), serials.slice(1))).as_py():
                return False
            last = serials[n - 1].as_py()
    return True


def _rows_from_csv(path: Path, columns: list[str], counter: list[_Counting] | None = None
                   ) -> Iterator[tuple[str, ...]]:
    with _open_table(path) as raw:
        stream: IO[bytes] = raw
        if counter is not None:
            wrapped = _Counting(raw)
            counter.append(wrapped)
            stream = io.BufferedReader(wrapped, buffer_size=1 << 20)
        for batch in _batches(stream, columns, path):
            yield from zip(*(batch.column(i).to_pylist() for i in range(len(columns))), strict=True)


def _rows_via_sqlite(path: Path, columns: list[str], workdir: Path, stats: ImportStats
                     ) -> Iterator[tuple[str, ...]]:
    """Rows of an unsorted table, sorted by serial_no through a temporary on-disk SQLite database."""
    stats.note(f"{path.name} is not sorted by serial_no: joined through a temporary SQLite database")
    db_path = workdir / f"{path.name}.sqlite"
    con = sqlite3.connect(db_path)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache
        cols = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"CREATE TABLE t ({cols})")
        marks = ", ".join("?" * len(columns))
        with _open_table(path) as stream:
            for batch in _batches(stream, columns, path):
                rows = zip(*(batch.column(i).to_pylist() for i in range(len(columns))), strict=True)
                con.executemany(f"INSERT INTO t VALUES ({marks})", rows)
        con.commit()
        con.execute('CREATE INDEX t_serial ON t ("serial_no")')
        cursor = con.execute(f'SELECT {cols} FROM t ORDER BY "serial_no", rowid')
        while True:
            chunk = cursor.fetchmany(10_000)
            if not chunk:
                break
            yield from chunk
    finally:
        con.close()
        db_path.unlink(missing_ok=True)


def _grouped(rows: Iterator[tuple[str, ...]]) -> Iterator[tuple[str, list[tuple[str, ...]]]]:
    """(serial, rows) for consecutive rows with the same (stripped) serial_no in column 0."""
    current = None
    group: list[tuple[str, ...]] = []
    for row in rows:
        serial = row[0].strip()
        if serial != current:
            if group:
                yield current, group  # type: ignore[misc]
            current, group = serial, []
        group.append(row)
    if group:
        yield current, group  # type: ignore[misc]


class _Side:
    """One child table (owner, intl_class, statement) advanced in step with case_file."""

    def __init__(self, groups: Iterator[tuple[str, list[tuple[str, ...]]]]) -> None:
        self.groups = groups
        self.head: tuple[str, list[tuple[str, ...]]] | None = next(groups, None)
        self.orphans = 0

    def take(self, serial: str) -> list[tuple[str, ...]]:
        while self.head is not None and self.head[0] < serial:
            self.orphans += len(self.head[1])
            self.head = next(self.groups, None)
        if self.head is not None and self.head[0] == serial:
            rows = self.head[1]
            self.head = next(self.groups, None)
            return rows
        return []


def _record(serial: str, row: tuple[str, ...], cf_cols: dict[str, int], owner_rows: list[tuple[str, ...]],
            own_cols: dict[str, int], class_rows: list[tuple[str, ...]], statement_rows: list[tuple[str, ...]],
            source: str) -> tuple[dict[str, str], int, int]:
    """One case file's joined rows -> (record in ``MARK_COLUMNS`` + ``_created``, US-only class codes seen,
    class codes that are neither Nice classes nor US-only ones)."""

    def get(col: str) -> str:
        i = cf_cols.get(col)
        return row[i] if i is not None else ""

    own_seq = own_cols.get("own_seq")
    owner = codes.current_owner(
        (r[own_cols["own_type_cd"]], r[own_seq] if own_seq is not None else "", r[own_cols["own_name"]])
        for r in owner_rows)
    nice, us_only, unknown = [], 0, 0
    for r in class_rows:  # (serial_no, intl_class_cd)
        code = r[1].strip()
        value = codes.nice_class(code)
        if value is not None:
            nice.append(value)
        elif code.upper() in codes.US_ONLY_CLASS_CODES:
            us_only += 1
        elif code:
            unknown += 1
    status_code = get("cfh_status_cd").strip()
    if status_code.endswith(".0"):
        status_code = status_code[:-2]
    record = {
        "mark": codes.clean_text(get("mark_id_char")),
        "owner": owner,
        "nice_classes": codes.join_classes(nice),
        "status": codes.status_from_code(status_code),
        "jurisdiction": "US",
        "serial_number": codes.clean_serial(serial),
        "registration_number": codes.clean_registration_number(get("registration_no")),
        "kind": "",
        "source": source,
        # (serial_no, statement_type_cd, statement_text)
        "goods_services": codes.goods_services((r[1], r[2]) for r in statement_rows),
        "drawing_code": codes.drawing_code(get("mark_draw_cd")),
        "status_code": status_code,
        "filing_date": codes.clean_date(get("filing_dt")),
        "registration_date": codes.clean_date(get("registration_dt")),
        "transaction_date": "",  # the Case Files tables have none
        "_created": "",
    }
    return record, us_only, unknown


def iter_casefiles(
    folder: str | Path,
    *,
    stats: ImportStats | None = None,
    bar: Any = None,
    workdir: str | Path | None = None,
) -> Iterator[dict[str, str]]:
    """Stream the Case Files Dataset in ``folder`` as records in ``MARK_COLUMNS`` (+ ``_created`` = "").

    ``bar`` is advanced by the bytes of ``case_file`` read; ``workdir`` is where a temporary SQLite
    database goes if a table is not sorted (default: the system temporary folder).
    """
    folder = Path(folder)
    stats = stats if stats is not None else ImportStats()
    tables = find_tables(folder)
    if tables is None:
        missing = [n for n in TABLES if not any((folder / f"{n}{s}").is_file()
                                                  for s in (".csv", ".csv.zip", ".zip"))]
        raise CorpusError(f"not a Case Files Dataset folder: missing {', '.join(f'{m}.csv' for m in missing)}",
                          path=folder)
    columns = {}
    for name, path in tables.items():
        columns[name], _missing = table_columns(name, path, stats)
    source = folder.name
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(
            prefix="scanner-casefiles-", dir=workdir)))
        streams = {}
        counter: list[_Counting] = []
        for name, path in tables.items():
            if _is_sorted(path):
                streams[name] = _rows_from_csv(path, columns[name], counter if name == "case_file" else None)
            else:
                streams[name] = _rows_via_sqlite(path, columns[name], tmp, stats)
        owners = _Side(_grouped(streams["owner"]))
        classes = _Side(_grouped(streams["intl_class"]))
        statements = _Side(_grouped(streams["statement"]))
        cf_cols = {c: i for i, c in enumerate(columns["case_file"])}
        own_cols = {c: i for i, c in enumerate(columns["owner"])}
        last_bytes = 0
        ordinal = 0
        for serial, rows in _grouped(streams["case_file"]):
            first_row = ordinal + 2  # CSV line of the group's first record (header = line 1)
            ordinal += len(rows)
            stats.read += len(rows)
            if bar is not None and counter and counter[0].count != last_bytes:
                bar.update(counter[0].count - last_bytes)
                last_bytes = counter[0].count
            if not serial:
                for k in range(len(rows)):
                    stats.skip("malformed_record", path=tables["case_file"].name, row=first_row + k,
                               column="serial_no", detail="empty serial_no")
                continue
            if len(rows) > 1:
                for _ in range(len(rows) - 1):
                    stats.skip("duplicate_serial", path=tables["case_file"].name, column="serial_no",
                               detail=f"serial {serial} appears {len(rows)} times; the last row is used")
            record, us_only, unknown = _record(serial, rows[-1], cf_cols, owners.take(serial), own_cols,
                                      classes.take(serial), statements.take(serial), source)
            if us_only:
                stats.flags["us_only_class_codes"] += 1
            if unknown:
                stats.flags["unknown_class_codes"] += 1
            if record["status_code"] and not record["status"]:
                stats.flags["status_unknown"] += 1
            stats.yielded += 1
            yield record
        for name, side in (("owner", owners), ("intl_class", classes), ("statement", statements)):
            while side.head is not None:
                side.orphans += len(side.head[1])
                side.head = next(side.groups, None)
            if side.orphans:
                stats.note(f"{tables[name].name}: {side.orphans} rows whose serial_no is not in case_file "
                           "(ignored)")
        if bar is not None and counter and counter[0].count != last_bytes:
            bar.update(counter[0].count - last_bytes)
        stats.bytes_read += sum(p.stat().st_size for p in tables.values())


def casefiles_total_bytes(folder: Path) -> int:
    """Bytes of case_file.csv (what the progress bar counts)."""
    tables = find_tables(folder)
    try:
        return tables["case_file"].stat().st_size if tables else 0
    except OSError:
        return 0
