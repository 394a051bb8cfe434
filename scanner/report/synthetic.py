"""A synthetic but realistic scan result, for the report benchmark, tests and trying the workbook out.

Nothing here is real seller data: titles are built from templates; the marks are well-known brand names
(the starter corpus) and three records of the USPTO daily file excerpt with their real serial numbers.
"""

from __future__ import annotations

import random

import pandas as pd

from ..config import SellerProfile
from ..corpus.schema import MARK_COLUMNS, Corpus, content_hash
from ..listings.schema import CANONICAL_COLUMNS, FileStats
from ..match import MATCH_COLUMNS
from ..results import assemble_results
from ..text import brand_key

_MARKS = [  # mark, owner, classes, status, serial_number
    ("NIKE", "Nike Inc.", "25", "live", ""),
    ("LEGO", "LEGO Juris A/S", "28", "live", ""),
    ("IPHONE", "Apple Inc.", "9", "live", ""),
    ("YETI", "YETI Coolers LLC", "21", "live", ""),
    ("STANLEY", "Stanley Black & Decker Inc.", "8;21", "live", ""),
    ("CANON", "Canon Inc.", "2;9", "live", ""),
    ("CUTEX", "CUTEX, INC.", "8", "live", "71112081"),
    ("CARBOLINE", "CARBOLINE INTERNATIONAL CORPORATION", "1;2;3;19", "live", "72244547"),
    ("TUSIMPLE", "TuSimple", "9;12;39;42", "pending", "87310367"),
]
_PRODUCTS = ["Running Shoes for Men, Lightweight Breathable Sneakers", "Stainless Steel Tumbler 30 oz with Lid",
             "Building Bricks Set, 1000 Pieces", "Nail Polish Remover Pads, 60 Count", "Clear Phone Case, Shockproof",
             "Camera Battery Charger, Dual Slot", "Anti-Corrosion Coating, 1 Gallon", "Insulated Water Bottle, Black",
             "Kids Hoodie, Cotton Blend, Navy", "Hammer Set with Fiberglass Handles"]
_PLAIN = ["Organic Cotton Tote Bag, Reusable Grocery Bag with Long Handles", "LED Desk Lamp with USB Charging Port",
          "Silicone Baking Mats, Set of 3, Non-Stick", "Bamboo Cutting Board with Juice Groove, Extra Large",
          "Yoga Mat 6mm, Non-Slip, with Carrying Strap", "Ceramic Coffee Mug 12 oz, Matte White",
          "Wireless Mouse, 2.4 GHz, Silent Click", "Garden Hose Nozzle, 8 Spray Patterns"]


def synthetic_corpus() -> Corpus:
    """The marks the synthetic listings use."""
    rows = [{"mark": m, "owner": o, "nice_classes": c, "status": s, "jurisdiction": "US", "serial_number": n,
             "kind": "brand", "source": "synthetic"} for m, o, c, s, n in _MARKS]
    marks = pd.DataFrame(rows).reindex(columns=list(MARK_COLUMNS), fill_value="").fillna("")
    return Corpus(marks=marks, info={"name": "synthetic", "content_hash": content_hash(marks),
                                     "sources": ["scanner.report.synthetic"], "counts": {"marks": len(marks)}})


def synthetic_scan_result(n: int, *, seed: int = 0, marketplace: str = "US"):
    """A :class:`~scanner.pipeline.ScanResult` of ``n`` listings: about 10% high, 12% medium risk."""
    from ..scan_result import ScanResult

    rng = random.Random(seed)
    corpus = synthetic_corpus()
    listings, matches, scores = [], [], []

    def hit(i: int, fld: str, text: str, mark_id: int, start: int, cue: str = "", fake: str = "") -> None:
        mark, owner = _MARKS[mark_id][0], _MARKS[mark_id][1]
        end = start + len(mark)
        matches.append({"listing": i, "field": fld, "start": start, "end": end, "matched_text": text[start:end],
                        "mark_id": mark_id, "mark": mark, "mark_key": brand_key(mark), "owner": owner,
                        "method": "folded", "similarity": 100.0, "position": len(text[:start].split()),
                        "symbol": "", "nominative_cue": cue, "counterfeit_cue": fake, "own": False,
                        "authorized": False})

    for i in range(n):
        kind = rng.random()
        mark_id = rng.randrange(len(_MARKS))
        mark = _MARKS[mark_id][0].capitalize() if rng.random() < 0.5 else _MARKS[mark_id][0]
        product = rng.choice(_PRODUCTS)
        keywords = "gift idea present"
        score = rng.uniform(0.01, 0.25)
        if kind < 0.08:
            title = f"{mark} {product}"
            hit(i, "title", title, mark_id, 0)
            score = rng.uniform(0.72, 0.98)
        elif kind < 0.10:
            title = f"{product} - {mark} inspired replica"
            hit(i, "title", title, mark_id, title.index(mark), fake="inspired")
            score = rng.uniform(0.9, 0.99)
        elif kind < 0.20:
            title = f"{product.split(',')[0]} for {mark}, Premium Quality"
            hit(i, "title", title, mark_id, title.index(mark), cue="for")
            score = rng.uniform(0.3, 0.69)
        elif kind < 0.22:
            title = rng.choice(_PLAIN)
            keywords = f"{mark.lower()} gift idea"
            hit(i, "keywords", keywords, mark_id, 0)
            score = rng.uniform(0.3, 0.6)
        else:
            title = rng.choice(_PLAIN)
        listings.append({"sku": f"SKU-{i:06d}", "asin": f"B0{i:08d}", "title": title, "brand": "Acme",
                         "bullets": "Durable\nEasy to clean", "description": f"{title}. Ships in 2 days.",
                         "keywords": keywords, "category": "", "marketplace": marketplace,
                         "source_file": "All+Listings+Report.txt", "source_row": i + 2})
        scores.append(score)
    lst = pd.DataFrame(listings, columns=list(CANONICAL_COLUMNS))
    mt = pd.DataFrame(matches, columns=list(MATCH_COLUMNS))
    s = pd.Series(scores, index=lst.index)
    level = pd.Series("low", index=lst.index).mask(s >= 0.3, "medium").mask(s >= 0.7, "high")
    profile = SellerProfile(name="Acme Trading", marketplace=marketplace)
    results = assemble_results(lst, mt, pd.DataFrame({"risk_score": s, "risk_level": level}), profile=profile,
                               marks=corpus.marks)
    rejected = pd.DataFrame([{"source_file": "All+Listings+Report.txt", "source_row": n + 2, "column": "item-name",
                              "reason": "empty title", "raw": "\tdesc\tid\tSKU-X"}])
    return ScanResult(
        results=results, listings=lst, matches=mt, rejected=rejected,
        files=[FileStats("All+Listings+Report.txt", "amazon-all-listings", "cp1252", rows_read=n + 1, rows_ok=n,
                         rows_rejected=1)],
        corpus_info={**corpus.info, "marks": len(corpus)}, model_info={"name": "synthetic", "kind": "rules"},
        thresholds={"medium": 0.3, "high": 0.7}, profile=profile,
        started="2026-01-05T09:00:00+00:00", corpus=corpus, finished="2026-01-05T09:00:10+00:00",
        extra={"scanner_version": "synthetic"},
    )
