"""Marks without a kind take the starter corpus's kind of the same mark on the same goods
(:mod:`scanner.known_kinds`): the reference read from a trademark CSV, the goods rule, the corpus a scan gets
(its own kinds, content hash and index untouched), and what the scan then reads and scores."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from scanner import pipeline
from scanner.config import ScanConfig, SellerProfile
from scanner.corpus import Corpus
from scanner.corpus.known_kinds import (
    Reference,
    known_kind,
    read_reference,
    starter_reference,
    with_known_kinds,
)
from scanner.corpus.schema import KNOWN_KIND, MARK_COLUMNS
from scanner.distributed import ScanTask, _load_state
from scanner.features import match_table
from scanner.listings import read_listings
from scanner.match import find_matches, prepare_index
from scanner.model import load_model
from scanner.resources import starter_corpus_path
from scanner.scoring import score_listings
from tests.test_scoring_batches import _listings_file

REFERENCE_ROWS = [
    {"mark": "Canon", "owner": "Canon Inc.", "nice_classes": "2;9;16", "kind": "brand", "aliases": "キヤノン"},
    {"mark": "Forerunner", "owner": "Garmin Ltd.", "nice_classes": "9;14", "kind": "product_line"},
    {"mark": "MAC", "owner": "Apple Inc.", "nice_classes": "9", "kind": "product_line"},
    {"mark": "M·A·C", "owner": "Make-Up Art Cosmetics Inc.", "nice_classes": "3", "kind": "brand"},
    {"mark": "Champion", "owner": "Hanesbrands Inc.", "nice_classes": "25", "kind": "brand"},
    {"mark": "Tissot", "owner": "Tissot SA", "nice_classes": "", "kind": "brand"},
    {"mark": "Pokémon", "owner": "Nintendo Co., Ltd.", "nice_classes": "9;28", "kind": "franchise"},
    {"mark": "Port", "owner": "", "nice_classes": "9", "kind": "word"},  # never given: no mark made a word
    {"mark": "Null", "owner": "", "nice_classes": "9", "kind": ""},
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(MARK_COLUMNS[:10]))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in MARK_COLUMNS[:10]})
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return read_reference(write_csv(tmp_path_factory.mktemp("ref") / "ref.csv", REFERENCE_ROWS))


def corpus_of(rows) -> Corpus:
    df = pd.DataFrame([{c: r.get(c, "") for c in MARK_COLUMNS} for r in rows], columns=list(MARK_COLUMNS))
    return Corpus(marks=df.astype(str), info={"name": "register"})


REGISTER = [  # as an office's import gives them: no kinds
    {"mark": "CANON", "owner": "CANON KABUSHIKI KAISHA", "nice_classes": "9"},
    {"mark": "CANON", "owner": "Canon Valley Farms LLC", "nice_classes": "31"},  # other goods: left alone
    {"mark": "キヤノン", "owner": "キヤノン株式会社", "nice_classes": "16"},  # the starter mark's alias
    {"mark": "FORERUNNER", "owner": "Garmin Switzerland GmbH", "nice_classes": ""},  # no classes: taken
    {"mark": "MAC", "owner": "Apple Inc.", "nice_classes": "9;42"},
    {"mark": "MAC", "owner": "MAC Cosmetics LLC", "nice_classes": "3"},
    {"mark": "TISSOT", "owner": "Tissot SA", "nice_classes": "14"},  # the reference has no classes: taken
    {"mark": "POKEMON", "owner": "Nintendo of America Inc.", "nice_classes": "28"},  # the key, no accent
    {"mark": "POKÉMON", "owner": "Nintendo Co., Ltd.", "nice_classes": "9"},  # as the reference writes it
    {"mark": "CHAMPION", "owner": "Hanesbrands Inc.", "nice_classes": "25", "kind": "word"},  # its own kind
    {"mark": "PORT", "owner": "Port Ltd", "nice_classes": "9"},  # the reference's word is not given
    {"mark": "NULL", "owner": "Null Inc", "nice_classes": "9"},
    {"mark": "ZENTRIX", "owner": "Zentrix GmbH", "nice_classes": "9"},  # unknown to the reference
]


def test_the_reference_holds_each_form_of_a_mark_with_its_kind_and_classes(reference):
    kinds = reference.kinds
    assert kinds["canon"] == (("brand", frozenset({2, 9, 16})),)
    assert kinds["キヤノン"] == kinds["canon"]  # an alias is the mark
    assert kinds["forerunner"] == (("product_line", frozenset({9, 14})),)
    assert set(kinds["mac"]) == {("product_line", frozenset({9})), ("brand", frozenset({3}))}  # M·A·C too
    assert "port" not in kinds and "null" not in kinds  # word rows and rows without a kind: none
    # the quick forms the register's marks are first compared in: the keys, and each written form's
    # letters and digits lower-cased ("m·a·c" -> "mac", accents kept)
    assert {"canon", "キヤノン", "forerunner", "mac", "tissot", "pokemon", "pokémon"} <= reference.near
    assert "port" not in reference.near


def test_a_kind_is_given_only_where_the_goods_meet():
    pairs = (("product_line", frozenset({9})), ("brand", frozenset({3})))
    assert known_kind(frozenset({9, 42}), pairs) == "product_line"
    assert known_kind(frozenset({3}), pairs) == "brand"
    assert known_kind(frozenset({3, 9}), pairs) == "brand"  # both meet: the first kind in KINDS order
    assert known_kind(frozenset({31}), pairs) == ""
    assert known_kind(frozenset(), pairs) == "brand"  # no classes to compare: every reference mark fits
    assert known_kind(frozenset({31}), (("brand", frozenset()),)) == "brand"


def test_marks_without_a_kind_take_the_reference_kind_on_the_same_goods(reference):
    register = corpus_of(REGISTER)
    got = with_known_kinds(register, reference=reference)
    known = dict(zip(zip(got.marks["mark"], got.marks["owner"], strict=True), got.marks[KNOWN_KIND], strict=True))
    assert known == {
        ("CANON", "CANON KABUSHIKI KAISHA"): "brand", ("CANON", "Canon Valley Farms LLC"): "",
        ("キヤノン", "キヤノン株式会社"): "brand", ("FORERUNNER", "Garmin Switzerland GmbH"): "product_line",
        ("MAC", "Apple Inc."): "product_line", ("MAC", "MAC Cosmetics LLC"): "brand",
        ("TISSOT", "Tissot SA"): "brand", ("POKEMON", "Nintendo of America Inc."): "franchise",
        ("POKÉMON", "Nintendo Co., Ltd."): "franchise", ("CHAMPION", "Hanesbrands Inc."): "",
        ("PORT", "Port Ltd"): "", ("NULL", "Null Inc"): "", ("ZENTRIX", "Zentrix GmbH"): ""}
    assert got.info["known_kinds"] == 8
    # the corpus's own columns, content hash and match index are untouched
    pd.testing.assert_frame_equal(got.marks[list(MARK_COLUMNS)], register.marks)
    assert got.content_hash == register.content_hash and prepare_index(got) is prepare_index(register)


def test_nothing_to_do_gives_the_corpus_itself(reference):
    kinded = corpus_of([{**r, "kind": "brand"} for r in REGISTER])
    assert with_known_kinds(kinded, reference=reference) is kinded
    unknown = corpus_of([r for r in REGISTER if r["mark"] in ("NULL", "ZENTRIX")])
    assert with_known_kinds(unknown, reference=reference) is unknown
    nothing = Reference({}, frozenset())
    assert with_known_kinds(corpus_of(REGISTER), reference=nothing).marks.columns.tolist() == list(MARK_COLUMNS)


def test_the_shipped_starter_corpus_is_the_default_reference():
    ref = starter_reference().kinds
    assert ref["canon"][0][0] == "brand" and ref["forerunner"][0][0] == "product_line"
    assert not any(kind == "word" for pairs in ref.values() for kind, _ in pairs)
    got = with_known_kinds(corpus_of(REGISTER))
    assert got.marks.loc[got.marks["mark"] == "FORERUNNER", KNOWN_KIND].tolist() == ["product_line"]


def test_the_features_and_the_match_rows_read_the_known_kind(reference):
    listings = pd.DataFrame({"sku": ["a"], "title": ["Canon BG-E14 battery grip for EOS 70D"], "brand": [""]})
    profile = SellerProfile(name="t")
    bare = corpus_of(REGISTER)
    filled = with_known_kinds(bare, reference=reference)
    rows = {}
    for name, corpus in (("bare", bare), ("filled", filled)):
        matches = find_matches(listings, corpus, profile)
        canon = matches["mark_key"] == "canon"
        table = match_table(listings, matches, corpus, profile)
        rows[name] = (matches.loc[canon, "mark_kind"].tolist(), table.loc[table["mark_key"] == "canon"])
    assert rows["bare"][0] == [""] and rows["filled"][0] == ["brand"]
    assert rows["bare"][1]["m_kind_unknown"].tolist() == [1.0] and rows["bare"][1]["kind"].tolist() == [""]
    assert rows["filled"][1]["m_kind_brand"].tolist() == [1.0] and rows["filled"][1]["kind"].tolist() == ["brand"]


@pytest.fixture(scope="module")
def kindless_starter(tmp_path_factory):
    """The starter corpus as a register gives it: every kind blanked."""
    with open(starter_corpus_path(), newline="", encoding="utf-8") as fh:
        rows = [{**row, "kind": ""} for row in csv.DictReader(fh)]
    return write_csv(tmp_path_factory.mktemp("kindless") / "register.csv", rows)


def test_a_scan_of_a_kindless_register_reads_the_starter_kinds(kindless_starter, tmp_path):
    listings_file = _listings_file(tmp_path)
    config = ScanConfig(listings=[listings_file], corpus=kindless_starter, use_history=False, quiet=True, jobs=1)
    result = pipeline.scan(config)
    assert result.corpus_info["known_kinds"] > 15_000
    from scanner.report.summary import meta_rows

    assert dict(meta_rows(result))["corpus.known kinds"].replace(",", "") == str(result.corpus_info["known_kinds"])
    starter = pipeline.scan(ScanConfig(listings=[listings_file], use_history=False, quiet=True, jobs=1))
    # every starter mark gets its own kind back, bar keys several starter marks share with other kinds
    same = (result.matches["mark_kind"] == starter.matches["mark_kind"]).mean()
    assert same > 0.95 and (result.matches["mark_kind"] != "").all()
    pd.testing.assert_series_equal(result.results["risk_level"], starter.results["risk_level"])
    # scored without them (the library call on the corpus as loaded), the kindless register reads lower
    bare_m, bare_r = score_listings(read_listings([listings_file]).listings, pipeline.load_corpus(kindless_starter),
                                    load_model(), config.profile)
    assert (bare_m["mark_kind"] == "").all()
    assert bare_r["risk_score"].sum() < result.results["risk_score"].sum() - 1.0


def test_a_dask_worker_prepares_the_corpus_as_the_scan_does(kindless_starter):
    corpus = pipeline.load_corpus(kindless_starter)
    task = ScanTask(corpus=str(kindless_starter), corpus_hash=corpus.content_hash, model=None,
                    profile=SellerProfile(name="t"))
    worker_corpus, _ = _load_state(task)
    assert worker_corpus.info["known_kinds"] == with_known_kinds(corpus).info["known_kinds"]
    assert (worker_corpus.marks[KNOWN_KIND] != "").sum() == worker_corpus.info["known_kinds"]


def test_evaluate_scores_a_kindless_register_as_the_scan_does(kindless_starter, tmp_path):
    from scanner.model.evaluation import evaluate

    listings_file = _listings_file(tmp_path)
    scanned = pipeline.scan(ScanConfig(listings=[listings_file], corpus=kindless_starter, use_history=False,
                                       quiet=True, jobs=1)).results.set_index("sku")
    labels = tmp_path / "labels.csv"
    labels.write_text("sku,label\n" + "".join(f"{sku},{'high' if i % 2 else 'low'}\n"
                                              for i, sku in enumerate(scanned.index)), encoding="utf-8")
    got = evaluate(labels, [listings_file], corpus=kindless_starter).predictions.set_index("sku")
    assert len(got) == len(scanned) == 40
    pd.testing.assert_series_equal(got["risk_level"], scanned["risk_level"].reindex(got.index))
    assert got["risk_score"].round(4).tolist() == scanned["risk_score"].reindex(got.index).round(4).tolist()
