"""Run a function over many items in forked worker processes on this machine (``--jobs N``): the scan's
batches (:func:`scanner.scoring.score_in_batches`), the report's evidence (:mod:`scanner.report.excel`) and
the case-files of a large USPTO XML file (:func:`scanner.corpus.uspto_xml.iter_uspto_xml`, a stream).

:func:`fork_imap` hands the items to a pool of worker processes (the standard library's
:class:`~concurrent.futures.ProcessPoolExecutor`) started by ``fork``: the workers inherit this process's
memory (the corpus, its index, the model, the scan's tables; the pages are shared until written) instead of
loading anything again, and only the items and the results are pickled. The results come back in the
items' order.

``fork`` is used only on Linux (macOS and Windows start processes by ``spawn``, which would reload
everything): elsewhere the items are done here, one after the other, as with one job. Beyond one machine,
use Dask (``--workers`` / ``--scheduler``, :mod:`scanner.distributed`).

Every worker holds its own working memory (at a million marks one scan batch is about 1 GB):
:func:`default_jobs` takes one job per core, at most :data:`MAX_AUTO_JOBS`, and never more than the
machine's memory allows at :data:`MEMORY_PER_JOB` each.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from .errors import ScannerError

__all__ = ["MAX_AUTO_JOBS", "MEMORY_PER_JOB", "Background", "can_fork", "default_jobs", "fork_imap", "in_background",
           "jobs_for", "usable_cpus"]

#: The default number of jobs never exceeds this (more processes mostly add memory on a laptop).
MAX_AUTO_JOBS = 4
#: Memory one job may need at register scale (one batch of match tables plus its share of the corpus).
MEMORY_PER_JOB = 3 * 1024**3

#: The function the forked workers run (:func:`fork_imap`): set before the pool starts, inherited by the fork.
_TASK: Callable[[Any], Any] | None = None
#: True in a forked worker: work it asks to spread runs in that worker (no process starts another pool).
_IN_WORKER = False


#: Where a Linux container's limits are read (cgroup v2 files, else cgroup v1's).
CGROUP_ROOT = Path("/sys/fs/cgroup")
#: A cgroup v1 memory limit at least this large means "no limit" (the kernel writes a huge page-aligned number).
_NO_LIMIT = 1 << 60


def _cgroup(name: str) -> str | None:
    try:
        return (CGROUP_ROOT / name).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None


def _cgroup_cpus() -> float | None:
    """The CPU quota of this container (``cpu.max`` / ``cpu.cfs_quota_us``) in CPUs, or None (no quota)."""
    quota = period = None
    v2 = _cgroup("cpu.max")
    if v2 is not None:
        parts = v2.split()
        if len(parts) == 2 and parts[0] != "max":
            quota, period = parts
    else:
        quota, period = _cgroup("cpu/cpu.cfs_quota_us"), _cgroup("cpu/cpu.cfs_period_us")
    try:
        q, p = int(quota or -1), int(period or 0)
    except ValueError:
        return None
    return q / p if q > 0 and p > 0 else None


def _cgroup_memory() -> int | None:
    """The memory limit of this container (``memory.max`` / ``memory.limit_in_bytes``) in bytes, or None."""
    value = _cgroup("memory.max")
    if value is None:
        value = _cgroup("memory/memory.limit_in_bytes")
    if value is None or value == "max":
        return None
    try:
        limit = int(value)
    except ValueError:
        return None
    return limit if 0 < limit < _NO_LIMIT else None


def usable_cpus() -> int:
    """The CPUs this process may use: its affinity mask, at most its container's CPU quota (rounded up), at
    least 1."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpus()
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def _memory_bytes() -> int | None:
    """The machine's memory, or its container's limit when lower."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        memory = None
    limit = _cgroup_memory()
    return min(memory, limit) if memory and limit else (limit or memory)


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


def _flush_output() -> None:
    """Before a fork: a child flushes the buffers it inherits when it ends, so they must be empty."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def _start_worker() -> None:
    """Worker start: Ctrl-C is the parent's to handle (it stops the workers), not a traceback per worker."""
    global _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(item: Any) -> Any:
    if _TASK is None:  # pragma: no cover - only a worker not started by fork_imap
        raise RuntimeError("fork_imap did not set up this worker")
    return _TASK(item)


def jobs_for(items: int, jobs: int | None) -> int:
    """The processes :func:`fork_imap` uses for ``items`` items: ``jobs`` (``None``: :func:`default_jobs`),
    at most one per item; 1 (this process) inside a worker, where fork is missing, or in a daemonic process
    (a Dask worker process: the standard library lets it start none)."""
    if _IN_WORKER or not can_fork() or multiprocessing.current_process().daemon:
        return 1
    return default_jobs(items) if jobs is None else max(1, min(int(jobs), items))


