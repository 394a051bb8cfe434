"""Whole numbers written in text that users and offices give us.

``str.isdigit`` is true for ``"²"`` and other non-ASCII digits, which ``int`` refuses: every number read from
a file, a cell or an option is first checked with :func:`ascii_digits`.
"""

from __future__ import annotations

__all__ = ["ascii_digits"]


def ascii_digits(value: str) -> bool:
    """Whether ``value`` is one or more ASCII digits (``"0123"``), so that ``int(value)`` reads it."""
    return value.isascii() and value.isdigit()
