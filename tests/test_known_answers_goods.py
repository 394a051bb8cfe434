"""Known answers: goods relatedness, word sense, fitment without a cue, typo precision, search terms.

The cases (``fixtures/known_answers/goods_and_sense.tsv``, our own wording) are scanned as a user would,
with the shipped starter corpus and the shipped model, by a seller owning Acme, Roadmark, Voltwell and
Lumora. ``expected`` is the level, or ``|``-separated levels where the rubric allows either.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scanner.config import SellerProfile
from scanner.corpus import load_corpus
from scanner.features import build_features, match_table
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.match import find_matches
from scanner.model import load_model

CASES = Path(__file__).parent / "fixtures" / "known_answers" / "goods_and_sense.tsv"
PROFILE = SellerProfile(name="known answers", own_brands=("acme", "roadmark", "voltwell", "lumora"))


def load_cases() -> pd.DataFrame:
    rows = [line.rstrip("\n").split("\t") for line in CASES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return pd.DataFrame(rows, columns=["group", "title", "brand", "keywords", "expected"])


@pytest.fixture(scope="module")
def scored() -> pd.DataFrame:
    cases = load_cases()
    listings = pd.DataFrame({c: "" for c in CANONICAL_COLUMNS}, index=cases.index)
    listings["sku"] = [f"K{i:03d}" for i in cases.index]
    listings["title"], listings["brand"], listings["keywords"] = cases["title"], cases["brand"], cases["keywords"]
    listings["marketplace"], listings["source_file"] = "US", CASES.name
    listings["source_row"] = cases.index + 1
    corpus = load_corpus(None)
    matches = find_matches(listings, corpus, PROFILE)
    table = match_table(listings, matches, corpus, PROFILE)
    scores = load_model(None).predict(build_features(listings, matches, corpus, PROFILE, table=table))
    return cases.assign(level=scores["risk_level"].to_numpy(), score=scores["risk_score"].to_numpy())


def test_table_is_large_and_every_case_can_fail():
    cases = load_cases()
    assert len(cases) >= 60
    assert not (cases["expected"].str.split("|").map(len) >= 3).any()


#: Share of each group's cases the shipped model must answer right. 1.0 = every case (a regression there is a
#: bug); below 1.0 = the measured share of the shipped model rounded down (docs/model.md lists the misses:
#: ordinary-word senses on unrelated goods and fitment without a cue are still weak spots).
FLOORS = {"ink": 1.0, "kw": 1.0, "trivia": 1.0, "unknown": 1.0, "same": 0.9, "typo": 0.8, "sense": 0.6, "fit": 0.35}


def test_every_group_has_a_floor():
    assert set(load_cases()["group"]) == set(FLOORS)


@pytest.mark.parametrize("group", sorted(load_cases()["group"].unique()))
def test_known_answers(scored, group):
    part = scored[scored["group"] == group]
    wrong = part[[lvl not in exp.split("|") for lvl, exp in zip(part["level"], part["expected"], strict=True)]]
    share = 1 - len(wrong) / len(part)
    assert share >= FLOORS[group], (f"{group}: {share:.2f} right, floor {FLOORS[group]:.2f}\n"
                                    + wrong[["title", "brand", "keywords", "expected", "level", "score"]].to_string())
