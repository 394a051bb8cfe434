"""The scan on a Dask cluster (scanner.distributed): a real LocalCluster of 2 worker processes gives the
same results and matches as the single-process scan, row for row; a corpus the workers cannot read is a
one-line error (exit 1)."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.config import ScanConfig, SellerProfile
from scanner.corpus import load_corpus
from scanner.distributed import local_copy, merge_results, partitions
from scanner.errors import CorpusError
from scanner.listings import read_listings
from scanner.model import load_model
from scanner.pipeline import scan, score_listings
from tests.test_weekly import write_all_listings

pytest.importorskip("dask.distributed")

TITLES = [
    "NIKE Running Shoes for Men, Black", "Phone Case for IPHONE 15, Clear", "YETI Tumbler 30 oz Stainless",
    "LEGO Building Bricks Set 500 Pieces", "Plain Ceramic Coffee Mug 12 oz", "CANON Camera Battery Charger",
    "STANLEY Thermos Bottle 1 L", "Replacement Band compatible with Apple Watch", "Pokemon Trading Card Sleeves",
    "Inspired by Chanel No 5 Perfume Oil", "Generic USB-C Cable 2 m", "Marvel Spider-Man Kids Backpack",
    "Garden Hose Nozzle 8 Patterns", "SAMSUNG Galaxy S24 Screen Protector", "Wooden Cutting Board Large",
    "Star Wars Darth Vader Mug", "Disney Frozen Elsa Costume", "Bamboo Toothbrush 4 Pack",
    # an ordinary word beside the evidence (a side match), and alone (a low listing's match)
    "Targus Universal Laptop Backpack for 15.6 inch Notebooks", "Universal Remote Control Replacement for Most TVs",
]


@pytest.fixture(scope="module")
def listings_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dask")
    titles = {f"S{i:03d}": f"{TITLES[i % len(TITLES)]} {'v' + str(i) if i >= len(TITLES) else ''}".strip()
              for i in range(60)}
    return write_all_listings(folder / "All+Listings+Report.txt", titles)


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=40) as lc:
        yield lc


def test_partitions_merge_like_one_table(listings_file):
    """Pure part (no cluster): scoring partitions and merging them equals scoring the whole."""
    listings = read_listings([listings_file]).listings
    corpus, model, profile = load_corpus(), load_model(), SellerProfile(name="t")
    whole_m, whole_r = score_listings(listings, corpus, model, profile)
    parts = [score_listings(p, corpus, model, profile) for p in partitions(listings, 7)]
    assert len(parts) == 9
    merged_m, merged_r = merge_results(parts)
    assert (whole_r["risk_level"] != "low").any()  # the comparison has risky rows to order
    pd.testing.assert_frame_equal(merged_r, whole_r)
    pd.testing.assert_frame_equal(merged_m, whole_m)


def test_local_copy_of_url_and_missing_path(tmp_path, monkeypatch):
    import fsspec

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    fs = fsspec.filesystem("memory")
    fs.pipe("/corp/corpus.json", b"{}")
    fs.pipe("/corp/marks.parquet", b"x")
    copy = local_copy("memory://corp")
    assert sorted(p.name for p in copy.iterdir()) == [".complete", "corpus.json", "marks.parquet"]
    assert str(copy).startswith(str(tmp_path))
    with pytest.raises(CorpusError, match="/no/such/corpus.*not readable on Dask worker host"):
        local_copy("/no/such/corpus")
    with pytest.raises(CorpusError, match="memory://missing"):
        local_copy("memory://missing")


@pytest.mark.slow
def test_cluster_scan_equals_single_process(cluster, listings_file, tmp_path):
    config = ScanConfig(listings=[listings_file], profile=SellerProfile(name="t"), use_history=False)
    single = scan(config)
    on_dask = scan(dataclasses.replace(config, scheduler=cluster.scheduler_address, partition_rows=7))
    assert len(single.results) == 60 and (single.results["risk_level"] == "high").any()
    pd.testing.assert_frame_equal(on_dask.results, single.results)
    pd.testing.assert_frame_equal(on_dask.matches, single.matches)
    # the workers send back only the report's matches when asked (as `scanner scan` asks)
    lean = dataclasses.replace(config, evidence_only=True, scheduler=cluster.scheduler_address, partition_rows=7)
    lean_dask = scan(lean)
    assert 0 < len(lean_dask.matches) < len(single.matches)
    pd.testing.assert_frame_equal(lean_dask.matches, scan(dataclasses.replace(lean, scheduler=None)).matches)
    pd.testing.assert_frame_equal(lean_dask.results, single.results)
    # each worker process scored some partitions with its own corpus and model
    from dask.distributed import Client

    with Client(cluster.scheduler_address) as client:
        loaded = client.run(lambda: len(__import__("scanner.distributed", fromlist=["_STATE"])._STATE))
    assert len(loaded) == 2 and all(n == 1 for n in loaded.values())


@pytest.mark.slow
def test_cluster_scan_of_a_kindless_register_takes_the_same_known_kinds(cluster, listings_file, tmp_path):
    """Each worker gives the marks without a kind the starter's kinds, as the single-process scan does."""
    import csv

    from scanner.resources import starter_corpus_path

    register = tmp_path / "register.csv"
    with open(starter_corpus_path(), newline="", encoding="utf-8") as src, \
            open(register, "w", newline="", encoding="utf-8") as out:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows({**row, "kind": ""} for row in reader)
    config = ScanConfig(listings=[listings_file], corpus=register, profile=SellerProfile(name="t"),
                        use_history=False)
    single = scan(config)
    on_dask = scan(dataclasses.replace(config, scheduler=cluster.scheduler_address, partition_rows=7))
    assert single.corpus_info["known_kinds"] > 15_000 and (single.matches["mark_kind"] == "brand").any()
    pd.testing.assert_frame_equal(on_dask.results, single.results)
    pd.testing.assert_frame_equal(on_dask.matches, single.matches)


