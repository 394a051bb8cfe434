"""Progress reporting for long work (reads, imports, scans), silenced by ``--quiet``.

Stages take an optional ``progress`` argument: a :class:`Progress` (or ``None`` for silence). They call
``progress.stage(...)`` when a stage of a long run starts, ``progress.task(...)`` to get a bar,
``progress.info(...)`` for one-line messages and ``progress.warn(...)`` for warnings; all go to stderr so
that stdout stays clean for machine output.

On a terminal the bars are tqdm bars updated in place. When the stream is not a terminal (a cron log, a
CI job, a pipe) nothing is updated in place: each stage prints one plain line when it starts, and so does
each task within it (``reading x.txt``); a long task adds one plain line
(``normalising listings: 40.0k/100.0k fields (40%), 12 s``) at most every ``interval`` seconds (10 by
default): no carriage returns in a log file.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .errors import one_line


class _NullBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass


def _count(n: float, unit_scale: bool) -> str:
    if not unit_scale or n < 1000:
        return f"{int(n):,}"
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= factor:
            return f"{n / factor:.1f}{suffix}"
    return f"{int(n):,}"


class _LineBar:
    """A progress bar for logs: one plain line at most every ``interval`` seconds, never a carriage return."""

    def __init__(self, progress: Progress, desc: str, total: int | None, unit: str, unit_scale: bool) -> None:
        self.progress = progress
        self.desc = desc
        self.total = total
        self.unit = unit
        self.unit_scale = unit_scale
        self.n = 0
        self.postfix = ""
        self.started = progress.clock()
        self.last = self.started
        progress.info(f"[{time.strftime('%H:%M:%S')}] {desc}")

    def update(self, n: int = 1) -> None:
        self.n += n
        now = self.progress.clock()
        if now - self.last >= self.progress.interval:
            self.last = now
            self.progress.info(self.line(now))

    def set_postfix_str(self, s: str) -> None:
        self.postfix = s

    def line(self, now: float) -> str:
        done = f"{_count(self.n, self.unit_scale)}"
        if self.total:
            done += f"/{_count(self.total, self.unit_scale)} {self.unit} ({100 * self.n / self.total:.0f}%)"
        else:
            done += f" {self.unit}"
        extra = f", {self.postfix}" if self.postfix else ""
        return f"{self.desc}: {done}{extra}, {now - self.started:.0f} s"


class Progress:
    """Writes progress to ``stream`` (stderr) unless ``quiet``.

    ``interactive`` (default: whether ``stream`` is a terminal) chooses tqdm bars updated in place, or
    plain lines at most every ``interval`` seconds; ``clock`` is the time source (tests pass a fake one).
    """

    def __init__(
        self,
        quiet: bool = False,
        stream: Any = None,
        *,
        interactive: bool | None = None,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        if interactive is None:
            interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interactive = interactive
        self.interval = interval
        self.clock = clock
        self.stages: list[str] = []  # the stages started, in order (what a log shows)

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.stream, flush=True)

    def warn(self, message: str) -> None:
        """One ``warning: ...`` line (silenced by ``quiet`` like everything but errors)."""
        self.info(f"warning: {one_line(message)}")

    def stage(self, name: str) -> None:
        """A stage of a long run starts (``matching 44 listings``): one line, on a terminal or in a log."""
        self.stages.append(name)
        self.info(f"{name} ..." if self.interactive else f"[{time.strftime('%H:%M:%S')}] {name}")

    @contextmanager
    def task(self, desc: str, total: int | None = None, unit: str = "it", unit_scale: bool = False) -> Iterator[Any]:
        if self.quiet:
            yield _NullBar()
            return
        if not self.interactive:
            yield _LineBar(self, desc, total, unit, unit_scale)
            return
        from tqdm import tqdm

        bar = tqdm(
            total=total,
            desc=desc,
            unit=unit,
            unit_scale=unit_scale,
            file=self.stream,
            leave=False,
            mininterval=0.5,
            dynamic_ncols=True,
        )
        try:
            yield bar
        finally:
            bar.close()


def get(progress: Progress | None) -> Progress:
    """The progress object to use: ``None`` means silent."""
    return progress if progress is not None else Progress(quiet=True)
