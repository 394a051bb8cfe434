"""Arrow's memory pool for the commands that build corpora: the C library's allocator.

pyarrow allocates through its bundled mimalloc (or jemalloc) by default. Both keep freed memory for reuse;
building a corpus reads and writes Parquet in passes (staging, de-duplication, the match index), and the
memory kept from one pass adds to the peak of the next. Measured on this project's 2-core machine, the
same outputs byte for byte (docs/scale.md):

* ``scanner corpus build`` of a 20,000-case-file USPTO zip: largest process 292-300 MB with mimalloc,
  258-264 MB with the system allocator, at the same speed;
* ``scanner corpus build`` of a 1,000,000-mark CSV: 1,307-1,339 MB and 27.0-28.2 s with mimalloc,
  1,211-1,215 MB and 26.7 s with the system allocator.

The choice goes through Arrow's own environment variable, read once, when Arrow first allocates: its C++
code (the Parquet reader, the compute kernels) asks for the default pool directly, which
``pyarrow.set_memory_pool`` does not change. So it is made before anything of Arrow is used, and the
processes the command starts inherit it. A user who set the variable keeps their choice.
"""

from __future__ import annotations

import os

#: Arrow's environment variable naming its default pool ("system", "jemalloc", "mimalloc").
POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"


def prefer_system_allocator() -> None:
    """Ask Arrow for the C library's allocator (:data:`POOL_ENV` = "system") unless the variable is set.
    Takes effect only in a process where Arrow has not allocated yet (a command's start) and in the
    processes it starts."""
    if not os.environ.get(POOL_ENV, "").strip():
        os.environ[POOL_ENV] = "system"
