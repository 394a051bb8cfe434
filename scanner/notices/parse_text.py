"""Plain-text clean-up shared by every notice format, and the header blocks of forwarded messages."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200a\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_QUOTE = re.compile(r"^(?:[ \t]*>)+[ \t]?")
_BULLET = re.compile(r"^[ \t]*(?:[-\u2013\u2014*\u2022\u00b7\u25aa\u25cf]+|\d{1,2}[.)])[ \t]+")

#: Lines that open a forwarded or quoted original message.
_FORWARD_MARKERS = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|original message)\s*-{2,}|begin forwarded message:?|_{8,})\s*$",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(r"^\s*\*?(from|date|sent|subject|to|cc|reply-to)\*?\s*:\s*(.*)$", re.IGNORECASE)


def normalise_text(text: str) -> str:
    """One form for all inputs: LF line ends, plain spaces for non-breaking ones, no zero-width characters,
    no ``>`` quote prefixes, no trailing blanks. Words inside lines are left as written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    lines = [_QUOTE.sub("", line).rstrip() for line in text.split("\n")]
    return "\n".join(lines)


def strip_bullet(line: str) -> str:
    """``"-- Rights owner: X"`` -> ``"Rights owner: X"`` (list markers some notices put before labels)."""
    return _BULLET.sub("", line, count=1)


@dataclass
class HeaderBlock:
    """A ``From:/Date:/Subject:`` block inside a text: a forwarded original, or pasted mail headers."""

    line: int  # index of its first line
    end: int  # index after its last line
    fields: dict[str, str]

    @property
    def date(self) -> str:
        """The raw ``Date:`` (or Outlook ``Sent:``) value, "" when absent."""
        return self.fields.get("date") or self.fields.get("sent", "")

    @property
    def subject(self) -> str:
        """The raw ``Subject:`` value, "" when absent."""
        return self.fields.get("subject", "")


def header_blocks(text: str) -> list[HeaderBlock]:
    """The mail-header blocks in ``text`` in order (the last one is the innermost forwarded original).

    A block is two or more consecutive header lines (``From:``, ``Date:``/``Sent:``, ``Subject:``, ``To:``)
    of which one is ``From:`` or which follow a forward marker such as ``---------- Forwarded message
    ---------``."""
    lines = text.split("\n")
    blocks: list[HeaderBlock] = []
    i = 0
    after_marker = False
    while i < len(lines):
        if _FORWARD_MARKERS.match(lines[i]):
            after_marker = True
            i += 1
            continue
        start, fields = i, {}
        while i < len(lines) and (m := _HEADER_LINE.match(lines[i])):
            fields.setdefault(m.group(1).lower(), m.group(2).strip())
            i += 1
        if len(fields) >= 2 and ("from" in fields or after_marker):
            blocks.append(HeaderBlock(start, i, fields))
            after_marker = False
        if i == start:
            if lines[i].strip():
                after_marker = False
            i += 1
    return blocks
