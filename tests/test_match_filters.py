"""The matcher's filters of matches that are not uses of a mark (scanner.match.doubtful / doubled)."""

from __future__ import annotations

import pandas as pd

from scanner.config import SellerProfile
from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.match import find_matches


def _corpus(rows) -> Corpus:
    marks = pd.DataFrame([{"mark": m, "owner": o, "kind": "brand", "nice_classes": c, "status": "live"}
                          for m, o, c in rows])
    for col in MARK_COLUMNS:
        if col not in marks.columns:
            marks[col] = ""
    return Corpus(marks=marks[list(MARK_COLUMNS)].fillna("").astype(str), info={"name": "test"})


def _found(titles, corpus, brands=None, **kw) -> pd.DataFrame:
    recs = []
    for i, title in enumerate(titles):
        rec = {c: "" for c in CANONICAL_COLUMNS}
        rec.update(sku=f"S{i}", title=title, brand=(brands or {}).get(i, ""), source_row=i + 2)
        recs.append(rec)
    return find_matches(pd.DataFrame(recs), corpus, SellerProfile(), **kw)


CORPUS = _corpus([("POLO", "ralph lauren", "25"), ("APPLE", "apple", "9"), ("IPAD", "apple", "9"),
                  ("TIC TAC", "ferrero", "30"), ("NIKE", "nike", "25"), ("KITH", "kith", "25"),
                  ("FLOORLINER", "macneil", "12"), ("AIRPODS", "apple", "9"), ("VELMORA", "velmora", "9")])


def test_a_mark_that_is_a_word_of_a_generic_product_name_is_not_a_use():
    titles = ["Mens Polo Shirt Classic Fit", "Polo by Ralph Lauren Crew Neck Tee", "Stainless Apple Corer",
              "Tic Tac Toe Wooden Yard Game", "iPad case with stand", "Tic Tac mints 200 pack"]
    found = _found(titles, CORPUS)
    by_listing = found.groupby("listing")["mark"].apply(set).to_dict()
    assert 0 not in by_listing and 2 not in by_listing and 3 not in by_listing   # generic names
    assert by_listing[1] == {"POLO"} and by_listing[4] == {"IPAD"} and by_listing[5] == {"TIC TAC"}
    # the switch keeps them, for measuring the filter
    assert 0 in set(_found(titles, CORPUS, drop_doubtful=False)["listing"])


def test_joined_matches_must_be_the_mark_written_apart_not_a_cut_code_or_a_goods_name():
    found = _found(["Xenon HID Conversion Kit H11 8000K", "Car Floor Liners All Weather", "Air Pods Pro Case"],
                   CORPUS)
    assert set(found["mark"]) == {"AIRPODS"}


def test_a_short_coined_mark_with_a_doubled_letter_is_a_typo_match():
    found = _found(["Nikee Air Running Shoes", "Velmmora wireless speaker"], CORPUS)
    nike = found[found["listing"] == 0]
    assert list(nike["mark"]) == ["NIKE"] and nike.iloc[0]["method"] == "typo"
    assert nike.iloc[0]["similarity"] > 80  # the inserted letter outranks a substitution into a longer key


def test_typo_matches_that_are_words_codes_or_other_languages_are_dropped():
    corpus = _corpus([("CAMRY", "toyota", "12"), ("AESOP", "aesop", "3"), ("SEETHER", "seether", "41"),
                      ("VELMORA", "velmora", "9")])
    found = _found(["Kamery samochodowe 4K", "he50p filter", "seethru case", "Velmorra speaker"], corpus)
    assert list(found["mark"]) == ["VELMORA"]
    assert len(_found(["Kamery samochodowe 4K", "he50p filter", "seethru case"], corpus,
                      drop_doubtful=False)) >= 2


def test_a_brand_written_twice_as_one_word_is_the_mark_but_not_a_doubled_ordinary_word():
    corpus = _corpus([("TISSOT", "tissot", "14"), ("HOUSE", "x", "20"), ("TOM", "tom", "9"),
                      ("NIKE", "nike", "25")])
    found = _found(["TissotTissot Swiss Made Wrist Watch", "tomtom gps", "househouse slippers", "nikenike shoes",
                    "Tissot-Tissot strap"], corpus)
    by_listing = found.groupby("listing")["mark"].apply(list).to_dict()
    assert by_listing[0] == ["TISSOT"] and found.iloc[0]["matched_text"] == "TissotTissot"
    assert found.iloc[0]["similarity"] == 100 and found.iloc[0]["method"] != "typo"
    assert 1 not in by_listing                     # "tom" is too short to be read twice over
    assert 2 not in by_listing                     # an ordinary word twice is no brand
    assert by_listing[3] == ["NIKE"]               # NIKE is 4 letters: the shortest half read
    assert by_listing[4] == ["TISSOT", "TISSOT"]   # written apart: two ordinary exact matches
