"""Plain-word reasons: one per listing, matching the level and the role of the evidence."""

from __future__ import annotations

import pandas as pd

from scanner.config import SellerProfile
from scanner.features import match_table
from scanner.model.reasons import explain, snippet
from tests.test_features import CORPUS, make_listings, make_matches


def _reasons(rows, levels, profile=None):
    profile = profile or SellerProfile(own_brands=("acme",))
    listings = make_listings(rows)
    matches = make_matches(listings, CORPUS, profile)
    table = match_table(listings, matches, CORPUS, profile)
    scores = pd.DataFrame({"risk_level": levels}, index=listings.index)
    return explain(listings, table, scores, matches, profile)


def test_snippet_quotes_words_around_the_match():
    text = "acme stainless apple slicer and corer"
    start = text.index("apple")
    assert snippet(text, start, start + 5, 1, 1) == "stainless apple slicer"
    assert snippet(text, 0, 4, 2, 0) == "acme"


def test_reason_roles():
    out = _reasons(
        [
            ("canon", "canon pg-30 black ink"),        # declared brand
            ("acme", "acme case for ipad 2"),           # nominative
            ("acme", "acme stainless apple slicer"),    # ordinary word (scored low)
            ("acme", "replica rolex watch"),            # counterfeit cue
            ("acme", "acme only"),                      # own brand only
            ("x", "plain words"),                       # nothing
            ("acme", "acme canon eos camera bag"),      # brand in the title
        ],
        ["high", "medium", "low", "high", "low", "low", "high"],
    )
    assert "brand field" in out[0] and "canon is not one of your brands" in out[0]
    assert "'ipad' referenced as compatible ('acme case for ipad 2')" in out[1] and "nominative" in out[1]
    assert out[2] == "'apple' looks like an ordinary word here ('stainless apple slicer')"
    assert "counterfeit cue 'replica'" in out[3]
    assert out[4] == "only your own brand(s) acme found; no third-party mark"
    assert out[5] == "no third-party mark found"
    assert "'canon' used as the brand in the title ('acme canon eos camera')" in out[6]


def test_reasons_follow_the_level_for_the_same_text():
    rows = [("acme", "acme canon camera strap")] * 2
    out = _reasons(rows, ["low", "medium"])
    assert "ordinary word" in out[0]
    assert "review" in out[1] and "ordinary" not in out[1]


def test_at_most_three_marks_are_described_strongest_first():
    out = _reasons([("acme", "canon apple ipad rolex universal")], ["high"])[0]
    for shown in ("'canon'", "'apple'", "'ipad'"):
        assert shown in out
    assert "'rolex'" not in out and "'universal'" not in out
    assert out.index("'canon'") < out.index("'apple'")


def test_low_listings_never_read_as_brand_use():
    out = _reasons([("universal", "universal remote control")], ["low"])[0]
    assert "ordinary word" in out and "declared" not in out and "not one of your brands" not in out


def test_secondary_word_marks_are_left_out_of_high_reasons():
    out = _reasons([("acme", "canon universal charger")], ["high"])[0]
    assert "'canon'" in out and "'universal'" not in out


def test_common_words_beside_the_evidence_are_not_accused_in_risky_reasons():
    # at register scale "dvd" and "controls" are somebody's marks (no kind): beside CANON in a high listing
    # they are noise, not "used as the brand"; in a low listing they are what the reason is about
    from tests.test_features import make_corpus
    corpus = make_corpus([("CANON", "canon", "brand", "9"), ("DVD", "dvd holdings llc", "", "41"),
                          ("CONTROLS", "controls holdings llc", "", "7")])
    profile = SellerProfile(own_brands=("acme",))
    listings = make_listings([("acme", "introduction to the canon 50d basic controls dvd"),
                              ("acme", "basic controls dvd")])
    matches = make_matches(listings, corpus, profile)
    table = match_table(listings, matches, corpus, profile)
    scores = pd.DataFrame({"risk_level": ["high", "low"]}, index=listings.index)
    out = explain(listings, table, scores, matches, profile)
    assert "'canon' used as the brand" in out[0]
    assert "'dvd'" not in out[0] and "'controls'" not in out[0]
    assert "'dvd'" in out[1] and "ordinary word" in out[1]


def test_row_fields_lists_every_column_the_phrases_read():
    """explain() hands the phrase functions only the ROW_FIELDS columns of the match table: every ``row.x``
    and ``getattr(row, "x", ...)`` in the module must be listed (a missing one would read as its default)."""
    import re
    from pathlib import Path

    import scanner.model.reasons as reasons

    src = Path(reasons.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r"\brow\.([a-z_]+)", src)) | set(re.findall(r"getattr\(row, \"([a-z_]+)\"", src))
    assert used <= set(reasons.ROW_FIELDS) | {"listing"}


def test_snippet_reads_words_before_a_long_prefix():
    text = "x" * 500 + " alpha beta-gamma " + "y" * 300 + " nike shoes"
    start = text.index("nike")
    for before in (1, 2, 3, 5):
        expected = list(reasons_tokens(text[:start]))[-before:]
        got = snippet(text, start, start + 4, before, 1)
        assert got == " ".join(text[expected[0].start():start + 4 + len(" shoes")].split())


def reasons_tokens(text):
    from scanner.model.reasons import _TOKEN

    return _TOKEN.finditer(text)
