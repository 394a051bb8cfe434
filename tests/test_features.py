"""Features: one function for training and scanning; per-feature meaning on hand-built matches."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scanner.config import ScanConfig, SellerProfile, load_profile
from scanner.corpus import Corpus, load_corpus
from scanner.corpus.schema import MARK_COLUMNS
from scanner.features import (
    FEATURE_DOCS,
    FEATURE_NAMES,
    build_features,
    english_excess,
    match_table,
    side_mask,
    side_matches,
    with_chosen_owners,
    word_zipf,
)
from scanner.goods import category_classes, parse_classes
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.match import MATCH_COLUMNS, find_matches
from scanner.match.cues import text_cues
from scanner.text import brand_key

CASES = Path(__file__).resolve().parents[1] / "training" / "cases"


def make_corpus(rows) -> Corpus:
    marks = pd.DataFrame([dict(zip(("mark", "owner", "kind", "nice_classes"), r, strict=False)) for r in rows])
    for col in MARK_COLUMNS:
        if col not in marks.columns:
            marks[col] = ""
    marks = marks[list(MARK_COLUMNS)].fillna("").astype(str)
    marks["status"] = "live"
    return Corpus(marks=marks, info={"name": "test"})


CORPUS = make_corpus([
    ("CANON", "canon", "brand", "9"),
    ("IPAD", "apple", "product_line", "9"),
    ("APPLE", "apple", "brand", "9"),
    ("UNIVERSAL", "", "word", ""),
    ("ACME", "acme", "brand", ""),
    ("GENERIC", "generic", "brand", ""),
    ("ROLEX", "rolex", "brand", "14"),
])


def make_listings(rows) -> pd.DataFrame:
    """rows: (brand, title[, category])."""
    recs = []
    for i, row in enumerate(rows):
        rec = {c: "" for c in CANONICAL_COLUMNS}
        rec.update(sku=f"S{i}", brand=row[0], title=row[1], category=row[2] if len(row) > 2 else "",
                   source_row=i + 2)
        recs.append(rec)
    return pd.DataFrame(recs)


def make_matches(listings: pd.DataFrame, corpus: Corpus, profile: SellerProfile):
    """Every whole-word occurrence of every mark in title and brand (what any matcher finds), with the cues
    of the project's one cue detector."""
    rows = []
    for label, rec in listings.iterrows():
        for fld in ("title", "brand"):
            text = rec[fld]
            hits = [(mark_id, m, hit) for mark_id, m in corpus.marks.iterrows()
                    for hit in re.finditer(r"\b" + re.escape(m["mark"]) + r"\b", text, flags=re.IGNORECASE)]
            found = text_cues(text, [(h.start(), h.end()) for _, _, h in hits])
            for (mark_id, m, hit), cue in zip(hits, found, strict=True):
                if True:
                    position = len(re.findall(r"\w+", text[: hit.start()]))
                    rows.append({
                        "listing": label, "field": fld, "start": hit.start(), "end": hit.end(),
                        "matched_text": hit.group(), "mark_id": mark_id, "mark": m["mark"],
                        "mark_key": brand_key(m["mark"]), "owner": m["owner"],
                        "method": "exact" if hit.group() == m["mark"] else "folded", "similarity": 100.0,
                        "position": position, "symbol": "", "nominative_cue": cue.nominative,
                        "counterfeit_cue": cue.counterfeit, "comparison_cue": cue.comparison,
                        "cue_side": cue.side, "cue_in_clause": cue.clause,
                        "own": profile.is_own(m["mark"]) or profile.is_own(m["owner"]),
                        "authorized": profile.is_authorized(m["mark"]),
                    })
    return pd.DataFrame(rows, columns=list(MATCH_COLUMNS))


def feats(rows, profile=None):
    profile = profile or SellerProfile(own_brands=("acme",))
    listings = make_listings(rows)
    matches = make_matches(listings, CORPUS, profile)
    return build_features(listings, matches, CORPUS, profile), match_table(listings, matches, CORPUS, profile)


def test_every_feature_is_documented_and_numeric():
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES)) == len(FEATURE_DOCS)
    assert all(FEATURE_DOCS[n].strip() for n in FEATURE_NAMES)
    f, _ = feats([("acme", "acme canon pg-30 ink"), ("acme", "nothing here"), ("", "")])
    assert list(f.columns) == list(FEATURE_NAMES)
    assert (f.dtypes == "float64").all()
    assert not f.isna().any().any()
    assert list(f.index) == [0, 1, 2]


