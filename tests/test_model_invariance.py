"""Metamorphic tests: a listing's risk level does not flip on trivia.

Case changes, trivia words before or after the title ("NEW", "hot sale", "2024"), such a word joined to the
title by "-", "_" or "/", and extra white space leave every level of the demo catalogue and of the written
cases unchanged, and the score moves by at most :data:`TOLERANCE`. Hypothesis draws the transformations;
each example rescans the whole set with the shipped model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.config import load_profile
from scanner.corpus import load_corpus
from scanner.features import build_features, match_table
from scanner.listings import read_listings
from scanner.match import find_matches
from scanner.model import load_model

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "training" / "cases"
TOLERANCE = 0.05

TRIVIA = ["new", "NEW", "New", "hot sale", "HOT SALE", "2024", "2025", "brand new", "[NEW]", "Latest"]
JOINS = [" ", "-", "_", "/", "  "]


def _sets():
    out = [("demo", read_listings([REPO / "examples" / "All+Listings+Report.txt"]).listings,
            load_corpus(None), load_profile(REPO / "examples" / "seller.toml"))]
    corpus = load_corpus(CASES / "corpus.csv")
    for labels in sorted(CASES.glob("labels_*.csv")):
        seller = labels.stem.removeprefix("labels_")
        out.append((seller, read_listings([CASES / f"listings_{seller}.tsv"]).listings, corpus,
                    load_profile(CASES / f"seller_{seller}.toml")))
    return out


@pytest.fixture(scope="module")
def sets():
    model = load_model(None)
    prepared = []
    for name, listings, corpus, profile in _sets():
        prepared.append((name, listings, corpus, profile, _score(listings, corpus, profile, model)))
    return model, prepared


def _score(listings: pd.DataFrame, corpus, profile, model) -> pd.DataFrame:
    matches = find_matches(listings, corpus, profile)
    table = match_table(listings, matches, corpus, profile)
    return model.predict(build_features(listings, matches, corpus, profile, table=table))


def _transform(title: str, case: str, prefix: str | None, suffix: str | None, join: str) -> str:
    if case == "upper":
        title = title.upper()
    elif case == "lower":
        title = title.lower()
    elif case == "title":
        title = " ".join(w[:1].upper() + w[1:].lower() for w in title.split(" "))
    if prefix:
        title = prefix + join + title
    if suffix:
        title = title + join + suffix
    return title


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(["keep", "upper", "lower", "title"]),
       prefix=st.none() | st.sampled_from(TRIVIA), suffix=st.none() | st.sampled_from(TRIVIA),
       join=st.sampled_from(JOINS))
def test_levels_do_not_flip_on_trivia(sets, case, prefix, suffix, join):
    model, prepared = sets
    for name, listings, corpus, profile, before in prepared:
        changed = listings.copy()
        changed["title"] = changed["title"].map(lambda t: _transform(t, case, prefix, suffix, join))
        after = _score(changed, corpus, profile, model)
        flipped = before["risk_level"] != after["risk_level"]
        detail = pd.DataFrame({"before": listings["title"], "after": changed["title"],
                               "was": before["risk_level"], "now": after["risk_level"]})[flipped]
        assert not flipped.any(), f"{name}: {int(flipped.sum())} levels flipped\n{detail.head(8).to_string()}"
        drift = np.abs(before["risk_score"].to_numpy() - after["risk_score"].to_numpy())
        assert drift.max() <= TOLERANCE, f"{name}: score moved by {drift.max():.3f}"
