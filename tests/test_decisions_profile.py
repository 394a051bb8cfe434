"""The seller profile around `decisions import --update-profile`: a profile with Windows line endings is
edited (and keeps them); a profile that cannot be used records nothing (decisions and profile change
together or not at all); keys written above the [seller] line are an error, not silently ignored."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.config import load_profile
from scanner.errors import ConfigError
from scanner.history import HistoryStore, import_decisions, update_authorized_brands
from tests.test_decisions_headers import first_sku, scan_and_report, set_value
from tests.test_history import PROFILES


@pytest.mark.parametrize("kind", sorted(PROFILES))
def test_a_profile_with_windows_line_endings_is_edited_and_keeps_them(tmp_path, kind):
    path = tmp_path / "seller.toml"
    original = PROFILES[kind].replace("\n", "\r\n")
    path.write_bytes(original.encode("utf-8"))
    before = tomllib.loads(original)["seller"].get("authorized_brands", [])
    before = [before] if isinstance(before, str) else before
    assert update_authorized_brands(path, ["CANON"]) == ["CANON"]
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")  # no bare LF added
    assert tomllib.loads(raw.decode("utf-8"))["seller"]["authorized_brands"] == before + ["CANON"]
    assert (tmp_path / "seller.toml.bak").read_bytes() == original.encode("utf-8")


def _authorized_report(tmp_path, hist):
    _applied, path = scan_and_report(tmp_path, "r1.xlsx", history=hist)
    set_value(path, "High risk", first_sku(path), "Decision", "authorized")
    return path


@pytest.mark.parametrize("profile_text,message", [
    ('[seller]\nname = "Acme Trading"\nown_brand = ["acme"]\n', "unknown key"),  # a typo: the profile is invalid
    ('seller = {name = "Acme Trading"}\n', "cannot add to authorized_brands"),  # valid, but not editable
])
def test_a_profile_that_cannot_be_updated_records_no_decision(tmp_path, profile_text, message):
    hist = tmp_path / "h"
    path = _authorized_report(tmp_path, hist)
    profile = tmp_path / "seller.toml"
    profile.write_text(profile_text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        import_decisions([path], history=hist, update_profile=profile)
    with HistoryStore(hist) as store:
        assert store.decisions("Acme Trading") == {}
    assert profile.read_text(encoding="utf-8") == profile_text
    profile.write_text('[seller]\nname = "Acme Trading"\n', encoding="utf-8")  # fixed: both happen now
    summary = import_decisions([path], history=hist, update_profile=profile)
    assert summary.recorded == 1 and summary.profile_added


def test_an_invalid_profile_is_refused_even_with_nothing_to_add(tmp_path):
    hist = tmp_path / "h"
    _applied, path = scan_and_report(tmp_path, "r1.xlsx", history=hist)
    set_value(path, "High risk", first_sku(path), "Decision", "pull")
    profile = tmp_path / "seller.toml"
    profile.write_text('[seller]\nname = "Acme Trading"\nown_brand = ["acme"]\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["decisions", "import", str(path), "--history", str(hist),
                                   "--update-profile", str(profile)])
    assert out.exit_code == 1 and "own_brand" in out.output and "seller.toml" in out.output
    with HistoryStore(hist) as store:
        assert store.decisions("Acme Trading") == {}


@pytest.mark.parametrize("key", ["own_brands", "authorized_brands", "name", "shop"])
def test_a_seller_key_above_the_seller_line_is_an_error(tmp_path, key):
    value = '"x.example"' if key == "shop" else ('"Acme"' if key == "name" else '["acme"]')
    path = tmp_path / "seller.toml"
    path.write_text(f'{key} = {value}\n[seller]\nmarketplace = "US"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"seller.toml.*{key}.*above the \[seller\] line.*move it") as exc:
        load_profile(path)
    assert "\n" not in str(exc.value)


def test_an_unknown_top_level_key_is_an_error_and_other_tables_are_kept(tmp_path):
    path = tmp_path / "seller.toml"
    path.write_text('colour = "red"\n[seller]\nname = "A"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="seller.toml.*unknown key 'colour'"):
        load_profile(path)
    path.write_text('[seller]\nname = "A"\n\n[shop]\nshopify = "a.example"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[shop\] is a table of its own.*\[seller\.shop\]"):
        load_profile(path)
    path.write_text('[seller]\nname = "A"\n\n[notes]\ncomment = "mine"\n', encoding="utf-8")
    assert load_profile(path).name == "A"  # a table of the seller's own is left alone


def test_scan_with_a_key_above_the_seller_line_is_a_one_line_error(tmp_path):
    path = tmp_path / "seller.toml"
    path.write_text('own_brands = ["acme"]\n[seller]\nname = "A"\n', encoding="utf-8")
    listings = tmp_path / "l.txt"
    listings.write_text("sku\ttitle\nA1\tMug\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["scan", str(listings), "--config", str(path), "--out", str(tmp_path / "r.xlsx"),
                                   "--no-history"])
    assert out.exit_code == 1 and "own_brands" in out.output and "[seller]" in out.output
    assert len(out.output.strip().splitlines()) == 1 and not (tmp_path / "r.xlsx").exists()
