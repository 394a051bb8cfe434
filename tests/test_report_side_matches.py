"""The report shows a risky listing's evidence without its side matches (ordinary words beside it:
:func:`scanner.features.side_mask`), as the results' marks, owners and reasons already leave them out; and
``scanner scan`` keeps only the matches the report shows (``evidence_only``), with the same workbook."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scanner.cli import cli
from scanner.config import ScanConfig, SellerProfile
from scanner.corpus import load_corpus
from scanner.listings import read_listings
from scanner.model import load_model
from scanner.pipeline import scan
from scanner.report import write_excel
from scanner.scoring import evidence_rows, score_in_batches, score_listings
from tests.test_weekly import write_all_listings

#: Titles where the starter corpus finds a brand and an ordinary word beside it ("Universal", "UPS"), a
#: listing where that word is the only match, and listings with nothing or the seller's own brand.
TITLES = {
    "S1": "Targus Universal Laptop Backpack with Padded Compartment for 15.6 inch Notebooks, Black",
    "S2": "Scosche Universal Magnetic Phone Mount for Car Dash and Windshield",
    "S3": "APC Back-UPS 600VA UPS Battery Backup and Surge Protector",
    "S4": "Universal Remote Control Replacement for Most TVs",
    "S5": "Smead Kraft File Folders, 1/3-Cut Tab, Letter Size, 100 per Box",
    "S6": "Plain Ceramic Coffee Mug 12 oz",
    "S7": "Harbor Mist Floor Liners for 2018-2023 Sedans",
}
PROFILE = SellerProfile(name="t", own_brands=("Harbor Mist",))


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    path = write_all_listings(tmp_path_factory.mktemp("side") / "All+Listings+Report.txt", TITLES)
    listings = read_listings([path]).listings
    corpus, model = load_corpus(), load_model()
    matches, results = score_listings(listings, corpus, model, PROFILE)
    return path, listings, corpus, model, matches, results


def _marks(results: pd.DataFrame, sku: str) -> list[str]:
    return [m for m in results.set_index("sku").loc[sku, "marks"].split(";") if m]


def test_side_matches_are_flagged_and_left_out_of_the_results(scored):
    *_, matches, results = scored
    sku = dict(zip(results.index, results["sku"], strict=True))
    side = matches[matches["side_match"]]
    # the fixture has side matches, of risky listings, that the results' marks leave out
    assert len(side) >= 2
    for _, row in side.iterrows():
        assert results.loc[row["listing"], "risk_level"] != "low"
        assert row["mark"] not in _marks(results, sku[row["listing"]])
    # "Universal" alone is that listing's evidence, not a side match
    alone = matches[matches["listing"] == results.index[results["sku"] == "S4"][0]]
    assert not alone.empty and not alone["side_match"].any()


def test_the_workbook_marks_are_the_results_marks(scored, tmp_path):
    path, listings, corpus, model, *_ = scored
    result = scan(ScanConfig(listings=[path], profile=PROFILE), corpus=corpus, model=model)
    write_excel(result, tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx", read_only=True)
    shown = 0
    for name in ("High risk", "Review"):
        rows = list(wb[name].iter_rows(values_only=True))
        head = rows[0]
        for row in rows[1:]:
            cells = dict(zip(head, row, strict=False))
            want = _marks(result.results, cells["SKU"])
            assert [m for m in (cells["Marks"] or "").split("; ") if m] == want, cells["SKU"]
            for word in ("Universal", "UPS"):  # the side words are neither listed nor in another column
                if word not in want:
                    assert word not in str(cells["Other fields"] or "")
            shown += 1
    assert shown >= 4


def test_evidence_rows_are_the_risky_listings_third_party_non_side_matches(scored):
    *_, matches, results = scored
    kept = evidence_rows(matches, results)
    assert 0 < len(kept) < len(matches)
    levels = results["risk_level"].reindex(kept["listing"])
    assert (levels != "low").all()
    assert not kept["side_match"].any() and not kept["own"].any() and not kept["authorized"].any()
    # nothing else is left out: every risky listing's third-party non-side match is kept
    risky = results.index[results["risk_level"] != "low"]
    expected = matches[matches["listing"].isin(risky) & ~matches["side_match"] & ~matches["own"]
                       & ~matches["authorized"]]
    pd.testing.assert_frame_equal(kept, expected)
    assert evidence_rows(matches.iloc[:0], results).empty


def test_evidence_only_scores_the_same_and_keeps_fewer_matches(scored):
    _, listings, corpus, model, matches, results = scored
    got_m, got_r = score_in_batches(listings, corpus, model, PROFILE, rows=3, evidence_only=True)
    pd.testing.assert_frame_equal(got_r, results)
    pd.testing.assert_frame_equal(got_m, evidence_rows(matches, results).reset_index(drop=True))


def test_the_scan_command_keeps_only_the_report_matches_with_the_same_workbook(scored, tmp_path, monkeypatch):
    path, _, corpus, model, *_ = scored
    full = scan(ScanConfig(listings=[path], profile=PROFILE), corpus=corpus, model=model)
    lean = scan(ScanConfig(listings=[path], profile=PROFILE, evidence_only=True), corpus=corpus, model=model)
    assert len(lean.matches) < len(full.matches)
    books = {}
    for result, name in ((full, "full.xlsx"), (lean, "lean.xlsx")):
        write_excel(result, tmp_path / name)
        books[name] = load_workbook(tmp_path / name, read_only=True)
    sheets = [{ws: list(wb[ws].iter_rows(values_only=True)) for ws in ("High risk", "Review")} for wb in books.values()]
    assert sheets[0] == sheets[1]
    # and the command keeps only the report's matches, with that workbook
    import scanner.pipeline as pipeline

    kept = []
    real = pipeline.run_scan

    def recording(config, **kwargs):
        result = real(config, **kwargs)
        kept.append((config.evidence_only, len(result.matches)))
        return result

    monkeypatch.setattr(pipeline, "run_scan", recording)
    out = tmp_path / "cli"
    res = CliRunner().invoke(cli, ["scan", str(path), "--out", str(out / "r.xlsx"), "--no-history", "-q"])
    assert res.exit_code == 0, res.output
    assert kept == [(True, len(lean.matches))]
    # the columns of the evidence are those of the library's scan with every match (not "New": the history)
    assert _evidence_cells(load_workbook(out / "r.xlsx", read_only=True)) == _evidence_cells(books["full.xlsx"])


EVIDENCE_COLUMNS = ("SKU", "Title", "Marks", "Suggested fix", "Owners", "Other fields", "Status", "Classes",
                    "Register record")


def _evidence_cells(wb) -> dict[str, list[tuple]]:
    out = {}
    for ws in ("High risk", "Review"):
        rows = list(wb[ws].iter_rows(values_only=True))
        at = [rows[0].index(c) for c in EVIDENCE_COLUMNS]
        out[ws] = [tuple(r[i] for i in at) for r in rows[1:]]
    return out
