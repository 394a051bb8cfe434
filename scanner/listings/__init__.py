"""Read seller listing exports into the canonical listing table.

Public entry point: :func:`read_listings`. Each file's reader is chosen from its content (never its name
alone): Amazon All Listings / Active Listings / custom column selections / FBA inventory reports
(tab-separated, any Seller Central language and encoding), inventory flat files (xlsx, xlsm, csv, tsv,
txt), the listing exports of other marketplaces and shop platforms (Mercado Libre, Ozon, SHEIN, ESM+,
Coupang, Rakuten, Yahoo JP, eBay, Walmart, WooCommerce, Shopify, Etsy: one listing per product) and generic
CSV/TSV/XLSX with ``column_map``. See ``docs/listings.md`` for what is read and what is rejected, and why.

Modules: :mod:`.sniff` (what a file is), :mod:`.decode` and :mod:`.textfile` (encodings, lines),
:mod:`.layout` (header row, delimiter), :mod:`.headers` (the header-alias table), :mod:`.plan` (which
column feeds which field), :mod:`.amazon_report`, :mod:`.flatfile`, :mod:`.marketplaces`,
:mod:`.delimited` and :mod:`.xlsx` (the readers), :mod:`.validate` (row rules, rejected rows, storage),
:mod:`.platforms` (the marketplace/shop-platform table) and :mod:`.folding` (their rows, one listing per
product).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..progress import Progress
from ..progress import get as get_progress
from .delimited import read_text
from .plan import MISREAD, NOT_SCANNED, check_column_map
from .schema import (
    CANONICAL_COLUMNS,
    REJECTED_COLUMNS,
    FileStats,
    ReadResult,
    empty_listings,
    empty_rejected,
    printable,
)
from .sniff import read_head, sniff
from .xlsx import read_workbook

__all__ = ["read_listings", "read_file", "ReadResult", "FileStats", "CANONICAL_COLUMNS", "REJECTED_COLUMNS"]


def read_listings(
    paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    column_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read one or more listing files into one canonical listing table.

    ``encoding`` overrides detection for every text file (``"cp1252"``, ``"utf-8"``, ``"cp932"``,
    ``"utf-16"`` ...); ``column_map`` maps canonical fields to headers (``{"title": "ProductName"}``).
    Whole-file problems (missing, empty, not a listing export, corrupt, unknown encoding, a mapped column
    that is absent) raise :class:`~scanner.errors.InputError`; bad rows go to ``rejected``, and per file
    ``rows_read == rows_ok + rows_rejected``.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    column_map = check_column_map(column_map)
    progress = get_progress(progress)
    frames, rejected, files = [], [], []
    for path in _once_each(paths, progress):
        listings, rej, stats = read_file(Path(path), encoding=encoding, column_map=column_map, progress=progress)
        for note in stats.notes:
            if note.startswith((NOT_SCANNED, MISREAD)):  # told on the terminal, not only in the report
                progress.warn(f"{Path(path).name}: {note}")
        stats.path = printable(stats.path)  # a file name with bytes that are not UTF-8: shown as \udcff
        frames.append(listings)
        rejected.append(rej)
        files.append(stats)
    listings = pd.concat(frames, ignore_index=True) if frames else empty_listings()
    extra = [c for c in listings.columns if c not in CANONICAL_COLUMNS]
    if extra:  # columns only some readers give (listing_id of marketplace exports): "" elsewhere
        listings[extra] = listings[extra].fillna("").astype(str)
    rej = pd.concat(rejected, ignore_index=True) if rejected else empty_rejected()
    return ReadResult(listings=listings, rejected=rej, files=files)


def read_file(
    path: Path,
    *,
    encoding: str | None = None,
    column_map: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, FileStats]:
    """``(listings, rejected, FileStats)`` of one file (see :func:`read_listings`)."""
    path = Path(path)
    column_map = check_column_map(column_map)
    progress = get_progress(progress)
    head = read_head(path)
    kind = sniff(path, head)
    if kind == "zip-text":
        return read_zipped_text(path, encoding, column_map, progress)
    if kind == "xlsx":
        listings, rejected, stats = read_workbook(path, column_map, progress)
        if encoding:
            stats.notes.append(f"--encoding {encoding} ignored: a workbook stores its own text encoding")
        return listings, rejected, stats
    return read_text(path, head, encoding, column_map, progress)


def _once_each(paths: Iterable[str | Path], progress: Progress) -> list[Path]:
    """The files in order, a file given twice (under any name: ``a.txt``, ``./a.txt``, a link) read once:
    read twice, every listing would be scanned and counted twice."""
    seen: dict[Path, Path] = {}
    out = []
    for path in map(Path, paths):
        try:
            real = path.resolve()
        except OSError:  # unresolvable: read_file says what is wrong with it
            real = path
        if real in seen:
            progress.warn(f"{path} is {seen[real]} given again: read once")
            continue
        seen[real] = path
        out.append(path)
    return out


def read_zipped_text(path: Path, encoding: str | None, column_map: dict[str, str], progress: Progress):
    """The one CSV file inside a zip (Walmart's item report downloads as ``ItemReport.csv`` in a
    zip), read like the file itself; ``source_file`` is ``archive.zip:member.csv``."""
    import tempfile
    import zipfile

    from ..errors import InputError
    from .sniff import zipped_text_members

    with zipfile.ZipFile(path) as zf:
        member = zipped_text_members(zf.namelist())[0]
        with tempfile.TemporaryDirectory() as tmp:
            inner = Path(tmp) / Path(member).name
            try:
                inner.write_bytes(zf.read(member))
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise InputError(f"zip member {member!r} cannot be extracted ({exc})", path=path) from None
            try:
                listings, rejected, stats = read_text(inner, read_head(inner), encoding, column_map, progress)
            except InputError as exc:  # it names the temporary copy: name the member of the zip instead
                raise InputError(exc.message, path=f"{path}:{member}", row=exc.row, column=exc.column) from None
    name = f"{path}:{member}"
    listings["source_file"] = name
    rejected["source_file"] = name
    stats.path = name
    stats.notes.insert(0, f"read {member!r} from the zip archive")
    return listings, rejected, stats
