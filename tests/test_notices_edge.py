"""Notice variants generated in the test: charsets, MIME shapes, forwards, bad files, wording variants."""

from __future__ import annotations

import base64
import codecs
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.notices import import_notices, parse_notice_file

MAIL = Path(__file__).resolve().parent / "fixtures" / "notices" / "mail"

NOTICE = """Hello,

We received a report from a rights owner that claims the items at the end of this email infringe their trademark.

You can contact the rights owner if you have questions:
-- Rights owner name: Fabrikam Brands Inc.
-- Rights owner email: brand-protection@fabrikam.example.com

ASIN: B0TEST0001
Title: Chef\u2019s Water Bottle
Infringement type: Trademark
Trademark: FABRIKAM
Complaint ID: 9000000001
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def parse_one(path: Path) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    records, issues = parse_notice_file(path)
    assert len(records) == 1, (records, issues)
    return records[0], issues


def test_cp1252_text_without_a_declared_charset_is_decoded_with_a_note(tmp_path):
    path = write(tmp_path, "n.txt", NOTICE.encode("cp1252"))
    rec, issues = parse_one(path)
    assert rec["title"] == "Chef\u2019s Water Bottle"
    assert [(level, "cp1252" in reason) for _, level, reason in issues] == [("note", True)]


def test_utf16_text_with_bom(tmp_path):
    path = write(tmp_path, "n.txt", codecs.BOM_UTF16_LE + NOTICE.encode("utf-16-le"))
    rec, issues = parse_one(path)
    assert rec["title"] == "Chef\u2019s Water Bottle" and not issues


def test_binary_and_blank_files_are_errors_not_fatal(tmp_path):
    write(tmp_path, "scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(tmp_path, "blank.txt", b"  \r\n\t\n")
    write(tmp_path, "good.txt", NOTICE)
    result = import_notices([tmp_path])
    assert list(result.notices["asin"]) == ["B0TEST0001"]
    reasons = dict(zip([Path(p).name for p in result.errors["source_file"]], result.errors["reason"], strict=True))
    assert reasons["blank.txt"] == "empty file"
    assert reasons["scan.txt"].startswith("binary file")


def test_folders_are_read_recursively_and_other_files_skipped_and_listed(tmp_path):
    sub = tmp_path / "2024" / "march"
    sub.mkdir(parents=True)
    write(sub, "notice.TXT", NOTICE)
    write(tmp_path, "invoice.pdf", b"%PDF-1.4\n")
    result = import_notices([tmp_path, tmp_path / "missing.eml"])
    assert list(result.notices["asin"]) == ["B0TEST0001"]
    assert [Path(p).name for p in result.skipped["source_file"]] == ["invoice.pdf"]
    assert "(.pdf)" in result.skipped["reason"].iloc[0]
    missing = result.errors[result.errors["source_file"].str.endswith("missing.eml")]
    assert list(missing["reason"]) == ["file not found"]


def test_raw_message_saved_as_txt_is_read_as_mime(tmp_path):
    raw = (MAIL / "base64_cp1252.eml").read_bytes()
    rec, _ = parse_one(write(tmp_path, "saved.txt", raw))
    assert rec["asin"] == "B0TEST0009" and rec["notice_date"] == "2024-07-16"
    assert rec["title"] == "Chef\u2019s \u201cNorthwind\u201d Spice Rack Organizer \u2013 3 Tier"


def test_message_forwarded_as_attachment_uses_the_original_date(tmp_path):
    inner = (MAIL / "saved_twice.eml").read_bytes()
    outer = (
        b"Date: Wed, 11 Sep 2024 10:00:00 +0000\r\nFrom: maria@examplehomegoods.example.com\r\n"
        b"Subject: Fwd: Notice: Policy Warning\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
        b"See attached.\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--b1--\r\n"
    )
    rec, _ = parse_one(write(tmp_path, "fwd.eml", outer))
    assert rec["asin"] == "B0TEST0014" and rec["complaint_id"] == "9000000014"
    assert rec["notice_date"] == "2024-09-09"


def test_quoted_reply_and_outlook_forward(tmp_path):
    quoted = "\n".join("> " + line if line else ">" for line in NOTICE.split("\n"))
    text = (
        "Please check this one.\n\n________________________________\nFrom: Amazon.com <seller-notification@amazon.com>\n"
        "Sent: Tuesday, February 6, 2024 5:10 AM\nTo: seller@examplehomegoods.example.com\n"
        "Subject: Notice: Policy Warning\n\n" + quoted
    )
    rec, _ = parse_one(write(tmp_path, "reply.txt", text))
    assert (rec["asin"], rec["trademark"], rec["notice_date"]) == ("B0TEST0001", "FABRIKAM", "2024-02-06")
    assert rec["rights_owner_email"] == "brand-protection@fabrikam.example.com"


def test_wrong_declared_charset_in_a_mime_part_falls_back_with_a_note(tmp_path):
    body = base64.encodebytes(NOTICE.encode("cp1252")).decode("ascii")
    msg = (
        "Date: Thu, 1 Feb 2024 23:59:00 -0800\nFrom: seller-notification@amazon.com\nSubject: Notice: Policy Warning\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + body
    )
    rec, issues = parse_one(write(tmp_path, "n.eml", msg))
    assert rec["title"] == "Chef\u2019s Water Bottle" and rec["notice_date"] == "2024-02-01"
    assert any(level == "note" and "not valid utf-8" in reason for _, level, reason in issues)


def test_html_with_br_lines_in_one_paragraph(tmp_path):
    html = (
        "<html><body><div>Dear Seller,<br>We received a report from a rights owner that claims the items at the "
        "end of this email infringe their trademark.<br>The rights owner is asserting that the products infringe "
        "the following trademark: <b>CONTOSO</b><br>Rights owner: Contoso Home Ltd<br>"
        "Rights owner email: <a href='mailto:legal@contoso.example.com'>legal@contoso.example.com</a><br>"
        "Please review the items below.<br>ASIN: B0TEST0002<br>Title: Filter A<br>Complaint ID: 1<br>"
        "ASIN: B0TEST0003<br>Title: Filter B<br>Complaint ID: 2<br></div></body></html>"
    )
    records, _ = parse_notice_file(write(tmp_path, "n.html", html))
    assert [(r["asin"], r["title"], r["complaint_id"]) for r in records] == [
        ("B0TEST0002", "Filter A", "1"), ("B0TEST0003", "Filter B", "2")]
    for r in records:
        assert (r["trademark"], r["rights_owner"], r["rights_owner_email"]) == (
            "CONTOSO", "Contoso Home Ltd", "legal@contoso.example.com")
        assert r["infringement_type"] == "trademark"


def test_patent_notice_and_registration_number_kept_exactly_as_written(tmp_path):
    text = (
        "We received a report from a rights owner that claims the items at the end of this email infringe their "
        "patent.\n\nRights holder: Tailspin Toys Holdings LLC, enforcement@tailspintoys.example.com\n\n"
        "ASIN: b0test0007\nTitle: Glider\nPatent number: US 0,000,001 B2\nComplaint ID: 77\n"
    )
    rec, _ = parse_one(write(tmp_path, "p.txt", text))
    assert rec["asin"] == "B0TEST0007"
    assert rec["infringement_type"] == "patent"
    assert rec["registration_number"] == "US 0,000,001 B2"
    assert rec["trademark"] == ""
    assert (rec["rights_owner"], rec["rights_owner_email"]) == (
        "Tailspin Toys Holdings LLC", "enforcement@tailspintoys.example.com")


def test_value_on_the_line_after_its_label_and_wording_variants(tmp_path):
    text = (
        "Notice: Policy Warning\n\nName of rights owner: Wingtip Outdoor Co.\nRights owner e-mail address: "
        "<ip@wingtip.example.com>\n\nAffected ASIN(s):\nB0TEST0008\nProduct title: Camping Mug\n"
        "Type of infringement: Trademark Logo Use\nTrademark registration number: 0000005\n"
        "Complaint reference number: 9000000008\nNotice date: 10 June 2024\n"
    )
    rec, _ = parse_one(write(tmp_path, "v.txt", text))
    assert rec == rec | {
        "asin": "B0TEST0008", "title": "Camping Mug", "infringement_type": "trademark",
        "registration_number": "0000005", "complaint_id": "9000000008", "rights_owner": "Wingtip Outdoor Co.",
        "rights_owner_email": "ip@wingtip.example.com", "notice_date": "2024-06-10",
    }


def test_generic_name_and_email_labels_count_only_near_the_rights_owner(tmp_path):
    near = "You can contact the rights owner:\nName: Proseware Photography\nEmail: rights@proseware.example.com\n\n"
    far = "Email: help@examplehomegoods.example.com\n\n" + "Some unrelated line.\n" * 10
    rec, _ = parse_one(write(tmp_path, "a.txt", near + "ASIN: B0TEST0012\nInfringement type: Copyright\n"))
    assert (rec["rights_owner"], rec["rights_owner_email"]) == ("Proseware Photography", "rights@proseware.example.com")
    rec, _ = parse_one(write(tmp_path, "b.txt", far + "ASIN: B0TEST0012\nInfringement type: Copyright\n"))
    assert (rec["rights_owner"], rec["rights_owner_email"]) == ("", "")


def test_asin_without_a_label_is_found_in_text_and_links(tmp_path):
    text = ("Notice: Suspected Intellectual Property Violations\n\nWe removed ASIN B0TEST0010 and "
            "https://www.amazon.com/dp/B0TEST0017 from our store.\nOrder 1234567890 is not affected.\n")
    records, issues = parse_notice_file(write(tmp_path, "s.txt", text))
    assert [r["asin"] for r in records] == ["B0TEST0010", "B0TEST0017"]
    assert {r["infringement_type"] for r in records} == {"suspected"}
    assert any("no 'ASIN:' label" in reason for _, _, reason in issues)


def test_invalid_asin_value_is_an_error_with_a_note(tmp_path):
    records, issues = parse_notice_file(write(tmp_path, "x.txt", "ASIN: N/A\nTitle: Something\n"))
    assert records == []
    levels = [level for _, level, _ in issues]
    assert levels[0] == "error" and "note" in levels
    assert any("'N/A' is not a 10-character ASIN" in reason for _, _, reason in issues)


def test_unrecognised_type_falls_back_to_the_prose_with_a_note(tmp_path):
    text = NOTICE.replace("Infringement type: Trademark", "Infringement type: Other")
    rec, issues = parse_one(write(tmp_path, "t.txt", text))
    assert rec["infringement_type"] == "trademark"  # "infringe their trademark" in the prose
    assert any("'Other' not recognised" in reason for _, _, reason in issues)


def test_complaints_without_id_merge_on_asin_mark_and_date(tmp_path):
    base = NOTICE.replace("Complaint ID: 9000000001\n", "")
    write(tmp_path, "a.txt", "Date: 2024-03-05\n\n" + base)
    write(tmp_path, "b.txt", "Date: March 5, 2024\n\n" + base)
    write(tmp_path, "c.txt", "Date: 2024-04-01\n\n" + base)
    result = import_notices([tmp_path])
    assert sorted(result.notices["notice_date"]) == ["2024-03-05", "2024-04-01"]
    merged = result.notices[result.notices["notice_date"] == "2024-03-05"].iloc[0]
    assert merged["source_file"] == f"{tmp_path / 'a.txt'};{tmp_path / 'b.txt'}"
    assert result.duplicates_merged == 1


def test_eml_without_mime_headers_is_read_as_text(tmp_path):
    rec, _ = parse_one(write(tmp_path, "pasted.eml", "ASIN: B0TEST0001\nTitle: Bottle\nComplaint ID: 5\n"))
    assert (rec["asin"], rec["title"], rec["complaint_id"]) == ("B0TEST0001", "Bottle", "5")


def test_eml_with_client_headers_first_is_read_as_mime(tmp_path):
    raw = b"X-Mozilla-Status: 0001\r\nX-Mozilla-Status2: 00000000\r\n" + (MAIL / "saved_twice.eml").read_bytes()
    rec, _ = parse_one(write(tmp_path, "tb.eml", raw))
    assert (rec["asin"], rec["notice_date"]) == ("B0TEST0014", "2024-09-09")


def test_asin_list_one_per_line_in_a_table_cell(tmp_path):
    html = ("<table><tr><td>ASINs</td><td>B0TEST0002<br>B0TEST0003<br>B0TEST0004</td></tr>"
            "<tr><td>Title</td><td>Filter</td></tr><tr><td>Complaint ID</td><td>9</td></tr></table>")
    records, _ = parse_notice_file(write(tmp_path, "t.html", html))
    assert [(r["asin"], r["title"], r["complaint_id"]) for r in records] == [
        ("B0TEST0002", "Filter", "9"), ("B0TEST0003", "Filter", "9"), ("B0TEST0004", "Filter", "9")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".eml", ".html", ".dat"]))
def test_any_bytes_give_rows_or_a_reason_never_an_exception(tmp_path, data, suffix):
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    records, issues = parse_notice_file(path)
    assert records or (issues and issues[0][1] == "error")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.lists(st.sampled_from([
    "Dear Seller,", "ASIN:", "Title: x", "Rights owner:", "--", "> quoted", "<br>", "Date: 03/04/2024",
    "Complaint ID:", "\t", "---------- Forwarded message ---------", "From: a@b.example.com", "Trademark number",
    "B0TEST0001", "ASIN: B0TEST0002 Title: y Complaint ID: 3",
]), max_size=25))
def test_shuffled_notice_fragments_never_crash(tmp_path, noise):
    path = tmp_path / "n.txt"
    path.write_text("\n".join(noise), encoding="utf-8")
    records, issues = parse_notice_file(path)
    for rec in records:
        assert len(rec["asin"]) == 10
    assert records or issues


def test_outer_forward_date_is_used_when_the_inner_original_has_none(tmp_path):
    text = ("From: Maria <maria@examplehomegoods.example.com>\nSent: Thursday, May 9, 2024 9:02 AM\n"
            "Subject: FW: notice\n\n---------- Forwarded message ---------\nFrom: Amazon.com\n"
            "Subject: Notice: Policy Warning\n\n" + NOTICE)
    rec, _ = parse_one(write(tmp_path, "fw.txt", text))
    assert rec["notice_date"] == "2024-05-09"


def test_listing_brand_field_is_not_taken_as_the_asserted_mark(tmp_path):
    text = ("Notice: Suspected Intellectual Property Violations\n\nASIN: B0TEST0010\nTitle: Earbuds\n"
            "Brand: Generic\n")
    rec, _ = parse_one(write(tmp_path, "s.txt", text))
    assert (rec["trademark"], rec["infringement_type"]) == ("", "suspected")
