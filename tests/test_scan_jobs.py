"""``scanner scan --jobs N`` (:func:`scanner.scoring.score_in_batches` with ``jobs``): the batches scored by
forked processes give the rows of the one-process scan; a worker that dies or fails stops the scan with one
clear line."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from click.testing import CliRunner

from scanner import forked, scoring
from scanner.cli import cli
from scanner.config import SellerProfile
from scanner.corpus import load_corpus
from scanner.errors import ScannerError
from scanner.listings import read_listings
from scanner.model import load_model
from scanner.scoring import score_in_batches
from tests.test_scoring_batches import _listings_file

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="scan jobs fork worker processes (Linux only)")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    listings = read_listings([_listings_file(tmp_path_factory.mktemp("jobs"))]).listings
    return listings, load_corpus(), load_model(), SellerProfile(name="t")


def test_jobs_give_the_rows_of_one_process(loaded):
    listings, corpus, model, profile = loaded
    one_m, one_r = score_in_batches(listings, corpus, model, profile, rows=6)
    assert {"high", "low"} <= set(one_r["risk_level"])
    for jobs in (2, 3):
        got_m, got_r = scoring.score_in_batches(listings, corpus, model, profile, rows=6, jobs=jobs)
        pd.testing.assert_frame_equal(got_r, one_r)
        pd.testing.assert_frame_equal(got_m, one_m)
    assert forked._TASK is None  # the parent does not keep the workers' function


def test_a_dead_worker_is_one_clear_error(loaded, monkeypatch):
    listings, corpus, model, profile = loaded
    monkeypatch.setattr(scoring, "score_listings", lambda *a, **k: os._exit(9))  # as the OOM killer would
    with pytest.raises(ScannerError, match=r"a scoring process stopped abruptly at item 1 of 7 .*--jobs 1"):
        scoring.score_in_batches(listings, corpus, model, profile, rows=6, jobs=2)


def test_a_batch_error_reaches_the_parent(loaded, monkeypatch):
    listings, corpus, model, profile = loaded

    def fail(part, *args, **kwargs):
        raise ScannerError("bad corpus row", path="marks.csv", row=3)

    monkeypatch.setattr(scoring, "score_listings", fail)
    with pytest.raises(ScannerError, match=r"marks.csv.*row 3.*bad corpus row"):
        scoring.score_in_batches(listings, corpus, model, profile, rows=6, jobs=2)


def test_default_jobs(monkeypatch):
    monkeypatch.setattr(forked, "usable_cpus", lambda: 8)
    monkeypatch.setattr(forked, "_memory_bytes", lambda: 64 * 1024**3)
    assert forked.default_jobs(100) == forked.MAX_AUTO_JOBS == 4
    assert forked.default_jobs(3) == 3  # no idle process
    monkeypatch.setattr(forked, "_memory_bytes", lambda: 7 * 1024**3)
    assert forked.default_jobs(100) == 2  # 3 GiB a job
    monkeypatch.setattr(forked, "_memory_bytes", lambda: 1024**3)
    assert forked.default_jobs(100) == 1
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    monkeypatch.setattr(forked, "_memory_bytes", lambda: 64 * 1024**3)
    assert forked.default_jobs(100) == 1


def test_scan_command_jobs(tmp_path):
    path = _listings_file(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(out / "r.xlsx"), "--csv", str(out / "r.csv"),
                                       "--json", str(out / "r.jsonl"), "--no-history", "--partition-rows", "9",
                                       "--jobs", jobs])
        assert res.exit_code == 0, res.output
        assert ("5 batches of up to 9 listings in 2 processes" in res.output) == (jobs == "2")
        outputs.append(((out / "r.csv").read_bytes(), (out / "r.jsonl").read_bytes()))
    assert outputs[0][0].count(b"\n") == 41
    assert outputs[0] == outputs[1]
    res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / "x.xlsx"), "--jobs", "2",
                                   "--workers", "2"])
    assert res.exit_code != 0 and "give one of them" in res.output


def test_csv_and_json_written_alongside_the_report(tmp_path, monkeypatch):
    from scanner import pipeline

    monkeypatch.setattr(pipeline, "BACKGROUND_ROWS", 10)  # 40 listings: a "large" scan
    path = _listings_file(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(out / "r.xlsx"), "--csv", str(out / "r.csv"),
                                       "--json", str(out / "r.jsonl"), "--no-history", "--jobs", jobs])
        assert res.exit_code == 0, res.output
        outputs.append(((out / "r.csv").read_bytes(), (out / "r.jsonl").read_bytes(), (out / "r.xlsx").is_file()))
    assert outputs[0][0].count(b"\n") == 41 and outputs[0][2]
    assert outputs[0] == outputs[1]


def _writer_fails(monkeypatch, writer: str, message: str) -> None:
    """A scan of 40 listings counts as large (CSV / JSON lines alongside the workbook); ``writer`` of
    :mod:`scanner.report` raises ``message`` about the path it was given."""
    from scanner import pipeline, report

    def fail(result, path, **kwargs):
        raise ScannerError(message, path=path)

    monkeypatch.setattr(pipeline, "BACKGROUND_ROWS", 10)
    monkeypatch.setattr(report, writer, fail)


def test_an_error_writing_the_csv_alongside_is_one_line(tmp_path, monkeypatch):
    _writer_fails(monkeypatch, "write_csv", "cannot write: No space left on device")
    path = _listings_file(tmp_path)
    res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / "r.xlsx"), "--csv",
                                   str(tmp_path / "r.csv"), "--no-history", "--jobs", "2"])
    assert res.exit_code == 1
    assert "r.csv: cannot write: No space left on device" in res.output and "Traceback" not in res.output


def test_a_failed_workbook_leaves_the_last_csv_and_no_partial_files(tmp_path, monkeypatch):
    _writer_fails(monkeypatch, "write_excel", "cannot write the report: Permission denied (is it open in Excel?)")
    path = _listings_file(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.csv").write_text("last week's results\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(out / "r.xlsx"), "--csv", str(out / "r.csv"),
                                   "--json", str(out / "r.jsonl"), "--no-history", "--jobs", "2"])
    assert res.exit_code == 1 and "is it open in Excel?" in res.output
    assert (out / "r.csv").read_text(encoding="utf-8") == "last week's results\n"
    assert sorted(p.name for p in out.iterdir()) == ["r.csv"]  # no JSON lines, no partial file


def test_a_failed_csv_alongside_the_workbook_leaves_last_weeks_workbook_too(tmp_path, monkeypatch):
    # a large scan writes the CSV in a second process while this one writes the workbook: the new workbook is
    # moved into place only once the CSV is written too
    _writer_fails(monkeypatch, "write_csv", "cannot write: No space left on device")
    path = _listings_file(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.xlsx").write_bytes(b"last week's workbook")
    (out / "r.csv").write_text("last week's results\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(out / "r.xlsx"), "--csv", str(out / "r.csv"),
                                   "--no-history", "--jobs", "2"])
    assert res.exit_code == 1 and "r.csv: cannot write: No space left on device" in res.output
    assert (out / "r.xlsx").read_bytes() == b"last week's workbook"
    assert (out / "r.csv").read_text(encoding="utf-8") == "last week's results\n"
    assert sorted(p.name for p in out.iterdir()) == ["r.csv", "r.xlsx"]  # no partial file left


@pytest.mark.parametrize("rows", [10, 10**9])  # a large scan (CSV alongside the workbook) and a small one
def test_outputs_keep_the_permissions_of_the_files_they_replace(tmp_path, monkeypatch, rows):
    from scanner import pipeline

    monkeypatch.setattr(pipeline, "BACKGROUND_ROWS", rows)
    path = _listings_file(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for name, mode in (("r.xlsx", 0o640), ("r.csv", 0o600), ("r.jsonl", 0o604)):
        (out / name).write_text("old", encoding="utf-8")
        (out / name).chmod(mode)
    res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(out / "r.xlsx"), "--csv", str(out / "r.csv"),
                                   "--json", str(out / "r.jsonl"), "--no-history", "--jobs", "2"])
    assert res.exit_code == 0, res.output
    modes = {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()}
    assert modes == {"r.xlsx": 0o640, "r.csv": 0o600, "r.jsonl": 0o604}
    assert (out / "r.csv").read_text(encoding="utf-8").count("\n") == 41


def test_an_output_that_cannot_be_moved_into_place_is_one_line(tmp_path, monkeypatch):
    # Windows refuses to replace a workbook open in Excel: the last move is one line naming the file
    from scanner import pipeline

    part = tmp_path / ".r.xlsx.partial-1"
    part.write_bytes(b"new")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pipeline.os, "replace", refuse)
    with pytest.raises(ScannerError) as err:
        pipeline._move_into_place(part, tmp_path / "r.xlsx")
    assert str(err.value) == f"{tmp_path / 'r.xlsx'}: cannot write: Permission denied (is it open in Excel?)"


def _copy_of_the_shipped_model(folder):
    import shutil

    from scanner.resources import default_model_dir

    return shutil.copytree(default_model_dir(), folder / "model")


def _edit(bundle, **changes):
    import json

    meta = json.loads((bundle / "metadata.json").read_text())
    meta.update(changes)
    (bundle / "metadata.json").write_text(json.dumps(meta))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_model_bundle_fails_before_any_listing_is_read(tmp_path, jobs):
    """The estimator loads in a second process meanwhile, but the bundle's error still comes before the
    listings' (the listing file here is unreadable)."""
    bundle = _copy_of_the_shipped_model(tmp_path)
    _edit(bundle, feature_names=["an_old_feature"])
    listings = tmp_path / "All+Listings+Report.txt"
    listings.write_bytes(b"\x00\x01\x02 not a listing report \xff" * 50)
    res = CliRunner().invoke(cli, ["scan", str(listings), "--out", str(tmp_path / "r.xlsx"), "--model", str(bundle),
                                   "--no-history", "-q", "--jobs", jobs])
    assert res.exit_code == 1, res.output
    assert "an_old_feature" in res.output and "retrain" in res.output and str(listings) not in res.output
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_estimator_that_cannot_be_loaded_stops_the_scan_with_one_line(tmp_path, jobs):
    """What only reading the estimator finds (here a type scanner does not trust) comes from the loading
    process as the same one-line error as in one process."""
    from fractions import Fraction

    import skops.io as sio

    from scanner.model.bundle import _sha256

    bundle = _copy_of_the_shipped_model(tmp_path)
    sio.dump(Fraction(1, 3), bundle / "model.skops")
    _edit(bundle, estimator_sha256=_sha256(bundle / "model.skops"))
    res = CliRunner().invoke(cli, ["scan", str(_listings_file(tmp_path)), "--out", str(tmp_path / "r.xlsx"),
                                   "--model", str(bundle), "--no-history", "-q", "--jobs", jobs])
    assert res.exit_code == 1, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "fractions.Fraction" in lines[0] and "Traceback" not in res.output
    assert not (tmp_path / "r.xlsx").exists()


def test_the_model_loads_in_a_second_process_while_the_corpus_loads(tmp_path, monkeypatch):
    """With two jobs the estimator is read by another process (its pid recorded), with one by this one;
    both scans give the same rows."""
    from scanner import pipeline

    pids = tmp_path / "pids"
    real = pipeline.load_model

    def recording(path=None):
        with open(pids, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(path)

    monkeypatch.setattr(pipeline, "load_model", recording)
    path = _listings_file(tmp_path)
    for jobs in ("1", "2"):
        res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(tmp_path / f"r{jobs}.xlsx"), "--csv",
                                       str(tmp_path / f"r{jobs}.csv"), "--no-history", "-q", "--jobs", jobs])
        assert res.exit_code == 0, res.output
    one, two = (int(p) for p in pids.read_text().split())
    assert one == os.getpid() and two != os.getpid()
    assert (tmp_path / "r1.csv").read_bytes() == (tmp_path / "r2.csv").read_bytes()
