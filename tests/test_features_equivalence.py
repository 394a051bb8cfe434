"""The vectorised feature code computes exactly what the old per-match loop computed.

``tests/features_reference.py`` keeps the old code (one Python loop per match) as the yardstick. On every
input set of ``tests/features_inputs.py`` (written cases, known answers, the demo catalogue, and the devset
when ``../shared/data`` is present), and on generated titles built from marks, cues, model numbers,
brackets and trivia words, :func:`scanner.features.match_table` and :func:`scanner.features.build_features`
must equal the reference column by column: same columns in the same order, same row order and index, same
dtypes, and every value equal (floats exactly, not approximately). The shipped model is trained on these
values, so a refactor that moves one of them is a behaviour change.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.config import SellerProfile
from scanner.features import FEATURE_NAMES, MATCH_TABLE_INFO, build_features, match_table
from scanner.match import find_matches
from tests import features_reference as reference
from tests.features_inputs import input_sets
from tests.test_features import CORPUS, make_listings


def assert_same(new: pd.DataFrame, old: pd.DataFrame, what: str) -> None:
    """Column by column: names and order, index, dtypes, and exactly equal values (NaN equals NaN)."""
    assert list(new.columns) == list(old.columns), f"{what}: columns differ"
    assert new.index.equals(old.index), f"{what}: row order or index differs"
    for col in old.columns:
        a, b = new[col], old[col]
        assert a.dtype == b.dtype, f"{what}: {col} is {a.dtype}, was {b.dtype}"
        if a.dtype.kind == "f":
            same = np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True)
        else:
            same = a.tolist() == b.tolist()
        if not same:
            diff = (a != b) & ~(a.isna() & b.isna())
            detail = pd.DataFrame({"new": a[diff], "old": b[diff]}).head(5)
            raise AssertionError(f"{what}: column {col} differs in {int(diff.sum())} rows\n{detail}")


def check(name: str, listings, matches, corpus, profile) -> pd.DataFrame:
    """Compare match_table and build_features (with and without a precomputed table) with the reference."""
    old_table = reference.match_table(listings, matches, corpus, profile)
    new_table = match_table(listings, matches, corpus, profile)
    assert_same(new_table, old_table, f"{name} match_table")
    old = reference.build_features(listings, matches, corpus, profile, table=old_table)
    assert_same(build_features(listings, matches, corpus, profile, table=new_table), old, f"{name} features")
    assert_same(build_features(listings, matches, corpus, profile), old, f"{name} features (own table)")
    return old_table


@cache
def _local_sets() -> dict:
    return {s[0]: s for s in input_sets()}


LOCAL_NAMES = ["cases_catalog", "cases_catalog_no_profile", "cases_intl", "cases_intl_no_profile", "cases_shop",
               "cases_shop_no_profile", "cases_small", "cases_small_no_profile", "known_goods_and_sense",
               "known_multilingual", "demo"]


def test_the_input_sets_are_the_ones_named_here():
    assert sorted(_local_sets()) == sorted(LOCAL_NAMES)


@pytest.mark.parametrize("name", LOCAL_NAMES)
def test_same_features_as_the_reference(name):
    table = check(*_local_sets()[name])
    assert list(table.columns[: len(MATCH_TABLE_INFO)]) == list(MATCH_TABLE_INFO)
    assert len(table) > 0  # every set has third-party matches, so the per-match code runs


def test_same_features_as_the_reference_on_the_devset(shared_data):
    sets = [s for s in input_sets(shared_data) if s[0].startswith("devset_")]
    assert sets, "no devset listings found"
    for input_set in sets:
        assert len(check(*input_set)) > 0


def test_same_features_without_matches():
    listings = make_listings([("zorblat", "plain text"), ("", "")])
    matches = find_matches(listings, CORPUS, SellerProfile())
    assert matches.empty
    check("no matches", listings, matches, CORPUS, SellerProfile())
    assert list(build_features(listings, matches, CORPUS).columns) == list(FEATURE_NAMES)


WORDS = ["canon", "Canon", "IPAD", "ipad", "apple", "Apple", "rolex", "universal", "acme", "generic", "for",
         "compatible with", "fits", "replacement", "case", "ink", "pg-30", "2", "2018-2023", "E6420", "(mac)",
         "[new]", "NEW", "hot sale", "2024", "replica", "inspired by", "alternative to", "like", "vs", "dupe",
         "leather", "gray", "black", "-", "/", ",", ";", "&", "®", "™", "ipad-209", "209-ipad", "canon2",
         "unix-hp", "LEGO-2024", "(", ")", "slicer", "remote", "style", "_", "for apple", "w/"]
JOINS = [" ", " ", " ", "", "-", "_", "/", ", "]
BRANDS = ["", "canon", "Apple", "acme", "generic", "Unbranded", "rolex", "Harbor Mist", "zorblat"]
CATEGORIES = ["", "Electronics", "Watches", "Computers & Tablets", "Office Products"]


@st.composite
def listing_rows(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=12))
    title = ""
    for word in words:
        title += (draw(st.sampled_from(JOINS)) if title else "") + word
    return draw(st.sampled_from(BRANDS)), title, draw(st.sampled_from(CATEGORIES))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(listing_rows(), min_size=1, max_size=8),
       own=st.sampled_from([(), ("acme",), ("acme", "harbor mist")]), authorized=st.sampled_from([(), ("rolex",)]))
def test_same_features_on_generated_titles(rows, own, authorized):
    profile = SellerProfile(name="gen", own_brands=own, authorized_brands=authorized)
    listings = make_listings(rows)
    listings["keywords"] = listings["title"].str[::-1].str.lower()  # other text in another field
    check("generated", listings, find_matches(listings, CORPUS, profile), CORPUS, profile)
