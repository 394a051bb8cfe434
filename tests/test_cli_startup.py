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


def _run_main(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=120)


@pytest.mark.parametrize(("args", "code"), [(["--version"], 0), (["history", "--history", "/nonexistent/h"], 1),
                                            (["scan"], 1)])
def test_the_console_entry_point_ends_with_the_exit_code_after_the_exit_handlers(args, code):
    """The entry point skips the interpreter's teardown but not its exit handlers nor buffered output: the
    handlers run, what was printed arrives, and the exit code is the command's."""
    proc = _run_main("import atexit, sys\nfrom scanner import cli\n"
                     "atexit.register(lambda: print('exit handler ran', flush=False))\n"
                     f"sys.argv = ['scanner', *{args!r}]\nsys.stdout.write('buffered line\\n')\ncli.main()\n")
    assert proc.returncode == code, proc.stderr
    assert proc.stdout.splitlines()[0] == "buffered line" and "exit handler ran" in proc.stdout
    assert ("version" in proc.stdout) if code == 0 else proc.stderr.strip()


def test_the_console_entry_point_waits_for_a_running_thread():
    """With another thread still at work, the normal exit (which waits for it) is taken."""
    proc = _run_main("import sys, threading, time\nfrom scanner import cli\n"
                     "threading.Thread(target=lambda: (time.sleep(1), print('thread finished'))).start()\n"
                     "sys.argv = ['scanner', '--version']\ncli.main()\n")
    assert proc.returncode == 0 and "thread finished" in proc.stdout, proc.stderr
