"""Known-answer cases for the matcher (tests/fixtures/match/known_answers.csv, written by hand).

Columns: ``case, field, text`` (``\\uXXXX`` and ``\\n`` escapes allowed), ``mark`` (a mark that must be found
in that field, or ``-`` for "no match at all"), then expectations every row of that mark must meet:
``method``, ``matched`` (text as written), ``nominative_cue``, ``counterfeit_cue``, ``symbol`` (empty = must
be empty), ``own``, ``authorized`` (empty = False); ``absent``: ``;``-separated marks that must not be
found in the field.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from scanner.config import load_profile
from scanner.corpus import load_corpus
from scanner.match import find_matches

HERE = Path(__file__).resolve().parent / "fixtures" / "match"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\n")


def unescape(s: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(0) == "\\n" else chr(int(m.group(1), 16)), s)


def load_cases() -> list[dict[str, str]]:
    with open(HERE / "known_answers.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        for k in ("text", "matched", "symbol", "nominative_cue", "counterfeit_cue"):
            r[k] = unescape(r[k])
    return rows


CASES = load_cases()


@pytest.fixture(scope="module")
def matched() -> pd.DataFrame:
    corpus = load_corpus(HERE / "corpus.csv")
    profile = load_profile(HERE / "seller.toml")
    listings = pd.DataFrame({
        "sku": [c["case"] for c in CASES],
        **{f: [c["text"] if c["field"] == f else "" for c in CASES]
           for f in ("title", "brand", "bullets", "description", "keywords")},
    })
    return find_matches(listings, corpus, profile)


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 80
    assert len({c["case"] for c in CASES}) == len(CASES), "case names must be unique"


@pytest.mark.parametrize("i", range(len(CASES)), ids=[c["case"] for c in CASES])
def test_known_answer(matched: pd.DataFrame, i: int) -> None:
    case = CASES[i]
    rows = matched[(matched["listing"] == i) & (matched["field"] == case["field"])]
    found = set(rows["mark"])
    for mark in filter(None, case["absent"].split(";")):
        assert mark not in found, f"{mark} must not match {case['text']!r}"
    if case["mark"] == "-":
        assert rows.empty, f"expected no match in {case['text']!r}, got {sorted(found)}"
        return
    mine = rows[rows["mark"] == case["mark"]]
    assert not mine.empty, f"{case['mark']} not found in {case['text']!r} (found {sorted(found)})"
    text = case["text"]
    for _, r in mine.iterrows():
        assert text[r["start"] : r["end"]] == r["matched_text"]
        if case["method"]:
            assert r["method"] == case["method"], case["note"]
        if case["matched"]:
            assert r["matched_text"] == case["matched"]
        assert r["nominative_cue"] == case["nominative_cue"]
        assert r["counterfeit_cue"] == case["counterfeit_cue"]
        assert r["symbol"] == case["symbol"]
        assert bool(r["own"]) is (case["own"] == "True")
        assert bool(r["authorized"]) is (case["authorized"] == "True")
        if r["method"] in ("exact", "folded", "joined", "split"):
            assert r["similarity"] == 100.0
        else:
            assert 0 < r["similarity"] < 100.0
