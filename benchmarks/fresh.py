"""Start a benchmark's child command so that the peak memory it reports is its own.

Linux carries a process's peak RSS across ``exec``: a command started by a process that once held
gigabytes reports (in ``ru_maxrss``, from ``wait4`` or from its own ``getrusage``) at least that
process's peak, whatever it used itself. A benchmark that generates its data, or runs the stages in
process, before it times the real command would charge its own peak to the command. So the command is
started by a small launcher (a fresh interpreter holding ~10 MB), which waits for it and writes its
resource usage to a file; a command that reports its own ``getrusage`` through the launcher reports its
own peak too.

    proc, usage = popen(["scanner", "corpus", "build", ...], stdout=subprocess.PIPE)
    ... proc.wait() ...
    peak_mb, cpu_s = read_usage(usage)

(``launched(cmd)`` alone: the command line, for a child that reports its own ``getrusage``.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

#: The launcher: runs argv[2:], writes its ``wait4`` usage to argv[1] (when not "-"), exits with its status.
LAUNCHER = """\
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
if sys.argv[1] != "-":
    with open(sys.argv[1], "w") as fh:
        json.dump({"peak_rss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime}, fh)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def launched(cmd: list[str], usage: str | Path | None = None) -> list[str]:
    """``cmd`` started through the launcher (its usage written to ``usage`` if given)."""
    return [sys.executable, "-c", LAUNCHER, "-" if usage is None else str(usage), *cmd]


def popen(cmd: list[str], **kwargs: Any) -> tuple[subprocess.Popen, Path]:
    """Start ``cmd`` through the launcher (``kwargs`` as for ``subprocess.Popen``): the process, and the file
    its usage is written to when it ends (:func:`read_usage`)."""
    fd, name = tempfile.mkstemp(prefix="bench-usage-", suffix=".json")
    os.close(fd)
    return subprocess.Popen(launched(cmd, name), **kwargs), Path(name)


def read_usage(usage: str | Path) -> tuple[float, float]:
    """(peak RSS MB of the command's largest process, CPU seconds of the command and the children it
    waited for) as the launcher wrote them; the file is removed."""
    path = Path(usage)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    finally:
        path.unlink(missing_ok=True)
    return data["peak_rss_kb"] / 1024, float(data["cpu_s"])
