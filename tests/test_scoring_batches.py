"""The single-process scan scores its listings in batches (``scanner.scoring.score_in_batches``,
``scanner scan --partition-rows``): any batch size gives the rows one call gives, and the command's outputs
do not depend on it."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from scanner.cli import cli
from scanner.config import SellerProfile
from scanner.corpus import load_corpus
from scanner.listings import read_listings
from scanner.model import load_model
from scanner.scoring import score_in_batches, score_listings
from tests.test_weekly import write_all_listings

TITLES = [
    "NIKE Running Shoes for Men, Black", "Phone Case for IPHONE 15, Clear", "YETI Tumbler 30 oz Stainless",
    "Plain Ceramic Coffee Mug 12 oz", "CANON Camera Battery Charger", "Apple Slicer Stainless Steel",
    "Replacement Band compatible with Apple Watch", "Inspired by Chanel No 5 Perfume Oil",
    "Garden Hose Nozzle 8 Patterns", "Disney Frozen Elsa Costume", "Bamboo Toothbrush 4 Pack",
    # one key, two records: "mac" is written as Apple's Mac, "M·A·C" is the representative (each match's other
    # records must not depend on which of them a batch holds first)
    "USB C Hub Adapter for mac, 7 in 1", "M·A·C Matte Lipstick Ruby Woo",
]


def _listings_file(folder):
    titles = {f"B{i:03d}": f"{TITLES[i % len(TITLES)]} {i}" for i in range(40)}
    return write_all_listings(folder / "All+Listings+Report.txt", titles)


def test_batches_give_the_rows_of_one_call(tmp_path):
    listings = read_listings([_listings_file(tmp_path)]).listings
    corpus, model, profile = load_corpus(), load_model(), SellerProfile(name="t")
    whole_m, whole_r = score_listings(listings, corpus, model, profile)
    assert {"high", "low"} <= set(whole_r["risk_level"])  # the merge has levels to order
    for rows in (1, 6, 39, 40, 1000):
        got_m, got_r = score_in_batches(listings, corpus, model, profile, rows=rows)
        pd.testing.assert_frame_equal(got_r, whole_r)
        pd.testing.assert_frame_equal(got_m, whole_m)


def test_scan_outputs_do_not_depend_on_the_batch_size(tmp_path):
    path = _listings_file(tmp_path)
    outputs = []
    for rows in ("7", "20000"):
        out = tmp_path / rows
        res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(out / "r.xlsx"), "--csv", str(out / "r.csv"), "--json", str(out / "r.jsonl"),
                                       "--no-history", "--partition-rows", rows, "--jobs", "1"])
        assert res.exit_code == 0, res.output
        assert ("listings 8 to 14 of 40" in res.output) == (rows == "7")
        outputs.append(((out / "r.csv").read_text(encoding="utf-8"), (out / "r.jsonl").read_text(encoding="utf-8")))
    assert outputs[0][0].count("\n") == 41
    assert outputs[0] == outputs[1]


def test_one_default_batch_size_by_the_corpus_size():
    from scanner.cli.scan import scan as scan_command
    from scanner.config import ScanConfig
    from scanner.distributed import DEFAULT_PARTITION_ROWS
    from scanner.scoring import BATCH_ROWS, LARGE_CORPUS_BATCH_ROWS, LARGE_CORPUS_MARKS, batch_rows

    option = next(p for p in scan_command.params if p.name == "partition_rows")
    assert option.default is None is ScanConfig(listings=[]).partition_rows  # None: batch_rows of the corpus
    assert batch_rows(len(load_corpus())) == BATCH_ROWS == DEFAULT_PARTITION_ROWS  # the starter corpus
    assert batch_rows(LARGE_CORPUS_MARKS - 1) == BATCH_ROWS
    assert batch_rows(LARGE_CORPUS_MARKS) == batch_rows(4_000_000) == LARGE_CORPUS_BATCH_ROWS < BATCH_ROWS
    assert f"{LARGE_CORPUS_BATCH_ROWS:,}" in option.help and f"{LARGE_CORPUS_MARKS:,}" in option.help


def test_a_large_corpus_is_scanned_in_smaller_batches(tmp_path, monkeypatch):
    """Without --partition-rows the batch size follows the corpus's size (here the starter corpus counts as
    large: the thresholds are lowered to fit a test)."""
    import scanner.scoring as scoring

    path = _listings_file(tmp_path)
    outputs = {}
    for large in (False, True):
        if large:
            monkeypatch.setattr(scoring, "LARGE_CORPUS_MARKS", 100)
            monkeypatch.setattr(scoring, "LARGE_CORPUS_BATCH_ROWS", 7)
        out = tmp_path / str(large)
        res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(out / "r.xlsx"), "--csv", str(out / "r.csv"),
                                       "--no-history", "--jobs", "1"])
        assert res.exit_code == 0, res.output
        assert ("listings 8 to 14 of 40" in res.output) == large
        outputs[large] = (out / "r.csv").read_text(encoding="utf-8")
    assert outputs[True] == outputs[False]


def test_kept_match_columns_are_the_full_tables_columns(tmp_path):
    from scanner.report import MATCH_COLUMNS_READ

    listings = read_listings([_listings_file(tmp_path)]).listings
    corpus, model, profile = load_corpus(), load_model(), SellerProfile(name="t", own_brands=("Yeti",))
    whole_m, whole_r = score_listings(listings, corpus, model, profile)
    assert whole_m["own"].any() and len(whole_m.columns) > len(MATCH_COLUMNS_READ)
    want = whole_m[[c for c in whole_m.columns if c in MATCH_COLUMNS_READ]]
    assert len(want.columns) >= len(MATCH_COLUMNS_READ) - 1  # all but "fitment", read when a table has it
    # one call, batches in this process, batches in forked processes: the same kept columns, same results
    for rows, jobs in ((1000, 1), (7, 1), (7, 2)):
        got_m, got_r = score_in_batches(listings, corpus, model, profile, rows=rows, jobs=jobs,
                                        match_columns=MATCH_COLUMNS_READ)
        pd.testing.assert_frame_equal(got_m, want)
        pd.testing.assert_frame_equal(got_r, whole_r)


def test_the_report_reads_only_the_kept_match_columns(tmp_path):
    """The workbook of a scan whose matches keep only MATCH_COLUMNS_READ (as ``scanner scan`` keeps them) is
    the workbook of the full matches, cell for cell: the report reads no other column."""
    from dataclasses import replace

    from openpyxl import load_workbook

    from scanner.config import ScanConfig
    from scanner.pipeline import scan
    from scanner.report import MATCH_COLUMNS_READ, write_excel
    from scanner.scoring import keep_columns

    titles = {f"B{i:03d}": f"{TITLES[i % len(TITLES)]} {i}" for i in range(40)}
    titles.update({"F1": "Fits Canon EOS R5 Battery Grip, Replacement", "F2": "Nike Air Max Replica Shoes",
                   # the seller's own mark beside a third party's: the own match must stay out of the evidence
                   "O1": "YETI Rambler Tumbler with Nike Logo Straw Lid", "O2": "Yeti Cooler Bag, Adidas Edition"})
    path = write_all_listings(tmp_path / "All+Listings+Report.txt", titles)
    full = scan(ScanConfig(listings=[path], profile=SellerProfile(name="t", own_brands=("Yeti",)), use_history=False))
    trimmed = replace(full, matches=keep_columns(full.matches, MATCH_COLUMNS_READ))
    assert len(trimmed.matches.columns) < len(full.matches.columns)
    sheets = []
    for name, result in (("full", full), ("trimmed", trimmed)):
        write_excel(result, tmp_path / f"{name}.xlsx", jobs=1)
        wb = load_workbook(tmp_path / f"{name}.xlsx")
        sheets.append({ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets})
    assert sheets[0] == sheets[1]
    evidence = [row for row in sheets[0]["High risk"] + sheets[0]["Review"] if any(row)]
    assert len(evidence) > 5  # there is evidence to compare
    own = set(full.matches.loc[full.matches["own"].astype(bool), "listing"])
    assert own & set(full.results.index[full.results["risk_level"] != "low"])  # an own match in a risky listing


def test_the_scan_command_keeps_only_the_match_columns_its_report_reads(tmp_path, monkeypatch):
    import scanner.pipeline as pipeline
    from scanner.report import MATCH_COLUMNS_READ

    seen = {}
    real = pipeline.scan

    def spy(config, **kw):
        seen["result"] = result = real(config, **kw)
        return result

    monkeypatch.setattr(pipeline, "scan", spy)
    res = CliRunner().invoke(cli, ["scan", str(_listings_file(tmp_path)), "--out", str(tmp_path / "r.xlsx"),
                                   "--no-history", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    kept = set(seen["result"].matches.columns)
    assert kept <= set(MATCH_COLUMNS_READ) and {"listing", "mark_id", "own", "authorized"} <= kept


def test_batches_without_any_match_keep_the_tables_columns(tmp_path):
    from scanner.report import MATCH_COLUMNS_READ

    titles = {f"P{i:03d}": f"Plain ceramic coffee mug {i} oz" for i in range(12)}
    listings = read_listings([write_all_listings(tmp_path / "All+Listings+Report.txt", titles)]).listings
    corpus, model, profile = load_corpus(), load_model(), SellerProfile(name="t")
    whole_m, whole_r = score_listings(listings, corpus, model, profile)
    assert whole_m.empty
    for columns in (None, MATCH_COLUMNS_READ):
        got_m, got_r = score_in_batches(listings, corpus, model, profile, rows=5, match_columns=columns)
        pd.testing.assert_frame_equal(got_r, whole_r)
        want = whole_m if columns is None else whole_m[[c for c in whole_m.columns if c in columns]]
        pd.testing.assert_frame_equal(got_m.reset_index(drop=True), want.reset_index(drop=True))
