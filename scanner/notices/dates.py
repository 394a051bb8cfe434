"""Dates as notices write them -> ISO 8601 ``YYYY-MM-DD``.

Understood: RFC 2822 mail dates (``Mon, 15 Jan 2024 09:12:44 +0000``, the date as written, not converted
to UTC), ISO dates, month names in English (``January 15, 2024``, ``15 Jan 2024``, ``Jan. 15, 2024``,
Gmail's ``Mon, Jan 15, 2024 at 9:12 AM``, Outlook's ``Monday, January 15, 2024 9:12 AM``) and numeric
dates only when they cannot be misread (``2024/01/15``, or ``15/01/2024`` where one part is above 12).
An ambiguous date such as ``03/04/2024`` is not guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS = [
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b"),
    re.compile(_MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b", re.IGNORECASE),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _MON + r",?\s+(?P<y>\d{4})\b", re.IGNORECASE),
    re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})\b"),
]


def _make(y: str, m: int, d: int) -> str:
    try:
        return dt.date(int(y), m, d).isoformat()
    except ValueError:
        return ""


def _from_match(m: re.Match) -> str:
    g = m.groupdict()
    if g.get("mon"):
        return _make(g["y"], _MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]))
    if g.get("a"):
        a, b = int(g["a"]), int(g["b"])
        if a > 12 >= b:
            return _make(g["y"], b, a)
        if b > 12 >= a:
            return _make(g["y"], a, b)
        return ""  # ambiguous day/month order: not guessed
    return _make(g["y"], int(g["m"]), int(g["d"]))


def parse_date(value: str) -> str:
    """The ISO date in ``value`` (a header value or a labelled field), or "" when there is none."""
    value = " ".join(str(value).split())
    if not value:
        return ""
    found = find_date(value)
    if found or not re.search(r"\b\d{2,4}\b", value):
        return found
    try:  # RFC 2822 with a two-digit year and the like
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return ""
    return parsed.date().isoformat()


def find_date(text: str) -> str:
    """The first date anywhere in free ``text`` (earliest position wins), or ""."""
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _from_match(m)
            if iso:
                if best is None or m.start() < best[0]:
                    best = (m.start(), iso)
                break
    return best[1] if best else ""


def ambiguous_date(value: str) -> bool:
    """True when ``value`` writes a numeric date whose day and month order cannot be told (``03/04/2024``),
    so that :func:`parse_date` leaves it empty on purpose rather than because there is no date."""
    if parse_date(value):
        return False
    return any(1 <= int(m.group("a")) <= 12 and 1 <= int(m.group("b")) <= 12 for m in _PATTERNS[-1].finditer(value))
