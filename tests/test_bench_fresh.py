"""benchmarks/fresh.py: a command started through the launcher reports its own peak memory, not the peak of
the (large) benchmark process that started it (Linux carries a process's peak RSS across exec)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

#: A parent that held 400 MB, let it go, then started the same 60 MB child directly and through the launcher.
PARENT = """
import json, os, subprocess, sys
sys.path.insert(0, {benchmarks!r})
from fresh import launched, popen, read_usage
big = bytearray(400 * 2**20)
for i in range(0, len(big), 4096):
    big[i] = 1
del big
CHILD = "import resource; x = bytearray(60 * 2**20); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
direct = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True).stdout
via = subprocess.run(launched([sys.executable, "-c", CHILD], {usage!r}), capture_output=True, text=True,
                     check=True).stdout
failed = subprocess.run(launched([sys.executable, "-c", "raise SystemExit(3)"])).returncode
proc, file = popen([sys.executable, "-c", "x = bytearray(60 * 2**20)"])
proc.wait()
popened = read_usage(file)
print(json.dumps({{"direct_kb": int(direct), "via_kb": int(via), "usage": read_usage({usage!r}),
                  "failed": failed, "popen": popened, "removed": not file.exists()}}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the peak carried across exec is Linux's")
def test_the_launched_command_reports_its_own_peak(tmp_path):
    usage = tmp_path / "usage.json"
    code = PARENT.format(benchmarks=str(BENCHMARKS), usage=str(usage))
    got = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout.splitlines()[-1])
    assert got["direct_kb"] / 1024 >= 400  # what the benchmarks measured before: the parent's peak
    assert 60 <= got["via_kb"] / 1024 < 200  # its own: the 60 MB and an interpreter
    peak_mb, cpu_s = got["usage"]
    assert 60 <= peak_mb < 200 and cpu_s >= 0
    assert got["failed"] == 3  # the command's exit status comes through the launcher
    assert 60 <= got["popen"][0] < 200 and got["removed"]  # popen: the same, its usage file read and removed