def test_index_is_kept_for_non_range_index():
    listings = make_listings([("acme", "canon ink"), ("acme", "plain")]).set_axis([10, 20])
    profile = SellerProfile(own_brands=("acme",))
    f = build_features(listings, make_matches(listings, CORPUS, profile), CORPUS, profile)
    assert list(f.index) == [10, 20]
    assert f.loc[10, "n_third_party"] == 1 and f.loc[20, "n_third_party"] == 0


def test_no_matches_gives_zero_rows_not_nan():
    listings = make_listings([("acme", "plain text")])
    f = build_features(listings, make_matches(listings, CORPUS, SellerProfile()).iloc[0:0], CORPUS)
    assert f.loc[0, "s_present"] == 0 and f.loc[0, "n_third_party"] == 0 and f.loc[0, "min_mark_zipf"] == 8.0


def test_declared_brand_identity_and_own_brand():
    f, _ = feats([("canon", "canon pg-30 black ink"), ("acme", "acme ink for canon printers"),
                  ("acme", "acme only")])
    assert f.loc[0, "any_declared_brand"] == 1 and f.loc[0, "s_is_declared_brand"] == 1
    assert f.loc[0, "brand_is_own"] == 0 and f.loc[1, "brand_is_own"] == 1
    assert f.loc[1, "any_declared_brand"] == 0
    assert f.loc[1, "s_cue_before"] == 1 and f.loc[1, "s_own_before"] == 1 and f.loc[1, "all_nominative"] == 1
    assert f.loc[2, "n_third_party"] == 0 and f.loc[2, "n_own_matches"] == 2  # brand field + title


def test_a_missing_brand_is_no_brand():
    """A brand cell left missing (NaN, as a DataFrame built in a notebook holds it) reads as no brand, not
    as the brand of another listing (it once took the last distinct brand's key)."""
    profile = SellerProfile(own_brands=("acme",))
    listings = make_listings([("", "canon pg-30 black ink"), ("acme", "acme ink for canon printers")])
    matches = make_matches(listings, CORPUS, profile)
    listings["brand"] = pd.Series([np.nan, "acme"], index=listings.index, dtype="str")
    f = build_features(listings, matches, CORPUS, profile)
    assert f.loc[0, "brand_empty"] == 1 and f.loc[0, "brand_is_own"] == 0
    assert f.loc[1, "brand_empty"] == 0 and f.loc[1, "brand_is_own"] == 1

def test_first_three_words_and_counts():
    f, _ = feats([("acme", "canon eos camera with apple logo and ipad")])
    assert f.loc[0, "s_first3"] == 1 and f.loc[0, "any_title_first3_nocue"] == 1
    assert f.loc[0, "n_third_party"] == 3 and f.loc[0, "n_tp_owners"] == 2
    assert f.loc[0, "s_owner_matched_too"] == 0  # the strongest (canon) has no sibling mark
    _, table = feats([("acme", "apple ipad case")])
    assert table.set_index("mark")["m_owner_matched_too"].to_dict() == {"APPLE": 1.0, "IPAD": 1.0}


def test_cues_come_from_the_one_cue_detector():
    f, table = feats([("acme", "acme case for ipad 2"), ("acme", "acme ipad case"), ("acme", "canon compatible ink")])
    assert f.loc[0, "s_nominative_cue"] == 1 and f.loc[0, "n_nominative"] == 1 and f.loc[0, "n_identity"] == 0
    assert f.loc[1, "s_nominative_cue"] == 0 and f.loc[1, "s_cue_before"] == 0 and f.loc[1, "n_identity"] == 1
    assert f.loc[2, "s_cue_after"] == 1


def test_cue_elsewhere_for_same_owner_and_model_numbers():
    _, table = feats([("acme", "acme ipad-209 feather for apple ipad 2")])
    rows = table.sort_values("start")
    first_ipad = rows.iloc[0]
    assert first_ipad["mark"] == "IPAD" and first_ipad["m_in_model_number"] == 1
    assert first_ipad["m_owner_cued"] == 1  # the product code names what it fits: "for apple ipad 2"
    _, table = feats([("acme", "canon pg-245 black ink, works with canon pixma printers")])
    first = table.sort_values("start").iloc[0]
    assert first["m_position"] == 0 and first["m_owner_cued"] == 0  # the brand opening the title stays a use
    _, table = feats([("acme", "apple ipad 2 case"), ("acme", "new-apple ipad"), ("acme", "ipad-2 case")])
    by = table.set_index(["listing", "mark"])["m_in_model_number"]
    assert by[(0, "APPLE")] == 0 and by[(1, "APPLE")] == 0  # "new-" is a word, not a model number
    assert by[(2, "IPAD")] == 1


