"""Facts that notices state in sentences rather than ``Label: value`` lines.

- the mark: "The rights owner is asserting that the products infringe the following trademark: FABRIKAM"
  (the mark may also stand on the next line);
- the rights owner: "You can contact the rights owner, Contoso Home Ltd, at: legal@...", "These are the
  rights owner's contact details:" followed by ``-- name`` / ``-- e-mail`` lines, or "... a retraction
  from the rights owner:" followed by the e-mail;
- the type: "claims the items ... infringe their trademark|copyright|patent", "... are counterfeit"
  (or "inauthentic"), and Amazon's "suspected intellectual property" wording.
"""

from __future__ import annotations

import re

from .fields import clean_value, infringement_type, is_label_line, owner_email
from .parse_text import strip_bullet

_APOS = "['\u2019]"
_OWNER = r"(?:rights?[ -]?(?:owner|holder)|complainant)"
#: Lines after which the rights owner's contact details follow.
_CONTACT_TRIGGER = re.compile(
    r"contact\s+(?:the\s+)?" + _OWNER
    + r"|" + _OWNER + _APOS + r"?s?\s+contact\s+(?:details|information|info)"
    + r"|contact\s+(?:details|information)\s+(?:of|for)\s+the\s+" + _OWNER
    + r"|" + _OWNER + r"\s*:\s*$",
    re.IGNORECASE,
)
#: "the rights owner, Contoso Home Ltd, at: ..."; the name may hold commas ("Nike, Inc.").
_OWNER_IN_SENTENCE = re.compile(
    _OWNER + r"\s*[,(]\s*(?P<name>[^()@:]{2,80}?)\s*[,)]\s*(?:at|by|via|on)\b", re.IGNORECASE
)
#: Company-form abbreviations a name may end with ("Nike, Inc.", "Fabrikam S.A."): a final period after one
#: of them does not make the line a sentence.
_COMPANY_ABBREVIATIONS = frozenset(
    [
        "inc", "ltd", "co", "corp", "llc", "plc", "lp", "llp", "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa",
        "bv", "nv", "ab", "as", "oy", "kk", "pty", "pte", "sdn", "bhd", "ltda", "cia", "cie", "sl", "slu", "intl",
        "mfg", "bros",
    ]
)
_FOLLOWING_MARK = re.compile(
    r"(?:following|asserted|their|its)\s+(?:registered\s+)?trade\s*marks?(?:\s*\(s\))?\s*:\s*(?P<mark>.*)$",
    re.IGNORECASE,
)
_QUOTED_MARK = re.compile(
    r"infring\w*\s+(?:on\s+)?(?:their|its|the)\s+(?:registered\s+)?trade\s*mark\s+[\"\u201c'\u2018]"
    r"(?P<mark>[^\"\u201d'\u2019\n]{1,80})[\"\u201d'\u2019]",
    re.IGNORECASE,
)
_CLAIM_COUNTERFEIT = re.compile(
    r"(?:claims?|report\w*|alleg\w*|assert\w*)(?:\s+from\s+(?:a|the)\s+" + _OWNER + r")?\s+(?:that\s+)?"
    r"(?:the\s+|these\s+|your\s+)?"
    r"(?:items?|products?|listings?)[^.\n]{0,80}?\b(?:are|is|be|were)\s+(?:counterfeit|inauthentic|not\s+authentic)",
    re.IGNORECASE,
)
_CLAIM_TYPE = re.compile(
    r"infring\w*\s+(?:on\s+|upon\s+)?(?:their|its|the|the\s+following|a|an|(?:the\s+)?" + _OWNER + _APOS
    + r"s?)\s+(?:registered\s+)?(trade\s*marks?|copyrights?|patents?|design\s+rights?)",
    re.IGNORECASE,
)
_SUSPECTED = re.compile(r"suspected\s+(?:intellectual\s+property|ip)\b", re.IGNORECASE)


def _looks_like_a_mark(text: str) -> bool:
    """A mark on its own line is short and is not a sentence."""
    return 0 < len(text) <= 80 and len(text.split()) <= 8 and not re.search(r"[.?!:]\s|[.?!:]$", text)


def prose_mark(lines: list[str], skip: set[int]) -> str:
    """The mark the notice names in a sentence ("... infringe the following trademark: FABRIKAM")."""
    for i, line in enumerate(lines):
        if i in skip:
            continue
        m = _FOLLOWING_MARK.search(line) or _QUOTED_MARK.search(line)
        if not m:
            continue
        mark = m.group("mark").strip()
        if not mark:
            nxt = next((t.strip() for t in lines[i + 1 : i + 3] if t.strip()), "")
            if nxt and not is_label_line(nxt) and _looks_like_a_mark(strip_bullet(nxt)):
                mark = strip_bullet(nxt)
        mark = clean_value("trademark", mark)
        if mark:
            return mark
    return ""


def prose_contact(lines: list[str]) -> dict[str, str]:
    """Rights-owner name and e-mail given in sentences or unlabelled lines after a contact sentence."""
    for i, line in enumerate(lines):
        if not _CONTACT_TRIGGER.search(line):
            continue
        span = [line]
        for nxt in lines[i + 1 : i + 6]:
            if is_label_line(nxt) and span[-1].strip():
                break
            span.append(strip_bullet(nxt))
        email = owner_email("\n".join(span))
        if not email:
            continue
        m = _OWNER_IN_SENTENCE.search(line)
        name = m.group("name").strip() if m else _name_near(span, email)
        name = clean_value("rights_owner", name) if name and not _CONTACT_TRIGGER.search(name) else ""
        return {"rights_owner": name, "rights_owner_email": email}
    return {}


def _name_near(span: list[str], email: str) -> str:
    """The name written with the e-mail: before it on its line, in brackets after it, or on a line above."""
    for k, text in enumerate(span):
        if email not in text:
            continue
        before, _, after = text.partition(email)
        if k == 0:  # the contact sentence itself: only what follows its colon can be a name
            before = before.rsplit(":", 1)[1] if ":" in before else ""
        before = re.sub(r"(?i)^.*\b(?:at|email|e-mail|address)\s*:?\s*$", "", before)
        name = re.sub(r"(?:mailto:)?$", "", before).strip(" \t:,;-<([")
        if not name:
            name = after.strip(" \t>)],;.-").strip("()")
        if not name and k > 0:
            prev = next((t.strip() for t in reversed(span[1:k]) if t.strip()), "")
            if prev and len(prev) <= 100 and not _is_sentence(prev) and not _CONTACT_TRIGGER.search(prev):
                name = prev
        return name
    return ""


def _is_sentence(text: str) -> bool:
    """A line that ends like a sentence or a question (not a name such as "Nike, Inc.")."""
    text = text.rstrip()
    if text.endswith((":", "?", "!")):
        return True
    if not text.endswith("."):
        return False
    last = text[:-1].rsplit(None, 1)[-1] if text[:-1].split() else ""
    word = last.replace(".", "").casefold()
    return not (word in _COMPANY_ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", last + "."))


def prose_type(body: str, subject: str, *, has_owner: bool) -> str:
    """The infringement type a notice states in prose, or ""."""
    if _CLAIM_COUNTERFEIT.search(body):
        return "counterfeit"
    m = _CLAIM_TYPE.search(body)
    if m:
        return infringement_type(m.group(1))
    if not has_owner and (_SUSPECTED.search(subject) or _SUSPECTED.search(body)):
        return "suspected"
    return ""
