"""Saved e-mails (``.eml``): headers, and the text of the plain and HTML parts.

Uses the standard library ``email`` package with ``email.policy.default``; transfer encodings
(quoted-printable, base64, 8bit) are undone by it, charsets by :func:`scanner.notices.decode.decode_bytes`
(the part's declared charset, then UTF-8, then cp1252 with a note). Each message forwarded as an attachment
(``message/rfc822``, forwards of forwards included) is read as a message of its own, with its own ``Date:``
and ``Subject:`` (those of the message that holds it when it has none), so two notices attached to one
covering note are never mixed up.
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
class MessageText:
    """One message of a saved e-mail (the outer one, or one attached to it): its own subject and date, and
    the texts of its own plain and HTML parts (not those of the messages attached to it)."""

    subject: str = ""
    date: str = ""  # YYYY-MM-DD or ""
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)  # already converted to text
    depth: int = 0  # 0 for the outer message, 1 for one attached to it, ...


@dataclass
class EmailContent:
    """What a saved e-mail says: its messages (the outer one first, then each attached one, depth first)
    and notes about reading them."""

    messages: list[MessageText] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        """The innermost (last read) message's subject."""
        return next((m.subject for m in reversed(self.messages) if m.subject), "")

    @property
    def date(self) -> str:
        """The innermost (last read) message's date."""
        return next((m.date for m in reversed(self.messages) if m.date), "")

    @property
    def plain(self) -> list[str]:
        """Every message's plain texts, in reading order."""
        return [text for m in self.messages for text in m.plain]

    @property
    def html(self) -> list[str]:
        """Every message's HTML parts as text, in reading order."""
        return [text for m in self.messages for text in m.html]


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


def _read_message(msg: EmailMessage, content: EmailContent, depth: int, outer: MessageText | None = None) -> None:
    """Read ``msg`` as one message of ``content``, then each message attached to it as one of its own."""
    own = MessageText(subject=_header(msg, "subject"), depth=depth)
    raw_date = _header(msg, "date")
    if raw_date:
        own.date = parse_date(raw_date)
        if not own.date:
            content.notes.append(f"could not read the Date header {raw_date!r}")
    if outer is not None:  # an attached message without its own headers is dated by the message that holds it
        own.subject = own.subject or outer.subject
        own.date = own.date or ("" if raw_date else outer.date)
    content.messages.append(own)
    attached = _attached_parts(msg)
    for part in msg.walk():
        if id(part) in attached:  # read once, by the _read_message of the message that holds it
            continue
        ctype = part.get_content_type()
        if part is not msg and ctype == "message/rfc822":
            for inner in part.iter_parts():
                _read_message(inner, content, depth + 1, own)
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
            own.plain.append(text)
        else:
            own.html.append(html_to_text(text))


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