def test_counterfeit_cues_only_next_to_the_mark():
    f, _ = feats([("acme", "replica rolex watch"), ("acme", "rolex style watch"), ("acme", "rolex watch | replica box")])
    assert f.loc[0, "any_counterfeit"] == 1 and f.loc[0, "n_counterfeit"] == 1
    assert f.loc[1, "any_counterfeit"] == 1
    assert f.loc[2, "any_counterfeit"] == 0


def test_generic_brand_field_is_not_a_declared_brand():
    f, table = feats([("Generic", "Canon EOS camera"), ("acme", "generic charger")])
    assert f.loc[0, "brand_is_placeholder"] == 1
    assert not (table["field"] == "brand").any()  # "GENERIC" in the brand field is not a use
    assert f.loc[0, "any_declared_brand"] == 0
    assert f.loc[1, "n_third_party"] == 1  # in the title it is still a (weak) match


def test_features_do_not_read_casing_or_trivia_words():
    rows = [("acme", "Stainless Apple slicer with iPad stand"), ("acme", "STAINLESS APPLE SLICER WITH IPAD STAND"),
            ("acme", "NEW stainless apple slicer with ipad stand 2024"), ("acme", "hot sale Stainless-Apple slicer")]
    f, t = feats(rows)
    same = [c for c in FEATURE_NAMES if c != "n_tp_matches"]
    assert (f.loc[1, same] == f.loc[0, same]).all() and (f.loc[2, same] == f.loc[0, same]).all()
    apple = t[t["mark"] == "APPLE"].set_index("listing")
    assert apple.loc[3, "m_position"] == apple.loc[0, "m_position"] == 1 and apple.loc[3, "m_in_model_number"] == 0


def test_comparison_keywords_and_fitment():
    listings = make_listings([("acme", "yoga mat"), ("autopro", "autopro floor mats canon 2018-2023")])
    listings.loc[0, "keywords"] = "canon yoga mat alternative"
    profile = SellerProfile(own_brands=("acme",))
    rows = make_matches(listings, CORPUS, profile)
    kw = text_cues(listings.loc[0, "keywords"], [(0, 5)])[0]
    rows.loc[len(rows)] = {**rows.iloc[0].to_dict(), "listing": 0, "field": "keywords", "start": 0, "end": 5,
                           "matched_text": "canon", "mark_id": 0, "mark": "CANON", "mark_key": "canon",
                           "owner": "canon", "position": 0, "nominative_cue": kw.nominative,
                           "counterfeit_cue": kw.counterfeit, "comparison_cue": kw.comparison,
                           "cue_side": kw.side, "cue_in_clause": kw.clause, "own": False, "authorized": False}
    f = build_features(listings, rows, CORPUS, profile)
    assert kw.comparison == "alternative"
    assert f.loc[0, "any_comparison"] == 1 and f.loc[0, "any_keywords_only"] == 1
    assert f.loc[1, "s_other_brand_first"] == 1 and f.loc[1, "s_model_after"] == 1 and f.loc[1, "s_fitment"] == 1
    assert f.loc[1, "brand_declared_other"] == 1 and f.loc[1, "brand_unknown"] == 1


def test_unknown_leading_brand():
    f, _ = feats([("", "Zorbexa wooden train set"), ("", "Wooden train set"), ("Generic", "Zorbexa canon case")])
    assert f.loc[0, "lead_unknown"] == 1 and f.loc[1, "lead_unknown"] == 0 and f.loc[2, "lead_unknown"] == 1
    assert f.loc[0, "brand_unknown"] == 0
    f, _ = feats([("Sin marca", "Zorbexa tren de madera"), ("Без бренда", "Zorbexa деревянный поезд"),
                  ("Acme Trading", "wooden train set")], profile=SellerProfile(name="Acme Trading", own_brands=("acme",)))
    assert (f["brand_unknown"] == 0).all() and (f["brand_declared_other"] == 0).all()  # placeholders, store name
    assert f.loc[0, "lead_unknown"] == 1 and f.loc[0, "brand_is_placeholder"] == 1


