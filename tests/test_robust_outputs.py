"""results.csv / results.jsonl are written all or nothing, and a failed write is one error line.

A write that fails part-way (a full disk, a file-size limit) used to leave a truncated file in place of the
last complete one, and end the scan with "internal error" (exit 2). Now each file is written beside the
target and renamed over it once complete; an OSError is one :class:`ScannerError` line naming the file.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner import replace_file
from scanner.cli import cli
from scanner.errors import ScannerError
from scanner.report.machine import write_csv, write_jsonl
from scanner.report.synthetic import synthetic_scan_result

WRITERS = {"csv": (write_csv, "the CSV"), "jsonl": (write_jsonl, "the JSON lines")}
OLD = "last week's complete results\n"
LISTING = "item_sku,item_name,brand_name\nA1,Canon PG-245 ink cartridge,Acme\nA2,Plain mug,Acme\n"
needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")


@pytest.fixture(scope="module")
def result():
    return synthetic_scan_result(40, seed=3)


class _FullDisk:
    """A real file that takes ``budget`` characters, then fails as a full disk does."""

    def __init__(self, fh, budget: int) -> None:
        self._fh, self._left = fh, budget

    def write(self, text: str) -> int:
        if len(text) > self._left:
            self._fh.write(text[: self._left])
            self._fh.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._left -= len(text)
        return self._fh.write(text)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._fh.close()


def _disk_fills_after(monkeypatch, budget: int) -> None:
    real_open = open
    # every output file is opened by scanner.replace_file
    monkeypatch.setattr(replace_file, "open", lambda *a, **k: _FullDisk(real_open(*a, **k), budget), raising=False)


@pytest.mark.parametrize("kind", WRITERS)
def test_a_write_failing_part_way_leaves_the_last_file_and_no_temporary(tmp_path, monkeypatch, result, kind):
    write, what = WRITERS[kind]
    target = tmp_path / f"results.{kind}"
    target.write_text(OLD, encoding="utf-8")
    _disk_fills_after(monkeypatch, 500)
    with pytest.raises(ScannerError) as err:
        write(result, target)
    assert str(err.value) == f"{target}: cannot write {what}: No space left on device"
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


@pytest.mark.parametrize("kind", WRITERS)
def test_a_complete_write_replaces_the_file_and_keeps_its_mode(tmp_path, result, kind):
    write, _ = WRITERS[kind]
    target = tmp_path / f"results.{kind}"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o600)
    write(result, target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == (41 if kind == "csv" else 40) and OLD.strip() not in lines
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_a_new_file_follows_the_umask(tmp_path, result):
    old = os.umask(0o027)
    try:
        write_csv(result, tmp_path / "r.csv")
    finally:
        os.umask(old)
    assert (tmp_path / "r.csv").stat().st_mode & 0o777 == 0o640  # not mkstemp's 0o600


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlink_is_written_through_and_stays_a_link(tmp_path, result):
    real = tmp_path / "shared" / "results.csv"
    real.parent.mkdir()
    real.write_text(OLD, encoding="utf-8")
    link = tmp_path / "results.csv"
    link.symlink_to(real)
    write_csv(result, link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8").startswith("sku,asin,title")


@needs_dev_full
@pytest.mark.parametrize("kind", WRITERS)
def test_a_symlink_to_a_full_device_is_one_error(tmp_path, result, kind):
    write, what = WRITERS[kind]
    link = tmp_path / f"out.{kind}"
    link.symlink_to("/dev/full")
    with pytest.raises(ScannerError, match=f"out.{kind}: cannot write {what}: No space left on device"):
        write(result, link)
    assert link.is_symlink() and os.path.realpath(link) == "/dev/full"  # the device is never renamed over


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_written_directly(tmp_path, result):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", f"import sys; sys.stdout.write(open({str(fifo)!r}).read())"],
                              stdout=subprocess.PIPE, text=True)
    write_csv(result, fifo)
    out, _ = reader.communicate()
    assert out.startswith("sku,asin,title") and out.count("\n") == 41


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE")
def test_a_file_size_limit_mid_write_leaves_the_last_file(tmp_path):
    """The repro of the bug: the process may write at most 4 KiB per file (as `ulimit -f`)."""
    target = tmp_path / "results.csv"
    target.write_text(OLD, encoding="utf-8")
    script = (
        "import resource, sys\n"
        "from scanner.errors import ScannerError\n"
        "from scanner.report.machine import write_csv\n"
        "from scanner.report.synthetic import synthetic_scan_result\n"
        "result = synthetic_scan_result(200, seed=1)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))\n"
        "try:\n"
        "    write_csv(result, sys.argv[1])\n"
        "except ScannerError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{target}: cannot write the CSV: File too large"
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


@pytest.mark.slow  # a whole scan (corpus and model loaded)
@needs_dev_full
def test_scan_with_csv_on_a_full_device_exits_1_with_one_line(tmp_path):
    listing = tmp_path / "listings.csv"
    listing.write_text(LISTING, encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to("/dev/full")
    res = CliRunner().invoke(cli, ["scan", str(listing), "--out", str(tmp_path / "r.xlsx"), "--csv", str(link),
                                   "--no-history", "-q"])
    assert res.exit_code == 1, res.output
    assert res.output.strip().splitlines() == [f"error: {link}: cannot write the CSV: No space left on device"]


def test_a_csv_that_cannot_be_written_leaves_every_output_of_last_week(tmp_path):
    # the outputs of one scan go together: a CSV that fails leaves last week's workbook as well
    from click.testing import CliRunner

    from scanner.cli import cli

    listings = tmp_path / "l.csv"
    listings.write_text("title,sku\nNike running shoes,A1\nPlain mug,A2\n", encoding="utf-8")
    args = ["scan", str(listings), "--out", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "r.csv"),
            "--no-history", "-q"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = {n: (tmp_path / n).read_bytes() for n in ("r.xlsx", "r.csv")}
    listings.write_text("title,sku\nAdidas cap,B1\n", encoding="utf-8")
    (tmp_path / "r.csv").unlink()
    (tmp_path / "r.csv").symlink_to("/dev/full")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "cannot write the CSV" in result.output
    assert (tmp_path / "r.xlsx").read_bytes() == before["r.xlsx"]
    assert (tmp_path / "r.csv").is_symlink() and not list(tmp_path.glob(".r.*"))
