"""Complaints that used to be mixed up, lost or refused: several notices attached to one message, a covering
note that mentions an ASIN, Account Health tables with extra columns, ambiguous dates replaced by another
complaint's date, parent and child ASINs, and an import that finds no file to read."""

from __future__ import annotations

from email.message import EmailMessage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.notices import import_notices, parse_notice_file

CLAIM = ("We received a report from a rights owner that claims the items at the end of this email infringe "
         "their trademark.\n\n")


def amazon_notice(asin: str, cid: str, mark: str, owner: str, email: str, date: str, *, prose: bool) -> EmailMessage:
    """A policy warning as Amazon sends it; the mark on a ``Trademark:`` line or only in the prose."""
    msg = EmailMessage()
    msg["From"] = "seller-performance@amazon.com"
    msg["Subject"] = "Notice: Policy Warning"
    msg["Date"] = date
    stated = f"The rights owner is asserting that the products infringe the following trademark: {mark}\n\n"
    msg.set_content(
        CLAIM + (stated if prose else "")
        + f"ASIN: {asin}\nTitle: Water Bottle, 750 ml\nInfringement type: Trademark\n"
        + ("" if prose else f"Trademark: {mark}\n")
        + f"Complaint ID: {cid}\n\nYou can contact the rights owner, {owner}, at: {email}\n"
    )
    return msg


def forward(cover: str, *attached: EmailMessage) -> bytes:
    """A message the seller forwarded with the notices attached as ``message/rfc822`` parts."""
    outer = MIMEMultipart()
    outer["From"] = "maria@examplehomegoods.example.com"
    outer["Subject"] = "Fwd: notices"
    outer["Date"] = "Thu, 18 Jan 2024 08:00:00 +0000"
    outer.attach(MIMEText(cover, "plain"))
    for msg in attached:
        outer.attach(MIMEMessage(msg))
    return outer.as_bytes()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def notes(issues: list[tuple[str, str, str]]) -> list[str]:
    return [reason for _, level, reason in issues if level == "note"]


# --- several notices attached to one message ------------------------------------------------------------------

@pytest.mark.parametrize("prose", [False, True], ids=["trademark-line", "mark-in-prose"])
def test_two_attached_notices_keep_their_own_owner_mark_and_date(tmp_path, prose):
    raw = forward(
        "Two notices attached.",
        amazon_notice("B0TEST0101", "9000000101", "FABRIKAM", "Fabrikam, Inc.", "ip@fabrikam.example.com",
                      "Mon, 01 Jan 2024 08:00:00 +0000", prose=prose),
        amazon_notice("B0TEST0102", "9000000102", "CONTOSO", "Contoso Home Ltd", "legal@contoso.example.com",
                      "Fri, 05 Jan 2024 08:00:00 +0000", prose=prose),
    )
    records, issues = parse_notice_file(write(tmp_path, "two.eml", raw))
    got = [(r["asin"], r["complaint_id"], r["trademark"], r["rights_owner"], r["rights_owner_email"], r["notice_date"])
           for r in records]
    assert got == [
        ("B0TEST0101", "9000000101", "FABRIKAM", "Fabrikam, Inc.", "ip@fabrikam.example.com", "2024-01-01"),
        ("B0TEST0102", "9000000102", "CONTOSO", "Contoso Home Ltd", "legal@contoso.example.com", "2024-01-05"),
    ]
    assert not issues


