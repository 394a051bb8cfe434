"""Dictionary words vs coined names (scanner.dictionary), and its use by the typo filter."""

from __future__ import annotations

import pandas as pd
import pytest

from scanner.dictionary import is_dictionary_phrase, is_dictionary_word


@pytest.mark.parametrize("word", ["shark", "Swatch", "FOSSIL", "tide", "galaxy", "ring", "dove", "coach",
                                  "rings", "batteries", "boxes", "frozen", "woven", "folded", "running",
                                  "stopped", "universal", "premium"])
def test_ordinary_words_and_their_inflections_are_dictionary_words(word):
    assert is_dictionary_word(word)


@pytest.mark.parametrize("word", ["nike", "sony", "lenovo", "dyson", "camry", "samsung", "gucci", "adidas",
                                  "", "x", "pg30", "café", "ipad2"])
def test_coined_names_proper_names_and_non_words_are_not(word):
    assert not is_dictionary_word(word)


def test_a_mark_is_a_dictionary_word_only_as_one_ordinary_word():
    assert is_dictionary_phrase(["swatch"]) and is_dictionary_phrase(["azul"])
    # a combination of ordinary words is a name ("Post-it", "The Print Shop")
    assert not is_dictionary_phrase(["post", "it"]) and not is_dictionary_phrase(["the", "print", "shop"])
    assert not is_dictionary_phrase(["lenovo"])
    assert not is_dictionary_phrase([])


def test_typo_filter_drops_a_listing_word_that_is_a_dictionary_word():
    from scanner.config import SellerProfile
    from scanner.corpus import Corpus
    from scanner.corpus.schema import MARK_COLUMNS
    from scanner.listings.schema import CANONICAL_COLUMNS
    from scanner.match import find_matches

    marks = pd.DataFrame([{"mark": "SISER", "owner": "siser", "kind": "brand", "nice_classes": "16",
                           "status": "live"},
                          {"mark": "NORVIKA", "owner": "norvika", "kind": "brand", "nice_classes": "9",
                           "status": "live"}])
    for col in MARK_COLUMNS:
        if col not in marks.columns:
            marks[col] = ""
    corpus = Corpus(marks=marks[list(MARK_COLUMNS)].fillna("").astype(str), info={"name": "test"})
    recs = []
    for i, title in enumerate(["Ring Sizer Tool Finger Gauge", "Norvikka wireless speaker"]):
        rec = {c: "" for c in CANONICAL_COLUMNS}
        rec.update(sku=f"S{i}", title=title, source_row=i + 2)
        recs.append(rec)
    found = find_matches(pd.DataFrame(recs), corpus, SellerProfile())
    # "sizer" is a word ("a sizer"), so not a misspelt SISER; "Norvikka" is no word: a typo of NORVIKA
    assert set(found["mark"]) == {"NORVIKA"}
    assert found.iloc[0]["method"] in ("typo", "phonetic")


def test_ordinary_words_of_other_shop_languages_count_names_do_not():
    from scanner.dictionary import is_local_word

    for word in ("azul", "casa", "gato", "negro", "playa"):
        assert is_local_word(word), word
    for word in ("nike", "samsung", "adidas", "lego", "philips", "az"):
        assert not is_local_word(word), word
    assert is_dictionary_phrase(["casa"]) and not is_dictionary_phrase(["samsung"])
