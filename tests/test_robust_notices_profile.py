"""Bad inputs that used to crash `notices import` or make `profile init` write a profile scanner cannot read.

Notices: a message nested thousands of MIME levels deep is one unreadable file among good ones (it made the
standard ``email`` parser overflow the stack); nested forwards are read once each (they were read again at
every level). Profile: whatever text a brand, the seller name or a file name holds, the ``seller.toml``
written is valid TOML that reads back to the same brands and name; what TOML cannot hold (a lone surrogate,
how Python passes bytes that are not UTF-8) is one error line, and a failed write leaves no file.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.cli import cli
from scanner.config import load_profile
from scanner.errors import ConfigError, ScannerError
from scanner.notices import import_notices, write_table
from scanner.notices.parse_email import UnreadableEmail, parse_email
from scanner.profile_init import BrandDraft, init_profile, render_profile, toml_string

NOTICE = """Hello,

We received a report from a rights owner that claims the items at the end of this email infringe their trademark.

-- Rights owner name: Fabrikam Brands Inc.

ASIN: {asin}
Title: Water Bottle {asin}
Infringement type: Trademark
Trademark: FABRIKAM
Complaint ID: 90000000{n:02d}
"""


def deep_eml(levels: int) -> bytes:
    """A message whose text part sits under ``levels`` nested multipart containers."""
    head = b"MIME-Version: 1.0\nSubject: deep\n"
    nest = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(levels))
    return head + nest + b"Content-Type: text/plain\n\n" + NOTICE.format(asin="B0DEEP0001", n=99).encode()


def forwarded(levels: int) -> bytes:
    """A notice forwarded as an attachment ``levels`` times (each forward holds the one before)."""
    msg = b"Subject: original\nContent-Type: text/plain\n\n" + NOTICE.format(asin="B0FWD00001", n=1).encode()
    for i in range(levels):
        msg = (b'Subject: fwd %d\nContent-Type: multipart/mixed; boundary="x%d"\n\n--x%d\nContent-Type: text/plain'
               b"\n\nsee the attached message %d\n--x%d\nContent-Type: message/rfc822\n\n" % (i, i, i, i, i)
               + msg + b"\n--x%d--\n" % i)
    return b"MIME-Version: 1.0\n" + msg


def notices_folder(tmp_path: Path, good: int) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    for n in range(1, good + 1):
        (folder / f"n{n:02d}.txt").write_text(NOTICE.format(asin=f"B0TEST{n:04d}", n=n), encoding="utf-8")
    (folder / "zz_deep.eml").write_bytes(deep_eml(2000))
    return folder


# --- notices ----------------------------------------------------------------------------------------------

def test_a_message_nested_too_deeply_is_unreadable_not_fatal(tmp_path):
    with pytest.raises(UnreadableEmail, match="nested too deeply"):
        parse_email(deep_eml(2000))
    result = import_notices([notices_folder(tmp_path, good=3)])
    assert sorted(result.notices["asin"]) == ["B0TEST0001", "B0TEST0002", "B0TEST0003"]
    errors = [(Path(r.source_file).name, r.reason) for r in result.errors.itertuples()]
    assert errors == [("zz_deep.eml", "unreadable message: MIME parts nested too deeply to read")]
    assert result.files_read == 4 and result.files_with_notices == 3


def test_a_message_nested_a_few_levels_is_still_read():
    content = parse_email(deep_eml(30))
    assert len(content.plain) == 1 and "B0DEEP0001" in content.plain[0]


def test_notices_import_lists_the_nested_message_and_exits_0(tmp_path):
    out = tmp_path / "n.csv"
    res = CliRunner().invoke(cli, ["notices", "import", str(notices_folder(tmp_path, good=2)), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "internal error" not in res.output and "Traceback" not in res.output
    assert "1 file(s) gave no complaint:" in res.output
    assert "zz_deep.eml: unreadable message: MIME parts nested too deeply to read" in res.output
    assert [line.split(",")[0] for line in out.read_text(encoding="utf-8").splitlines()] == [
        "asin", "B0TEST0001", "B0TEST0002"]


@pytest.mark.parametrize("levels", [1, 2, 12])
def test_nested_forwards_are_each_read_once(levels):
    content = parse_email(forwarded(levels))
    # one text per message: each wrapper's note, then the original (was 2**levels texts: re-read at every level)
    assert len(content.plain) == levels + 1
    assert sum("B0FWD00001" in text for text in content.plain) == 1
    assert content.subject == "original"  # the innermost message's subject wins


def test_a_failed_notices_table_write_leaves_the_last_file(tmp_path, monkeypatch):
    import pandas as pd

    out = tmp_path / "notices.csv"
    out.write_text("last week's notices\n", encoding="utf-8")

    def full_disk(self, fh, **kwargs):
        fh.write("asin,title\nB0PART")
        fh.flush()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full_disk)
    with pytest.raises(ScannerError, match="notices.csv: cannot write: No space left on device"):
        write_table(pd.DataFrame({"asin": ["B0TEST0001"]}), out)
    assert out.read_text(encoding="utf-8") == "last week's notices\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notices.csv"]  # no temporary file left


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_notices_out_on_a_full_device_is_one_line(tmp_path):
    link = tmp_path / "n.csv"
    link.symlink_to("/dev/full")
    res = CliRunner().invoke(cli, ["notices", "import", str(notices_folder(tmp_path, good=1)), "--out", str(link)])
    assert res.exit_code == 1, res.output
    assert f"error: {link}: cannot write: No space left on device" in res.output
    assert "internal error" not in res.output and link.is_symlink()


# --- profile init -----------------------------------------------------------------------------------------

#: Control characters (C0, DEL, C1) that are not whitespace (whitespace runs in a brand become one space),
#: and how the profile writes each.
CONTROLS = {"\x7f": "\\u007F", "\x1b": "\\u001B", "\x00": "\\u0000", "\x01": "\\u0001", "\x08": "\\b",
            "\x0e": "\\u000E", "\x1a": "\\u001A", "\x80": "\\u0080", "\x9b": "\\u009B", "\x9f": "\\u009F"}


def listing_csv(path: Path, brands: list[str]) -> Path:
    """A generic CSV export (title, sku, brand); a brand holding a quote or comma is quoted as RFC 4180 says."""
    lines = ["title,sku,brand"]
    for i, brand in enumerate(brands, 1):
        lines.append(f'Mug {i},S{i},"{brand.replace(chr(34), chr(34) * 2)}"')
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_a_brand_with_a_control_character_reads_back_the_same(tmp_path, char):
    brand = f"Acme{char}Home"
    listings = listing_csv(tmp_path / "l.csv", [brand, "Plain"])
    out = tmp_path / "seller.toml"
    init_profile([listings], out)
    text = out.read_text(encoding="utf-8")
    assert char not in text  # escaped, as TOML requires (and visible to the seller who edits the file)
    assert f'"Acme{CONTROLS[char]}Home",' in text
    assert load_profile(out).own_brands == (brand, "Plain")


def test_profile_init_then_the_profile_loads_through_the_cli(tmp_path):
    listings = listing_csv(tmp_path / "del.csv", ["Acme\x7fHome", "Acme"])
    out = tmp_path / "s.toml"
    res = CliRunner().invoke(cli, ["profile", "init", str(listings), "--out", str(out), "--name", 'Tab\t"Shop"\x1b'])
    assert res.exit_code == 0, res.output
    profile = load_profile(out)  # what `scanner scan --config` reads
    assert profile.name == 'Tab\t"Shop"\x1b' and set(profile.own_brands) == {"Acme\x7fHome", "Acme"}


def test_a_name_with_bytes_that_are_not_utf8_is_one_line_and_no_file(tmp_path):
    listings = listing_csv(tmp_path / "l.csv", ["Acme"])
    out = tmp_path / "s.toml"
    # how Python passes the command-line bytes b"Shop\xff" on a UTF-8 system (surrogateescape)
    res = CliRunner().invoke(cli, ["profile", "init", str(listings), "--out", str(out), "--name", "Shop\udcff"])
    assert res.exit_code == 1, res.output
    assert f'error: {out}: "Shop\\xff" holds \\xff, a byte that is not text' in res.output
    assert "internal error" not in res.output and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.csv"]


def test_file_names_with_control_characters_stay_in_a_valid_comment():
    draft = BrandDraft(brands=[("Acme", 1)], listings=1, rejected=0, placeholder=0, blank=0,
                       files=["we\x7fird\x1bname\x00.csv", "bytes\udcff.csv", "two\nlines.csv"])
    text = render_profile(draft)
    assert tomllib.loads(text)["seller"]["own_brands"] == ["Acme"]
    assert text.splitlines()[0] == ("# Seller profile drafted by `scanner profile init` from "
                                    "we\\x7fird\\x1bname\\x00.csv, bytes\\xff.csv, two lines.csv:")


def test_a_profile_that_cannot_be_written_is_one_error(tmp_path):
    listings = listing_csv(tmp_path / "l.csv", ["Acme"])
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot create the --out folder: .*is a file, not a folder"):
        init_profile([listings], blocker / "seller.toml")  # told before the listings are read
    assert blocker.read_text(encoding="utf-8") == "x"


def test_toml_string_refuses_a_lone_surrogate():
    with pytest.raises(ValueError, match="a byte that is not text"):
        toml_string("Acme\udcff")


TEXT = st.text(st.characters(blacklist_categories=("Cs",)))  # every character but lone surrogates


@given(TEXT)
def test_toml_string_round_trips_any_text(text):
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text


@settings(max_examples=50)
@given(brands=st.lists(TEXT.filter(str.strip), min_size=1, max_size=5, unique=True), name=TEXT,
       files=st.lists(st.text(), min_size=1, max_size=3))
def test_a_rendered_profile_reads_back_to_the_same_brands_and_name(brands, name, files):
    draft = BrandDraft(brands=[(b, 1) for b in brands], listings=len(brands), rejected=0, placeholder=0,
                       blank=0, files=files)
    seller = tomllib.loads(render_profile(draft, name=name))["seller"]
    assert seller["own_brands"] == brands and seller["name"] == name and seller["authorized_brands"] == []
