"""Text normalisation shared by the corpus and the listings."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def brand_key(name: str) -> str:
    """Compare brand names case- and punctuation-insensitively: ``"Acme-Pro "`` -> ``"acmepro"``."""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NON_ALNUM.sub("", text)