def test_a_leading_word_that_lost_a_letter_is_not_an_unknown_brand():
    # "Zewnętrzna" saved through a code page without "ę": its first piece "Zewn" is no coined brand
    f, _ = feats([("", "Zewn?trzna kamera IP HD"), ("", "Zewn\ufffdtrzna kamera IP HD"), ("", "Zorbexa?Kamera IP HD"),
                  ("", "Zorbexa kamera IP HD")])
    assert f["lead_unknown"].tolist() == [0, 0, 1, 1]


def test_word_kind_and_specific_kinds():
    f, _ = feats([("acme", "acme universal remote"), ("acme", "acme universal remote for canon")])
    assert f.loc[0, "all_word_kind"] == 1 and f.loc[0, "n_word_kind"] == 1 and f.loc[0, "n_specific_kind"] == 0
    assert f.loc[1, "all_word_kind"] == 0 and f.loc[1, "n_specific_kind"] == 1
    assert f.loc[1, "s_kind_brand"] == 1  # the strongest is the brand, not the word


def test_category_class_overlap():
    f, _ = feats([("acme", "canon camera bag", "CAMERA_CASE"), ("acme", "canon camera bag", "SHOES"),
                  ("acme", "canon camera bag", "")])
    assert f.loc[0, "category_known"] == 1 and f.loc[0, "any_class_overlap"] == 1
    assert f.loc[1, "category_known"] == 1 and f.loc[1, "any_class_overlap"] == 0
    assert f.loc[2, "category_known"] == 0 and f.loc[2, "any_class_overlap"] == 0


def test_category_map_and_class_parsing():
    assert 9 in category_classes("CELLULAR_PHONE_CASE")
    assert category_classes("Shoes > Running") == frozenset({25})
    assert category_classes("") == frozenset() and category_classes("zzz") == frozenset()
    assert parse_classes("9; 28,x;99") == frozenset({9, 28})


def test_ordinary_words_have_higher_english_excess_than_brand_names():
    for brand, word in (("sony", "external"), ("ipad", "alkaline"), ("nike", "universal")):
        assert english_excess(word) > english_excess(brand)
    assert english_excess("") == 0.0 and english_excess("qzxqzxq") == 0.0
    assert word_zipf("the") > word_zipf("gopro") > 0


def test_features_identical_in_training_and_scanning(tmp_path):
    """The training path (prepare) and the scan path (scan) call the same function with the same inputs."""
    from scanner.model.base import RulesModel
    from scanner.model.training import prepare
    from scanner.pipeline import scan

    seen = {}

    class Recording(RulesModel):
        def predict(self, features):
            seen["features"] = features.copy()
            return super().predict(features)

    listings = CASES / "listings_catalog.tsv"
    profile = load_profile(CASES / "seller_catalog.toml")
    corpus = load_corpus(CASES / "corpus.csv")
    scan(ScanConfig(listings=[listings], profile=profile), corpus=corpus, model=Recording())
    data = prepare(CASES / "labels_catalog.csv", [listings], corpus=corpus, profile=profile)
    scanned = seen["features"].loc[data.features.index]
    pd.testing.assert_frame_equal(scanned, data.features)
    assert (data.features["n_third_party"] > 0).sum() > 50  # a real test: most listings have marks


def test_match_table_is_empty_but_well_formed_without_third_party_matches():
    _, table = feats([("acme", "acme only")])
    assert table.empty and "m_position" in table.columns and "strength" in table.columns


@pytest.mark.parametrize("title", ["", "   ", "—", "Ä Ö Ü"])
def test_odd_titles_do_not_break(title):
    f, _ = feats([("acme", title)])
    assert np.isfinite(f.to_numpy()).all()


def test_matcher_extension_columns_are_used_when_present_and_missing_values_are_safe():
    profile = SellerProfile(own_brands=("acme",))
    listings = make_listings([("acme", "acme canon ink"), ("acme", "acme apple slicer")])
    matches = make_matches(listings, CORPUS, profile)
    plain = build_features(listings, matches, CORPUS, profile)
    assert (plain["s_n_records_log"] == 0).all() and (plain["s_n_owners_log"] == 0).all()
    extended = matches.assign(n_records=matches["mark"].map({"CANON": 1, "APPLE": 40}).fillna(1),
                              n_owners=matches["mark"].map({"CANON": 1.0, "APPLE": np.nan}), mark_zipf=0.0)
    f = build_features(listings, extended, CORPUS, profile)
    assert f.loc[0, "s_n_records_log"] == pytest.approx(np.log1p(1))
    assert f.loc[1, "s_n_records_log"] == pytest.approx(np.log1p(40)) and f.loc[1, "s_n_owners_log"] == 0
    assert not f.isna().any().any()


