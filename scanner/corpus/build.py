"""Compile trademark sources into a versioned corpus folder (``scanner corpus build``).

Steps:

1. every source is imported by its streaming importer into a staging Parquet part (one per source; with
   ``jobs > 1`` the sources are imported in parallel on a local Dask cluster of that many worker
   processes, :mod:`scanner.distributed`; a plain process pool when Dask is not installed); memory does not grow with the
   source size. Sources imported one at a time (one source, or ``jobs`` not above 1) have a large USPTO XML
   file parsed by ``jobs`` forked processes (default: one per core, at most 4) while this one reads it;
2. records of the same (jurisdiction, serial number) are reduced to the newest: highest
   ``transaction_date``, then the XML file's ``creation-datetime``, then the later source / record. Only
   the key columns are read and sorted for this (about 150 bytes per record at the peak: ~1.8 GB for the
   12 million records of the full USPTO backfile);
3. the kept records with a mark text are streamed to ``marks.parquet``; ``corpus.json`` records the
   sources (size, sha256 or mtime), the counts (read, kept, skipped by reason, per status) and the build.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import multiprocessing
import os
import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import __version__
from ..errors import CorpusError, OverwriteError
from ..forked import MAX_AUTO_JOBS, can_fork, usable_cpus
from ..progress import Progress
from ..progress import get as _progress
from . import detect, inpi_br, kipo, st66, store, uspto_casefiles, uspto_xml
from . import xml_records as xr
from .schema import MARK_COLUMNS, STATUSES, Corpus, digest_row_hashes, row_hashes
from .stats import MAX_ISSUES, ImportStats, format_issue
from .trademark_csv import iter_trademark_csv, iter_trademark_csv_batches

#: Files larger than this get ``mtime`` + size in corpus.json instead of a sha256 (hashing the multi-GB
#: Case Files tables would cost more than reading them).
HASH_LIMIT = 512 << 20
BATCH_ROWS = 5_000

_STAGE_SCHEMA = pa.schema([*(pa.field(c, pa.string()) for c in MARK_COLUMNS),
                           pa.field("_created", pa.string()), pa.field("_order", pa.int64())])
_KEY_COLUMNS = ["jurisdiction", "serial_number", "transaction_date", "_created", "_order"]


@dataclass(frozen=True)
class Source:
    """One trademark source: ``kind`` is ``uspto_xml``, ``casefiles``, ``trademark_csv``, ``corpus`` or an
    other office's kind (:data:`.detect.OFFICE_KINDS`). ``group`` holds the files read together with it:
    the applicant files joined to an ST.66 trademark file, or every RPI edition of an ``inpi_rpi`` source."""

    path: Path
    kind: str
    group: tuple[Path, ...] = ()


def source_kind(path: Path) -> str:
    """What kind of trademark source ``path`` is (a one-line CorpusError if none)."""
    if path.is_dir():
        if store.is_corpus_dir(path):
            return "corpus"
        if uspto_casefiles.is_casefiles_folder(path):
            return "casefiles"
        raise CorpusError(
            "folder is not a trademark source: expected the Case Files Dataset tables (case_file.csv, "
            "owner.csv, intl_class.csv, statement.csv), USPTO .zip/.xml files or a compiled corpus",
            path=path,
        )
    if not path.exists():
        raise CorpusError("trademark source not found", path=path)
    suffix = path.suffix.lower()
    if suffix in (".xml", ".zip"):
        return detect.sniff_kind(path)
    if suffix in (".csv", ".txt"):
        return "trademark_csv"
    raise CorpusError("unknown trademark source type (expected .zip, .xml, .csv or a folder)", path=path)


def resolve_sources(paths: Sequence[str | Path]) -> list[Source]:
    """The sources named on the command line, in order; a folder of USPTO .zip/.xml files is expanded
    (sorted by name)."""
    out: list[Source] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not store.is_corpus_dir(path) and not uspto_casefiles.is_casefiles_folder(path):
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".zip", ".xml"))
            if files:
                out.extend(Source(p, detect.sniff_kind(p)) for p in files)
                continue
        out.append(Source(path, source_kind(path)))
    if not out:
        raise CorpusError("no trademark sources given")
    return _group_office_sources(out)


def _once_each(sources: list[Source], progress: Progress) -> list[Source]:
    """The sources, a file given twice (under any name, or also inside a folder given) imported once: its
    marks would count twice as records (``n_records``) where they have no serial number to de-duplicate."""
    seen: set[Path] = set()
    out = []
    for src in sources:
        real = src.path.resolve()
        if real in seen:
            progress.warn(f"{src.path} was given already: imported once")
            continue
        seen.add(real)
        out.append(src)
    return out


def _group_office_sources(sources: list[Source]) -> list[Source]:
    """Join the applicant files to every ST.66 trademark source, and fold all RPI editions into one
    ``inpi_rpi`` source (replayed in edition order by its importer)."""
    applicants = tuple(s.path for s in sources if s.kind == "st66_applicants")
    rpi = tuple(s.path for s in sources if s.kind == "inpi_rpi")
    out: list[Source] = []
    for src in sources:
        if src.kind == "st66" and applicants:
            out.append(Source(src.path, src.kind, applicants))
        elif src.kind == "inpi_rpi":
            if src.path == rpi[0]:
                out.append(Source(src.path, src.kind, rpi))
        else:
            out.append(src)
    return out


def check_source(source: Source) -> None:
    """Fail fast, before hours of importing, on a source that cannot be opened (a truncated zip, a missing
    Case Files table or column, a compiled corpus of another format version)."""
    if source.kind == "uspto_xml" and source.path.suffix.lower() == ".zip":
        for _member in uspto_xml.open_xml_members(source.path):
            break
    elif source.kind in detect.OFFICE_KINDS:
        for file in source.group or (source.path,):
            for _member in xr.iter_members(file, "trademark XML"):
                break
    elif source.kind == "casefiles":
        tables = uspto_casefiles.find_tables(source.path) or {}
        for name, path in tables.items():
            uspto_casefiles.table_columns(name, path, ImportStats())
    elif source.kind == "corpus":
        store.read_meta(source.path)


def iter_source(source: Source, *, stats: ImportStats, bar: Any = None, workdir: Path | None = None,
                parse_jobs: int = 1) -> Iterator[dict[str, str]]:
    """Records of one source (``MARK_COLUMNS`` + ``_created``), from its importer. ``parse_jobs`` > 1 parses
    a large USPTO XML file in that many forked processes (:func:`.uspto_xml.iter_uspto_xml`)."""
    if source.kind == "uspto_xml":
        return uspto_xml.iter_uspto_xml(source.path, stats=stats, bar=bar, jobs=parse_jobs)
    if source.kind == "casefiles":
        return uspto_casefiles.iter_casefiles(source.path, stats=stats, bar=bar, workdir=workdir)
    if source.kind == "trademark_csv":
        return iter_trademark_csv(source.path, stats=stats, bar=bar)
    if source.kind == "st66":
        return st66.iter_st66(source.path, applicant_files=source.group, stats=stats, bar=bar)
    if source.kind == "inpi_rpi":
        return inpi_br.iter_rpi(source.group or (source.path,), stats=stats, bar=bar, workdir=workdir)
    if source.kind == "kipris":
        return kipo.iter_kipris(source.path, stats=stats, bar=bar)
    if source.kind in ("st66_applicants", "st66_other", "kipris_goods"):
        return _iter_nothing(source, stats)
    if source.kind == "corpus":
        return _iter_corpus(source.path, stats)
    raise CorpusError(f"unknown source kind {source.kind!r}", path=source.path)


def _iter_nothing(source: Source, stats: ImportStats) -> Iterator[dict[str, str]]:
    """Files read with others (applicant files) or not importable on their own: no records, a note."""
    notes = {
        "st66_applicants": "applicant file: its names are joined to the trademark files of this build",
        "st66_other": "representative file: not needed for the corpus, skipped",
        "kipris_goods": "KIPRIS designated-goods response: it names no application number, so it cannot be "
                        "joined to a mark; skipped",
    }
    stats.note(f"{source.path.name}: {notes[source.kind]}")
    return iter(())


def _iter_corpus(folder: Path, stats: ImportStats) -> Iterator[dict[str, str]]:
    for batch in store.iter_compiled(folder):
        for row in batch.to_pylist():
            stats.read += 1
            stats.yielded += 1
            row["_created"] = ""
            yield row


def _source_bytes(source: Source) -> int:
    if source.kind == "uspto_xml":
        return uspto_xml.xml_total_bytes(source.path)
    if source.kind == "casefiles":
        return uspto_casefiles.casefiles_total_bytes(source.path)
    if source.kind == "inpi_rpi":
        return sum(xr.total_bytes(p) for p in source.group or (source.path,))
    if source.kind in detect.OFFICE_KINDS:
        return xr.total_bytes(source.path)
    return 0


def describe_file(path: Path) -> dict[str, Any]:
    """name, size and sha256 (or mtime for files over HASH_LIMIT) of one source file."""
    stat = path.stat()
    entry: dict[str, Any] = {"name": path.name, "size": stat.st_size}
    if stat.st_size <= HASH_LIMIT:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        entry["sha256"] = digest.hexdigest()
    else:
        entry["mtime"] = _dt.datetime.fromtimestamp(stat.st_mtime, _dt.UTC).isoformat(timespec="seconds")
    return entry


def _source_files(source: Source) -> list[Path]:
    if source.kind == "casefiles":
        return list((uspto_casefiles.find_tables(source.path) or {}).values())
    if source.kind == "corpus":
        return [source.path / store.META_FILE, source.path / store.MARKS_FILE]
    if source.kind == "inpi_rpi" and source.group:
        return list(source.group)
    return [source.path]


def iter_source_batches(source: Source, *, stats: ImportStats, bar: Any = None
                        ) -> Iterator[dict[str, list[str]]] | None:
    """Records of one source as column batches (``{column: values}``, see :func:`iter_source`) when its
    importer reads column by column (trademark CSVs); None for the other kinds."""
    if source.kind == "trademark_csv":
        return iter_trademark_csv_batches(source.path, stats=stats, bar=bar)
    return None


def stage_source(source: Source, index: int, part: Path, workdir: Path, bar: Any = None,
                 parse_jobs: int = 1) -> dict[str, Any]:
    """Import one source into the staging Parquet file ``part``; return its stats and file descriptions.

    Runs in a worker process when building with several jobs (so it takes and returns plain data); staged
    here, a large USPTO XML file is parsed by ``parse_jobs`` processes (the same records).
    """
    stats = ImportStats()
    columns: dict[str, list] = {c: [] for c in _STAGE_SCHEMA.names}
    with pq.ParquetWriter(part, _STAGE_SCHEMA, compression="snappy") as writer:
        batches = iter_source_batches(source, stats=stats, bar=bar)
        if batches is None:
            records = iter_source(source, stats=stats, bar=bar, workdir=workdir, parse_jobs=parse_jobs)
            created = _stage_records(records, writer, columns, index << 32, bar)
        else:
            created = _stage_batches(batches, writer, columns, index << 32, bar)
        _flush(writer, columns)
    return {
        "name": source.path.name,
        "kind": source.kind,
        "path": str(source.path.resolve()),
        "creation_datetime": created,
        "files": [describe_file(p) for p in _source_files(source)],
        "stats": stats.as_dict(),
    }


def _stage_records(records: Iterator[dict[str, str]], writer: pq.ParquetWriter, columns: dict[str, list],
                   base: int, bar: Any) -> str:
    """Stage ``records`` into ``columns``, written a row group of ``BATCH_ROWS`` at a time; return the last
    ``_created`` seen."""
    created = ""
    for seq, record in enumerate(records, start=1):
        for col in MARK_COLUMNS:
            columns[col].append(record.get(col, ""))
        created = record["_created"] or created
        columns["_created"].append(record["_created"])
        columns["_order"].append(base + seq - 1)
        if seq % BATCH_ROWS == 0:
            _flush(writer, columns)
            if bar is not None:
                bar.set_postfix_str(f"{seq:,} records")
    return created


def _stage_batches(batches: Iterator[dict[str, list[str]]], writer: pq.ParquetWriter, columns: dict[str, list],
                   base: int, bar: Any) -> str:
    """:func:`_stage_records` for column batches (the same row groups)."""
    seq = 0
    created = ""
    for batch in batches:
        created = next((c for c in reversed(batch["_created"]) if c), created)
        n, at = len(batch["mark"]), 0
        while at < n:
            take = min(n - at, BATCH_ROWS - seq % BATCH_ROWS)
            for col in (*MARK_COLUMNS, "_created"):
                columns[col].extend(batch[col][at:at + take])
            columns["_order"].extend(range(base + seq, base + seq + take))
            seq += take
            at += take
            if seq % BATCH_ROWS == 0:
                _flush(writer, columns)
                if bar is not None:
                    bar.set_postfix_str(f"{seq:,} records")
    return created


def _flush(writer: pq.ParquetWriter, columns: dict[str, list]) -> None:
    """Write the staged ``columns`` as one row group and empty them."""
    if columns["mark"]:
        writer.write_table(pa.table(columns, schema=_STAGE_SCHEMA))
        for values in columns.values():
            values.clear()


def parse_jobs_for(jobs: int | None) -> int:
    """Processes parsing one large USPTO XML file staged in this process: ``jobs`` when given, else one per
    usable core (at most :data:`scanner.forked.MAX_AUTO_JOBS`; 1 where processes cannot be forked)."""
    if jobs is not None:
        return max(1, jobs)
    return min(usable_cpus(), MAX_AUTO_JOBS) if can_fork() else 1


def _stage_all(sources: list[Source], staging: Path, jobs: int | None, progress: Progress) -> list[dict[str, Any]]:
    parts = [staging / f"part-{i:05d}.parquet" for i in range(len(sources))]
    results: list[dict[str, Any] | None] = [None] * len(sources)
    if jobs is not None and jobs > 1 and len(sources) > 1:
        n = min(jobs, len(sources))
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            dask = None
        else:
            from ..dask_tasks import dask_client, run_tasks
        if dask is not None:
            progress.info(f"importing {len(sources)} sources on a local Dask cluster of {n} worker processes")
            with dask_client(workers=n) as client:
                return run_tasks(client, stage_source, [(src, i, parts[i], staging) for i, src in enumerate(sources)],
                                 progress=progress, desc="importing", unit="file",
                                 label=lambda i: sources[i].path.name)
        progress.info(f"importing {len(sources)} sources with {n} processes (Dask is not installed)")
        # "spawn": a fresh interpreter per worker (forking a process that has started Arrow's threads is unsafe)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool, \
                progress.task("importing", total=len(sources), unit="file") as bar:
            futures = {pool.submit(stage_source, src, i, parts[i], staging): i for i, src in enumerate(sources)}
            for future in as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                bar.update(1)
                bar.set_postfix_str(sources[i].path.name)
    else:
        for i, src in enumerate(sources):
            total = _source_bytes(src)
            unit = "B" if total else "rec"
            with progress.task(f"importing {src.path.name}", total=total or None, unit=unit,
                               unit_scale=True) as bar:
                results[i] = stage_source(src, i, parts[i], staging, bar=bar, parse_jobs=parse_jobs_for(jobs))
    return [r for r in results if r is not None]


def _superseded(parts: list[Path]) -> pa.Array:
    """``_order`` of the records replaced by a newer record of the same (jurisdiction, serial number)."""
    keys = pa.concat_tables([pq.read_table(p, columns=_KEY_COLUMNS) for p in parts]).combine_chunks()
    keys = keys.filter(pc.not_equal(keys["serial_number"], ""))
    n = len(keys)
    if n < 2:
        return pa.array([], type=pa.int64())
    order = pc.sort_indices(keys, sort_keys=[
        ("jurisdiction", "ascending"), ("serial_number", "ascending"), ("transaction_date", "descending"),
        ("_created", "descending"), ("_order", "descending")])
    ordered = keys.take(order).combine_chunks()
    jur, serial = ordered["jurisdiction"], ordered["serial_number"]
    same = pc.and_(pc.equal(jur.slice(1), jur.slice(0, n - 1)),
                   pc.equal(serial.slice(1), serial.slice(0, n - 1)))
    return ordered["_order"].slice(1).filter(same).combine_chunks()


def _write_marks(parts: list[Path], out: Path, progress: Progress,
                 statuses_kept: Sequence[str] | None = None) -> dict[str, Any]:
    losers = _superseded(parts)
    wanted = None if statuses_kept is None else pa.array(
        sorted({"" if s == "unknown" else s for s in statuses_kept}), type=pa.string())
    filtered = 0
    cols = list(MARK_COLUMNS)
    hashes = []
    statuses: Counter = Counter()
    superseded = no_mark = kept = 0
    total = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
    with pq.ParquetWriter(out / store.MARKS_FILE, store.MARKS_SCHEMA, compression="zstd") as writer, \
            progress.task("writing marks", total=total, unit="rec", unit_scale=True) as bar:
        for part in parts:
            for batch in pq.ParquetFile(part).iter_batches(batch_size=8_192):
                bar.update(batch.num_rows)
                table = pa.Table.from_batches([batch])
                if len(losers):
                    newest = pc.invert(pc.is_in(table["_order"], value_set=losers))
                    superseded += len(table) - pc.sum(newest.cast(pa.int64())).as_py()
                    table = table.filter(newest)
                has_mark = pc.not_equal(table["mark"], "")
                kept_here = pc.sum(has_mark.cast(pa.int64())).as_py() or 0
                no_mark += len(table) - kept_here
                table = table.filter(has_mark).select(cols).cast(store.MARKS_SCHEMA)
                if wanted is not None:
                    before = len(table)
                    table = table.filter(pc.is_in(table["status"], value_set=wanted))
                    filtered += before - len(table)
                if not len(table):
                    continue
                writer.write_table(table)
                kept += len(table)
                for item in pc.value_counts(table["status"]).to_pylist():
                    statuses[item["values"] or "unknown"] += item["counts"]
                hashes.append(row_hashes(store.marks_to_pandas(table), cols))
    return {
        "kept": kept,
        "superseded": superseded,
        "no_mark_text": no_mark,
        "status_filtered": filtered,
        "status": {s: statuses.get(s, 0) for s in (*STATUSES, "unknown")},
        "content_hash": digest_row_hashes(cols, hashes),
    }


def _prepare_out(out: Path, force: bool) -> None:
    if out.exists():
        if not out.is_dir():
            raise OverwriteError("output exists and is not a folder", path=out)
        if any(out.iterdir()):
            if not force:
                raise OverwriteError("output folder exists and is not empty; use --force to replace it",
                                     path=out)
            if not store.is_corpus_dir(out):
                raise OverwriteError("output folder is not a corpus folder (no corpus.json); refusing to "
                                     "replace it, even with --force", path=out)


def compile_corpus(
    sources: Sequence[str | Path],
    out: str | Path,
    *,
    force: bool = False,
    jobs: int | None = None,
    name: str | None = None,
    statuses: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Build the corpus folder ``out`` from ``sources`` and return its metadata (``corpus.json``).

    ``jobs`` > 1 imports that many sources at once (step 1 of the module docstring); ``jobs`` processes (default
    ``None``: one per core, at most 4; 1: this process only) parse a large USPTO XML file imported alone.

    ``statuses`` (e.g. ``["live", "pending"]``; ``"unknown"`` = no status) keeps only marks of those
    statuses, decided after the newest record of each serial number is chosen; the others are counted as
    ``status_filtered``.
    The folder is built beside ``out`` and moved into place at the end, so a failed build leaves an
    existing corpus untouched. An existing non-empty ``out`` is replaced only with ``force`` (and only if
    it is a corpus folder).
    """
    progress = _progress(progress)
    out = Path(out)
    if statuses is not None:
        bad = sorted(set(statuses) - {*STATUSES, "unknown"})
        if bad:
            raise CorpusError(f"unknown status {', '.join(bad)}; use live, pending, dead or unknown")
    resolved = _once_each(resolve_sources(sources), progress)
    for source in resolved:
        check_source(source)
    _prepare_out(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    building = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        staging = building / "_staging"
        staging.mkdir()
        described = _stage_all(resolved, staging, jobs, progress)
        parts = sorted(staging.glob("part-*.parquet"))
        progress.info("de-duplicating serial numbers and writing marks.parquet")
        written = _write_marks(parts, building, progress, statuses)
        shutil.rmtree(staging)
        # Arrow keeps freed buffers for reuse: give them back, the commands prepare the match index next
        pa.default_memory_pool().release_unused()
        meta = _metadata(described, written, name or out.name)
        if statuses is not None:
            meta["statuses_kept"] = sorted(set(statuses))
        store.write_meta(building, meta)
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            building.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            building.rename(out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _report(meta, progress)
    return meta


def _metadata(described: list[dict[str, Any]], written: dict[str, Any], name: str) -> dict[str, Any]:
    total = ImportStats()
    sources = []
    for item in described:
        stats = ImportStats.from_dict(item.pop("stats"))
        total.merge(stats)
        sources.append({**item, "records_read": stats.read, "records_imported": stats.yielded,
                        "skipped": dict(stats.skipped)})
    skipped = Counter(total.skipped)
    skipped["superseded"] += written["superseded"]
    skipped["no_mark_text"] += written["no_mark_text"]
    skipped["status_filtered"] += written["status_filtered"]
    skipped = Counter({k: v for k, v in skipped.items() if v})
    return {
        "format": store.FORMAT,
        "format_version": store.FORMAT_VERSION,
        "name": name,
        "content_hash": written["content_hash"],
        "build_date": _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds"),
        "scanner_version": __version__,
        "sources": sources,
        "counts": {
            "records_read": total.read,
            "kept": written["kept"],
            "marks": written["kept"],
            "skipped": dict(sorted(skipped.items())),
            "status": written["status"],
            "flags": dict(total.flags),
        },
        "issues": total.issues[:MAX_ISSUES],
        "notes": total.notes,
    }


def _report(meta: dict[str, Any], progress: Progress, shown: int = 10) -> None:
    for note in meta["notes"]:
        progress.info(f"note: {note}")
    issues = meta["issues"]
    for issue in issues[:shown]:
        progress.info(f"skipped: {format_issue(issue)}")
    # the reasons whose records are kept as issues (superseded, markless and --status-filtered ones are not)
    n_reported = sum(v for k, v in meta["counts"]["skipped"].items()
                     if k not in ("superseded", "no_mark_text", "status_filtered"))
    if n_reported > shown:
        progress.info(f"... {n_reported - shown} more skipped records (see 'issues' in corpus.json / "
                      "`scanner corpus info`)")


def build_corpus(
    sources: Sequence[str | Path],
    out: str | Path,
    *,
    force: bool = False,
    jobs: int | None = None,
    name: str | None = None,
    statuses: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Corpus:
    """Compile ``sources`` into the corpus folder ``out`` (see :func:`compile_corpus`) and load it.

    The match index is not prepared here (the corpus does not know who searches it): ``scanner corpus
    build`` and ``update`` call :func:`scanner.match.prepare.prepare_folder_index` on the folder, so that scans
    find it ready."""
    progress = _progress(progress)
    compile_corpus(sources, out, force=force, jobs=jobs, name=name, statuses=statuses, progress=progress)
    return store.load_compiled(out)
