"""The small pieces: HTML to text, dates, charsets, label vocabulary."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.notices.dates import parse_date
from scanner.notices.decode import decode_bytes, is_binary
from scanner.notices.fields import asins_in, classify_label, infringement_type, owner_email
from scanner.notices.html_text import declared_charset, html_title, html_to_text
from scanner.notices.parse_text import header_blocks, normalise_text


def test_html_to_text_keeps_line_structure():
    html = (
        "<html><head><title>Notice: Policy Warning</title><style>p {color: red}</style>"
        "<script>var a = '<p>x</p>';</script></head><body>"
        "<p>Dear&nbsp;Seller,</p><div>one<br>two<br/><br>three</div>"
        "<ul><li>first</li><li>second</li></ul>"
        "<table><tr><td>ASIN:</td><td> B0TEST0001 </td></tr><tr><th>Title</th><td>A &amp; B</td></tr></table>"
        "</body></html>"
    )
    assert html_to_text(html).split("\n") == [
        "Dear\u00a0Seller,", "", "one", "two", "", "three", "", "first", "second", "",
        "ASIN:\tB0TEST0001", "Title\tA & B",
    ]
    assert html_title(html) == "Notice: Policy Warning"


def test_html_nested_layout_tables_do_not_shift_cells():
    html = ("<table><tr><td><table><tr><td>logo</td></tr></table></td><td>Complaint ID</td><td>42</td></tr>"
            "<tr><td></td><td>ASIN</td><td>B0TEST0002</td></tr></table>")
    lines = [line for line in html_to_text(html).split("\n") if line]
    assert lines == ["logo", "Complaint ID\t42", "ASIN\tB0TEST0002"]


def test_declared_charset_from_meta():
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">') == (
        "windows-1252")
    assert declared_charset(b"<meta charset='utf-8'>") == "utf-8"
    assert declared_charset(b"<p>no meta</p>") is None


@pytest.mark.parametrize(
    "text,iso",
    [
        ("Mon, 10 Jun 2024 22:41:09 -0700", "2024-06-10"),
        ("Tue, 11 Jun 2024 01:02:03 +0900", "2024-06-11"),
        ("Wed, May 8, 2024 at 3:14 AM", "2024-05-08"),
        ("Thursday, May 9, 2024 9:02 AM", "2024-05-09"),
        ("Mar 5, 2024", "2024-03-05"),
        ("Sept. 3rd, 2024", "2024-09-03"),
        ("5 March 2024", "2024-03-05"),
        ("2024-03-05", "2024-03-05"),
        ("2024/3/5", "2024-03-05"),
        ("10/14/2024", "2024-10-14"),
        ("14.10.2024", "2024-10-14"),
        ("9/9/2024, 4:45 PM", ""),  # day and month cannot be told apart
        ("03/04/2024", ""),
        ("February 30, 2024", ""),
        ("no date here", ""),
        ("", ""),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_parse_date_round_trips_every_written_form(day):
    forms = [
        day.isoformat(),
        day.strftime("%B %d, %Y"),
        day.strftime("%b %d, %Y"),
        day.strftime("%d %B %Y"),
        day.strftime("%a, %d %b %Y 10:00:00 +0000"),
        day.strftime("%A, %B %d, %Y 9:02 AM"),
    ]
    for form in forms:
        assert parse_date(form) == day.isoformat(), form


def test_decode_order_and_notes():
    assert decode_bytes("caf\u00e9".encode()) == ("caf\u00e9", "utf-8", "")
    assert decode_bytes(b"\xef\xbb\xbfx") == ("x", "utf-8-sig", "")
    text, enc, note = decode_bytes(b"Chef\x92s")
    assert (text, enc) == ("Chef\u2019s", "cp1252") and "cp1252" in note
    # iso-8859-1 declared: read as windows-1252, as mail clients do
    assert decode_bytes(b"\x93Q\x94", "ISO-8859-1") == ("\u201cQ\u201d", "cp1252", "")
    text, _, note = decode_bytes(b"abc", "x-no-such-charset")
    assert text == "abc" and "unknown declared charset" in note
    text, _, note = decode_bytes(b"a\x81b")
    assert text == "a\ufffdb" and "replaced" in note


def test_is_binary():
    assert is_binary(b"PK\x03\x04\x00\x00")
    assert not is_binary(b"ASIN: B0TEST0001\r\n")
    assert not is_binary("\ufeffASIN".encode("utf-16"))


def test_labels_and_values():
    assert classify_label("Rights owner e-mail") == "rights_owner_email"
    assert classify_label("Trademark number") == "registration_number"
    assert classify_label("Trademark") == "trademark"
    assert classify_label("Complaint ID") == "complaint_id"
    assert classify_label("Dear Seller") is None
    assert asins_in("b0test0002, B0TEST0003;B0TEST0002 and 000000000X") == ["B0TEST0002", "B0TEST0003", "000000000X"]
    assert asins_in("TRADEMARKS") == []
    assert infringement_type("Trademark (counterfeit)") == "counterfeit"
    assert infringement_type("Suspected Intellectual Property Violations") == "suspected"
    assert infringement_type("Other") == ""
    assert owner_email("from seller-notification@amazon.com, reply to ip@x.example.com.") == "ip@x.example.com"


def test_normalise_text_and_forwarded_header_blocks():
    text = normalise_text("> a\u00a0b\u200b\r\n>> c  \r\n")
    assert text == "a b\nc\n"
    blocks = header_blocks(
        "From: A <a@x.example.com>\nSent: Thursday, May 9, 2024 9:02 AM\nSubject: FW: x\n\nhi\n\n"
        "---------- Forwarded message ---------\nDate: Wed, May 8, 2024 at 3:14 AM\nSubject: Notice\n\nbody"
    )
    assert [(b.date, b.subject) for b in blocks] == [
        ("Thursday, May 9, 2024 9:02 AM", "FW: x"), ("Wed, May 8, 2024 at 3:14 AM", "Notice")]
