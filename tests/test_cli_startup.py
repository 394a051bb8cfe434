"""`scanner --help` and `scanner history` start without the data stack: the CLI imports the library code a
command needs when the command runs (speed is measured by benchmarks/bench_startup.py; no timing here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("sklearn", "pandas", "openpyxl", "numpy", "scipy", "pyarrow")


def _loaded_after(code: str) -> list[str]:
    """The heavy libraries in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_import_scanner_cli_loads_no_heavy_library():
    assert _loaded_after("import scanner.cli") == []


def test_the_probe_sees_a_heavy_import():
    # the check above could not pass by accident: importing the pipeline does load them
    assert {"pandas", "sklearn"} <= set(_loaded_after("import scanner.pipeline"))


@pytest.mark.parametrize("args", [["--help"], ["history", "--help"], ["scan", "--help"], ["notices", "labels", "--help"],
                                  ["corpus", "build", "--help"]])
def test_help_loads_no_heavy_library(args):
    code = ("from scanner.cli import cli\n"
            f"rc = cli.main({args!r}, prog_name='scanner', standalone_mode=False)\n"
            "assert rc == 0, rc")
    assert _loaded_after(code) == []


def test_history_lists_scans_without_heavy_library(tmp_path):
    code = ("from scanner.history.store import HistoryStore\n"
            f"HistoryStore({str(tmp_path)!r}, create=True).close()\n"
            "from scanner.cli import cli\n"
            f"rc = cli.main(['history', '--history', {str(tmp_path)!r}], prog_name='scanner', standalone_mode=False)\n"
            "assert rc == 0, rc")
    assert _loaded_after(code) == []


def test_public_api_still_resolves():
    import scanner
    import scanner.history
    import scanner.notices

    assert callable(scanner.scan) and scanner.history.HistoryStore.__name__ == "HistoryStore"
    assert "trademark" in scanner.notices.DEFAULT_TYPES and scanner.notices.TYPE_CHOICES[-1] == "unstated"
    for name in scanner.notices.__all__:
        assert getattr(scanner.notices, name) is not None, name
    for name in scanner.history.__all__:
        assert getattr(scanner.history, name) is not None, name
