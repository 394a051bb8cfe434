"""Weak labels from product titles, and the reproducible build of the default model (on generated sources)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from scanner.model.bundle import load_model
from training.build_default import build, main
from training.weak import Lexicon, build_lexicon, label_title, read_titles, weak_corpus, weak_sets

CASES = Path(__file__).resolve().parents[1] / "training" / "cases"
FAST = {"max_iter": 10, "cv": 3, "max_leaf_nodes": 7, "min_samples_leaf": 5}


def _lexicon() -> Lexicon:
    lex = Lexicon()
    lex.marks[("canon",)] = {"mark": "CANON", "owner": "canon", "kind": "brand", "brandness": 0.9}
    lex.marks[("universal",)] = {"mark": "UNIVERSAL", "owner": "universal", "kind": "brand", "brandness": 0.1}
    lex.marks[("broderbund",)] = {"mark": "BRODERBUND", "owner": "broderbund", "kind": "brand", "brandness": 0.2}
    lex.marks[("ipad",)] = {"mark": "IPAD", "owner": "apple", "kind": "product_line", "brandness": 1.0}
    lex.marks[("cable",)] = {"mark": "CABLE", "owner": "", "kind": "word", "brandness": 0.0}
    lex.words.add(("cable",))
    lex.marks[("sharp",)] = {"mark": "SHARP", "owner": "sharp", "kind": "brand", "brandness": 0.7}
    lex.marks[("windows",)] = {"mark": "WINDOWS", "owner": "microsoft", "kind": "product_line", "brandness": 1.0}
    return lex


@pytest.mark.parametrize("title,brand_field,record_brand,own,expected", [
    ("canon pg-30 black ink", "canon", "canon", {"canon"}, 0),          # the owner lists it
    ("canon pg-30 black ink", "Generic", "canon", set(), 2),            # a shop names the brand
    ("canon pg-30 black ink", "canon", "canon", {"hp"}, 2),             # declared by someone else
    ("acme ink for canon printers", "acme", "acme", {"acme"}, 1),       # compatibility cue
    ("acme canon compatible toner", "acme", "acme", {"acme"}, 1),
    ("acme universal remote", "acme", "acme", {"acme"}, 0),             # ordinary word (low brandness)
    ("acme disk utility by broderbund", "acme", "acme", {"acme"}, 2),   # rare word: a name, not ordinary
    ("replica canon lens cap", "Generic", "", set(), 2),                # counterfeit cue next to a brand
    ("replica cable set", "Generic", "", set(), 0),                     # ... but not next to a word mark
    ("acme ipad-209 case for apple ipad 2", "acme", "acme", {"acme"}, 1),  # model number + cue
    ("generic ipad 2 case", "", "", set(), 2),                          # device mark without a cue
    ("acme ipad 2 case", "acme", "acme", {"acme"}, 1),                  # own brand first, model number: fitment
    ("acme usb cable", "acme", "acme", {"acme"}, 0),
    ("acme disk backup 7.5 windows", "acme", "acme", {"acme"}, 1),      # platform tag
    ("windows 7 home premium", "Generic", "windows", set(), 2),         # the platform itself, sold
    ("acme quiet sharp pencil sharpener", "acme", "acme", {"acme"}, None),  # brand or word? abstain
    ("sharp aquos remote", "Generic", "sharp", set(), 2),               # ... but not for its own product
])
def test_label_title_follows_the_rubric(title, brand_field, record_brand, own, expected):
    assert label_title(title, brand_field, record_brand, frozenset(own), _lexicon()) == expected


def write_sources(folder: Path) -> Path:
    """Small title sources in the layouts of ../shared/data/titles (written here, not copied)."""
    folder.mkdir(parents=True, exist_ok=True)
    wa = []
    colors = ["black", "cyan", "magenta", "yellow", "red", "blue", "white", "green", "gray", "pink"]
    for i, color in enumerate(colors):
        wa.append(("walmart", i, "canon", "inkjet printer ink", f"pg-{30 + i}", "19.99",
                   f"canon pg-{30 + i} {color} ink cartridge"))
        wa.append(("amazon", 100 + i, "peerless", "mounts", f"st{i}", "99.0",
                   f"peerless universal wall mount st{i} {color} for flat panel screens"))
        wa.append(("amazon", 200 + i, "belkin", "cables", f"f{i}", "9.0",
                   f"belkin usb cable f{i} {color} 6 feet for canon cameras"))
    wa.append(("amazon", 300, "universal", "remotes", "ur1", "20.0", "universal ur1 remote control"))
    wa.append(("amazon", 301, "universal", "remotes", "ur2", "25.0", "universal ur2 remote control"))
    with open(folder / "Walmart-Amazon_records.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "record_id", "brand", "category", "modelno", "price", "title"])
        w.writerows(wa)
    with open(folder / "Amazon-Google_records.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "record_id", "manufacturer", "price", "title"])
        for i in range(8):
            w.writerow(["amazon", i, "acme software COL price VAL", "9.99", f"acme photo studio {i} win mac"])
    with open(folder / "wdc_titles.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["title_id", "category", "raw_title"])
        for i in range(10):
            w.writerow([i, "cameras" if i % 2 else "all",
                        f'"Zorblax Action Cam Z{i} Black"@en "Zorblax Z{i} | Shop"@en'])
    return folder


def test_read_titles_cleans_each_source(tmp_path):
    recs = read_titles(write_sources(tmp_path / "titles"))
    assert set(recs["source"]) == {"Walmart-Amazon", "Amazon-Google", "wdc"}
    acme = recs[recs["source"] == "Amazon-Google"]
    assert (acme["brand"] == "acme software").all()  # the "COL price VAL" junk is cut
    wdc = recs[recs["source"] == "wdc"]
    assert wdc["title"].iloc[0].startswith("Zorblax Action Cam") and '"' not in "".join(wdc["title"])
    assert set(wdc["category"]) <= {"", "cameras"}
    assert recs["title"].is_unique


def test_lexicon_brandness_and_word_marks(tmp_path):
    recs = read_titles(write_sources(tmp_path / "titles"))
    lex = build_lexicon(recs)
    assert lex.marks[("canon",)]["brandness"] > 0.5
    assert lex.marks[("universal",)]["brandness"] < 0.4  # mostly "universal wall mount" by peerless
    assert ("zorblax",) in lex.marks  # recurring first word of web-shop titles
    assert ("cartridge",) in lex.words and ("canon",) not in lex.words
    corpus = weak_corpus(lex, seed=0)
    assert len(corpus) == len(lex.marks) and set(corpus.marks["kind"]) <= {"", "brand", "word"}


def test_weak_sets_are_seeded_and_cover_each_record_at_most_once(tmp_path):
    recs = read_titles(write_sources(tmp_path / "titles"))
    lex = build_lexicon(recs)
    a = weak_sets(recs, lex, seed=1)
    b = weak_sets(recs, lex, seed=1)
    assert [s.name for s in a] == [s.name for s in b]
    assert [s.y.tolist() for s in a] == [s.y.tolist() for s in b]
    skus = [sku for s in a for sku in s.listings["sku"]]
    assert set(skus) <= set(recs["record"]) and len(set(skus)) == len(skus) > 0.8 * len(recs)
    shop = next(s for s in a if s.name == "weak_shop")
    assert (shop.listings["brand"] == "Generic").all() and not shop.profile.own_brands
    assert set().union(*(set(s.y) for s in a)) <= {0, 1, 2}


def test_build_default_on_generated_sources(tmp_path):
    titles = write_sources(tmp_path / "titles")
    out = build(tmp_path / "default", titles=titles, params=FAST)
    model = load_model(out)
    meta = json.loads((out / "metadata.json").read_text())
    recipe = meta["training_recipe"]
    assert recipe["devset_used"] is False and recipe["weak_labels"]["records"] > 30
    assert {d["name"] for d in meta["training_data"]} >= {"written_catalog", "written_shop", "weak_shop"}
    assert model.thresholds == meta["thresholds"]


def test_build_default_without_titles_uses_the_written_cases_only(tmp_path):
    out = build(tmp_path / "m", titles=tmp_path / "none", params=FAST)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["training_recipe"]["weak_labels"] is None
    assert {d["name"] for d in meta["training_data"]} == {"written_catalog", "written_intl", "written_shop", "written_small"}


def test_build_default_refuses_to_overwrite_before_training(tmp_path, capsys):
    out = tmp_path / "m"
    out.mkdir()
    (out / "metadata.json").write_text("{}")
    assert main(["--out", str(out), "--titles", str(tmp_path / "none")]) == 1
    assert "--force" in capsys.readouterr().err
    assert (out / "metadata.json").read_text() == "{}"


def test_old_build_command_is_a_shim_that_runs_the_training_build(tmp_path, capsys):
    from scanner.model import build_default as old

    out = tmp_path / "m"
    out.mkdir()
    (out / "metadata.json").write_text("{}")
    assert old.main(["--out", str(out), "--titles", str(tmp_path / "none")]) == 1  # same refusal as main()
    err = capsys.readouterr().err
    assert "deprecated; use python -m training.build_default" in err and "--force" in err


def test_training_code_is_not_in_the_runtime_package():
    import scanner.model

    root = Path(scanner.model.__file__).parent
    assert not (root / "weak.py").exists()
    shim = (root / "build_default.py").read_text()
    assert "def build(" not in shim and "from training.build_default import main" in shim


def test_written_cases_are_one_set_per_seller():
    from scanner.model.cases import CASES, written_sets

    sets = written_sets()
    sellers = sorted(p.stem.removeprefix("labels_") for p in CASES.glob("labels_*.csv"))
    assert [s.name for s in sets] == [f"written_{s}" for s in sellers] and len(sets) >= 4
    assert all(len(s.y) > 0 for s in sets)


def test_misspell_brand_makes_one_edit_the_matcher_still_finds():
    import numpy as np
    import pandas as pd
    from rapidfuzz.distance import OSA

    from scanner.corpus.schema import MARK_COLUMNS, Corpus
    from scanner.match import find_matches
    from training.weak import misspell_brand

    marks = pd.DataFrame([{c: "" for c in MARK_COLUMNS} | {"mark": "LOGITECH", "owner": "Logitech", "kind": "brand"}])
    corpus = Corpus(marks=marks, info={"name": "t"})
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(40):
        title = misspell_brand("Logitech M185 Wireless Mouse", "logitech", rng)
        word = title.split()[0]
        seen.add(word)
        assert title.endswith(" M185 Wireless Mouse")
        assert word != "Logitech" and OSA.distance(word.lower().replace("1", "i").replace("0", "o")
                                                   .replace("3", "e").replace("4", "a"), "logitech") <= 1
        listing = pd.DataFrame([{"sku": "s", "asin": "", "title": title, "brand": "", "bullets": "",
                                 "description": "", "keywords": "", "category": "", "marketplace": "US",
                                 "source_file": "t", "source_row": 1}])
        found = find_matches(listing, corpus)
        assert list(found["mark"]) == ["LOGITECH"], title
    assert len(seen) > 3  # several kinds of misspelling
    # ordinary words, short brands and absent brands are left alone
    assert misspell_brand("Apple slicer", "apple", rng) == "Apple slicer"
    assert misspell_brand("Sony TV", "sony", rng) == "Sony TV"
    assert misspell_brand("Mouse pad", "logitech", rng) == "Mouse pad"


def test_dictionary_word_brand_on_other_goods_is_the_ordinary_word():
    lex = Lexicon()
    lex.marks[("shark",)] = {"mark": "SHARK", "owner": "sharkninja", "kind": "brand", "brandness": 0.95,
                             "classes": frozenset({7, 11})}
    lex.marks[("zorvex",)] = {"mark": "ZORVEX", "owner": "zorvex", "kind": "brand", "brandness": 0.95,
                              "classes": frozenset({7})}
    plush = {28: 0.9}
    vacuum = {7: 0.9}
    assert label_title("shark plush pillow hammerhead", "Generic", "", frozenset(), lex, plush) == 0
    assert label_title("shark cordless vacuum", "Generic", "", frozenset(), lex, vacuum) == 2
    assert label_title("zorvex plush pillow", "Generic", "", frozenset(), lex, plush) == 2  # a name, not a word
    assert label_title("shark plush pillow", "Shark", "", frozenset(), lex, plush) == 0  # declared, other goods
    assert label_title("shark plush pillow", "Generic", "", frozenset(), lex, None) == 2  # goods unknown


@pytest.mark.slow
def test_train_with_cases_reads_the_written_cases_from_the_runtime_package(tmp_path):
    from click.testing import CliRunner

    from scanner.cli import cli
    from scanner.model.cases import CASES

    out = tmp_path / "m"
    result = CliRunner().invoke(cli, [
        "train", str(CASES / "labels_small.csv"), str(CASES / "listings_small.tsv"), "--corpus",
        str(CASES / "corpus.csv"), "--config", str(CASES / "seller_small.toml"), "--out", str(out), "--with-cases",
        "--max-iter", "5", "--folds", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    names = {d["name"] for d in json.loads((out / "metadata.json").read_text())["training_data"]}
    assert {"labels_small", "written_catalog", "written_intl", "written_shop", "written_small"} <= names
