"""Input sets for the feature equivalence test (``tests/test_features_equivalence.py``): listings, the
matcher's matches, a corpus and a seller profile, read the way a scan reads them.

* the written cases of ``training/cases/`` (each ``listings_*.tsv`` with its ``seller_*.toml`` and
  ``corpus.csv``), also scanned with an empty profile (no own brands: other branches of the features);
* the known-answer tables of ``tests/fixtures/known_answers/`` against the starter corpus, as
  ``tests/test_known_answers.py`` scans them;
* the demo catalogue of ``examples/`` with its ``seller.toml``;
* with ``shared`` (``../shared/data``): the devset's ``listings_*.tsv`` with its corpus and sellers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from scanner.config import SellerProfile, load_profile
from scanner.corpus import Corpus, load_corpus
from scanner.listings import read_listings
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.match import find_matches

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "training" / "cases"
KNOWN = Path(__file__).parent / "fixtures" / "known_answers"
KNOWN_PROFILE = SellerProfile(name="known answers", own_brands=("acme", "roadmark", "voltwell", "lumora"))

InputSet = tuple[str, pd.DataFrame, pd.DataFrame, Corpus, SellerProfile]


def _scan(name: str, listings: pd.DataFrame, corpus: Corpus, profile: SellerProfile) -> InputSet:
    return name, listings, find_matches(listings, corpus, profile), corpus, profile


def known_answer_listings(name: str) -> pd.DataFrame:
    """A known-answer table as listings (title, brand, keywords), as ``tests/test_known_answers.py`` builds them."""
    rows = [line.rstrip("\n").split("\t") for line in (KNOWN / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    cases = pd.DataFrame(rows, columns=["group", "title", "brand", "keywords", "expected"])
    listings = pd.DataFrame({c: "" for c in CANONICAL_COLUMNS}, index=cases.index)
    listings["sku"] = [f"K{i:03d}" for i in cases.index]
    listings["title"], listings["brand"], listings["keywords"] = cases["title"], cases["brand"], cases["keywords"]
    listings["marketplace"], listings["source_file"] = "US", name
    listings["source_row"] = cases.index + 1
    return listings


def input_sets(shared: Path | None = None) -> Iterator[InputSet]:
    """Every input set (see the module docstring); ``shared`` adds the devset."""
    corpus = load_corpus(CASES / "corpus.csv")
    for path in sorted(CASES.glob("listings_*.tsv")):
        seller = path.stem.removeprefix("listings_")
        listings = read_listings([path]).listings
        yield _scan(f"cases_{seller}", listings, corpus, load_profile(CASES / f"seller_{seller}.toml"))
        yield _scan(f"cases_{seller}_no_profile", listings, corpus, SellerProfile())
    starter = load_corpus(None)
    for path in sorted(KNOWN.glob("*.tsv")):
        yield _scan(f"known_{path.stem}", known_answer_listings(path.name), starter, KNOWN_PROFILE)
    demo = read_listings([REPO / "examples" / "All+Listings+Report.txt"]).listings
    yield _scan("demo", demo, starter, load_profile(REPO / "examples" / "seller.toml"))
    if shared is not None:
        dev = shared / "devset"
        dev_corpus = load_corpus(dev / "corpus.csv")
        for path in sorted(dev.glob("listings_*.tsv")):
            seller = path.stem.removeprefix("listings_")
            profile = dev / f"seller_{seller}.toml"
            yield _scan(f"devset_{seller}", read_listings([path]).listings, dev_corpus,
                        load_profile(profile) if profile.exists() else SellerProfile())
