"""find_matches as a stage: contract, inputs, overlaps, cues, ownership, evidence columns."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.config import SellerProfile
from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS
from scanner.errors import InputError
from scanner.features import build_features
from scanner.match import MATCH_COLUMNS, empty_matches, find_matches
from scanner.match.cues import field_cues
from scanner.progress import Progress
from scanner.text import tokenize

ORIGINAL_COLUMNS = (
    "listing", "field", "start", "end", "matched_text", "mark_id", "mark", "mark_key", "owner", "method",
    "similarity", "position", "symbol", "nominative_cue", "counterfeit_cue", "own", "authorized",
)


def corpus_of(rows: list[tuple[str, str]] | list[dict[str, str]]) -> Corpus:
    recs = [r if isinstance(r, dict) else {"mark": r[0], "owner": r[1]} for r in rows]
    df = pd.DataFrame([{c: r.get(c, "") for c in MARK_COLUMNS} for r in recs], columns=list(MARK_COLUMNS))
    return Corpus(marks=df.astype(str), info={"name": "test"})


CORPUS = corpus_of([
    ("Nike", "Nike Inc"), ("Nike Air", "Nike Inc"), ("Air", "Air Co"), ("Hello Kitty", "Sanrio"),
    ("Kitty", "Litter Co"), ("Kitty Cat", "Cat Co"), ("Samsung", "Samsung"), ("Apple", "Apple Inc"),
    ("iPad", "Apple Inc"), ("Canon", "Canon Inc"),
])


def test_contract_columns_are_kept_and_extended_at_the_end() -> None:
    assert MATCH_COLUMNS[: len(ORIGINAL_COLUMNS)] == ORIGINAL_COLUMNS
    assert list(empty_matches().columns) == list(MATCH_COLUMNS)
    m = find_matches(pd.DataFrame({"title": ["Nike shoes"]}), CORPUS)
    assert list(m.columns) == list(MATCH_COLUMNS)
    assert m["start"].dtype == np.int64 and m["own"].dtype == bool and m["similarity"].dtype == np.float64


def test_empty_inputs() -> None:
    assert find_matches(pd.DataFrame({"title": []}, dtype=str), CORPUS).empty
    assert find_matches(pd.DataFrame({"title": ["Nike"]}), corpus_of([])).empty
    assert find_matches(pd.DataFrame({"title": ["", "   "]}), CORPUS).empty


def test_every_text_field_and_missing_columns() -> None:
    listings = pd.DataFrame({
        "title": ["Nike shoes"], "brand": ["Samsung"], "bullets": ["line one\nfits Canon"],
        "description": [None], "keywords": [np.nan],
    })
    m = find_matches(listings, CORPUS)
    assert set(zip(m["field"], m["mark"], strict=True)) == {("title", "Nike"), ("brand", "Samsung"), ("bullets", "Canon")}
    # a listings table with only a title is fine (the other text fields count as empty)
    assert len(find_matches(pd.DataFrame({"title": ["Nike"]}), CORPUS)) == 1


def test_unknown_field_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no column 'subtitle'"):
        find_matches(pd.DataFrame({"title": ["Nike"]}), CORPUS, fields=("title", "subtitle"))


def test_listing_labels_and_non_string_values() -> None:
    listings = pd.DataFrame({"title": ["Apple iPad", 12345, "Canon"]}, index=[10, 20, 30])
    m = find_matches(listings, CORPUS, fields=("title",))
    assert sorted(set(m["listing"])) == [10, 30]
    # missing values of a nullable string column are empty text, not the words "NA" / "nan"
    na = corpus_of([("NA", "x"), ("NaN", "y"), ("None", "z"), ("Canon", "Canon Inc")])
    listings = pd.DataFrame({"title": pd.array([pd.NA, None, "Canon"], dtype="string")}, index=["a", "b", "c"])
    m = find_matches(listings, na)
    assert list(m["listing"]) == ["c"] and list(m["mark"]) == ["Canon"]
    assert find_matches(pd.DataFrame({"title": [np.nan, None]}), na).empty


def test_overlaps_longest_wins_and_covers_are_recorded() -> None:
    m = find_matches(pd.DataFrame({"title": ["Nike Air Max", "Hello Kitty Cat bed"]}), CORPUS, fields=("title",))
    first = m[m["listing"] == 0]
    assert list(first["mark"]) == ["Nike Air"]  # same owner (Nike) and another owner's AIR both covered
    assert set(first.iloc[0]["covers"].split(";")) == {"Nike (Nike Inc)", "Air (Air Co)"}
    second = m[m["listing"] == 1]
    # Hello Kitty and Kitty Cat overlap only partly: both are kept; Kitty alone is covered
    assert list(second["mark"]) == ["Hello Kitty", "Kitty Cat"]
    assert "Kitty (Litter Co)" in second.iloc[0]["covers"]


def test_positions_and_spans() -> None:
    text = "Case for the Apple iPad (2nd gen)"
    m = find_matches(pd.DataFrame({"title": [text]}), CORPUS)
    row = m[m["mark"] == "iPad"].iloc[0]
    assert text[row["start"] : row["end"]] == "iPad"
    assert row["position"] == 4
    assert row["nominative_cue"] == "for"


def test_own_and_authorized() -> None:
    listings = pd.DataFrame({"title": ["Apple iPad", "Canon lens", "Samsung tv"]})
    profile = SellerProfile(own_brands=("apple",), authorized_brands=("CANON",))
    m = find_matches(listings, CORPUS, profile).set_index("mark")
    assert m.loc["Apple", "own"] and m.loc["iPad", "own"]  # iPad: same unambiguous owner as Apple
    assert m.loc["Canon", "authorized"] and not m.loc["Canon", "own"]
    assert not m.loc["Samsung", "own"] and not m.loc["Samsung", "authorized"]
    assert not find_matches(listings, CORPUS)["own"].any()  # no profile: nothing is own


def test_progress_goes_to_the_stream() -> None:
    out = io.StringIO()
    c = corpus_of([("Zyxwv", "Z")])
    find_matches(pd.DataFrame({"title": ["Zyxwv"]}), c, progress=Progress(stream=out))
    assert "match index" in out.getvalue()


def test_features_stage_accepts_the_matches() -> None:
    listings = pd.DataFrame({"title": ["Case for Apple iPad", "Nike shoes", "plain text"]})
    m = find_matches(listings, CORPUS)
    feats = build_features(listings, m, CORPUS)
    assert list(feats.loc[:, "n_nominative"]) == [2, 0, 0]
    assert list(feats.loc[:, "n_identity"]) == [0, 1, 0]


def cues(text: str, marks: list[str], ordinary: bool = False) -> list[tuple[str, str]]:
    toks = tokenize(text)
    words = [t.text for t in toks]
    spans = []
    for mk in marks:
        mt = [t.text for t in tokenize(mk)]
        for i in range(len(words) - len(mt) + 1):
            if words[i : i + len(mt)] == mt:
                spans.append((i, i + len(mt) - 1, "".join(mt), ordinary))
                break
    return [tuple(c[:2]) for c in field_cues(text, tuple(toks), spans)]


@pytest.mark.parametrize(
    ("text", "marks", "expected"),
    [
        ("Case for iPad | Nike logo", ["Nike"], [("", "")]),  # a hard separator stops the cue
        ("Works with - Samsung", ["Samsung"], [("", "")]),
        ("Bag for men Nike", ["Nike"], [("", "")]),  # ordinary words in between: no reference
        ("Fits 2015-2020 Nike", ["Nike"], [("Fits", "")]),  # model numbers in between are fine
        ("For iPad 2 Nike sleeve", ["iPad", "Nike"], [("For", ""), ("", "")]),
        ("compatible with iPad, Nike", ["iPad", "Nike"], [("compatible with", ""), ("compatible with", "")]),
        ("Nike-compatible laces", ["Nike"], [("compatible", "")]),
        ("Nike 270 compatible laces", ["Nike"], [("compatible", "")]),
        ("Replica watch, great Rolex look", ["Rolex"], [("", "Replica")]),
        ("Replica; Rolex", ["Rolex"], [("", "")]),
        ("fake fur Rolex", ["Rolex"], [("", "fake")]),
        ("Nike knockoffs", ["Nike"], [("", "knockoffs")]),
        ("Super clone Rolex", ["Rolex"], [("", "Super clone")]),
        ("Rolex AAA batteries", ["Rolex"], [("", "")]),
        ("Classic style", ["Classic"], [("", "")]),
    ],
)
def test_cue_windows(text: str, marks: list[str], expected: list[tuple[str, str]]) -> None:
    ordinary = marks == ["Classic"]
    assert cues(text, marks, ordinary) == expected


def test_platform_tags() -> None:
    assert cues("Photoshop CS3 (Mac)", ["Mac"]) == [("(Mac)", "")]
    assert cues("Office ( mac only )", ["mac"]) == [("( mac only )", "")]
    assert cues("Office win/mac", ["mac"]) == [("win/mac", "")]
    assert cues("Office Mac/PC", ["Mac"]) == [("Mac/PC", "")]
    assert cues("Office Mac edition", ["Mac"]) == [("Mac edition", "")]
    assert cues("Mac mini computer", ["Mac"]) == [("", "")]
    assert cues("Running shoes (Nike)", ["Nike"]) == [("", "")]  # not a platform


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 8), st.integers(1, 3), st.integers(0, 5),
                          st.sampled_from([0, 1, 3])), max_size=25))
def test_overlap_fast_path_agrees_with_the_rule_loop(rows) -> None:
    """Fields without overlaps skip the loop; the result must be the loop's result."""
    from scanner.match.overlaps import _resolve_slow, resolve

    cands = pd.DataFrame(rows, columns=["field_row", "first", "n", "key", "kind"]).drop_duplicates(
        ["field_row", "first", "n", "key"], ignore_index=True)
    if cands.empty:
        assert resolve(cands, np.arange(20), np.ones(6, int))[0].empty
        return
    cands["similarity"] = np.where(cands["kind"] == 0, 100.0, 80.0)
    cands["suffix"] = 0
    pos = np.arange(20)
    key_len = np.array([3, 5, 5, 7, 2, 9])
    kept, covers = resolve(cands, pos, key_len)
    slow, slow_covers = _resolve_slow(cands.assign(start_pos=pos[cands["first"].to_numpy()]), key_len)
    as_set = {(r.field_row, r.start_pos, r.n, r.key, tuple(sorted(c))) for r, c in
              zip(kept.itertuples(), covers, strict=True)}
    slow_set = {(r.field_row, r.start_pos, r.n, r.key, tuple(sorted(c))) for r, c in
                zip(slow.itertuples(), slow_covers, strict=True)}
    assert as_set == slow_set
    # no kept match lies inside another kept match of the same field
    for a in kept.itertuples():
        for b in kept.itertuples():
            if a.Index != b.Index and a.field_row == b.field_row:
                assert not (b.start_pos <= a.start_pos and a.start_pos + a.n <= b.start_pos + b.n)