def test_html_only_notice_attached_to_a_cover_note_that_mentions_an_asin(tmp_path):
    notice = EmailMessage()
    notice["From"] = "seller-performance@amazon.com"
    notice["Subject"] = "Notice: Policy Warning"
    notice["Date"] = "Mon, 08 Jan 2024 08:00:00 +0000"
    blocks = "".join(
        f"<p>ASIN: {asin}<br>Title: {title}<br>Infringement type: Trademark<br>Trademark: NORTHWIND<br>"
        f"Complaint ID: {cid}</p>"
        for asin, title, cid in (("B0TEST0111", "Spice Rack", "9000000111"), ("B0TEST0112", "Spice Jars", "9000000112"))
    )
    notice.set_content(f"<html><body><p>{CLAIM}</p>{blocks}<p>You can contact the rights owner, Northwind Traders, "
                       "at: ip@northwind.example.com</p></body></html>", subtype="html")
    raw = forward("Hi, this is about our ASIN B0TEST0110 again, see the attached notice.", notice)
    records, issues = parse_notice_file(write(tmp_path, "cover.eml", raw))
    assert [(r["asin"], r["complaint_id"], r["trademark"], r["rights_owner"], r["notice_date"]) for r in records] == [
        ("B0TEST0111", "9000000111", "NORTHWIND", "Northwind Traders", "2024-01-08"),
        ("B0TEST0112", "9000000112", "NORTHWIND", "Northwind Traders", "2024-01-08"),
    ]
    # the ASIN the cover note mentions is not a complaint, and it is not dropped silently either
    assert [n for n in notes(issues) if "B0TEST0110" in n and "covering message" in n]


# --- Account Health tables ------------------------------------------------------------------------------------

