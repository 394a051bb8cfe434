"""Trademark corpus: the marks the scanner knows, from the starter CSV, a trademark CSV, USPTO bulk files
or a compiled corpus folder.

Public entry points: :func:`load_corpus` (what a scan reads), :func:`build_corpus` (``scanner corpus
build``), :func:`export_corpus` (``scanner corpus export``), :func:`corpus_info` (``scanner corpus info``)
and the streaming importers :func:`iter_uspto_xml`, :func:`iter_casefiles`, :func:`iter_trademark_csv`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CorpusError, OverwriteError
from ..progress import Progress
from ..progress import get as _progress
from ..resources import starter_corpus_path
from .breakdown import COLUMNS as _BREAKDOWN_COLUMNS
from .breakdown import breakdown
from .build import build_corpus, compile_corpus
from .schema import GOODS_TEXT_COLUMNS, MARK_COLUMNS, TRADEMARK_CSV_COLUMNS, Corpus, content_hash
from .stats import ImportStats, format_issue
from .store import is_corpus_dir, iter_compiled, load_compiled, read_meta
from .trademark_csv import export_columns, iter_trademark_csv, write_trademark_csv
from .uspto_casefiles import iter_casefiles
from .uspto_xml import iter_uspto_xml

__all__ = [
    "Corpus",
    "load_corpus",
    "build_corpus",
    "compile_corpus",
    "export_corpus",
    "corpus_info",
    "corpus_breakdown",
    "iter_uspto_xml",
    "iter_casefiles",
    "iter_trademark_csv",
    "GOODS_TEXT_COLUMNS",
    "MARK_COLUMNS",
    "TRADEMARK_CSV_COLUMNS",
]


def load_corpus(path: str | Path | None = None, *, progress: Progress | None = None,
                jobs: int | None = None, skip: tuple[str, ...] = ()) -> Corpus:
    """Load a corpus for scanning.

    ``None`` = the shipped starter corpus; a folder = a corpus compiled by ``scanner corpus build``; a
    ``.csv`` = a trademark CSV (rows as they are; bad rows reported and skipped); a USPTO ``.xml``/``.zip``
    = compiled on the fly into a temporary folder (handy for a daily file; build a corpus for anything
    bigger), a large one parsed by ``jobs`` processes (:func:`compile_corpus`; 1: this process only).

    The columns in ``skip`` are left empty (a compiled folder's are not even read): a scan skips
    :data:`GOODS_TEXT_COLUMNS`, which it never reads. The content hash is the whole corpus's either way.
    """
    progress = _progress(progress)
    path = starter_corpus_path() if path is None else Path(path)
    if not path.exists():
        raise CorpusError("corpus not found", path=path)
    if path.is_dir():
        return load_compiled(path, skip=skip)  # a folder that is not a corpus -> one-line CorpusError
    suffix = path.suffix.lower()
    if suffix in (".xml", ".zip"):
        with tempfile.TemporaryDirectory(prefix="scanner-corpus-") as tmp:
            folder = Path(tmp) / path.stem
            compile_corpus([path], folder, name=path.name, progress=progress, jobs=jobs)
            corpus = load_compiled(folder, skip=skip)
        corpus.path = None
        return corpus
    return _load_csv(path, progress, skip)


def _load_csv(path: Path, progress: Progress, skip: tuple[str, ...] = ()) -> Corpus:
    stats = ImportStats()
    rows = list(iter_trademark_csv(path, stats=stats))
    marks = pd.DataFrame(rows, columns=[*MARK_COLUMNS, "_created"]) if rows else pd.DataFrame(
        columns=[*MARK_COLUMNS, "_created"])
    del rows
    marks = marks[list(MARK_COLUMNS)].astype(str).reset_index(drop=True)
    digest = content_hash(marks)  # of every column, as a compiled folder's (skipped columns included)
    for col in skip:
        if col in marks.columns:
            marks[col] = ""
    for note in stats.notes:
        progress.info(f"note: {note}")
    for issue in stats.issues[:10]:
        progress.info(f"skipped: {format_issue(issue)}")
    if len(stats.issues) > 10:
        progress.info(f"... {sum(stats.skipped.values()) - 10} more skipped rows")
    statuses = marks["status"].replace("", "unknown").value_counts()
    return Corpus(
        marks=marks,
        info={
            "name": path.name,
            "sources": [{"name": path.name, "kind": "trademark_csv", "path": str(path.resolve())}],
            "counts": {"records_read": stats.read, "kept": len(marks), "marks": len(marks),
                       "skipped": dict(stats.skipped),
                       "status": {s: int(statuses.get(s, 0)) for s in ("live", "dead", "pending", "unknown")}},
            "issues": stats.issues,
            "notes": stats.notes,
            "content_hash": digest,
        },
        path=None,
    )


def export_corpus(path: str | Path, out: str | Path, *, force: bool = False,
                  progress: Progress | None = None) -> int:
    """Write the marks of a corpus (folder, or anything :func:`load_corpus` reads) as a trademark CSV:
    the fixed columns first, then the extra ones. Returns the number of marks written."""
    progress = _progress(progress)
    out = Path(out)
    if out.exists() and not force:
        raise OverwriteError("output file exists; use --force to replace it", path=out)
    path = Path(path)
    columns = export_columns(MARK_COLUMNS)
    if is_corpus_dir(path):
        def rows():
            for batch in iter_compiled(path):
                data = [batch.column(batch.schema.get_field_index(c)).to_pylist() if c in batch.schema.names
                        else [""] * batch.num_rows for c in columns]
                yield from zip(*data, strict=True)
    else:
        marks = load_corpus(path, progress=progress).marks

        def rows():
            return marks[columns].itertuples(index=False, name=None)
    return write_trademark_csv(rows(), out, columns)  # whole or not at all


def corpus_info(path: str | Path) -> dict[str, Any]:
    """The metadata of a compiled corpus folder (``corpus.json``), checked."""
    return read_meta(path)


def corpus_breakdown(path: str | Path | None = None, *, corpus: Corpus | None = None) -> dict[str, Any]:
    """Marks per Nice class, jurisdiction, status, kind and source (:mod:`scanner.corpus.breakdown`) of a
    compiled corpus folder (read in batches), of ``corpus`` if given, else of what :func:`load_corpus`
    reads from ``path`` (``None`` = the starter corpus)."""
    if corpus is None and path is not None and is_corpus_dir(Path(path)):
        def batches():
            for batch in iter_compiled(path):
                names = [c for c in _BREAKDOWN_COLUMNS if c in batch.schema.names]
                yield batch.select(names).to_pandas() if names else pd.DataFrame(index=range(batch.num_rows))
        return breakdown(batches())
    if corpus is None:
        corpus = load_corpus(path)
    return breakdown([corpus.marks])


