"""Bytes to text: BOM, the declared charset, UTF-8, then cp1252 (with a note saying so)."""

from __future__ import annotations

import codecs

#: Declared charsets that mail clients and browsers treat as windows-1252 (the WHATWG encoding rules):
#: real messages that declare them often contain cp1252 quotes and dashes.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "cp819", "windows-1252", "cp1252"}
_ASCII = {"us-ascii", "ascii", "ansi_x3.4-1968"}


def is_binary(raw: bytes) -> bool:
    """True when ``raw`` looks like a binary file (NUL bytes or many control bytes), not text."""
    head = raw[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str, str]:
    """Decode ``raw`` and return ``(text, encoding_used, note)``; ``note`` is "" unless a fallback was used.

    Order: a byte-order mark, the ``declared`` charset (e.g. from a MIME part or an HTML ``<meta>``),
    UTF-8, then cp1252. Bytes that cp1252 cannot map become U+FFFD and the note says so.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc, ""
            except UnicodeDecodeError:
                break
    note = ""
    name = (declared or "").strip().strip("\"'").lower()
    if name and name not in _ASCII:
        enc = "cp1252" if name in _AS_CP1252 else name
        try:
            codecs.lookup(enc)
        except LookupError:
            note = f"unknown declared charset {declared!r}"
        else:
            try:
                return raw.decode(enc), enc, ""
            except UnicodeDecodeError:
                note = f"text is not valid {declared}"
    try:
        return raw.decode("utf-8"), "utf-8", note
    except UnicodeDecodeError:
        pass
    prefix = f"{note}; " if note else ""
    try:
        return raw.decode("cp1252"), "cp1252", f"{prefix}not UTF-8: decoded as cp1252"
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        return text, "cp1252", f"{prefix}not UTF-8: decoded as cp1252, undecodable bytes replaced"
