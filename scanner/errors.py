"""Errors the scanner raises on purpose.

Every error a user can cause (a bad file, a bad option, a missing column) is a :class:`ScannerError`.
The CLI prints it as one line and exits with :attr:`ScannerError.exit_code`; anything else is an
internal error (exit code 2).
"""

from __future__ import annotations

import re
from os import PathLike

#: Longest message printed: an error or warning quoting a file's text (a 50 MB first line, a binary file
#: read as a list) says enough in this many characters.
MAX_MESSAGE = 2000
#: Control characters (C0 but tab, DEL, C1) and lone surrogates: shown as escapes, never sent to the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` as one printable line: whitespace runs made single spaces, control characters escaped
    (``\\x1b``), cut after ``limit`` characters with a note of how much was left out."""
    text = " ".join(str(text).split())
    text = _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit:,} more characters)"
    return text


class ScannerError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is one line that says what and where."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        super().__init__(self.format())

    def format(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = one_line(self.message)  # always one line, printable, of a readable length
        return f"{', '.join(where)}: {text}" if where else text


class InputError(ScannerError):
    """A listings, labels or notices file cannot be read as what it claims to be."""


class ConfigError(ScannerError):
    """The seller profile or a command-line option is invalid."""


class CorpusError(ScannerError):
    """A trademark source or a compiled corpus cannot be read or built."""


class ModelError(ScannerError):
    """A model bundle is missing, incompatible or cannot be trained."""


class OverwriteError(ScannerError):
    """The output exists and ``force`` was not given."""


class HistoryError(ScannerError):
    """The scan history database cannot be read or written."""


def read_bytes(path: str | PathLike[str], *, what: str, error: type[ScannerError] = InputError) -> bytes:
    """The bytes of ``path``; a missing or unreadable file is one ``error`` line naming ``what`` it is."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise error(f"{what} not found", path=path) from None
    except IsADirectoryError:
        raise error(f"{what} is a folder, not a file", path=path) from None
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror}", path=path) from None
