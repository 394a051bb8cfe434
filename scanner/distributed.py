"""Run a scan, or a corpus build's imports, on a Dask cluster (``dask.distributed``; ``pip install scanner[dask]``).

``scanner scan --workers N`` starts a :class:`~dask.distributed.LocalCluster` of N worker processes (one
thread each); ``--scheduler tcp://host:8786`` uses a cluster started with ``dask scheduler`` /
``dask worker``. The listings are read once, on the client, and cut into partitions of
``partition_rows`` rows; each partition is one Dask task that runs :func:`scanner.scoring.score_listings`
(the very function the single-process scan runs), so the results are the same row for row.

Each worker loads the corpus (and its match index) and the model itself, from a path every worker can
read (a shared disk, or an fsspec URL such as ``s3://bucket/corpus`` copied once to the worker's temp
folder), and keeps them for the life of the process (:data:`_STATE`, keyed by path and content hash).
Only the listings partition and a small task description travel through the scheduler. A worker whose
corpus differs from the client's (another content hash) or cannot read it raises a one-line
:class:`~scanner.errors.CorpusError` naming the path and the worker host. A task whose worker dies is
re-run by Dask (``retries``).
"""

from __future__ import annotations

import hashlib
import os
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .config import ScanConfig, SellerProfile
from .dask_tasks import dask_client, run_tasks  # noqa: F401 (re-exported: scanner.distributed.run_tasks)
from .errors import ConfigError, CorpusError, ModelError
from .progress import Progress
from .progress import get as _progress
from .scoring import BATCH_ROWS, batch_rows, merge_results, partitions  # noqa: F401 (merge_results re-exported)

DEFAULT_PARTITION_ROWS = BATCH_ROWS  # against a small corpus; a large one: scanner.scoring.batch_rows

#: Per worker process: the loaded (corpus, model) of the last task descriptions seen (path + hash keyed).
_STATE: dict[tuple, tuple[Any, Any]] = {}
_STATE_SIZE = 2


@dataclass(frozen=True)
class ScanTask:
    """What every partition needs besides its listings: small, so it travels with each task."""

    corpus: str | None  # the corpus as the workers see it (path or URL); None = the shipped starter corpus
    corpus_hash: str  # the client's corpus content hash: a worker with another corpus refuses to score
    model: str | None  # the model bundle folder as the workers see it; None = the shipped model
    profile: SellerProfile
    watch: pd.DataFrame | None = None  # the watch list (added to the corpus on the worker, as scan() does)
    match_columns: tuple[str, ...] | None = None  # the match columns sent back (None: all)
    evidence_only: bool = False  # send back only the matches the report shows (scoring.evidence_rows)


def _is_url(location: str) -> bool:
    return "://" in location and not location.startswith("file://")


def local_copy(location: str, *, what: str = "corpus") -> Path:
    """``location`` as a local path: a path is returned as it is (checked readable); an fsspec URL is
    copied once into this machine's temp folder (``scanner-dask/<hash of the URL>``) and that copy is
    returned. A location that cannot be read is a one-line :class:`CorpusError` naming it and this host."""
    host = socket.gethostname()
    if location.startswith("file://"):
        location = location[len("file://"):]
    if not _is_url(location):
        path = Path(location)
        if not path.exists() or not os.access(path, os.R_OK):
            raise CorpusError(f"the {what} is not readable on Dask worker host {host}: every worker needs the same "
                              f"path (a shared disk) or a URL", path=location)
        return path
    try:
        import fsspec
    except ImportError:  # pragma: no cover - fsspec comes with dask
        raise ConfigError(f"reading the {what} from a URL needs fsspec (pip install 'scanner[dask]')",
                          path=location) from None
    target = Path(tempfile.gettempdir()) / "scanner-dask" / hashlib.sha256(location.encode()).hexdigest()[:16]
    done = target / ".complete"
    if not done.is_file():
        try:
            fs, root = fsspec.core.url_to_fs(location)
            if not fs.exists(root):
                raise FileNotFoundError(location)
            staging = target.with_name(f"{target.name}.tmp-{os.getpid()}")
            if fs.isdir(root):
                fs.get(root.rstrip("/") + "/", str(staging), recursive=True)
            else:
                staging.mkdir(parents=True, exist_ok=True)
                fs.get(root, str(staging / Path(root).name))
            if target.exists():  # another process of this machine copied it meanwhile
                import shutil

                shutil.rmtree(staging, ignore_errors=True)
            else:
                staging.rename(target)
            done.touch()
        except (OSError, ValueError, ImportError) as exc:
            raise CorpusError(f"the {what} is not readable on Dask worker host {host} ({type(exc).__name__}: "
                              f"{' '.join(str(exc).split())})", path=location) from None
    files = [p for p in target.iterdir() if p.name != ".complete"]
    return files[0] if len(files) == 1 and files[0].is_file() else target