def test_distinct_rows_equal_numpy_unique_rows():
    """The distinct rows of integer columns (the exact matcher's (token, key, ending) triples, the generic-name
    filter's phrases): the rows and inverse np.unique(axis=0) gives, in its order, whether a row fits one
    63-bit number or not."""
    from scanner.match.hashing import unique_int_rows

    rng = np.random.default_rng(3)
    for n, highs in ((1, (3, 3, 3)), (2000, (50, 900_000, 4)), (2000, (2**40, 2**30, 3))):
        cols = [rng.integers(0, h, n) for h in highs]
        rows, inverse = unique_int_rows(*cols)
        want_rows, want_inverse = np.unique(np.stack(cols, axis=1), axis=0, return_inverse=True)
        np.testing.assert_array_equal(rows, want_rows)
        np.testing.assert_array_equal(inverse, want_inverse.reshape(-1))


def test_a_token_longer_than_any_indexed_key_costs_no_neighbourhood_and_changes_no_match() -> None:
    from scanner.match import rules

    # a mark token is at most MAX_KEY_LENGTH letters and at most two edits away from what it matches
    assert rules.query_budget(rules.MAX_KEY_LENGTH + 2) == 2
    assert rules.query_budget(rules.MAX_KEY_LENGTH + 3) == 0
    mark = ("Zorbaxquilentravomedik" * 3)[: rules.MAX_KEY_LENGTH]
    corpus = corpus_of([(mark, "Long Co"), ("Nike", "Nike Inc"), ("Samsung", "Samsung")])
    # two letters inserted: the longest listing token that still reaches the mark is still a typo of it
    typo = mark[:20] + "qq" + mark[20:]
    m = find_matches(pd.DataFrame({"title": [f"{typo} sneaker"]}), corpus)
    assert list(zip(m["mark"], m["method"], strict=True)) == [(mark, "typo")]
    # a 5,000-letter token (a pasted run of characters) next to real marks: the same matches as without it
    base = pd.DataFrame({"title": ["Nike runner for Samsumg phone", f"{mark} kit"]})
    junk = pd.DataFrame({"title": ["Nike runner " + "A" * 5000 + " for Samsumg phone", f"{mark} {'ab' * 2500} kit"]})
    cols = ["listing", "mark", "method", "matched_text"]
    expected = find_matches(base, corpus)[cols].reset_index(drop=True)
    assert len(expected) >= 3
    assert find_matches(junk, corpus)[cols].reset_index(drop=True).equals(expected)


def test_alternative_forms_copy_only_the_tokens_a_window_can_reach() -> None:
    from scanner.match import rules
    from scanner.match.tokens import build_tokens

    # "1" is read as i and as l: each such word makes copies of its field with one reading put in
    title = " ".join(["plain"] * 40 + ["N1ke", "Air"] + ["plain"] * 40 + ["App1e"] + ["plain"] * 3)
    _, tt = build_tokens(pd.DataFrame({"title": [title]}), ("title",), None)
    copies = int((tt.alt_row >= 0).sum())
    assert copies >= 2
    assert len(tt.text) - tt.n_real <= copies * (2 * rules.MAX_WINDOW_TOKENS - 1)
    # ... and every mark a copy holds is still found, far into the field or near its ends
    short = ["N1ke Air", "App1e"]
    long_hits = find_matches(pd.DataFrame({"title": [title]}), CORPUS)
    short_hits = find_matches(pd.DataFrame({"title": short}), CORPUS)
    assert sorted(zip(long_hits["matched_text"], long_hits["mark"], strict=True)) == sorted(
        zip(short_hits["matched_text"], short_hits["mark"], strict=True))
    assert {"Nike Air", "Apple"} <= set(long_hits["mark"])
