"""Complaints joined to listings -> labels; marks and owners -> watch list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scanner.errors import ConfigError, InputError
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.notices import (
    LABEL_COLUMNS,
    NOTICE_COLUMNS,
    WATCHLIST_COLUMNS,
    build_labels,
    build_watchlist,
    import_notices,
    load_watchlist,
    make_labels,
    parse_types,
    write_table,
)

FIX = Path(__file__).resolve().parent / "fixtures" / "notices"


def notice(**fields: str) -> dict[str, str]:
    return {c: "" for c in NOTICE_COLUMNS} | fields


def listings(*rows: tuple[str, str, str]) -> pd.DataFrame:
    recs = [{c: "" for c in CANONICAL_COLUMNS} | {"sku": s, "asin": a, "title": t, "source_row": i + 2}
            for i, (s, a, t) in enumerate(rows)]
    return pd.DataFrame(recs, columns=list(CANONICAL_COLUMNS))


LISTINGS = listings(
    ("SKU-A", "B0TEST0001", "Fabrikam Style Bottle"),
    ("SKU-B", "B0TEST0099", "Travel Tumbler"),
    ("SKU-C", "", "Glider Kit  for KIDS"),
    ("SKU-D", "B0TEST0004", "Cutting Board"),
    ("", "B0TEST0005", "No sku listing"),
    ("SKU-F", "B0TEST0006", "Canvas Art"),
)


def test_join_by_asin_then_sku_then_title():
    notices = pd.DataFrame([
        notice(asin="B0TEST0001", infringement_type="trademark", trademark="FABRIKAM",
               rights_owner="Fabrikam Brands Inc.", complaint_id="1", notice_date="2024-03-05"),
        notice(asin="B0TEST0015", sku="SKU-B", infringement_type="trademark", complaint_id="2"),
        notice(asin="B0TEST0016", title="glider kit for kids", infringement_type="suspected"),
        notice(asin="B0TEST0017", sku="SKU-NONE", title="Something else", infringement_type="trademark",
               complaint_id="4"),
    ])
    result = build_labels(notices, LISTINGS)
    labels = result.labels
    assert list(labels.columns) == list(LABEL_COLUMNS)
    assert list(labels["sku"]) == ["SKU-A", "SKU-B", "SKU-C"]
    assert list(labels["label"]) == [2, 2, 2]
    assert labels["note"].str.extract(r"matched by (\w+)")[0].tolist() == ["asin", "sku", "title"]
    first = labels.iloc[0]
    assert (first["asin"], first["marks"], first["owners"], first["complaint_id"]) == (
        "B0TEST0001", "fabrikam", "fabrikam brands inc.", "1")
    assert "2024-03-05" in first["note"]
    assert result.counts["matched_by_asin"] == 1
    assert (result.counts["matched_by_sku"], result.counts["matched_by_title"]) == (1, 1)
    assert list(result.unmatched["asin"]) == ["B0TEST0017"]
    assert result.counts["unmatched"] == 1 and result.counts["high"] == 3


def test_asin_wins_over_sku_and_several_complaints_on_one_listing_are_combined():
    notices = pd.DataFrame([
        notice(asin="B0TEST0004", sku="SKU-A", infringement_type="trademark", trademark="CONTOSO",
               rights_owner="Contoso Home Ltd", complaint_id="10"),
        notice(asin="B0TEST0004", infringement_type="counterfeit", trademark="LITWARE", rights_owner="Litware",
               complaint_id="11"),
    ])
    labels = build_labels(notices, LISTINGS).labels
    assert list(labels["sku"]) == ["SKU-D"]
    row = labels.iloc[0]
    assert (row["marks"], row["owners"], row["complaint_id"]) == ("contoso;litware", "contoso home ltd;litware",
                                                                  "10;11")


def test_uncomplained_listings_are_not_labelled_unless_negatives():
    notices = pd.DataFrame([notice(asin="B0TEST0001", infringement_type="trademark", complaint_id="1"),
                            notice(asin="B0TEST0006", infringement_type="copyright", complaint_id="2")])
    plain = build_labels(notices, LISTINGS)
    assert list(plain.labels["sku"]) == ["SKU-A"]
    assert plain.counts["excluded_type"] == 1  # copyright is not a trademark label by default
    with_neg = build_labels(notices, LISTINGS, negatives=True)
    lows = with_neg.labels[with_neg.labels["label"] == 0]
    # SKU-F had a copyright complaint: neither high (type excluded) nor low (it was complained about)
    assert list(lows["sku"]) == ["SKU-B", "SKU-C", "SKU-D"]
    assert with_neg.counts["low"] == 3
    all_types = build_labels(notices, LISTINGS, types=parse_types("all"))
    assert list(all_types.labels["sku"]) == ["SKU-A", "SKU-F"]


def test_matched_listing_without_sku_is_counted_not_labelled():
    notices = pd.DataFrame([notice(asin="B0TEST0005", infringement_type="trademark")])
    result = build_labels(notices, LISTINGS)
    assert result.labels.empty and result.counts["matched_without_sku"] == 1


def test_parse_types():
    assert parse_types("trademark, Counterfeit") == ("trademark", "counterfeit")
    assert "copyright" in parse_types("all")
    with pytest.raises(ConfigError, match="unknown type"):
        parse_types("trademark,design")


def test_labels_from_fixture_files_read_with_read_listings(tmp_path):
    imported = import_notices([FIX / "mail"])
    write_table(imported.notices, tmp_path / "notices.csv")
    result = make_labels(tmp_path / "notices.csv", [FIX / "listings" / "all_listings_custom.txt"])
    labels = result.labels.set_index("sku")
    assert labels.loc["EHG-BTL-001", "marks"] == "fabrikam"
    assert labels.loc["EHG-CUP-015", "note"].endswith("matched by sku")  # Account Health row names the SKU
    assert labels.loc["EHG-BAG-011", "note"].endswith("matched by title")  # counterfeit, ASIN changed
    assert labels.loc["EHG-SPC-009", "complaint_id"] == "9000000009"  # cp1252 title in the listings file
    assert {"EHG-GLD-005", "EHG-GLD-005-FBA"} <= set(labels.index)  # two SKUs on one ASIN
    assert "EHG-ART-012" not in labels.index  # copyright
    assert "B0TEST0008" in set(result.unmatched["asin"])
    assert result.counts["listings"] == 11


def test_watchlist_counts_complaints_dates_and_asins():
    notices = pd.DataFrame([
        notice(asin="B0TEST0001", trademark="Fabrikam", rights_owner="Fabrikam Brands Inc.", complaint_id="1",
               infringement_type="trademark", registration_number="0000001", notice_date="2024-03-05"),
        notice(asin="B0TEST0002", trademark="FABRIKAM", rights_owner="Fabrikam Brands Inc.", complaint_id="2",
               infringement_type="trademark", notice_date="2024-05-01"),
        notice(asin="B0TEST0003", trademark="FABRIKAM", rights_owner="Fabrikam Brands Inc.", complaint_id="2",
               infringement_type="trademark", notice_date="2024-05-01"),
        notice(asin="B0TEST0004", trademark="CONTOSO", rights_owner="Contoso", infringement_type="trademark",
               notice_date="2024-01-02"),
        notice(asin="B0TEST0009", infringement_type="suspected"),
    ])
    watch = build_watchlist(notices)
    assert list(watch.columns) == list(WATCHLIST_COLUMNS)
    assert list(watch["mark"]) == ["FABRIKAM", "CONTOSO"]  # most complaints first; commonest spelling
    fab = watch.iloc[0]
    assert fab["complaints"] == 2  # complaint 2 lists two ASINs: one complaint
    assert (fab["first_notice"], fab["last_notice"]) == ("2024-03-05", "2024-05-01")
    assert fab["asins"] == "B0TEST0001;B0TEST0002;B0TEST0003"
    assert fab["registration_number"] == "0000001"  # stated once; the mark's other notices share it
    assert (fab["source"], fab["owner"], fab["status"], fab["nice_classes"]) == (
        "notice", "Fabrikam Brands Inc.", "", "")
    assert watch.iloc[1]["registration_number"] == ""  # never invented


def test_watchlist_keeps_different_stated_registrations_apart():
    notices = pd.DataFrame([
        notice(asin="B0TEST0001", trademark="X", rights_owner="O", complaint_id="1", infringement_type="trademark",
               registration_number="0000001"),
        notice(asin="B0TEST0002", trademark="X", rights_owner="O", complaint_id="2", infringement_type="trademark",
               registration_number="0000002"),
        notice(asin="B0TEST0003", trademark="X", rights_owner="O", complaint_id="3", infringement_type="patent",
               registration_number="US 1"),
    ])
    watch = build_watchlist(notices)
    assert sorted(watch["registration_number"]) == ["", "0000001", "0000002"]  # a patent number is not a mark's


def test_watchlist_round_trip_and_validation(tmp_path):
    imported = import_notices([FIX / "mail"])
    watch = build_watchlist(imported.notices)
    write_table(watch, tmp_path / "w.csv")
    loaded = load_watchlist(tmp_path / "w.csv")
    pd.testing.assert_frame_equal(loaded, watch.astype({c: "str" for c in WATCHLIST_COLUMNS if c != "complaints"}),
                                  check_dtype=False)
    assert loaded["complaints"].dtype == "int64"

    plain = tmp_path / "plain.csv"
    plain.write_text("mark,owner\nFABRIKAM,Fabrikam Brands Inc.\n", encoding="utf-8")
    assert load_watchlist(plain)["complaints"].tolist() == [0]

    cases = {
        "mark,complaints\nA,x\n": "row 2, column 'complaints'",
        "mark,owner\nA,o\n,o\n": "row 3, column 'mark'",
        "mark,first_notice\nA,5/3/2024\n": "column 'first_notice'",
        "mark,nice_classes\nA,9;99\n": "column 'nice_classes'",
        "mark,status\nA,registered\n": "column 'status'",
        "owner\nA\n": "missing column(s) mark",
    }
    for text, where in cases.items():
        bad = tmp_path / "bad.csv"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_watchlist(bad)
        assert where in str(err.value) and "bad.csv" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(InputError, match="file not found"):
        load_watchlist(tmp_path / "nope.csv")