def test_owner_whose_goods_fit_is_chosen_and_reported():
    corpus = make_corpus([("MUSTANG", "ford", "brand", "12"), ("MUSTANG", "mustang apparel co", "brand", "25"),
                          ("ACME", "acme", "brand", "")])
    listings = make_listings([("acme", "Mustang Floor Mats All Weather"), ("acme", "Mustang Hoodie Mens Fleece")])
    profile = SellerProfile(own_brands=("acme",))
    matches = find_matches(listings, corpus, profile)
    assert (matches.loc[matches["mark"] == "MUSTANG", "alt_mark_ids"] != "").all()
    table = match_table(listings, matches, corpus, profile)
    owners = table.set_index("listing")["owner"].to_dict()
    assert owners == {0: "ford", 1: "mustang apparel co"}
    assert table["owners_considered"].tolist() == [2, 2]
    fixed = with_chosen_owners(matches, table)
    assert set(fixed.loc[fixed["mark"] == "MUSTANG", "owner"]) == {"ford", "mustang apparel co"}


def test_the_record_written_as_the_text_is_read_and_the_goods_still_choose():
    # M·A·C (cosmetics, a brand) ranks before Apple's Mac (a product line) for the key "mac"
    corpus = make_corpus([("M·A·C", "estee lauder", "brand", "3"), ("Mac", "apple", "product_line", "9"),
                          ("ACME", "acme", "brand", "")])
    listings = make_listings([("acme", "Acme photo editor for Mac"), ("acme", "Acme matte lipstick like MAC"),
                              ("acme", "Acme M·A·C style lip liner"), ("acme", "Acme USB C hub for mac")])
    profile = SellerProfile(own_brands=("acme",))
    matches = find_matches(listings, corpus, profile)
    mac = matches[matches["mark_key"] == "mac"].set_index("listing")
    assert mac["mark"].to_dict() == {0: "Mac", 1: "Mac", 2: "M·A·C", 3: "Mac"}
    assert set(mac["method"]) == {"exact"}
    fixed = with_chosen_owners(matches, match_table(listings, matches, corpus, profile))
    owners = fixed[fixed["mark_key"] == "mac"].set_index("listing")["owner"].to_dict()
    assert owners == {0: "apple", 1: "estee lauder", 2: "estee lauder", 3: "apple"}  # lipstick: cosmetics


def test_the_other_records_of_a_match_do_not_depend_on_the_batch():
    # "mac" names Apple's Mac (the record written as the text), "M·A·C" the representative: each match lists
    # the key's other owners' records, whichever match of the key the batch holds first
    corpus = make_corpus([("M·A·C", "estee lauder", "brand", "3"), ("Mac", "apple", "product_line", "9"),
                          ("ACME", "acme", "brand", "")])
    listings = make_listings([("acme", "Acme USB C hub for mac"), ("acme", "Acme M·A·C style lip liner")])
    profile = SellerProfile(own_brands=("acme",))
    together = find_matches(listings, corpus, profile)
    alone = pd.concat([find_matches(listings.iloc[[i]], corpus, profile) for i in range(len(listings))])
    columns = ["listing", "mark_id", "owner", "alt_mark_ids"]
    got = together.loc[together["mark_key"] == "mac", columns].reset_index(drop=True)
    assert got.equals(alone.loc[alone["mark_key"] == "mac", columns].reset_index(drop=True))
    assert got["owner"].tolist() == ["apple", "estee lauder"]
    for own, others in zip(got["mark_id"], got["alt_mark_ids"], strict=True):
        assert others and str(own) not in others.split(";")  # the other owner's record, never its own


def test_among_records_written_as_the_text_the_representative_order_chooses():
    corpus = make_corpus([("M·A·C", "estee lauder", "brand", "3"), ("Mac", "old owner", "product_line", "9"),
                          ("Mac", "apple", "product_line", "9"), ("ACME", "acme", "brand", "")])
    corpus.marks["filing_date"] = ["", "19840101", "20010101", ""]  # the newer of the two "Mac" records first
    listings = make_listings([("acme", "Acme photo editor for Mac")])
    found = find_matches(listings, corpus, SellerProfile(own_brands=("acme",)))
    assert found.loc[found["mark_key"] == "mac", "owner"].tolist() == ["apple"]
    corpus.marks.loc[2, "status"] = "dead"  # live before dead, whatever the dates
    found = find_matches(listings, corpus, SellerProfile(own_brands=("acme",)))
    assert found.loc[found["mark_key"] == "mac", "owner"].tolist() == ["old owner"]