def account_health(header: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<html><head><title>Account Health</title></head><body><h1>Intellectual Property Complaints</h1>"
            f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></body></html>")


def test_account_health_table_with_columns_of_unknown_names_is_read(tmp_path):
    header = ["Date", "ASIN", "Product name", "Policy", "Impact", "Action taken", "Status"]
    rows = [["2024-01-20", "B0TEST0121", "Travel Mug", "Trademark", "High", "Listing removed", "Open"],
            ["2024-02-02", "B0TEST0122", "Desk Lamp", "Trademark", "High", "Listing removed", "Closed"]]
    records, issues = parse_notice_file(write(tmp_path, "ah.html", account_health(header, rows)))
    assert [(r["asin"], r["title"], r["notice_date"]) for r in records] == [
        ("B0TEST0121", "Travel Mug", "2024-01-20"), ("B0TEST0122", "Desk Lamp", "2024-02-02")]
    assert not issues


# --- ambiguous dates -------------------------------------------------------------------------------------------

def test_ambiguous_table_row_date_is_not_replaced_by_another_rows_date(tmp_path):
    header = ["Date", "ASIN", "Product name", "Policy", "Impact", "Action taken"]
    rows = [["2024-01-20", "B0TEST0131", "Travel Mug", "Trademark", "High", "Listing removed"],
            ["03/04/2024", "B0TEST0132", "Desk Lamp", "Trademark", "High", "Listing removed"]]
    records, issues = parse_notice_file(write(tmp_path, "ah.html", account_health(header, rows)))
    assert [(r["asin"], r["notice_date"]) for r in records] == [("B0TEST0131", "2024-01-20"), ("B0TEST0132", "")]
    assert [n for n in notes(issues) if "03/04/2024" in n and "ambiguous" in n]


BLOCKS = (CLAIM + "ASIN: B0TEST0141\nTitle: Travel Mug\nTrademark: FABRIKAM\nComplaint ID: 9000000141\n"
          "Date: 2024-01-20\n\nASIN: B0TEST0142\nTitle: Desk Lamp\nTrademark: FABRIKAM\nComplaint ID: 9000000142\n"
          "Date: 05/06/2024\n")


def test_ambiguous_block_date_is_not_replaced_by_another_blocks_date(tmp_path):
    records, issues = parse_notice_file(write(tmp_path, "n.txt", BLOCKS))
    assert [(r["asin"], r["notice_date"]) for r in records] == [("B0TEST0141", "2024-01-20"), ("B0TEST0142", "")]
    assert [n for n in notes(issues) if "05/06/2024" in n]


def test_ambiguous_date_is_not_replaced_by_the_message_date_header(tmp_path):
    msg = EmailMessage()
    msg["From"] = "seller-performance@amazon.com"
    msg["Subject"] = "Notice: Policy Warning"
    msg["Date"] = "Thu, 18 Jan 2024 08:00:00 +0000"
    msg.set_content(BLOCKS)
    records, _ = parse_notice_file(write(tmp_path, "n.eml", msg.as_bytes()))
    assert [(r["asin"], r["notice_date"]) for r in records] == [("B0TEST0141", "2024-01-20"), ("B0TEST0142", "")]


def test_ambiguous_date_of_a_forwarded_original_is_not_replaced_by_the_forwards_date(tmp_path):
    msg = EmailMessage()
    msg["From"] = "maria@examplehomegoods.example.com"
    msg["Subject"] = "Fwd: Notice: Policy Warning"
    msg["Date"] = "Wed, 11 Sep 2024 10:00:00 +0000"
    msg.set_content("FYI\n\n---------- Forwarded message ---------\nFrom: Amazon.com <seller-notification@amazon.com>\n"
                    "Date: 9/9/2024, 4:45 PM\nSubject: Notice: Policy Warning\n\n" + CLAIM
                    + "ASIN: B0TEST0151\nTitle: Travel Mug\nTrademark: FABRIKAM\nComplaint ID: 9000000151\n")
    records, issues = parse_notice_file(write(tmp_path, "fwd.eml", msg.as_bytes()))
    assert [(r["asin"], r["notice_date"]) for r in records] == [("B0TEST0151", "")]
    assert [n for n in notes(issues) if "9/9/2024" in n and "ambiguous" in n]


# --- parent and child ASIN -------------------------------------------------------------------------------------

def test_parent_and_child_asin_share_the_blocks_fields(tmp_path):
    text = (CLAIM + "Parent ASIN: B0TEST0161\nChild ASIN: B0TEST0162\nTitle: Travel Mug, Blue\nTrademark: FABRIKAM\n"
            "Complaint ID: 9000000161\n")
    records, _ = parse_notice_file(write(tmp_path, "n.txt", text))
    assert [(r["asin"], r["title"], r["trademark"], r["complaint_id"]) for r in records] == [
        ("B0TEST0161", "Travel Mug, Blue", "FABRIKAM", "9000000161"),
        ("B0TEST0162", "Travel Mug, Blue", "FABRIKAM", "9000000161"),
    ]


# --- nothing to read -------------------------------------------------------------------------------------------

def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_an_empty_folder_is_named(tmp_path):
    folder = tmp_path / "notices"
    folder.mkdir()
    result = run("notices", "import", folder, "--out", tmp_path / "n.csv", "--quiet")
    assert error_line(result) == f"error: {folder} holds no .txt, .eml, .html or .htm files"
    assert list(import_notices([folder]).errors["source_file"]) == [str(folder)]


def test_a_folder_of_other_files_is_named_with_the_files_skipped(tmp_path):
    folder = tmp_path / "notices"
    folder.mkdir()
    write(folder, "notice.pdf", b"%PDF-1.4\n")
    result = run("notices", "import", folder, "--out", tmp_path / "n.csv", "--quiet")
    assert error_line(result) == (f"error: {folder} holds no .txt, .eml, .html or .htm files; "
                                  "1 file(s) of other types skipped")


def test_a_missing_file_is_named(tmp_path):
    missing = tmp_path / "nothere.eml"
    result = run("notices", "import", missing, "--out", tmp_path / "n.csv", "--quiet")
    assert error_line(result) == f"error: {missing}: file not found"


def test_counts_add_up_and_every_path_is_named(tmp_path):
    bad = write(tmp_path, "bad.txt", "Hello, your order shipped.\n")
    folder = tmp_path / "empty"
    folder.mkdir()
    result = run("notices", "import", bad, tmp_path / "nothere.eml", folder, "--out", tmp_path / "n.csv", "--quiet")
    assert error_line(result) == (
        f"error: no complaint could be read from 1 file(s) ({bad}: no ASIN found: not an Amazon IP complaint "
        f"notice); {tmp_path / 'nothere.eml'}: file not found; {folder} holds no .txt, .eml, .html or .htm files")
    # with a complaint read, the summary counts the paths that gave no file apart from the files read
    good = write(tmp_path, "good.txt", BLOCKS)
    result = run("notices", "import", bad, good, folder, "--out", tmp_path / "n.csv")
    assert result.exit_code == 0, result.output
    assert ("files read 2: 2 complaint row(s) from 1 file(s), 0 duplicate(s) merged, 1 file(s) without a "
            "complaint, 0 skipped, 1 path(s) with no file to read") in result.output
