"""The action column: pull now / check authorization / fix title / review / "" (scanner.actions)."""

from __future__ import annotations

import pandas as pd
import pytest

from scanner.actions import ACTIONS, action_for, choose_actions, declares_brand
from scanner.results import RESULT_COLUMNS, assemble_results


def match(text: str, title: str, mark: str | None = None, *, field: str = "title", kind: str = "brand",
          method: str = "exact", owner: str = "", cue: str = "", counterfeit: str = "", listing: int = 0,
          own: bool = False) -> dict:
    start = title.find(text) if field == "title" else 0
    return {"listing": listing, "field": field, "start": start, "end": start + len(text), "matched_text": text,
            "mark": mark or text, "mark_key": (mark or text).lower(), "owner": owner, "method": method,
            "nominative_cue": cue, "counterfeit_cue": counterfeit, "own": own, "authorized": False,
            "mark_kind": kind}


@pytest.mark.parametrize(("title", "brand", "ms", "level", "expected"), [
    ("Rolex Submariner Style Mens Watch", "", [("Rolex", {"counterfeit": "Style"})], "high", "pull now"),
    ("Inspired by Louis Vuitton Tote", "", [("Louis Vuitton", {"counterfeit": "Inspired by"})], "high", "pull now"),
    ("Nike Air Max 90 Running Shoes", "", [("Nike", {}), ("Air Max", {"kind": "product_line"})], "high",
     "check authorization"),
    ("NEW - Genuine Canon PG-245 Ink", "", [("Canon", {})], "high", "check authorization"),
    ("Running Shoes Black", "Nike", [("Nike", {"field": "brand"})], "high", "check authorization"),
    ("Running Shoes Black", "Nike, Inc.", [("Nike", {"field": "keywords", "owner": "Nike, Inc."})], "high",
     "check authorization"),
    ("N1ke Mens Jogger Sweatpants", "", [("N1ke", {"mark": "Nike", "method": "folded"})], "high", "fix title"),
    ("Addidas Track Jacket", "", [("Addidas", {"mark": "adidas", "method": "typo"})], "high", "fix title"),
    ("Air Pods Pro Case Cover", "", [("Air Pods Pro", {"mark": "AirPods Pro", "kind": "product_line",
                                                       "method": "split"})], "high", "fix title"),
    ("Shark Tooth Pendant Necklace", "", [("Shark", {})], "high", "fix title"),
    ("Soft Throw Blanket Nike Style", "", [("Nike", {})], "high", "fix title"),
    ("Case for iPhone 15", "", [("iPhone", {"cue": "for", "kind": "product_line"})], "medium", "review"),
    ("Plain Mug", "", [], "low", ""),
])
def test_action_for(title, brand, ms, level, expected):
    recs = [match(text, title, **kw) for text, kw in ms]
    assert action_for(level, title, brand, recs) == expected


def test_counterfeit_wins_over_declared_brand():
    title = "Rolex Submariner Replica Watch"
    assert declares_brand(title, "", [match("Rolex", title)])
    assert action_for("high", title, "", [match("Rolex", title, counterfeit="Replica")]) == "pull now"


def test_choose_actions_ignores_own_marks_and_keeps_the_index():
    listings = pd.DataFrame({"title": ["Acme Running Shoes", "Nike Running Shoes", "Case for iPhone", "Mug"],
                             "brand": ["", "", "", ""]}, index=[10, 11, 12, 13])
    matches = pd.DataFrame([match("Acme", "Acme Running Shoes", listing=10, own=True),
                            match("Nike", "Nike Running Shoes", listing=11),
                            match("iPhone", "Case for iPhone", listing=12, cue="for")])
    results = pd.DataFrame({"risk_level": ["high", "high", "medium", "low"]}, index=[10, 11, 12, 13])
    got = choose_actions(results, matches, listings)
    assert got.to_dict() == {10: "fix title", 11: "check authorization", 12: "review", 13: ""}


def test_action_is_the_last_result_column_and_filled():
    # extended at the end only: action kept its place, the link columns came after it
    assert RESULT_COLUMNS[16] == "action" and RESULT_COLUMNS[:4] == ("sku", "asin", "title", "brand")
    assert RESULT_COLUMNS[17:] == ("listing_id", "product_url", "register_url")
    listings = pd.DataFrame({"sku": ["A", "B"], "asin": ["", ""], "title": ["Nike Shoes", "Nike Replica Shoes"],
                             "brand": ["", ""], "marketplace": ["US", "US"], "source_file": ["f", "f"],
                             "source_row": [2, 3]})
    matches = pd.DataFrame([match("Nike", "Nike Shoes", listing=0),
                            match("Nike", "Nike Replica Shoes", listing=1, counterfeit="Replica")])
    scores = pd.DataFrame({"risk_score": [0.9, 0.95], "risk_level": ["high", "high"]})
    res = assemble_results(listings, matches, scores)
    assert list(res.columns) == list(RESULT_COLUMNS)
    assert dict(zip(res["sku"], res["action"], strict=True)) == {"A": "check authorization", "B": "pull now"}
    assert set(res["action"]) <= set(ACTIONS)


@pytest.mark.parametrize("seed", range(5))
def test_choose_actions_is_action_for_over_every_third_party_match(seed):
    """choose_actions leaves out the matches that cannot decide an action before it makes records of them;
    the actions are those of action_for over every third-party match of each listing."""
    import random

    rng = random.Random(seed)
    words = ["Nike", "Canon", "Shark", "Acme", "Universal", "N1ke", "Rolex"]
    titles, brands, rows = [], [], []
    for lid in range(60):
        title = " ".join(rng.choice(["NEW", "Genuine", "Running", "Shoes", "Case", "for", *words])
                         for _ in range(rng.randint(2, 7)))
        titles.append(title)
        brands.append(rng.choice(["", "", "Nike", "Acme", "nike inc", None]))
        for _ in range(rng.randint(0, 4)):
            text = rng.choice([w for w in title.split() if w in words] or ["Nike"])
            rows.append(match(text, title, rng.choice([text, "Nike", "NIKE"]), listing=lid,
                              field=rng.choice(["title", "title", "brand", "keywords"]),
                              kind=rng.choice(["brand", "", "word", "product_line", None]),
                              method=rng.choice(["exact", "folded", "typo", "split"]),
                              owner=rng.choice(["", "Nike, Inc.", "Acme", None]),
                              counterfeit=rng.choice(["", "", "", "Replica"]), own=rng.random() < 0.1))
    listings = pd.DataFrame({"title": titles, "brand": brands})
    matches = pd.DataFrame(rows)
    results = pd.DataFrame({"risk_level": [rng.choice(["high", "high", "medium", "low"]) for _ in titles]})
    got = choose_actions(results, matches, listings)
    third = matches[~matches["own"]]
    want = [action_for(level, title, "" if brand is None else brand,
                       third[third["listing"] == lid].to_dict(orient="records"))
            for lid, (level, title, brand) in enumerate(zip(results["risk_level"], titles, brands, strict=True))]
    assert got.tolist() == want
    assert {"pull now", "check authorization", "fix title"} <= set(want)
