"""Prepare the match index of a compiled corpus folder, after ``scanner corpus build`` / ``update`` wrote it.

The corpus package does not know who searches it: the CLI (the pipeline side) calls
:func:`prepare_folder_index` on the folder the corpus was written to, so that scans find the index ready
(``index/`` in the folder, see :mod:`.cache`).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from ..corpus.store import load_compiled
from ..progress import Progress
from .index import INDEX_COLUMNS


def prepare_folder_index(folder: str | Path, progress: Progress | None = None) -> None:
    """Build the match index of the corpus folder ``folder`` and cache it there (``index/``).

    Only the columns the index is built from are loaded (the goods and services texts are the bulk of a
    corpus)."""
    from .. import frequency
    from ..progress import get as _progress
    from . import cache, prepare_index

    progress = _progress(progress)
    frequency.open_tables(progress)  # the index reads them: the first build with a wordfreq version says so
    corpus = load_compiled(Path(folder), only=INDEX_COLUMNS)
    pa.default_memory_pool().release_unused()  # the Parquet read's buffers, before the index build's peak
    index = prepare_index(corpus, progress=progress)
    where = cache.cache_dir(corpus)
    if where is not None and not (where / cache.MANIFEST).is_file():
        # the index came from this process's memory (a corpus of the same content built before): write it here too
        cache.save(index, corpus, progress)
