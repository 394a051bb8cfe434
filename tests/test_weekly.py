"""Two weeks of the seller's workflow, end to end through the CLI: scan, decide in the workbook, edit one
listing, scan again with --previous; then the history, diff and decisions carried by the history alone."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scanner.cli import cli

#: Amazon All Listings Report (GET_MERCHANT_LISTINGS_ALL_DATA) default layout: 28 columns + status.
ALL_LISTINGS_HEADER = [
    "item-name", "item-description", "listing-id", "seller-sku", "price", "quantity", "open-date", "image-url",
    "item-is-marketplace", "product-id-type", "zshop-shipping-fee", "item-note", "item-condition",
    "zshop-category1", "zshop-browse-path", "zshop-storefront-feature", "asin1", "asin2", "asin3",
    "will-ship-internationally", "expedited-shipping", "zshop-boldface", "product-id",
    "bid-for-featured-placement", "add-delete", "pending-quantity", "fulfillment-channel",
    "merchant-shipping-group", "status",
]


def write_all_listings(path: Path, listings: dict[str, str]) -> Path:
    """An All Listings Report (tab-separated, cp1252) with ``{sku: title}``."""
    lines = ["\t".join(ALL_LISTINGS_HEADER)]
    for i, (sku, title) in enumerate(listings.items(), start=1):
        row = dict.fromkeys(ALL_LISTINGS_HEADER, "")
        asin = f"B0TEST{i:04d}"
        row.update({"item-name": title, "seller-sku": sku, "price": "19.99", "quantity": "5",
                    "open-date": "2025-01-06 10:00:00 PST", "item-is-marketplace": "y", "product-id-type": "1",
                    "item-condition": "11", "asin1": asin, "product-id": asin, "fulfillment-channel": "DEFAULT",
                    "merchant-shipping-group": "Migrated Template", "status": "Active"})
        lines.append("\t".join(row[h] for h in ALL_LISTINGS_HEADER))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


WEEK1 = {
    "A1": "NIKE Running Shoes for Men, Black",
    "A2": "Phone Case for IPHONE 15, Clear",
    "A3": "YETI Tumbler 30 oz Stainless",
    "A4": "LEGO Building Bricks Set 500 Pieces",
    "A5": "Plain Ceramic Coffee Mug 12 oz",
    "A6": "CANON Camera Battery Charger",
}
WEEK2 = {**WEEK1, "A4": "LEGO Building Bricks Set 1000 Pieces", "A5": "NIKE Ceramic Coffee Mug 12 oz",
         "A7": "STANLEY Thermos Bottle 1 L"}


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["sku"]: r for r in csv.DictReader(fh)}


def rows_by_sku(wb, sheet: str) -> dict[str, dict[str, object]]:
    ws = wb[sheet]
    it = ws.iter_rows(values_only=True)
    header = list(next(it))
    return {r[header.index("SKU")]: dict(zip(header, r, strict=True)) for r in it}


def decide(path: Path, decisions: dict[str, str], sheet_for: dict[str, str]) -> None:
    """What the seller does: open the workbook, pick values in the Decision column, save."""
    wb = load_workbook(path)
    for sku, value in decisions.items():
        ws = wb[sheet_for[sku]]
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if row[header.index("SKU")].value == sku:
                row[header.index("Decision")].value = value
                break
        else:
            raise AssertionError(f"{sku} not on {sheet_for[sku]}")
    wb.save(path)


@pytest.fixture
def weeks(tmp_path, fixtures):
    corpus = fixtures / "report" / "marks.csv"
    profile = tmp_path / "seller.toml"
    shutil.copy(fixtures / "report" / "seller.toml", profile)
    hist = tmp_path / "history"
    common = ["--corpus", str(corpus), "--config", str(profile), "--history", str(hist)]
    return tmp_path, common, hist, profile


def test_two_weeks(weeks):
    tmp, common, hist, profile = weeks
    # week 1
    l1 = write_all_listings(tmp / "week1.txt", WEEK1)
    out1 = run("scan", str(l1), "--out", str(tmp / "r1.xlsx"), "--csv", str(tmp / "r1.csv"), *common)
    assert "first scan of this seller" in out1
    r1 = read_csv(tmp / "r1.csv")
    risky1 = {s for s, r in r1.items() if r["risk_level"] in ("high", "medium")}
    assert {"A1", "A2", "A3", "A4", "A6"} <= risky1 and "A5" not in risky1, "fixture listings not risky as expected"
    assert all(r1[s]["is_new"] == "True" for s in risky1) and r1["A5"]["is_new"] == "False"
    sheet_for = {s: "High risk" if r1[s]["risk_level"] == "high" else "Review" for s in risky1}
    sheet_for["A5"] = "All listings"
    decide(tmp / "r1.xlsx", {"A1": "pull", "A2": " Edit ", "A3": "keep", "A4": "KEEP", "A6": "authorized",
                             "A5": "maybe"}, sheet_for)

    # week 2: A4's title was edited, A5 now uses a mark, A7 is a new listing
    l2 = write_all_listings(tmp / "week2.txt", WEEK2)
    out2 = run("scan", str(l2), "--out", str(tmp / "r2.xlsx"), "--csv", str(tmp / "r2.csv"), "--previous",
               str(tmp / "r1.xlsx"), *common)
    assert "'maybe' is not a decision" in out2 and "'All listings' row" in out2
    assert "authorized_brands = [\"CANON\"]" in out2 and f"--update-profile {profile}" in out2  # the --config given
    r2 = read_csv(tmp / "r2.csv")
    assert r2["A1"]["decision"] == "pull" and r2["A2"]["decision"] == "edit"
    assert r2["A3"]["decision"] == "keep" and r2["A6"]["decision"] == "authorized"
    assert r2["A4"]["decision"] == ""  # its text changed: the 'keep' no longer applies
    new2 = {s for s, r in r2.items() if r["is_new"] == "True"}
    assert new2 == {"A5", "A7"}

    wb = load_workbook(tmp / "r2.xlsx")
    kept = rows_by_sku(wb, "Kept")
    assert set(kept) == {"A3", "A6"}
    assert kept["A3"]["Decision"] == "keep" and kept["A6"]["Decision"] == "authorized"
    assert str(kept["A3"]["Decided on"])[:2] == "20"
    risk = {**rows_by_sku(wb, "High risk"), **rows_by_sku(wb, "Review")}
    assert "A3" not in risk and "A6" not in risk
    assert risk["A4"]["Since last scan"].startswith("text changed since you decided 'keep' on 20")
    assert risk["A4"]["Decision"] is None
    assert risk["A1"]["Decision"] == "pull" and "you decided 'pull' on" in risk["A1"]["Since last scan"]
    assert risk["A5"]["New"] == "new" and risk["A7"]["New"] == "new" and risk["A1"]["New"] is None

    # the history and the diff
    listing = json.loads(run("history", "--history", str(hist), "--json"))
    assert [s["id"] for s in listing] == [2, 1]
    assert listing[0]["counts"]["new"] == 2 and listing[0]["counts"]["kept"] == 2
    assert listing[0]["files"][0]["rows_read"] == 7 and listing[0]["corpus_name"] == "marks.csv"
    assert "Acme Trading" in run("history", "--history", str(hist))
    d = json.loads(run("diff", "previous", "last", "--history", str(hist), "--json"))
    assert {r["sku"] for r in d["newly_risky"]} == {"A5", "A7"}
    assert d["resolved"] == []
    assert {r["sku"]: r["what"] for r in d["changed"]} == {"A4": "text changed"}
    text = run("diff", "1", "2", "--history", str(hist))
    assert "newly risky (2)" in text and "resolved (0)" in text and "changed (1)" in text

    # week 3: no --previous; the decisions come from the history
    run("scan", str(l2), "--out", str(tmp / "r3.xlsx"), "--csv", str(tmp / "r3.csv"), *common)
    r3 = read_csv(tmp / "r3.csv")
    assert r3["A3"]["decision"] == "keep" and r3["A1"]["decision"] == "pull"
    assert not any(r["is_new"] == "True" for r in r3.values())
    assert set(rows_by_sku(load_workbook(tmp / "r3.xlsx"), "Kept")) == {"A3", "A6"}

    # the seller accepts the suggestion: CANON goes into the profile, the rest of the file is kept
    before = profile.read_text(encoding="utf-8")
    out = run("decisions", "import", str(tmp / "r1.xlsx"), "--history", str(hist), "--update-profile", str(profile))
    assert "added to authorized_brands" in out and "CANON" in out
    after = profile.read_text(encoding="utf-8")
    assert "# Seller profile used by the weekly-workflow tests." in after and "# licence 2025-03" in after
    assert "[notes]" in after and after.replace('    "CANON",\n', "") == before
    assert (profile.parent / "seller.toml.bak").read_text(encoding="utf-8") == before
    run("scan", str(l2), "--out", str(tmp / "r4.xlsx"), "--csv", str(tmp / "r4.csv"), *common)
    assert read_csv(tmp / "r4.csv")["A6"]["risk_level"] == "low"  # authorized marks are never a risk


def test_no_history_with_previous_uses_the_report(weeks):
    tmp, common, hist, _profile = weeks
    common = [c for c in common if c not in ("--history", str(hist))] + ["--no-history"]
    l1 = write_all_listings(tmp / "week1.txt", WEEK1)
    run("scan", str(l1), "--out", str(tmp / "r1.xlsx"), "--csv", str(tmp / "r1.csv"), *common)
    r1 = read_csv(tmp / "r1.csv")
    decide(tmp / "r1.xlsx", {"A3": "keep"}, {"A3": "High risk" if r1["A3"]["risk_level"] == "high" else "Review"})
    l2 = write_all_listings(tmp / "week2.txt", WEEK2)
    run("scan", str(l2), "--out", str(tmp / "r2.xlsx"), "--csv", str(tmp / "r2.csv"), "--previous",
        str(tmp / "r1.xlsx"), *common)
    r2 = read_csv(tmp / "r2.csv")
    assert {s for s, r in r2.items() if r["is_new"] == "True"} == {"A5", "A7"}
    assert r2["A3"]["decision"] == "keep"
    assert not hist.exists()
    assert not (Path.home() / ".local" / "share" / "scanner").exists()


def test_a_keep_on_one_of_two_listings_sharing_a_sku_does_not_call_the_other_edited(weeks):
    tmp, common, hist, _profile = weeks
    common = [c for c in common if c not in ("--history", str(hist))] + ["--no-history"]
    a = write_all_listings(tmp / "a.txt", {"SAME": "NIKE Running Shoes for Men, Black"})
    b = write_all_listings(tmp / "b.txt", {"SAME": "YETI Tumbler 30 oz Stainless"})
    run("scan", str(a), str(b), "--out", str(tmp / "r1.xlsx"), *common)
    wb = load_workbook(tmp / "r1.xlsx")
    for ws in (wb["High risk"], wb["Review"]):
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if row[header.index("Title")].value and "NIKE" in row[header.index("Title")].value:
                row[header.index("Decision")].value = "keep"
    wb.save(tmp / "r1.xlsx")
    run("scan", str(a), str(b), "--out", str(tmp / "r2.xlsx"), "--previous", str(tmp / "r1.xlsx"), *common)
    wb = load_workbook(tmp / "r2.xlsx")
    notes = {}
    for ws in (wb["High risk"], wb["Review"]):
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2, values_only=True):
            if row[header.index("Title")]:
                notes[row[header.index("Title")][:4]] = row[header.index("Since last scan")] or ""
    assert "text changed" not in notes["YETI"] and "its SKU is on several listings" in notes["YETI"]
    summary = [c for r in wb["Summary"].iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert not any("whose text changed" in c for c in summary)