def _load_state(task: ScanTask) -> tuple[Any, Any]:
    """The (corpus with the watch list, model) of ``task`` in this worker process, loaded once."""
    from .corpus import GOODS_TEXT_COLUMNS, load_corpus
    from .corpus.known_kinds import with_known_kinds
    from .match import prepare_index
    from .model import load_model
    from .watchlist import with_watchlist

    watch_key = None if task.watch is None else int(pd.util.hash_pandas_object(task.watch, index=False).sum())
    key = (task.corpus, task.corpus_hash, task.model, watch_key)
    if key in _STATE:
        return _STATE[key]
    quiet = Progress(quiet=True)
    corpus = load_corpus(None if task.corpus is None else local_copy(task.corpus), progress=quiet,
                         skip=GOODS_TEXT_COLUMNS)  # as the single-process scan: no stage reads them
    if corpus.content_hash != task.corpus_hash:
        raise CorpusError(f"the corpus on Dask worker host {socket.gethostname()} differs from the client's "
                          f"(content hash {corpus.content_hash}, expected {task.corpus_hash}): give every worker "
                          "the same corpus", path=task.corpus or "the shipped starter corpus")
    if task.watch is not None:
        corpus = with_watchlist(corpus, task.watch, progress=quiet)
    corpus = with_known_kinds(corpus, progress=quiet)  # as the single-process scan does
    try:
        model = load_model(None if task.model is None else local_copy(task.model, what="model bundle"))
    except CorpusError as exc:
        raise ModelError(exc.message, path=exc.path) from None
    prepare_index(corpus, progress=quiet)
    _STATE[key] = (corpus, model)
    while len(_STATE) > _STATE_SIZE:
        _STATE.pop(next(iter(_STATE)))
    return corpus, model


def score_partition(task: ScanTask, listings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One Dask task: ``(matches, results)`` of a partition of the listings (runs on a worker)."""
    from .scoring import score_listings

    corpus, model = _load_state(task)
    return score_listings(listings, corpus, model, task.profile, task.watch, match_columns=task.match_columns,
                          evidence_only=task.evidence_only)


def score_distributed(listings: pd.DataFrame, config: ScanConfig, *, corpus: Any, watch: pd.DataFrame | None,
                      progress: Progress | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(matches, results)`` of ``listings`` scored on a Dask cluster (see the module docstring).
    ``corpus`` is the client's corpus (before the watch list): the workers' must have its content hash.
    The workers read ``config.worker_corpus`` or else ``config.corpus`` (None: the shipped starter
    corpus), and ``config.worker_model`` or else ``config.model`` (None: the shipped model)."""
    progress = _progress(progress)
    location = config.worker_corpus or (str(Path(config.corpus).resolve()) if config.corpus is not None else None)
    model = config.worker_model or (str(Path(config.model).resolve()) if config.model is not None else None)
    task = ScanTask(corpus=location, corpus_hash=corpus.content_hash, model=None if model is None else str(model),
                    profile=config.profile, watch=watch, match_columns=config.match_columns,
                    evidence_only=config.evidence_only)
    parts = partitions(listings, config.partition_rows or batch_rows(len(corpus)))
    where = config.scheduler or f"a local Dask cluster of {config.workers} worker process(es)"
    progress.stage(f"scoring {len(listings):,} listings in {len(parts)} partition(s) on {where}")
    with dask_client(config.workers, config.scheduler) as client:
        done = run_tasks(client, score_partition, [(task, p) for p in parts], progress=progress,
                         desc="scoring partitions", unit="partition", retries=config.retries)
    return merge_results(done)
