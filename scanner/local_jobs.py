"""Score one scan's batches on several cores of this machine (``scanner scan --jobs N``).

The single-process scan scores the listings in batches (:func:`scanner.scoring.score_in_batches`); every
batch is scored on its own, so batches can be scored at the same time. :func:`score_in_jobs` hands them
to a pool of worker processes (the standard library's :class:`~concurrent.futures.ProcessPoolExecutor`)
started by ``fork`` after the corpus, its index and the model are loaded: the workers inherit them (the
pages are shared until written) instead of loading them again, and only a batch of listings goes to a
worker and its ``(matches, results)`` come back. The batches are merged in listing order by
:func:`~scanner.scoring.merge_results`, exactly as the one-process scan merges them, so the results are
the same row for row whatever the number of jobs (tested).

``fork`` is used only on Linux (macOS and Windows start processes by ``spawn``, which would reload
everything): elsewhere, and for a single batch, the scan runs in this process. Beyond one machine, use
Dask (``--workers`` / ``--scheduler``, :mod:`scanner.distributed`).

Every worker holds one batch's match tables, so the memory of the scan grows with the jobs (one batch
at a million marks: about 1 GB): :func:`default_jobs` takes one job per core, at most :data:`MAX_AUTO_JOBS`,
and never more than the machine's memory allows at :data:`MEMORY_PER_JOB` each.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd

from .config import SellerProfile
from .corpus import Corpus
from .errors import ScannerError
from .model import RiskModel
from .progress import Progress
from .progress import get as _progress
from .scoring import BATCH_ROWS, merge_results, partitions, score_in_batches
from .scoring import score_listings as _score_listings

__all__ = ["MAX_AUTO_JOBS", "MEMORY_PER_JOB", "can_fork", "default_jobs", "score_in_jobs", "usable_cpus"]

#: The default number of jobs never exceeds this (more processes mostly add memory on a laptop).
MAX_AUTO_JOBS = 4
#: Memory one job may need at register scale (one batch of match tables plus its share of the corpus).
MEMORY_PER_JOB = 3 * 1024**3

#: What the forked workers score with: set in the parent before the pool starts, inherited by the fork.
_SHARED: tuple[Corpus, RiskModel, SellerProfile, pd.DataFrame | None] | None = None


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, e.g. a container's share), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def can_fork() -> bool:
    """Whether worker processes can be started by ``fork`` here (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def default_jobs(batches: int) -> int:
    """Jobs when ``--jobs`` is not given: one per usable core, at most :data:`MAX_AUTO_JOBS`, at most one
    per :data:`MEMORY_PER_JOB` of the machine's memory, at most ``batches``, and 1 where fork is missing."""
    if not can_fork():
        return 1
    memory = _memory_bytes()
    by_memory = max(1, memory // MEMORY_PER_JOB) if memory else MAX_AUTO_JOBS
    return max(1, min(usable_cpus(), MAX_AUTO_JOBS, by_memory, batches))


def _ignore_interrupt() -> None:
    """Worker start: Ctrl-C is the parent's to handle (it stops the workers), not a traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _score_batch(part: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One batch, in a worker: the very function the one-process scan runs, silent (the parent reports)."""
    if _SHARED is None:  # pragma: no cover - only a worker not started by score_in_jobs
        raise RuntimeError("score_in_jobs did not set up this worker")
    corpus, model, profile, watch = _SHARED
    return _score_listings(part, corpus, model, profile, watch)


def score_in_jobs(
    listings: pd.DataFrame,
    corpus: Corpus,
    model: RiskModel,
    profile: SellerProfile,
    watch: pd.DataFrame | None = None,
    *,
    rows: int = BATCH_ROWS,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`~scanner.scoring.score_in_batches` with the batches scored by ``jobs`` forked processes
    (``None``: :func:`default_jobs`); the same ``(matches, results)`` row for row. With one job, one
    batch, or no ``fork`` on this system, the batches are scored in this process."""
    global _SHARED
    progress = _progress(progress)
    parts = partitions(listings, rows)
    jobs = default_jobs(len(parts)) if jobs is None else min(max(1, int(jobs)), len(parts))
    if jobs <= 1 or not can_fork():
        return score_in_batches(listings, corpus, model, profile, watch, rows=rows, progress=progress)
    progress.stage(f"scoring {len(listings):,} listings against {len(corpus):,} marks: {len(parts)} batches of "
                   f"up to {rows:,} listings in {jobs} processes")
    _SHARED = (corpus, model, profile, watch)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_ignore_interrupt)
    done: list[tuple[pd.DataFrame, pd.DataFrame]] = []
    try:
        futures = [pool.submit(_score_batch, part) for part in parts]
        with progress.task("scoring batches", total=len(listings), unit=" listings", unit_scale=True) as bar:
            for part, future in zip(parts, futures, strict=True):
                done.append(future.result())
                bar.update(len(part))
                bar.set_postfix_str(f"batch {len(done)} of {len(parts)}")
    except BrokenProcessPool:
        raise ScannerError(
            f"a scoring process stopped abruptly at batch {len(done) + 1} of {len(parts)} (killed, e.g. out of "
            f"memory?): scan again with fewer --jobs (each holds one batch of --partition-rows {rows:,} "
            "listings), or --jobs 1") from None
    except BaseException:  # Ctrl-C, or a batch's error: stop the other batches now, not after they finish
        # the executor's worker processes (its ``_processes``: no public handle; stdlib since 3.2)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _SHARED = None
    return merge_results(done)
