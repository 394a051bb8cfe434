"""Units of the report: suggested fixes, links, safe cells, CSV / JSON lines."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.links import amazon_url, tsdr_url
from scanner.report import write_csv, write_jsonl
from scanner.report.cells import MAX_CELL_CHARS, clean_text, looks_like_formula
from scanner.report.excel import estimate_lines
from scanner.report.fixes import rewrite_title, suggest_fix, tidy
from scanner.report.synthetic import synthetic_scan_result
from scanner.results import RESULT_COLUMNS


@pytest.mark.parametrize("title,spans,expected", [
    ("NIKE® Running Shoes - Black", [(0, 4)], "Running Shoes - Black"),
    ("Running Shoes by Nike (Black)", [(17, 21)], "Running Shoes (Black)"),
    ("Running Shoes (Nike)", [(15, 19)], "Running Shoes"),
    ("Forward Lego-compatible bricks", [(8, 12)], "Forward compatible bricks"),
    ("Mug, Yeti, Steel", [(5, 9)], "Mug, Steel"),
    ("Yeti's best tumbler", [(0, 4)], "best tumbler"),
])
def test_rewrite_title_removes_the_mark_and_tidies(title, spans, expected):
    assert rewrite_title(title, spans) == expected


def test_rewrite_title_nominative():
    assert rewrite_title("Case for iPhone 15 - Clear", [], [(9, 15, "for")]) == "Case compatible with iPhone 15 - Clear"
    assert rewrite_title("for iPhone case", [], [(4, 10, "for")]) == "Compatible with iPhone case"


@given(st.text(alphabet=" ,-|()abcXYZ", max_size=40))
def test_tidy_is_idempotent_and_trimmed(text):
    once = tidy(text)
    assert tidy(once) == once
    assert once == once.strip(" ,-|")


def _m(field, start, end, text, mark, **kw):
    return {"field": field, "start": start, "end": end, "matched_text": text, "mark": mark, "owner": kw.get("owner", "Owner"),
            "nominative_cue": kw.get("cue", ""), "counterfeit_cue": kw.get("fake", "")}


def test_suggest_fix_kinds():
    title = "NIKE Running Shoes"
    assert suggest_fix(title, [_m("title", 0, 4, "NIKE", "NIKE", fake="replica")]).startswith("Pull this listing")
    fix = suggest_fix(title, [_m("title", 0, 4, "NIKE", "NIKE"), _m("brand", 0, 4, "Nike", "NIKE", owner="Nike Inc.")])
    assert "Brand field: set your own brand instead of 'Nike' (a mark of 'Nike Inc.')." in fix
    assert "Title: remove 'NIKE': \u201cRunning Shoes\u201d" in fix
    fix = suggest_fix("Case for iPhone", [_m("title", 9, 15, "iPhone", "IPHONE", cue="for")])
    assert "Case compatible with iPhone" in fix and "logos" in fix
    assert suggest_fix("Mug", [_m("keywords", 0, 4, "yeti", "YETI")]) == "Search terms: remove 'yeti'."
    assert "nothing is left" in suggest_fix("NIKE", [_m("title", 0, 4, "NIKE", "NIKE")])
    assert suggest_fix("x", []) == ""


def test_links():
    assert amazon_url("b000000001", "UK") == "https://www.amazon.co.uk/dp/B000000001"
    assert amazon_url("B000000001", "DE") == "https://www.amazon.de/dp/B000000001"
    assert amazon_url("B000000001", "", "www.amazon.co.jp") == "https://www.amazon.co.jp/dp/B000000001"
    assert amazon_url("not-an-asin", "US") == "" and amazon_url("", "US") == ""
    assert tsdr_url("71112081") == ("https://tsdr.uspto.gov/#caseNumber=71112081&caseType=SERIAL_NO"
                                    "&searchType=statusSearch")
    assert tsdr_url("71112081", "EU") == "" and tsdr_url("") == "" and tsdr_url("123") == ""


def test_clean_text_and_formulas():
    assert clean_text("a\x00b\x1fc\td\ne") == "abc\td\ne"
    assert clean_text(None) == ""
    assert len(clean_text("y" * 40000)) == MAX_CELL_CHARS
    assert all(looks_like_formula(t) for t in ("=1", "+1", "-1", "@x", "\t=1", "\r=1"))
    assert not looks_like_formula("Nike shoes")


def test_estimate_lines():
    assert estimate_lines("short", 40) == 1
    assert estimate_lines("a\nb\nc", 40) == 3
    assert estimate_lines("x" * 100, 10) >= 10


def test_csv_and_jsonl_columns(tmp_path):
    result = synthetic_scan_result(30, seed=4)
    result.results.loc[result.results.index[0], "title"] = "Ünïcödé — 日本語 \"quoted\", comma"
    write_csv(result, tmp_path / "r.csv")
    write_jsonl(result, tmp_path / "r.jsonl")
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == RESULT_COLUMNS
    assert len(rows) == 30 and rows[0]["title"] == "Ünïcödé — 日本語 \"quoted\", comma"
    assert {r["risk_level"] for r in rows} <= {"high", "medium", "low"}
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    recs = [json.loads(line) for line in lines]
    assert len(recs) == 30 and tuple(recs[0]) == RESULT_COLUMNS
    assert isinstance(recs[0]["risk_score"], float) and isinstance(recs[0]["is_new"], bool)
    assert isinstance(recs[0]["source_row"], int) and recs[0]["title"].startswith("Ünïcödé")
