"""Progress reporting for long work (reads, imports, scans), silenced by ``--quiet``.

Stages take an optional ``progress`` argument: a :class:`Progress` (or ``None`` for silence). They call
``progress.task(...)`` to get a bar and ``progress.info(...)`` for one-line messages; both go to stderr so
that stdout stays clean for machine output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _NullBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass


class Progress:
    """Writes progress bars and messages to stderr unless ``quiet``."""

    def __init__(self, quiet: bool = False, stream: Any = None) -> None:
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.stream, flush=True)

    @contextmanager
    def task(self, desc: str, total: int | None = None, unit: str = "it", unit_scale: bool = False) -> Iterator[Any]:
        if self.quiet:
            yield _NullBar()
            return
        from tqdm import tqdm

        interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        bar = tqdm(
            total=total,
            desc=desc,
            unit=unit,
            unit_scale=unit_scale,
            file=self.stream,
            leave=False,
            mininterval=0.5 if interactive else 10.0,
            dynamic_ncols=interactive,
        )
        try:
            yield bar
        finally:
            bar.close()


def get(progress: Progress | None) -> Progress:
    """The progress object to use: ``None`` means silent."""
    return progress if progress is not None else Progress(quiet=True)
