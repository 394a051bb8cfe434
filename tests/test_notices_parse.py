"""Each saved-notice layout in tests/fixtures/notices/mail parses with every field right."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.notices import NOTICE_COLUMNS, import_notices, parse_notice_file

MAIL = Path(__file__).resolve().parent / "fixtures" / "notices" / "mail"


def parse(name: str) -> tuple[list[dict[str, str]], list[tuple[str, str, str]]]:
    return parse_notice_file(MAIL / name)


def only(name: str) -> dict[str, str]:
    records, issues = parse(name)
    assert len(records) == 1, records
    assert not [i for i in issues if i[1] == "error"], issues
    return records[0]


def check(record: dict[str, str], **expected: str) -> None:
    """Every column is checked: the ones not named must be empty (nothing invented)."""
    assert set(record) == set(NOTICE_COLUMNS)
    for col in NOTICE_COLUMNS:
        if col == "source_file":
            continue
        assert record[col] == expected.get(col, ""), f"{col}: {record[col]!r} != {expected.get(col, '')!r}"


def test_rights_owner_trademark_notice_txt_crlf_nbsp():
    raw = (MAIL / "trademark_policy_warning.txt").read_bytes()
    assert b"\r\n" in raw and "\u00a0".encode() in raw  # the fixture really has CRLF and a no-break space
    rec = only("trademark_policy_warning.txt")
    check(
        rec,
        asin="B0TEST0001",
        title="Fabrikam-Style Stainless Steel Water Bottle, 750 ml, Leak Proof",
        infringement_type="trademark",
        trademark="FABRIKAM",
        registration_number="0000001",
        complaint_id="9000000001",
        rights_owner="Fabrikam Brands Inc.",
        rights_owner_email="brand-protection@fabrikam.example.com",
        notice_date="2024-03-05",  # "Mar 5, 2024" in the text
    )
    assert rec["source_file"] == str(MAIL / "trademark_policy_warning.txt")


def test_multi_asin_block_gives_one_row_per_asin():
    records, _ = parse("multi_asin_block.txt")
    assert [r["asin"] for r in records] == ["B0TEST0002", "B0TEST0003", "B0TEST0004"]
    for rec in records:
        check(
            rec,
            asin=rec["asin"],
            title="Replacement Water Filter Compatible with Contoso Pitchers, Pack of 3",
            infringement_type="trademark",
            trademark="CONTOSO",
            registration_number="0000002",
            complaint_id="9000000002",
            rights_owner="Contoso Home Ltd",  # from "contact the rights owner, Contoso Home Ltd, at: ..."
            rights_owner_email="legal@contoso.example.com",
            notice_date="2024-04-12",  # a lone "Date: April 12, 2024" line
        )


def test_several_blocks_in_a_forwarded_notice():
    records, issues = parse("several_blocks_forwarded.txt")
    assert not issues
    assert [r["asin"] for r in records] == ["B0TEST0005", "B0TEST0006", "B0TEST0007"]
    common = dict(
        infringement_type="trademark",
        trademark="TAILSPIN TOYS",
        rights_owner="Tailspin Toys Holdings LLC",  # a name line above the e-mail line
        rights_owner_email="enforcement@tailspintoys.example.com",
        notice_date="2024-05-08",  # the forwarded original's Date, not the forward's (May 9)
    )
    check(records[0], asin="B0TEST0005", title="Tailspin Toys Wooden Glider Plane Kit for Kids",
          registration_number="0000003", complaint_id="9000000003", **common)
    # title before the ASIN in this block
    check(records[1], asin="B0TEST0006", title="Balsa Glider 12-Pack with Launcher",
          registration_number="0000003", complaint_id="9000000004", **common)
    # no trademark number in this block: none is borrowed from the others; the wrapped title is joined
    check(records[2], asin="B0TEST0007", title="Foam Plane Party Favors, Tailspin Toys Style, 24 Count",
          complaint_id="9000000005", **common)


def test_quoted_printable_eml_with_html_alternative():
    rec = only("qp_alternative.eml")
    check(
        rec,
        asin="B0TEST0008",
        title="Wingtip\u00ae Trail Caf\u00e9 Camping Mug \u2013 12 oz Enamel Cup for Hiking, Fishing and Backyard "
              "Barbecues (2-Pack)",
        infringement_type="trademark",
        trademark="WINGTIP",
        registration_number="0000005",
        complaint_id="9000000008",
        rights_owner="Wingtip Outdoor Co.",
        rights_owner_email="ip@wingtip.example.com",
        notice_date="2024-06-10",  # the Date header as written (22:41 -0700), not converted to UTC
    )


def test_html_alternative_is_used_when_the_plain_part_has_no_asin(tmp_path):
    raw = (MAIL / "qp_alternative.eml").read_bytes()
    head, sep, rest = raw.partition(b"Content-Transfer-Encoding: quoted-printable\r\n\r\n")
    plain_end = rest.index(b"------=_Part_8")
    stub = b"This message is best viewed in HTML.\r\n"
    path = tmp_path / "html_alt.eml"
    path.write_bytes(head + sep + stub + rest[plain_end:])
    records, _ = parse_notice_file(path)
    assert len(records) == 1
    check(
        records[0],
        asin="B0TEST0008",
        title="Wingtip\u00ae Trail Caf\u00e9 Camping Mug \u2013 12 oz Enamel Cup for Hiking, Fishing and Backyard "
              "Barbecues (2-Pack)",
        infringement_type="trademark",
        trademark="WINGTIP",
        registration_number="0000005",
        complaint_id="9000000008",
        rights_owner="Wingtip Outdoor Co.",
        rights_owner_email="ip@wingtip.example.com",
        notice_date="2024-06-10",
    )


def test_base64_eml_in_windows_1252():
    rec = only("base64_cp1252.eml")
    check(
        rec,
        asin="B0TEST0009",
        title="Chef\u2019s \u201cNorthwind\u201d Spice Rack Organizer \u2013 3 Tier",
        infringement_type="trademark",
        trademark="NORTHWIND",
        registration_number="0000006",
        complaint_id="9000000009",
        rights_owner="Northwind Traders Ltd.",
        rights_owner_email="trademarks@northwind.example.com",
        notice_date="2024-07-16",
    )


def test_html_only_eml_with_labels_in_a_table():
    rec = only("html_only.eml")
    check(
        rec,
        asin="B0TEST0013",
        title="Silicone Baking Mat Set for Litware Ovens \u2013 2 Sheets",
        infringement_type="trademark",
        trademark="LITWARE",
        registration_number="0000007",
        complaint_id="9000000013",
        rights_owner="Litware Kitchen & Home GmbH",
        rights_owner_email="ip@litware.example.com",
        notice_date="2024-08-02",
    )


def test_saved_account_health_page_with_a_column_table():
    records, issues = parse("account_health.html")
    assert not issues  # windows-1252 declared in <meta>: no fallback note
    assert len(records) == 2
    check(records[0], asin="B0TEST0015", sku="EHG-CUP-015", title="Insulated Travel Tumbler \u2013 Graphic Print",
          infringement_type="trademark", complaint_id="9000000015", notice_date="2024-10-14")
    check(records[1], asin="B0TEST0016", sku="EHG-LMP-016", title="LED Desk Lamp, Tailspin Edition",
          infringement_type="suspected", notice_date="2024-10-20")


def test_suspected_ip_notice_has_no_owner_and_no_complaint_id():
    rec = only("suspected_ip.txt")
    check(rec, asin="B0TEST0010", title="Premium Wireless Earbuds Pro Max, Noise Cancelling",
          infringement_type="suspected")


def test_counterfeit_notice():
    rec = only("counterfeit.txt")
    check(
        rec,
        asin="B0TEST0011",
        title="AW Trailrunner Hiking Backpack 40L, Grey",
        infringement_type="counterfeit",
        trademark="ADVENTURE WORKS",
        registration_number="0000004",
        complaint_id="9000000011",
        rights_owner="Adventure Works Outdoor Gear, Inc.",
        rights_owner_email="counterfeit-reports@adventureworks.example.com",
        notice_date="2024-06-21",
    )


def test_copyright_notice():
    rec = only("copyright.txt")
    check(
        rec,
        asin="B0TEST0012",
        title="Mountain Lake Sunrise Canvas Wall Art, 24 x 36 in",
        infringement_type="copyright",
        complaint_id="9000000012",
        rights_owner="Proseware Photography",
        rights_owner_email="rights@proseware.example.com",
        notice_date="2024-07-02",
    )


def test_same_complaint_saved_twice_both_parse():
    eml, txt = only("saved_twice.eml"), only("saved_twice.txt")
    for rec in (eml, txt):
        assert rec["asin"] == "B0TEST0014" and rec["complaint_id"] == "9000000014"
        assert rec["trademark"] == "FOURTH COFFEE" and rec["rights_owner"] == "Fourth Coffee Roasters LLC"
    assert eml["notice_date"] == "2024-09-09"
    assert txt["notice_date"] == ""  # "9/9/2024" could be read either way round: not guessed


def test_same_complaint_saved_twice_is_merged_keeping_both_files():
    result = import_notices([MAIL / "saved_twice.txt", MAIL / "saved_twice.eml"])
    assert len(result.notices) == 1 and result.duplicates_merged == 1
    rec = result.notices.iloc[0]
    assert rec["source_file"] == f"{MAIL / 'saved_twice.txt'};{MAIL / 'saved_twice.eml'}"
    assert rec["notice_date"] == "2024-09-09"  # filled from the .eml copy


@pytest.mark.parametrize("name,reason", [("irrelevant_shipping.txt", "no ASIN found"), ("empty.eml", "empty file")])
def test_malformed_or_irrelevant_file_is_reported(name, reason):
    records, issues = parse(name)
    assert records == []
    assert [(level, reason in text) for _, level, text in issues][:1] == [("error", True)]


def test_whole_folder_import_counts_every_file():
    result = import_notices([MAIL])
    files = sorted(p for p in MAIL.iterdir() if p.is_file())
    assert result.files_read == len(files)
    assert sorted(Path(p).name for p in result.errors["source_file"]) == ["empty.eml", "irrelevant_shipping.txt"]
    assert result.files_with_notices == len(files) - 2
    # the saved-twice complaint counted once
    assert result.rows_before_merge - result.duplicates_merged == len(result.notices)
    assert len(result.notices) == result.notices[["asin", "complaint_id", "notice_date"]].drop_duplicates().shape[0]
    assert set(result.notices["infringement_type"]) == {"trademark", "copyright", "counterfeit", "suspected"}


def test_contact_details_block_and_inauthentic_wording():
    rec = only("inauthentic_contact_details.txt")
    check(
        rec,
        asin="B0TEST0018",
        title="Remote Control Stunt Plane with LED Lights",
        infringement_type="counterfeit",  # "the products below are inauthentic"
        trademark="TAILSPIN TOYS",  # on the line after "the following trademark:"
        registration_number="0000003",
        complaint_id="9000000018",
        rights_owner="Tailspin Toys Holdings LLC",  # "-- name" / "-- e-mail" under "contact details:"
        rights_owner_email="enforcement@tailspintoys.example.com",  # not Amazon's retraction address
    )


def test_older_layout_with_a_flattened_block():
    records, issues = parse("older_layout.txt")
    assert not issues
    assert [r["asin"] for r in records] == ["B0TEST0019", "B0TEST0020"]
    for rec in records:
        check(
            rec,
            asin=rec["asin"],
            infringement_type="trademark",
            registration_number="0000008",
            complaint_id="9000000019",
            rights_owner_email="legal@fabrikam.example.com",  # after "a retraction from the rights owner:"
        )
