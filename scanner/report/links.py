"""Links from the report to the Amazon product page and to the USPTO record of a mark."""

from __future__ import annotations

import re

from ..config import MARKETPLACES

_ASIN = re.compile(r"^[A-Z0-9]{10}$")
_US_SERIAL = re.compile(r"^\d{8}$")


def amazon_domain(marketplace: str, default: str = "www.amazon.com") -> str:
    """The product-page domain of a marketplace code (``"UK"`` -> ``www.amazon.co.uk``), else ``default``."""
    entry = MARKETPLACES.get((marketplace or "").strip().upper())
    return entry[0] if entry else default


def amazon_url(asin: str, marketplace: str = "", default_domain: str = "www.amazon.com") -> str:
    """``https://<domain>/dp/<ASIN>`` for a well-formed ASIN (10 letters/digits), else ``""``."""
    asin = (asin or "").strip().upper()
    if not _ASIN.match(asin):
        return ""
    return f"https://{amazon_domain(marketplace, default_domain)}/dp/{asin}"


def tsdr_url(serial_number: str, jurisdiction: str = "US") -> str:
    """The USPTO TSDR status page of a US serial number (8 digits), else ``""``.

    Only US records have TSDR pages; other offices' numbers give ``""`` (never a guessed link).
    """
    serial = re.sub(r"[\s,/-]", "", serial_number or "")
    if (jurisdiction or "US").strip().upper() != "US" or not _US_SERIAL.match(serial):
        return ""
    return f"https://tsdr.uspto.gov/#caseNumber={serial}&caseType=SERIAL_NO&searchType=statusSearch"
