"""The labels notices use for each field, and how a field's value is cleaned.

Labels are matched case-insensitively against the whole label text, so wording variants
("Rights owner name", "Name of rights owner", "Rights holder") map to one field. Generic labels such as
``Name:`` or ``Email:`` only count near a mention of the rights owner (see :data:`CONTACT_GENERIC`).
"""

from __future__ import annotations

import re

from .parse_text import strip_bullet

#: Item-level fields: they describe one listing of the complaint (one block per ASIN or ASIN list).
ITEM_FIELDS = ("asin", "title", "infringement_type", "trademark", "registration_number", "complaint_id",
               "notice_date", "sku")
#: Notice-level fields: who complained.
CONTACT_FIELDS = ("rights_owner", "rights_owner_email")

_OWNER = r"(?:rights?[ -]?(?:owner|holder)|complainant|brand owner|ip owner)(?:'?s)?"
_LABELS: list[tuple[str, str]] = [
    ("rights_owner_email", _OWNER + r"\s+(?:contact\s+)?e-?mail(?:\s+address)?"),
    ("rights_owner", _OWNER + r"(?:\s+(?:contact\s+)?name)?|name\s+of\s+(?:the\s+)?" + _OWNER
     + r"|(?:reported|submitted)\s+by|" + _OWNER + r"\s+contact"),
    ("asin", r"(?:affected\s+|parent\s+|child\s+|listing\s+)?asins?(?:\s*\(s\))?(?:\s+numbers?)?"),
    ("title", r"(?:product|item|listing|asin)?\s*title|(?:product|item|listing)\s+name"),
    ("infringement_type", r"(?:infringement|complaint|violation|report|policy|ip)\s+type"
     r"|type\s+of\s+(?:infringement|complaint|violation|report)|infringement|reason|violation"),
    ("registration_number", r"(?:(?:trademark|tm|patent|copyright)\s+)?(?:registration|reg\.?)\s*"
     r"(?:number|no\.?|#)?|(?:trademark|tm|patent|copyright)\s*(?:number|no\.?|#)"),
    # not "Brand": in listing notices that is the seller's own brand field, not the mark asserted
    ("trademark", r"(?:asserted\s+|infringed\s+)?(?:trademark|trade\s+mark|mark|word\s+mark)"
     r"(?:\s+(?:name|text|asserted))?"),
    ("complaint_id", r"(?:complaint|reference|case|notice|report)\s*(?:reference\s+)?"
     r"(?:id|identifier|number|no\.?|#)"),
    ("notice_date", r"(?:notice|complaint|report|violation|action)\s+date|date\s+of\s+(?:the\s+)?"
     r"(?:notice|complaint|report|violation)|date"),
    ("sku", r"(?:seller\s+|merchant\s+|your\s+)?sku"),
]
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _LABELS]

#: Labels that name a contact only near a mention of the rights owner.
CONTACT_GENERIC = {
    "rights_owner": re.compile(r"(?:contact\s+)?name|company(?:\s+name)?|organi[sz]ation", re.IGNORECASE),
    "rights_owner_email": re.compile(r"(?:contact\s+)?e-?mail(?:\s+address)?", re.IGNORECASE),
}

_LABEL_LINE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z .'#()/-]{0,48}?)\s*(?:[:\uff1a]\s*|\t\s*)(?P<value>.*)$")
ASIN_RE = re.compile(r"\b(B0[A-Z0-9]{8}|\d{9}[0-9X])\b")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_AMAZON_EMAIL = re.compile(r"@(?:[a-z0-9-]+\.)*amazon\.[a-z.]+$", re.IGNORECASE)


def split_label(line: str) -> tuple[str, str] | None:
    """``"Title: Foo"`` or ``"Title<TAB>Foo"`` -> ``("Title", "Foo")``; ``None`` for other lines."""
    m = _LABEL_LINE.match(line.strip())
    if not m:
        return None
    return " ".join(m.group("label").split()), m.group("value").replace("\t", " ").strip()


def classify_label(label: str) -> str | None:
    """The field a label names (``"Rights owner e-mail"`` -> ``"rights_owner_email"``), or ``None``."""
    label = label.strip().rstrip(".").strip()
    for name, pattern in _COMPILED:
        if pattern.fullmatch(label):
            return name
    return None


def is_label_line(line: str) -> bool:
    """True when ``line`` is a ``Label: value`` line of a known field (list markers allowed)."""
    parsed = split_label(strip_bullet(line))
    return bool(parsed and (classify_label(parsed[0]) or classify_generic(parsed[0])))


def classify_generic(label: str) -> str | None:
    """The contact field a generic label (``Name``, ``Email``) names, or ``None``."""
    for name, pattern in CONTACT_GENERIC.items():
        if pattern.fullmatch(label.strip()):
            return name
    return None


def asins_in(value: str) -> list[str]:
    """The ASINs in a value, in order, without repeats: ``"B0TEST0001, b0test0002"`` -> two ASINs."""
    seen: dict[str, None] = {}
    for asin in ASIN_RE.findall(value.upper()):
        seen.setdefault(asin)
    return list(seen)


def owner_email(text: str) -> str:
    """The first e-mail address in ``text`` that is not Amazon's own, or ""."""
    for email in EMAIL_RE.findall(text):
        email = email.strip(".")
        if not _AMAZON_EMAIL.search(email):
            return email
    return ""


_TYPES = [
    ("counterfeit", re.compile(r"counterfeit|inauthentic|not authentic", re.IGNORECASE)),
    ("suspected", re.compile(r"suspected", re.IGNORECASE)),
    ("trademark", re.compile(r"trade\s*mark|\btm\b", re.IGNORECASE)),
    ("copyright", re.compile(r"copyright", re.IGNORECASE)),
    ("patent", re.compile(r"patent|design right", re.IGNORECASE)),
]


def infringement_type(value: str) -> str:
    """``"Trademark Logo Use"`` -> ``"trademark"``; one of trademark, copyright, patent, counterfeit,
    suspected, or "" when the value names none of them."""
    for name, pattern in _TYPES:
        if pattern.search(value):
            return name
    return ""


def clean_value(field: str, value: str) -> str:
    """Trim what wraps a value (quotes around a mark, ``mailto:``); registration numbers stay as written."""
    value = value.strip()
    if field == "trademark":
        value = value.strip().strip("\"'\u201c\u201d\u2018\u2019").strip()
        value = re.sub(r"[.;]$", "", value).strip()
    elif field == "rights_owner_email":
        value = owner_email(value)
    elif field == "rights_owner":
        value = re.sub(r"\s*[<(]?\s*(?:mailto:)?\S+@\S+\s*[>)]?\s*$", "", value).strip(" ,;-")
    elif field == "complaint_id":
        value = value.strip().rstrip(".")
    return value