def test_side_matches_are_ordinary_words_beside_the_evidence():
    _, table = feats([("acme", "canon camera bag universal strap"), ("acme", "universal strap")])
    side = side_matches(table)
    assert side_matches(table, side_mask(table)) == side  # a mask computed once gives the same matches
    words = table[table["mark"] == "UNIVERSAL"]
    assert set(words.loc[words["listing"] == 0, "match_row"]) <= side  # beside CANON: noise
    assert not set(words.loc[words["listing"] == 1, "match_row"]) & side  # alone it is the evidence


def test_function_word_marks_are_side_matches_even_on_their_goods():
    # at register scale "THE", "FOR" and "WITH" are somebody's marks for clothing: beside NIKE in a shirt's
    # title they are noise whatever their classes; alone, the strongest match stays the evidence
    corpus = make_corpus([("NIKE", "nike inc", "brand", "25"), ("FOR", "flo gmbh", "", "25"),
                          ("WITH", "with inc", "", "25"), ("STEEL", "steel co", "", "25")])
    profile = SellerProfile(own_brands=("acme",))
    listings = make_listings([("acme", "Nike Dri-FIT T-Shirt for Men with Steel Buttons"),
                              ("acme", "Cotton T-Shirt for Men")])
    table = match_table(listings, make_matches(listings, corpus, profile), corpus, profile)
    side = side_matches(table)
    by_mark = table[table["listing"] == 0].set_index("mark")["match_row"]
    assert {by_mark["FOR"], by_mark["WITH"]} <= side
    assert by_mark["NIKE"] not in side
    assert by_mark["STEEL"] not in side  # a content word registered for the product's class is not noise
    assert not set(table.loc[table["listing"] == 1, "match_row"]) & side


def test_function_words_are_the_most_frequent_words_of_the_listing_languages():
    from scanner.features.strength import function_words_only
    from scanner.frequency import is_function_word

    for word in ("the", "for", "with", "your", "de", "la", "und", "für", "para"):
        assert is_function_word(word), word
    for word in ("new", "one", "good", "top", "nike", "steel", "universal", ""):
        assert not is_function_word(word), word
    assert function_words_only("FOR") and function_words_only("WITH THE")
    assert not function_words_only("THE NORTH FACE") and not function_words_only("")


def test_own_brand_written_in_the_text_counts_even_when_no_register_holds_it():
    # most small brands are in no register: "own brand first" must not rest on own *matches* alone
    profile = SellerProfile(own_brands=("Harbor Mist",))
    listings = make_listings([("Harbor Mist", "HarborMist floor liners canon 2018-2023"),
                              ("Harbor Mist", "canon floor liners harbor mist 2018-2023")])
    matches = make_matches(listings, CORPUS, profile)
    t = match_table(listings, matches, CORPUS, profile)
    first = t[t["listing"] == 0].iloc[0]
    second = t[t["listing"] == 1].iloc[0]
    assert first["m_own_before"] == 1 and first["m_other_brand_first"] == 1 and first["m_fitment"] == 1
    assert second["m_own_before"] == 0 and second["m_fitment"] == 0


def test_dictionary_word_marks_on_other_goods_are_flagged_as_word_sense():
    corpus = make_corpus([("SWATCH", "swatch", "brand", "14"), ("SHARK", "sharkninja", "brand", "7;11"),
                          ("ROLEX", "rolex", "brand", "14")])
    profile = SellerProfile()
    listings = make_listings([("", "Swatch card set paint color samples"), ("", "Swatch chronograph watch men"),
                              ("", "Rolex card set paint color samples")])
    matches = make_matches(listings, corpus, profile)
    t = match_table(listings, matches, corpus, profile).set_index("listing")
    f = build_features(listings, matches, corpus, profile, table=t.reset_index())
    assert t.loc[0, "m_mark_dictionary"] == 1 and t.loc[0, "m_word_off_goods"] == 1
    assert t.loc[1, "m_mark_dictionary"] == 1 and t.loc[1, "m_word_off_goods"] == 0  # on its own goods
    assert t.loc[2, "m_mark_dictionary"] == 0 and t.loc[2, "m_word_off_goods"] == 0  # a coined name
    assert f.loc[0, "all_word_off_goods"] == 1 and f.loc[1, "all_word_off_goods"] == 0


