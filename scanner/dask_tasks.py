"""Dask's client and task running, for every stage that spreads work over processes or machines.

:func:`dask_client` opens a ``dask.distributed`` client (a new LocalCluster, or an existing scheduler);
:func:`run_tasks` submits one task per item, shows progress, and returns the results in order. The scan
(:mod:`scanner.distributed`) and the corpus build (:mod:`scanner.corpus.build`) both use them; this module
knows nothing of either (it sits in the foundation layer, see CONTRIBUTING.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .errors import ConfigError, ScannerError
from .progress import Progress

#: A Dask scheduler address: an optional protocol, a host name or address (IPv6 in brackets) and a port.
_ADDRESS = re.compile(r"(?:(?:tcp|tls|ws|wss|ucx|inproc)://)?(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):\d{1,5}")


def check_scheduler_address(address: str) -> str:
    """``address`` stripped, if it is a Dask scheduler address (``tcp://host:8786``); else a ConfigError, so
    that a typo is told before any file is read, not after the corpus, model and listings are loaded."""
    text = address.strip()
    if not _ADDRESS.fullmatch(text):
        raise ConfigError(f"--scheduler {' '.join(address.split())[:200]!r} is not a Dask scheduler address: give "
                          "the host and port the scheduler listens on, e.g. tcp://10.0.0.5:8786")
    return text


@contextmanager
def dask_client(workers: int = 0, scheduler: str | None = None) -> Iterator[Any]:
    """A ``dask.distributed.Client``: of the cluster at ``scheduler``, or of a new LocalCluster of
    ``workers`` processes with one thread each (closed on exit)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError("--workers / --scheduler need Dask: pip install 'scanner[dask]'") from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler ({' '.join(str(exc).split())[:300]})",
                              path=scheduler) from None
        except Exception as exc:  # noqa: BLE001 - e.g. a MemoryError when something else answers at that port
            raise ConfigError(f"no Dask scheduler answers there ({type(exc).__name__} on connecting: is it the "
                              "scheduler's port, 8786 by default?)", path=scheduler) from None
        try:
            yield client
        finally:
            client.close()
        return
    with LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=40) as cluster, Client(cluster) as client:
        yield client


class _InputProblem:
    """A :class:`ScannerError` a task raised, returned instead of raised: the input is at fault, not the
    worker, so Dask neither retries the task nor logs a traceback ("Compute Failed") for it."""

    def __init__(self, error: ScannerError) -> None:
        self.error = error


def _told(fn: Callable, *args: Any) -> Any:
    try:
        return fn(*args)
    except ScannerError as exc:
        return _InputProblem(exc)


def run_tasks(client: Any, fn: Callable, items: Sequence[tuple], *, progress: Progress, desc: str,
              unit: str, retries: int = 2, label: Callable[[int], str] | None = None) -> list[Any]:
    """Submit ``fn(*item)`` for every item, show the tasks done, and return their results in item order.
    The first task that fails cancels the rest and raises its error (a ScannerError stays one). ``retries``
    applies to unexpected errors only: a ScannerError (a bad input file) is raised at once, with no retry."""
    from dask.distributed import as_completed

    futures = [client.submit(_told, fn, *item, retries=retries, pure=False) for item in items]
    index = {f.key: i for i, f in enumerate(futures)}
    out: list[Any] = [None] * len(futures)
    try:
        with progress.task(desc, total=len(futures), unit=unit) as bar:
            for future in as_completed(futures):
                i = index[future.key]
                out[i] = future.result()
                if isinstance(out[i], _InputProblem):
                    raise out[i].error
                bar.update(1)
                if label is not None:
                    bar.set_postfix_str(label(i))
    finally:
        client.cancel([f for f in futures if not f.done()])
    return out
