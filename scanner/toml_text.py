"""Text as TOML writes it: a basic string that holds exactly the text (:func:`toml_string`), and a comment
line that holds it readably (:func:`comment_text`). For the seller profile the scanner writes
(``scanner profile init``) and edits (``scanner decisions``: authorized brands)."""

from __future__ import annotations

import re

#: What a TOML basic string must escape: the quote, the backslash and the control characters (TOML 1.0 allows
#: tab and the C1 controls U+0080-U+009F as they are; they are escaped too, so that nothing invisible hides
#: in the file the seller edits).
_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
#: Lone surrogates: how Python hands over bytes that are not UTF-8 (in a command-line argument or a file
#: name, U+DC80-U+DCFF for byte 0x80-0xFF). No TOML string can hold one, nor a UTF-8 file.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What a TOML comment cannot hold as is (controls other than tab), and lone surrogates.
_NOT_IN_COMMENT = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")


def toml_string(text: str) -> str:
    """A TOML basic string holding exactly ``text`` (quotes, backslashes and control characters escaped,
    other Unicode as is). ``ValueError`` for text with a lone surrogate (:data:`_SURROGATE`)."""
    bad = _SURROGATE.search(text)
    if bad:
        shown = _NOT_IN_COMMENT.sub(lambda m: _shown(m.group()), text)  # the message is one printable line
        raise ValueError(f'"{shown}" holds {_shown(bad.group())}, a byte that is not text: TOML cannot hold it')
    return '"' + _ESCAPE.sub(lambda m: _SHORT.get(m.group(), f"\\u{ord(m.group()):04X}"), text) + '"'


def _shown(char: str) -> str:
    """``\\xff`` for a byte Python could not decode (U+DCFF), ``\\x7f`` / ``\\u2028`` for other characters."""
    code = ord(char) - 0xDC00 if 0xDC80 <= ord(char) <= 0xDCFF else ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def comment_text(text: str) -> str:
    """``text`` on one comment line: whitespace runs as one space, what a comment cannot hold as ``\\x..``."""
    return _NOT_IN_COMMENT.sub(lambda m: _shown(m.group()), " ".join(text.split()))
