"""Public Amazon marketplace ids -> the marketplace code the seller profile uses.

Only the ids we are sure of (Amazon's published Selling Partner API marketplace ids). An id not listed
leaves the marketplace empty; the pipeline then fills it from the seller profile.
"""

from __future__ import annotations

import re

MARKETPLACE_IDS: dict[str, str] = {
    "ATVPDKIKX0DER": "US",
    "A2EUQ1WTGCTBG2": "CA",
    "A1AM78C64UM0Y8": "MX",
    "A2Q3Y263D00KWC": "BR",
    "A1F83G8C2ARO7P": "UK",
    "A1PA6795UKMFR9": "DE",
    "A13V1IB3VIYZZH": "FR",
    "APJ6JRA9NG5V4": "IT",
    "A1RKKUPIHCS9HS": "ES",
    "A1805IZSGTT6HS": "NL",
    "A2NODRKZP88ZB9": "SE",
    "A1C3SOZRARQ6R3": "PL",
    "A33AVAJ2PDY3EV": "TR",
    "A2VIGQ35RCS4UG": "AE",
    "A17E79C6D8DWNP": "SA",
    "A21TJRUUN4KGV": "IN",
    "A1VC38T7YXB528": "JP",
    "A39IBJ37TRP1C6": "AU",
    "A19VAU5U5O7RUS": "SG",
}

_PRIMARY = re.compile(r"primaryMarketplaceId=(?:amzn1\.mp\.o\.)?([A-Za-z0-9]+)")


def marketplace_from_settings(text: str) -> tuple[str, str]:
    """``(code, id)`` from a flat-file TemplateType row's ``primaryMarketplaceId=amzn1.mp.o.<ID>``.

    ``code`` is ``""`` when the id is absent or not one we know; ``id`` is what the row said (or ``""``).
    """
    match = _PRIMARY.search(text)
    if not match:
        return "", ""
    mp_id = match.group(1)
    return MARKETPLACE_IDS.get(mp_id.upper(), ""), mp_id
