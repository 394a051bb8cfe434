"""A scan loads its corpus without the goods and services texts (``GOODS_TEXT_COLUMNS``), which no stage
reads and which are most of a real register's bytes: the same matches, results and content hash as with
them, whichever way the corpus comes (trademark CSV, compiled folder, the Dask worker's load)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from scanner import pipeline
from scanner.config import ScanConfig, SellerProfile
from scanner.corpus import GOODS_TEXT_COLUMNS, compile_corpus, load_corpus
from scanner.listings import read_listings
from scanner.model import load_model
from scanner.resources import starter_corpus_path
from scanner.scoring import score_listings
from tests.test_scoring_batches import _listings_file

#: Statements of the kind the USPTO register holds, naming the goods the test listings sell.
STATEMENTS = (
    "Clothing, namely, shirts, t-shirts and running shoes; footwear; athletic apparel",
    "Protective cases for mobile phones; phone covers; screen protectors for smartphones",
    "Insulated tumblers, drinking vessels and coffee mugs of stainless steel",
    "Cameras; camera batteries and battery chargers; digital photo printers",
    "Perfume, eau de toilette, perfume oils; toothbrushes; costumes for use in role playing games",
)


@pytest.fixture(scope="module")
def goods_csv(tmp_path_factory):
    """The starter corpus as a trademark CSV with a goods and services text on every mark."""
    path = tmp_path_factory.mktemp("corpus") / "marks-with-goods.csv"
    with open(starter_corpus_path(), newline="", encoding="utf-8") as src:
        rows = list(csv.DictReader(src))
    fields = [*rows[0].keys(), "goods_services"]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({**row, "goods_services": f"{STATEMENTS[i % len(STATEMENTS)]} ({i})"})
    return path


def _same_except_goods(full, skipped):
    assert full.marks["goods_services"].str.len().min() > 0  # the texts were there to skip
    assert (skipped.marks["goods_services"] == "").all()
    assert list(skipped.marks.columns) == list(full.marks.columns)
    others = [c for c in full.marks.columns if c not in GOODS_TEXT_COLUMNS]
    pd.testing.assert_frame_equal(skipped.marks[others], full.marks[others])
    assert skipped.content_hash == full.content_hash


def test_a_csv_corpus_loads_without_the_goods_texts(goods_csv):
    _same_except_goods(load_corpus(goods_csv), load_corpus(goods_csv, skip=GOODS_TEXT_COLUMNS))


def test_a_compiled_corpus_loads_without_the_goods_texts(goods_csv, tmp_path):
    folder = tmp_path / "corpus"
    compile_corpus([goods_csv], folder)
    _same_except_goods(load_corpus(folder), load_corpus(folder, skip=GOODS_TEXT_COLUMNS))


def test_no_stage_reads_the_goods_texts(goods_csv, tmp_path):
    listings = read_listings([_listings_file(tmp_path)]).listings
    model, profile = load_model(), SellerProfile(name="t")
    full_m, full_r = score_listings(listings, load_corpus(goods_csv), model, profile)
    skip_m, skip_r = score_listings(listings, load_corpus(goods_csv, skip=GOODS_TEXT_COLUMNS), model, profile)
    assert len(full_m) > 0 and {"high", "low"} <= set(full_r["risk_level"])
    pd.testing.assert_frame_equal(skip_m, full_m)
    pd.testing.assert_frame_equal(skip_r, full_r)


def test_the_scan_holds_no_goods_texts(goods_csv, tmp_path, monkeypatch):
    loaded = []

    def spy(*args, **kwargs):
        corpus = load_corpus(*args, **kwargs)
        loaded.append(corpus)
        return corpus

    monkeypatch.setattr(pipeline, "load_corpus", spy)
    config = ScanConfig(listings=[_listings_file(tmp_path)], corpus=goods_csv, use_history=False, quiet=True,
                        jobs=1)
    result = pipeline.scan(config)
    assert len(loaded) == 1 and (loaded[0].marks["goods_services"] == "").all()
    assert len(result.results) == 40
    full = pipeline.scan(config, corpus=load_corpus(goods_csv))
    pd.testing.assert_frame_equal(result.results, full.results)
    assert result.corpus_info["content_hash"] == full.corpus_info["content_hash"]


def test_a_uspto_zip_compiled_for_the_scan_loads_without_the_goods_texts():
    """`scanner scan --corpus apcYYMMDD.zip` compiles the daily file on the fly, then loads it as a folder."""
    from pathlib import Path

    daily = Path(__file__).parent / "fixtures" / "uspto" / "apc250101.zip"
    _same_except_goods(load_corpus(daily), load_corpus(daily, skip=GOODS_TEXT_COLUMNS))
