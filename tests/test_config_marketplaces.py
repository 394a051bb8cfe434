"""The seller profile's marketplace keys: one marketplace table (scanner.jurisdictions) behind them, every value
accepted before still accepted, the new ``marketplaces`` list and ``shop`` validated in one line each."""

from __future__ import annotations

import pytest

from scanner import jurisdictions as jur
from scanner.config import MARKETPLACES, SellerProfile, load_profile
from scanner.errors import ConfigError

#: The codes the profile accepted before the table moved to scanner.jurisdictions, with their Amazon hosts.
OLD_CODES = {"US": "www.amazon.com", "CA": "www.amazon.ca", "MX": "www.amazon.com.mx", "BR": "www.amazon.com.br",
             "UK": "www.amazon.co.uk", "GB": "www.amazon.co.uk", "DE": "www.amazon.de", "FR": "www.amazon.fr",
             "IT": "www.amazon.it", "ES": "www.amazon.es", "NL": "www.amazon.nl", "SE": "www.amazon.se",
             "PL": "www.amazon.pl", "BE": "www.amazon.com.be", "IE": "www.amazon.ie", "TR": "www.amazon.com.tr",
             "AE": "www.amazon.ae", "SA": "www.amazon.sa", "EG": "www.amazon.eg", "IN": "www.amazon.in",
             "JP": "www.amazon.co.jp", "AU": "www.amazon.com.au", "SG": "www.amazon.sg", "CN": "www.amazon.cn"}


def _profile(tmp_path, body: str):
    path = tmp_path / "seller.toml"
    path.write_text("[seller]\n" + body, encoding="utf-8")
    return load_profile(path), path


@pytest.mark.parametrize("code", sorted(OLD_CODES))
def test_every_old_marketplace_value_is_still_accepted(tmp_path, code):
    for spelling in (code, code.lower(), f" {code.title()} "):
        profile, _ = _profile(tmp_path, f'marketplace = "{spelling}"\n')
        assert profile.marketplace == code  # the code as given (the history keys sellers by it: UK stays UK)
        assert profile.domain == OLD_CODES[code]
        assert MARKETPLACES[code][0] == OLD_CODES[code]


def test_one_table_behind_the_profile():
    for code, market in jur.MARKETPLACES.items():
        assert MARKETPLACES[code] == (market.amazon, market.jurisdictions)
    assert MARKETPLACES["UK"] == MARKETPLACES["GB"]
    assert SellerProfile(marketplace="KR").domain == ""  # Korea: no Amazon store, so no Amazon links
    assert SellerProfile(marketplace="DE").jurisdictions == ("EU", "DE")


def test_unknown_marketplace_is_one_line(tmp_path):
    with pytest.raises(ConfigError) as err:
        _profile(tmp_path, 'marketplace = "XX"\n')
    assert "\n" not in str(err.value) and "'XX'" in str(err.value) and "seller.toml" in str(err.value)


def test_marketplaces_list_and_sold_in(tmp_path):
    profile, _ = _profile(tmp_path, 'marketplace = "US"\nmarketplaces = ["US", "DE", "mercadolibre.com.br", '
                                    '"amazon.co.uk", "shein:FR"]\n')
    assert profile.marketplaces == ("US", "DE", "mercadolibre.com.br", "amazon.co.uk", "shein:FR")
    assert jur.sold_in(profile) == ("US", "EU", "DE", "BR", "GB", "FR")
    assert profile.jurisdictions == jur.sold_in(profile)
    plain, _ = _profile(tmp_path, 'marketplace = "JP"\n')
    assert plain.marketplaces == () and jur.sold_in(plain) == ("JP",)


@pytest.mark.parametrize(("value", "bad"), [
    ('["DE", "amazon.xx"]', "'amazon.xx'"),
    ('["shein"]', "'shein'"),  # the country sold to is needed: shein:XX
    ('["DE", ""]', "''"),
])
def test_bad_marketplaces_value_is_one_line_naming_file_and_value(tmp_path, value, bad):
    with pytest.raises(ConfigError) as err:
        _profile(tmp_path, f'marketplace = "US"\nmarketplaces = {value}\n')
    message = str(err.value)
    assert "\n" not in message and bad in message and "seller.toml" in message and "marketplaces" in message


def test_marketplaces_must_be_strings(tmp_path):
    with pytest.raises(ConfigError, match="marketplaces must be a list of strings"):
        _profile(tmp_path, 'marketplaces = [1, 2]\n')


def test_shop_string_or_table(tmp_path):
    profile, _ = _profile(tmp_path, 'shop = "https://myshop.example/"\n')
    assert profile.shop_for("shopify") == profile.shop_for("rakuten") == "myshop.example"
    profile, _ = _profile(tmp_path, 'shop = {shopify = "acme.myshopify.com", rakuten = "acme-jp"}\n')
    assert profile.shop_for("shopify") == "acme.myshopify.com" and profile.shop_for("rakuten") == "acme-jp"
    assert profile.shop_for("woocommerce") == ""
    assert SellerProfile().shop_for("shopify") == ""


@pytest.mark.parametrize(("body", "words"), [
    ('shop = "my shop"\n', "'my shop'"),
    ('shop = {amazon = "x"}\n', "'amazon'"),
    ('shop = 3\n', "must be a string"),
    ('shop = {shopify = 3}\n', "must be a string"),
])
def test_bad_shop_is_one_line(tmp_path, body, words):
    with pytest.raises(ConfigError) as err:
        _profile(tmp_path, body)
    assert "\n" not in str(err.value) and words in str(err.value) and "seller.toml" in str(err.value)
