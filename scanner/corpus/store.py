"""The compiled corpus folder: ``marks.parquet`` (the marks, ``MARK_COLUMNS``) + ``corpus.json`` (metadata).

The matcher may cache its index in the same folder (``Corpus.path``). ``corpus.json`` carries
``format: "scanner-corpus"`` and ``format_version``; a folder of another format version is refused with a
one-line :class:`CorpusError` rather than misread.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import CorpusError
from .schema import GOODS_TEXT_COLUMNS, MARK_COLUMNS, Corpus

FORMAT = "scanner-corpus"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
META_FILE = "corpus.json"
MARKS_FILE = "marks.parquet"

MARKS_SCHEMA = pa.schema([pa.field(c, pa.string(), nullable=False) for c in MARK_COLUMNS])


def is_corpus_dir(path: Path) -> bool:
    """Whether ``path`` is a folder holding a compiled corpus (its ``corpus.json``)."""
    return path.is_dir() and (path / META_FILE).is_file()


def read_meta(folder: str | Path) -> dict[str, Any]:
    """The checked ``corpus.json`` of a compiled corpus folder."""
    folder = Path(folder)
    meta_path = folder / META_FILE
    if not folder.is_dir():
        raise CorpusError("not a corpus folder", path=folder)
    if not meta_path.is_file():
        raise CorpusError(f"not a corpus folder (no {META_FILE}); build one with `scanner corpus build`",
                          path=folder)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(f"unreadable corpus metadata: {exc}", path=meta_path) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CorpusError(f"not a scanner corpus (format is not {FORMAT!r})", path=meta_path)
    version = meta.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        raise CorpusError(
            f"corpus format_version {version!r} is not supported by this scanner (reads "
            f"{', '.join(map(str, SUPPORTED_VERSIONS))}); rebuild it with `scanner corpus build`",
            path=meta_path,
        )
    if not (folder / MARKS_FILE).is_file():
        raise CorpusError(f"corpus folder is incomplete: no {MARKS_FILE}", path=folder)
    return meta


def write_meta(folder: Path, meta: dict[str, Any]) -> None:
    (folder / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def marks_to_pandas(table: pa.Table) -> pd.DataFrame:
    """An Arrow table of marks -> the ``MARK_COLUMNS`` DataFrame (all ``str``, RangeIndex)."""
    df = table.to_pandas()
    for col in MARK_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    return df[list(MARK_COLUMNS)].astype(str).reset_index(drop=True)


#: A column of a compiled corpus up to this size is made one piece of memory when loaded (see
#: :func:`one_chunk_columns`); a larger one (a register's goods texts) stays in its pieces, far from the 2 GiB
#: a string column of one piece can hold.
ONE_CHUNK_MAX_BYTES = 1 << 30


def one_chunk_columns(marks: pd.DataFrame) -> pd.DataFrame:
    """``marks`` with each Arrow-backed column of several chunks made one chunk (up to
    :data:`ONE_CHUNK_MAX_BYTES`; not the goods and services texts, which no scan takes rows from and which
    are most of a register's bytes), one column at a time (the pieces of each are freed before the next is joined,
    when nothing else holds them). ``marks.parquet`` is read in as many chunks as it has row groups (123 for a
    million marks), and a scan takes the rows of its matches from these columns hundreds of times a batch: a
    take from one chunk is about 4 times faster for 50,000 rows and 190 times for 20 (measured on the
    million-mark corpus of ``benchmarks/bench_scan.py``). The same values."""
    for name in marks.columns:
        if name in GOODS_TEXT_COLUMNS:
            continue
        values = marks[name].array
        arrow = values.__arrow_array__() if hasattr(values, "__arrow_array__") else None
        if isinstance(arrow, pa.ChunkedArray) and arrow.num_chunks > 1 and arrow.nbytes <= ONE_CHUNK_MAX_BYTES:
            one = pa.table({name: arrow.combine_chunks()}).to_pandas()[name]
            del values, arrow
            marks[name] = one.set_axis(marks.index)
            pa.default_memory_pool().release_unused()  # the pieces' memory back to the system, column by column
    return marks


def load_compiled(folder: str | Path, *, skip: tuple[str, ...] = (),
                  only: tuple[str, ...] | None = None) -> Corpus:
    """Load a compiled corpus folder. Columns in ``skip`` are not read (left empty): e.g. the long
    ``goods_services`` texts, which building the match index does not need; with ``only``, no other column
    is read."""
    folder = Path(folder)
    meta = read_meta(folder)
    try:
        names = pq.read_schema(folder / MARKS_FILE).names if skip or only is not None else None
        if only is not None and names is not None:
            skip = (*skip, *(c for c in names if c not in only))
        table = pq.read_table(folder / MARKS_FILE,
                              columns=[c for c in names if c not in skip] if names is not None else None)
    except (OSError, pa.ArrowException) as exc:
        raise CorpusError(f"cannot read {MARKS_FILE}: {' '.join(str(exc).split())}", path=folder) from None
    marks = marks_to_pandas(table)
    del table  # its columns go one at a time in one_chunk_columns: no second copy of the whole table
    marks = one_chunk_columns(marks)
    info = dict(meta)
    info.setdefault("name", folder.name)
    info.setdefault("sources", [])
    info.setdefault("counts", {"marks": len(marks)})
    return Corpus(marks=marks, info=info, path=folder.resolve())


def iter_compiled(folder: str | Path, batch_size: int = 50_000, columns: list[str] | None = None):
    """Yield record batches (pyarrow) of a compiled corpus's marks (``columns``: only those) without loading
    them all. A damaged ``marks.parquet`` is a one-line :class:`CorpusError` naming the folder, as in
    :func:`load_compiled`."""
    folder = Path(folder)
    read_meta(folder)
    try:
        pf = pq.ParquetFile(folder / MARKS_FILE)
        yield from pf.iter_batches(batch_size=batch_size, columns=columns)
    except (OSError, pa.ArrowException) as exc:
        raise CorpusError(f"cannot read {MARKS_FILE}: {' '.join(str(exc).split())}", path=folder) from None
