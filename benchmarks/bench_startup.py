"""Benchmark: how fast the command line starts.

    python benchmarks/bench_startup.py [--runs 10]

Measures, each in fresh interpreters with this checkout first on ``PYTHONPATH``:

* ``python -X importtime -c "import scanner.cli"``: the cumulative import time of ``scanner.cli`` (median of
  ``--runs``) and the heavy libraries it loaded (none: the commands import the library code they need when they run);
* the wall time of ``--runs`` runs of ``scanner --help``, ``scanner history --help`` and ``scanner history``
  (on an empty scan history);

and, in the same run, the naive baseline: the same measurements when ``scanner.cli`` imports the library
code at start-up (:data:`EAGER`: the modules the CLI imported at module level before it imported them
lazily). Prints both and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "sklearn", "openpyxl", "pyarrow", "scipy")
#: What `import scanner.cli` loaded before the CLI imported the library lazily (its module-level imports of
#: scanner.history, scanner.notices and scanner.listings.schema, as on commit 4fcc2c1).
EAGER = ("import scanner.cli, scanner.history.store, scanner.history.decisions, scanner.history.importer, "
         "scanner.notices.importer, scanner.notices.labels, scanner.notices.watchlist, scanner.listings.schema")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])
    return env


def import_time(code: str) -> tuple[float, list[str]]:
    """``(seconds, heavy libraries loaded)`` of running ``code`` under ``-X importtime``: the sum of the
    top-level (cumulative) import times it reports."""
    probe = f"{code}; import json, sys; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", probe], capture_output=True, text=True,
                          env=_env(), check=True)
    total = 0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S+)$", line)  # a top-level (unindented) import
        if m and m.group(2).split(".")[0] == "scanner":
            total += int(m.group(1))  # its cumulative time, what it loaded included
    return total / 1e6, json.loads(proc.stdout.strip().splitlines()[-1])


def median_import_time(code: str, runs: int) -> tuple[float, list[str]]:
    """:func:`import_time` of ``code``, the median of ``runs`` fresh interpreters."""
    results = sorted(import_time(code) for _ in range(max(runs, 1)))
    return results[len(results) // 2]


def wall(args: list[str], runs: int, prelude: str = "") -> float:
    """Mean wall time (s) of ``runs`` runs of ``scanner ARGS`` in fresh interpreters: the installed
    ``scanner`` console script beside this Python when there is one (else ``python -c``); with ``prelude``
    (the naive baseline) ``python -c "PRELUDE; scanner.cli.main()"``."""
    script = Path(sys.executable).with_name("scanner")
    if prelude or not script.is_file():
        cmd = [sys.executable, "-c", f"{prelude or 'pass'}; from scanner.cli import cli; "
                                     f"cli.main({args!r}, prog_name='scanner')"]
    else:
        cmd = [str(script), *args]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=_env(), stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return sum(times) / len(times)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="runs of each command (default 10)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(REPO))
        from scanner.history.store import HistoryStore

        HistoryStore(tmp, create=True).close()  # an empty history: `scanner history` prints "no scans"
        commands = {"scanner --help": ["--help"], "scanner history --help": ["history", "--help"],
                    "scanner history": ["history", "--history", tmp]}
        lazy_import, lazy_heavy = median_import_time("import scanner.cli", args.runs)
        eager_import, eager_heavy = median_import_time(EAGER, args.runs)
        figures = {"runs": args.runs, "import_s": {"lazy": lazy_import, "eager": eager_import},
                   "heavy_loaded": {"lazy": lazy_heavy, "eager": eager_heavy}, "wall_s": {}}
        print(f"import scanner.cli (-X importtime, cumulative, median of {args.runs}): {lazy_import:.3f} s, heavy libraries loaded: "
              f"{', '.join(lazy_heavy) or 'none'}")
        print(f"  naive baseline ({EAGER}): {eager_import:.3f} s, loads {', '.join(eager_heavy)}; "
              f"ratio {eager_import / lazy_import:.1f}x")
        for name, cmd in commands.items():
            lazy = wall(cmd, args.runs)
            eager = wall(cmd, args.runs, prelude=EAGER)
            figures["wall_s"][name] = {"lazy": lazy, "eager": eager}
            print(f"{name}: {lazy:.3f} s wall (mean of {args.runs} runs); naive baseline {eager:.3f} s; "
                  f"ratio {eager / lazy:.1f}x")
    return figures


if __name__ == "__main__":
    main()