def test_a_mark_registered_only_where_the_seller_does_not_sell_is_flagged():
    corpus = make_corpus([("ZORBEXA", "zorbexa gmbh", "brand", "9"), ("KELVANO", "kelvano", "brand", "9")])
    corpus.marks["jurisdiction"] = ["EU", "US"]
    listings = make_listings([("", "Zorbexa wireless charger"), ("", "Kelvano wireless charger")])
    by_market = {}
    for market in ("US", "DE"):
        profile = SellerProfile(marketplace=market)
        t = match_table(listings, make_matches(listings, corpus, profile), corpus, profile).set_index("mark")
        by_market[market] = t
    assert by_market["US"].loc["ZORBEXA", "m_not_where_sold"] == 1  # an EU mark, selling on amazon.com
    assert by_market["US"].loc["KELVANO", "m_not_where_sold"] == 0
    assert by_market["DE"].loc["ZORBEXA", "m_not_where_sold"] == 0  # amazon.de: EU marks count
    assert by_market["DE"].loc["KELVANO", "m_not_where_sold"] == 1
    assert by_market["US"].loc["ZORBEXA", "jurisdiction"] == "EU"


def test_reason_says_when_a_mark_is_registered_elsewhere_or_a_misspelling():
    from scanner.model.reasons import _evidence_note

    class Row:
        matched_text, mark, jurisdiction = "Zorbexa", "ZORBEXA", "EU"
        m_method_fuzzy, m_not_where_sold = 0.0, 1.0

    assert "registered in EU, not where you sell this" in _evidence_note(Row, "medium")
    assert _evidence_note(Row, "low") == ""
    Row.matched_text, Row.m_method_fuzzy, Row.m_not_where_sold = "Zorbeksa", 1.0, 0.0
    assert _evidence_note(Row, "high") == " (possibly a misspelling of ZORBEXA)"


def test_a_dictionary_word_mark_followed_by_its_owners_product_line_is_the_brand():
    corpus = make_corpus([("JEEP", "fca", "brand", "12"), ("WRANGLER", "fca", "product_line", "12"),
                          ("CHEROKEE", "someone else", "brand", "25")])
    profile = SellerProfile()
    listings = make_listings([("", "Jeep Wrangler seat cushion memory foam"), ("", "Jeep plush seat cushion"),
                              ("", "Jeep Cherokee seat cushion")])
    t = match_table(listings, make_matches(listings, corpus, profile), corpus, profile)
    jeep = t[t["mark_key"] == "jeep"].set_index("listing")
    assert (jeep["m_mark_dictionary"] == 1).all()
    assert jeep.loc[0, "m_word_off_goods"] == 0   # "Jeep Wrangler": the owner's line next to it
    assert jeep.loc[1, "m_word_off_goods"] == 1   # the ordinary word on goods Jeep is not registered for
    assert jeep.loc[2, "m_word_off_goods"] == 1   # the next mark is another owner's


def test_a_dictionary_word_mark_followed_by_a_company_word_is_the_maker():
    corpus = make_corpus([("BUDDY", "buddy products", "brand", "20")])
    profile = SellerProfile()
    listings = make_listings([("", "Buddy Products wall file pocket steel"), ("", "Buddy plush dog toy")])
    t = match_table(listings, make_matches(listings, corpus, profile), corpus, profile).set_index("listing")
    assert t.loc[0, "m_word_off_goods"] == 0 and t.loc[1, "m_word_off_goods"] == 1


def test_fitment_needs_the_product_named_before_the_mark_or_the_mark_inside_a_product_code():
    profile = SellerProfile(own_brands=("roadmark",))
    listings = make_listings([("roadmark", "roadmark floor mats canon 2018-2023"),     # mats, then what it fits
                              ("roadmark", "roadmark canon 2018 floor mats"),          # "a canon 2018 floor mat"
                              ("roadmark", "roadmark canon-208 cover for canon 50d"),   # the seller's product code
                              ("roadmark", "roadmark canon 50d")])                     # no product noun at all
    f = build_features(listings, make_matches(listings, CORPUS, profile), CORPUS, profile)
    assert (f["s_other_brand_first"] == 1).all() and (f["s_model_after"] == 1).all()
    assert list(f["s_fitment"]) == [1, 0, 1, 0]