def fork_imap(fn: Callable[[Any], Any], items: Iterable[Any], *, jobs: int | None = None,
              what: str = "a worker process", ahead: int | None = None) -> Iterator[Any]:
    """``fn(item)`` of every item, in order, computed by :func:`jobs_for` forked worker processes (or here,
    one after the other, when that is 1). ``fn`` may be any function, a closure too: the workers inherit it
    with the rest of this process's memory, so only the items and the results are pickled.

    ``items`` may also be an iterator that makes its items while the workers work (a stream cut into
    pieces): it is read as results are taken, with at most ``ahead`` items handed out and not yet taken
    (default: every item of a sequence, two per worker for an iterator).

    A worker that dies (killed, out of memory) is a one-line :class:`~scanner.errors.ScannerError` naming
    ``what`` and the item; an error raised by ``fn`` is raised here. On any error, or Ctrl-C, the other
    workers are stopped at once."""
    global _TASK
    total = len(items) if isinstance(items, Sized) else None
    jobs = jobs_for(sys.maxsize if total is None else total, jobs)
    if jobs <= 1:
        yield from map(fn, items)
        return
    window = max(1, ahead or (2 * jobs if total is None else total))
    of = "" if total is None else f" of {total}"
    _TASK = fn
    _flush_output()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker)
    done = 0
    try:
        source = iter(items)
        pending = deque(pool.submit(_run, item) for item in islice(source, window))
        while pending:
            result = pending.popleft().result()
            done += 1
            for item in islice(source, 1):  # the next item goes out before this result is used
                pending.append(pool.submit(_run, item))
            yield result
    except BrokenProcessPool:
        raise ScannerError(f"{what} stopped abruptly at item {done + 1}{of} (killed, e.g. out of "
                           "memory?): run again with fewer --jobs, or --jobs 1") from None
    except BaseException:  # Ctrl-C, or fn's error: stop the other items now, not after they finish
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _TASK = None


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes now, in a way its shutdown still ends.

    A worker killed while it sends a result leaves part of a message in the results pipe. The pool's
    managing thread then waits for the rest for ever, since this process holds the pipe's write end too, and
    ``shutdown`` waits for that thread (seen: a corrupt zip met while the USPTO parsing processes sent
    back large batches hung the import). So once the workers are gone, this process's write end is closed:
    the cut message reads as the end of the pipe, the pool counts itself broken and winds down. (Private
    attributes: the executor gives no public handle on its processes or its results pipe; present since
    Python 3.2 and 3.4.)"""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None and not any(p.is_alive() for p in processes):
        writer.close()


class Background:
    """``fn()`` started in a forked process (:func:`in_background`); :meth:`result` waits for it.

    A plain :class:`multiprocessing.Process` and a pipe, not a pool: a pool keeps a thread running in this
    process, and this process may fork again (the report's evidence) while the background work runs."""

    def __init__(self, fn: Callable[[], Any], *, forked: bool, what: str) -> None:
        self._fn, self._what = fn, what
        self._process: Any = None
        self._answered = False
        self._answer: tuple[bool, Any] | None = None  # (ok, value or error), once ``fn`` has answered
        if forked:
            _flush_output()
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_background, args=(fn, send), daemon=True)
            self._process.start()
            send.close()  # the child holds its end: a child that dies closes the pipe

    def result(self) -> Any:
        """``fn()``'s result (its error raised here); run here and now when it was not forked. ``fn`` runs
        once: asked again, the same result (or error)."""
        if self._answer is None:
            self._answer = self._wait()
        ok, value = self._answer
        if not ok:
            raise value
        return value

    def _wait(self) -> tuple[bool, Any]:
        if self._process is None:
            try:
                return True, self._fn()
            except Exception as exc:  # noqa: BLE001 - kept, and raised by result() each time it is asked
                return False, exc
        try:
            try:
                answer = self._receive.recv()
                self._answered = True
            except EOFError:  # the child died before it could answer
                self._process.join()
                return False, ScannerError(f"{self._what} stopped abruptly (exit code {self._process.exitcode}; "
                                           "killed, e.g. out of memory?): run again with --jobs 1")
            return answer
        finally:
            self.close()

    def close(self) -> None:
        """Reap the process; stop it first if it still works (the block left by an error)."""
        if self._process is not None:
            if not self._answered:
                self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None


def _background(fn: Callable[[], Any], send: Any) -> None:
    """The forked process of :class:`Background`: ``fn()``'s result, or its error, through the pipe."""
    _start_worker()
    try:
        answer = (True, fn())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        answer = (False, exc)
    try:
        send.send(answer)
    except Exception as exc:  # noqa: BLE001 - an unpicklable result or error
        send.send((False, ScannerError(f"{type(exc).__name__}: {exc}")))
    send.close()


@contextmanager
def in_background(fn: Callable[[], Any], *, jobs: int | None = None,
                  what: str = "a background process") -> Iterator[Background]:
    """Run ``fn()`` in a forked process while the ``with`` block runs (when :func:`jobs_for` allows two
    jobs), else in this process when the block asks for :meth:`Background.result`. Leaving the block
    without the result (an error) stops the process."""
    task = Background(fn, forked=jobs_for(2, jobs) > 1, what=what)
    try:
        yield task
    finally:
        task.close()