@pytest.mark.slow
def test_worker_cannot_read_corpus_is_one_line_exit_1(cluster, listings_file, tmp_path):
    result = CliRunner().invoke(cli, [
        "scan", str(listings_file), "--out", str(tmp_path / "r.xlsx"), "--no-history",
        "--scheduler", cluster.scheduler_address, "--worker-corpus", "/mnt/not-mounted-here/corpus"])
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if "not-mounted" in ln]
    assert len(lines) == 1 and "not readable on Dask worker host" in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.slow
def test_cli_workers_2_writes_the_same_csv(listings_file, tmp_path):
    """``--workers 2`` starts its own LocalCluster of 2 processes; the CSV equals the single-process one."""
    base = ["scan", str(listings_file), "--no-history", "--no-csv-safe"]
    one = CliRunner().invoke(cli, [*base, "--out", str(tmp_path / "a.xlsx"), "--csv", str(tmp_path / "a.csv")])
    assert one.exit_code == 0, one.output
    two = CliRunner().invoke(cli, [*base, "--out", str(tmp_path / "b.xlsx"), "--csv", str(tmp_path / "b.csv"),
                                   "--workers", "2", "--partition-rows", "25"])
    assert two.exit_code == 0, two.output
    assert "3 partition(s)" in two.output
    a = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    b = pd.read_csv(tmp_path / "b.csv", dtype=str, keep_default_na=False)
    assert len(a) == 60
    pd.testing.assert_frame_equal(a, b)


def test_workers_and_scheduler_together_is_exit_1(listings_file, tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(listings_file), "--out", str(tmp_path / "r.xlsx"),
                                      "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "give one of them" in result.output


def _flaky(marker: str, how: str) -> int:
    """Fails the first time it runs (by raising, or by killing its worker process), then returns 42."""
    import os

    path = Path(marker)
    if not path.exists():
        path.write_text("x")
        if how == "die":
            os._exit(1)
        raise OSError("transient")
    return 42


def _bad_input(marker: str) -> int:
    """Counts its runs in ``marker``, then raises the error a bad input file gives."""
    from scanner.errors import InputError

    with open(marker, "a", encoding="utf-8") as fh:
        fh.write("run\n")
    raise InputError("not UTF-8 text at line 2", path="latin.csv")


@pytest.mark.slow
def test_a_bad_input_is_raised_at_once_not_retried(cluster, tmp_path):
    from dask.distributed import Client

    from scanner.distributed import run_tasks
    from scanner.errors import InputError
    from scanner.progress import Progress

    with Client(cluster.scheduler_address) as client, pytest.raises(InputError) as err:
        run_tasks(client, _bad_input, [(str(tmp_path / "runs"),)], progress=Progress(quiet=True), desc="t",
                  unit="task", retries=2)
    assert str(err.value) == "latin.csv: not UTF-8 text at line 2"
    assert (tmp_path / "runs").read_text(encoding="utf-8") == "run\n"  # once: no retry of the user's error


@pytest.mark.slow
def test_failed_task_and_dead_worker_are_retried(cluster, tmp_path):
    """Runs last in this file: it kills one worker process of the module's cluster (its nanny restarts it)."""
    from dask.distributed import Client

    from scanner.distributed import run_tasks
    from scanner.progress import Progress

    with Client(cluster.scheduler_address) as client:
        got = run_tasks(client, _flaky, [(str(tmp_path / "a"), "raise"), (str(tmp_path / "b"), "die")],
                        progress=Progress(quiet=True), desc="t", unit="task", retries=2)
    assert got == [42, 42]
    assert (tmp_path / "a").exists() and (tmp_path / "b").exists()