def test_glued_in_reads_as_the_whole_text() -> None:
    """glued_in (a window, and a quick exit when no digit or -/_ touches the match) answers as _glued of the
    whole text before and after the match."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from scanner.features.cue_context import _glued, glued_in

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet="ab1٣ -/_\n,;x2025"), st.data())
    def check(text: str, data: st.DataObject) -> None:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        assert glued_in(text, start, end) == _glued(text[:start], text[end:])

    check()


def test_cued_elsewhere_counts_cued_mentions_per_listing_field_and_key():
    """cued_elsewhere equals its groupby definition on a random table: another cued mention of the same mark
    key (or owner key, falling back to the mark key) in the same listing and field; a mention that opens the
    field or is the declared brand never; a missing key is in no group."""
    from scanner.features.cue_context import cued_elsewhere

    rng = np.random.default_rng(7)
    n = 3000
    table = pd.DataFrame({
        "listing": rng.integers(0, 60, n), "field": rng.choice(["title", "bullet_1", "description"], n),
        "mark_key": rng.choice(["apple", "ipad", "canon", "hp", "pixma"], n).astype(object),
        "m_nominative_cue": (rng.random(n) < 0.2).astype(float), "m_in_parens": (rng.random(n) < 0.1).astype(float),
        "m_cue_in_clause": (rng.random(n) < 0.1).astype(float), "m_position": rng.integers(0, 5, n),
        "m_is_declared_brand": (rng.random(n) < 0.1).astype(float),
    })
    owner_keys = rng.choice(["", "apple inc", "canon inc", None], n).astype(object)
    table.loc[rng.random(n) < 0.02, "mark_key"] = None
    got = cued_elsewhere(table, owner_keys)

    cued = ((table["m_nominative_cue"] + table["m_in_parens"] + table["m_cue_in_clause"]) > 0).astype(int)
    owner_key = pd.Series(owner_keys, index=table.index).where(lambda k: k != "", table["mark_key"])
    want = np.zeros(n)
    for keys in (table["mark_key"], owner_key):
        n_cued = cued.groupby([table["listing"], table["field"], keys]).transform("sum")
        want = np.maximum(want, ((n_cued - cued) > 0).to_numpy(dtype=float))
    want[(table["m_position"].to_numpy() == 0) | (table["m_is_declared_brand"].to_numpy() > 0)] = 0.0
    assert 100 < got.sum() < n - 100  # both answers occur
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("listing_ids", ["int", "str"])
def test_strongest_order_is_the_stable_sort_by_listing_then_strength(listing_ids):
    """strongest_matches / strongest_first give the rows of sort_values(["listing", "strength"], ascending=
    [True, False], kind="stable") and its first row per listing: ties kept in table order, a missing strength
    last, listings in order whatever their type."""
    from scanner.features.strength import strongest_first, strongest_matches

    rng = np.random.default_rng(11)
    n = 2000
    listing = rng.integers(0, 150, n)
    table = pd.DataFrame({
        "listing": listing if listing_ids == "int" else [f"L{v:03d}" for v in listing],
        "strength": rng.choice([1e4, 1e4 + 1.5, 11000.25, 3.0, np.nan], n),  # many ties
        "row": np.arange(n),
    }, index=rng.permutation(n) + 500)
    want = table.sort_values(["listing", "strength"], ascending=[True, False], kind="stable")
    pd.testing.assert_frame_equal(strongest_matches(table), want)
    first = table.iloc[strongest_first(table)]
    pd.testing.assert_frame_equal(first, want.drop_duplicates("listing"))
    assert strongest_first(table.iloc[:0]).size == 0


def test_a_missing_mark_has_the_word_facts_of_no_words():
    """A match table row without a mark text (NaN, as a notebook's own table may hold) gets the facts of no
    words, not those of another row's mark (it once took the last distinct mark's)."""
    from scanner.features.marks import mark_word_features

    keys = np.array(["apple", "", "sony"], dtype=object)
    want = mark_word_features(np.array(["APPLE", "", "SONY"], dtype=object), keys)
    for marks in (np.array(["APPLE", None, "SONY"], dtype=object), pd.Series(["APPLE", np.nan, "SONY"], dtype="str")):
        got = mark_word_features(marks, keys)
        assert all(np.array_equal(got[name], want[name]) for name in want)
    assert want["m_mark_zipf"][1] == 0 and want["m_mark_tokens"][1] == 0 and want["m_mark_zipf"][2] > 0
