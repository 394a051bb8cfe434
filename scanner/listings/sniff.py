"""What a file is, from its content (never from its name alone).

:func:`sniff` returns ``"xlsx"`` (an Office Open XML workbook: xlsx, xlsm, xltx), ``"zip-text"`` (a zip
holding one CSV file, as Walmart's item report downloads) or ``"text"``, and raises
a one-line :class:`~scanner.errors.InputError` saying what the file looks like for everything that cannot
be a listing export: a missing file, a folder, an empty file, an old binary ``.xls``, a password-protected
workbook, a zip that is not a workbook, PDF, gzip, other binary data. :func:`check_text_start` does the
same for text that is a web page or an XML document.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..errors import InputError

HEAD_SIZE = 1 << 16
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_SCAN_LIMIT = 256 << 20
_MARKUP = re.compile(r"<(\?xml|!--|[a-z][\w:.-]*[\s>/])")


def read_head(path: Path) -> bytes:
    """The first :data:`HEAD_SIZE` bytes; missing files, folders and unreadable files are InputErrors."""
    if not path.exists():
        raise InputError("file not found", path=path)
    if path.is_dir():
        raise InputError("is a folder, not a listing file; give the export file(s) inside it", path=path)
    try:
        with open(path, "rb") as f:
            return f.read(HEAD_SIZE)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=path) from None


def sniff(path: Path, head: bytes) -> str:
    """``"xlsx"`` or ``"text"``; an InputError for anything that cannot be a listing export."""
    if not head:
        raise InputError("file is empty (0 bytes)", path=path)
    if head.startswith(_OLE2):
        raise InputError(_ole2_message(path), path=path)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(b"%PDF"):
        raise InputError("is a PDF document, not a listing export; download the report as a text file", path=path)
    if head.startswith(b"\x1f\x8b"):
        raise InputError(
            "is gzip-compressed (as SP-API report documents can be); decompress it first (e.g. gunzip)", path=path
        )
    return "text"


#: Bytes that text exports never hold: the C0 controls but tab, line feed, vertical tab, form feed,
#: carriage return and escape (no ASCII-compatible encoding uses them inside a character).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1b")
#: Workbook names: a file so named that is no zip (nor old OLE2 workbook) is told apart from a text export.
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


def check_binary(path: Path, head: bytes) -> None:
    """A file in an ASCII-compatible encoding whose first bytes hold NUL bytes or many other control bytes is
    binary data, not a text export: an InputError (one that says so of a file named like a workbook)."""
    nul = head.count(0)
    control = len(head) - len(head.translate(None, _CONTROL))
    if nul > 8 and nul > len(head) // 100:
        what = "NUL bytes"
    elif control > 8 and control > len(head) // 50:
        what = "control bytes"
    else:
        return
    if path.suffix.lower() in _WORKBOOK_SUFFIXES:
        raise InputError(
            f"is named like an Excel workbook but is not one (a workbook is a zip archive; this file is binary data "
            f"of another kind, with {what}: a damaged or incomplete download?); download or save the file again",
            path=path,
        )
    raise InputError(
        f"looks like binary data (it contains {what}), not a text export; expected a tab-separated "
        "report, a CSV/TSV file or an .xlsx workbook",
        path=path,
    )


def check_text_start(path: Path, text: str) -> None:
    """A web page or XML document saved in place of the report is an InputError."""
    start = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    if start.startswith(("<!doctype html", "<html")) or ("<html" in start and start.startswith("<")):
        raise InputError(
            "is an HTML web page, not a report export (a Seller Central page saved from the browser?); "
            "download the report itself",
            path=path,
        )
    if _MARKUP.match(start):
        raise InputError("is an XML/markup document, not a tab-separated report or CSV file", path=path)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as exc:
        raise InputError(
            f"looks like a zip archive or Excel workbook (.xlsx) but is corrupt or truncated ({exc})", path=path
        ) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise InputError("is an Excel binary workbook (.xlsb); save it as .xlsx in Excel", path=path)
    if b"opendocument.spreadsheet" in mimetype:
        raise InputError("is an OpenDocument spreadsheet (.ods); save it as .xlsx or as CSV", path=path)
    if len(zipped_text_members(names)) == 1:
        return "zip-text"
    if "word/document.xml" in names or b"wordprocessingml" in content_types:
        raise InputError("is a Word document (.docx), not a listing export", path=path)
    shown = ", ".join(names[:5]) + (f", ... ({len(names)} files)" if len(names) > 5 else "")
    raise InputError(
        f"is a zip archive that is not an Excel workbook (it holds: {shown or 'nothing'}); unzip it and "
        "give the listing file(s) inside",
        path=path,
    )


def zipped_text_members(names: list[str]) -> list[str]:
    """The ``.csv`` files in a zip listing (macOS resource folders left out). A zip holding exactly one is
    read as that file (Walmart's item report); any other zip stays an error that says what it holds."""
    return [n for n in names if not n.endswith("/") and not n.startswith("__MACOSX/")
            and n.lower().endswith(".csv")]


def _ole2_message(path: Path) -> str:
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        data = f.read(min(size, _OLE2_SCAN_LIMIT))
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return (
            "is a password-protected (encrypted) Office workbook; remove the password in Excel "
            "(File > Info > Protect Workbook > Encrypt with Password) and save it as .xlsx"
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "is an old binary Excel workbook (.xls); open it in Excel and save it as .xlsx or as tab-delimited text"
    return "is an old binary Office (OLE2) document, not a listing export; save it as .xlsx or as text"
