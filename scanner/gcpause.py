"""The cyclic garbage collector paused while a scan builds its tables.

A scan makes millions of small objects that live until it ends (a token tuple per word of every listing,
match records, cell strings). CPython's collector walks every live object of the oldest generation each
time that generation has grown by a quarter, so with these it ran again and again over the same objects
(tokenising 100,000 descriptions in a process holding the listings: 3.4-7.6 s with it, 1.4-1.9 s without;
the peak memory of whole scans did not grow).
Nothing a scan keeps depends on the collector (reference counting frees everything but reference cycles);
the cycles made meanwhile are collected once the pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the ``with`` block (restored as it was afterwards;
    nested pauses are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
