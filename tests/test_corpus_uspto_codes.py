"""USPTO code tables and field clean-up (scanner.corpus.uspto_codes)."""

from __future__ import annotations

import csv

import pytest

from scanner.corpus import uspto_codes as codes


def _official_status(indicator: str) -> str:
    if indicator.startswith("Dead"):
        return "dead"
    if indicator == "Live/Pending":
        return "pending"
    if indicator.startswith("Live"):
        return "live"
    return ""  # Indifferent


def test_status_mapping_matches_the_official_table(shared_data):
    text = (shared_data / "uspto" / "lookups" / "status_codes.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) > 150
    wrong = {r["code"]: (codes.status_from_code(r["code"]), r["live_dead_indicator"]) for r in rows
             if codes.status_from_code(r["code"]) != _official_status(r["live_dead_indicator"])}
    assert not wrong
    # nothing mapped that the table does not list
    listed = {r["code"] for r in rows}
    assert set(codes.STATUS_BY_CODE) <= listed


@pytest.mark.parametrize("code,status", [
    ("800", "live"), ("700", "live"), ("717", "live"), ("630", "pending"), ("688", "pending"),
    ("602", "dead"), ("900", "dead"), ("710", "dead"), ("000", ""), ("715", ""), ("970", ""),
    ("999", ""), ("633", ""), ("", ""), ("abc", ""), ("80", ""),
])
def test_status_from_code(code, status):
    assert codes.status_from_code(code) == status


def test_nice_classes():
    assert codes.nice_class("009") == 9
    assert codes.nice_class("45") == 45
    assert codes.nice_class("046") is None
    assert codes.nice_class("000") is None
    for us_only in ("A", "B", "200"):
        assert codes.nice_class(us_only) is None
        assert us_only in codes.US_ONLY_CLASS_CODES
    assert codes.join_classes([12, 9, 9, 42]) == "9;12;42"
    assert codes.join_classes([]) == ""


@pytest.mark.parametrize("type_code,keep", [
    ("GS0091", True), ("GS0093", True), ("GS0092", False), ("gs0441", True), ("GS0A01", True),
    ("PM0001", False), ("DM0000", False), ("CC0000", False), ("GS", True),
])
def test_goods_statement_types(type_code, keep):
    assert codes.is_goods_services(type_code) is keep


def test_goods_text_drops_deleted_and_keeps_added_wording():
    text = "PAINT-LIKE, TWO-COMPONENT EPOXYAMINE [ PRIMES ] * PRIMER *  AND FINISH COATINGS; AND PAINT THINNER"
    assert codes.clean_goods_text(text) == "PAINT-LIKE, TWO-COMPONENT EPOXYAMINE PRIMER AND FINISH COATINGS; AND PAINT THINNER"
    assert codes.clean_goods_text("Shirts; ((hats; caps)) shoes") == "Shirts; shoes"
    assert codes.clean_goods_text("Shirts; ((hats (baseball))); shoes") == "Shirts; shoes"
    assert codes.clean_goods_text("[Candles], [wicks]") == ""
    assert codes.clean_goods_text("a [b [c] d] e") == "a e"
    assert codes.clean_goods_text("left [ unclosed") == "left [ unclosed"


def test_goods_services_joins_statements_in_force():
    got = codes.goods_services([("GS0091", "Software"), ("GS0092", "((hardware))"), ("PM0001", "SOFT"),
                                ("GS0421", "[Consulting]"), ("GS0423", "Design ((and testing))")])
    assert got == "Software | Design"


def test_current_owner_is_highest_party_type_below_70():
    owners = [("10", "1", "Applicant Co"), ("46", "1", "Latest Owner Inc"), ("30", "1", "Registrant"),
              ("70", "1", "Correspondent"), ("45", "1", "Previous Owner")]
    assert codes.current_owner(owners) == "Latest Owner Inc"
    assert codes.current_owner([("70", "1", "Correspondent")]) == ""
    joint = [("30", "2", "Second  Owner"), ("30", "1", "First Owner"), ("10", "1", "Applicant")]
    assert codes.current_owner(joint) == "First Owner; Second Owner"
    assert codes.current_owner([("x", "1", "Bad type"), ("20", "", "At Publication")]) == "At Publication"


@pytest.mark.parametrize("raw,clean", [
    ("20170123", "20170123"), ("2017-01-23", "20170123"), ("20170123.0", "20170123"),
    ("23jan2017", "20170123"), ("0", ""), ("00000000", ""), ("", ""), ("garbage", ""), ("2017", ""),
])
def test_clean_date(raw, clean):
    assert codes.clean_date(raw) == clean


def test_small_fields():
    assert codes.clean_registration_number("0000000") == ""
    assert codes.clean_registration_number("0124134") == "0124134"
    assert codes.clean_registration_number("") == ""
    assert codes.drawing_code("4000") == "4"
    assert codes.drawing_code("2") == "2"
    assert codes.drawing_code("") == ""
    assert codes.clean_serial("71112081") == "71112081"
    assert codes.clean_serial("7111208") == "07111208"


def test_only_ascii_digits_are_numbers():
    # str.isdigit() is true for superscripts, which int() refuses: they are no numbers here, not a crash
    assert codes.nice_class("\u00b2") is None and codes.nice_class("1\u00b9") is None
    assert codes.clean_date("2017012\u00b3") == "" and codes.clean_date("2017-01-2\u00b3") == ""
    assert codes.clean_date("\u0662\u0663jan\u0662\u0660\u0661\u0667") == ""  # Arabic-Indic digits
    assert codes.clean_registration_number("\u00b2") == "\u00b2"
    assert codes.current_owner([("\u00b2", "1", "Squared"), ("10", "\u00b9", "Applicant")]) == "Applicant"
