"""Saved e-mails (``.eml``): headers, and the text of the plain and HTML parts.

Uses the standard library ``email`` package with ``email.policy.default``; transfer encodings
(quoted-printable, base64, 8bit) are undone by it, charsets by :func:`scanner.notices.decode.decode_bytes`
(the part's declared charset, then UTF-8, then cp1252 with a note). A message forwarded as an attachment
(``message/rfc822``) is read too, and its own ``Date:`` and ``Subject:`` are preferred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from .dates import parse_date
from .decode import decode_bytes
from .html_text import html_to_text


@dataclass
class EmailContent:
    """What a notice e-mail says: subject and date (innermost message first), plain and HTML texts."""

    subject: str = ""
    date: str = ""  # YYYY-MM-DD or ""
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)  # already converted to text
    notes: list[str] = field(default_factory=list)


_FIELD_LINE = re.compile(r"^[!-9;-~]+:")
_KNOWN = ("from:", "date:", "subject:", "to:", "cc:", "mime-version:", "content-type:", "received:",
          "return-path:", "message-id:", "delivered-to:", "reply-to:", "x-")
_TRANSPORT = ("mime-version:", "content-type:", "message-id:", "received:", "return-path:")


def looks_like_email(text: str, *, lenient: bool = False) -> bool:
    """True when ``text`` starts with an RFC 5322 header section (a raw saved message).

    Strict (for ``.txt`` files): three or more known headers including a MIME or transport one, so text
    that merely starts with ``Subject:``/``From:`` lines pasted from a mail client stays text. Lenient (for
    ``.eml`` files): one known header is enough."""
    header: list[str] = []
    for line in text.lstrip("\r\n").replace("\r\n", "\n").split("\n")[:200]:
        if not line.strip():
            break
        if not (_FIELD_LINE.match(line) or line[:1] in (" ", "\t")):
            return False
        header.append(line.lower())
    known = [line for line in header if line.startswith(_KNOWN)]
    if lenient:
        return bool(known)
    return len(known) >= 3 and any(line.startswith(_TRANSPORT) for line in known)


class UnreadableEmail(ValueError):
    """A saved message the ``email`` package cannot take apart; the importer lists it as the file's error."""


def parse_email(raw: bytes) -> EmailContent:
    """Parse a saved message; never raises on malformed MIME (the ``email`` package records defects), except
    :class:`UnreadableEmail` for parts nested too deeply to read."""
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        content = EmailContent()
        _read_message(msg, content, depth=0)
    except RecursionError:
        # The email package parses, prints and walks nested parts recursively: about a thousand levels (no
        # real notice has more than a few) exhaust the stack. The file is bad, not the import.
        raise UnreadableEmail("MIME parts nested too deeply to read") from None
    return content


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except (ValueError, TypeError, IndexError):  # a header the policy cannot parse
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _read_message(msg: EmailMessage, content: EmailContent, depth: int) -> None:
    subject, date = _header(msg, "subject"), ""
    raw_date = _header(msg, "date")
    if raw_date:
        date = parse_date(raw_date)
        if not date:
            content.notes.append(f"could not read the Date header {raw_date!r}")
    # an attached original is read after its wrapper, so its subject and date win
    if subject:
        content.subject = subject
    if date:
        content.date = date
    attached = _attached_parts(msg)
    for part in msg.walk():
        if id(part) in attached:  # read once, by the _read_message of the message that holds it
            continue
        ctype = part.get_content_type()
        if part is not msg and ctype == "message/rfc822":
            for inner in part.iter_parts():
                _read_message(inner, content, depth + 1)
            continue
        if part.is_multipart():
            continue
        if ctype not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        text, _enc, note = decode_bytes(payload, part.get_content_charset())
        if note:
            content.notes.append(f"{ctype} part: {note}")
        if ctype == "text/plain":
            content.plain.append(text)
        else:
            content.html.append(html_to_text(text))


def _attached_parts(msg: EmailMessage) -> set[int]:
    """The ids of the parts inside ``msg``'s ``message/rfc822`` attachments, forwards in forwards included
    (read separately by :func:`_read_message`). Found in one walk: checking each part against every
    attachment made a message of a thousand parts take half a minute, and nested forwards were read again
    at every level (2**depth reads)."""
    inside: set[int] = set()
    for sub in msg.walk():
        if sub is not msg and id(sub) not in inside and sub.get_content_type() == "message/rfc822":
            inside.update(id(p) for inner in sub.iter_parts() for p in inner.walk())
    return inside
