"""``import_notices``: files and folders of saved notices -> one table of complaints.

Each file is read as what it is: ``.eml`` as a MIME message, ``.html``/``.htm`` as a web page, anything
else by its content (a raw message, an HTML page, or plain text). A file that gives no complaint is listed
with the reason and counted; it never stops the import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..progress import Progress
from ..progress import get as _progress
from .decode import decode_bytes, is_binary
from .dedupe import merge_duplicates
from .extract import Extraction, extract_notices
from .html_text import declared_charset, html_title, html_to_text, looks_like_html
from .parse_email import MessageText, UnreadableEmail, looks_like_email, parse_email
from .schema import ISSUE_COLUMNS, NOTICE_COLUMNS, empty_issues, empty_notices

#: File types read when a folder is given (other files in a folder are skipped and listed).
NOTICE_SUFFIXES = (".txt", ".eml", ".html", ".htm")
#: The reasons given for a path that gave no file to read.
NOT_FOUND = "file not found"
NO_NOTICE_FILES = "folder holds no .txt, .eml, .html or .htm files"


@dataclass
class ImportResult:
    """The complaints found (:data:`NOTICE_COLUMNS`), and the files that gave none (:data:`ISSUE_COLUMNS`)."""

    notices: pd.DataFrame
    issues: pd.DataFrame  # level: error (no complaint read) | skipped (not a notice file) | note
    files_read: int = 0
    files_with_notices: int = 0
    rows_before_merge: int = 0

    @property
    def errors(self) -> pd.DataFrame:
        """Files that gave no complaint (empty, binary, unreadable, no ASIN, not found), and folders that
        held no notice file."""
        return self.issues[self.issues["level"] == "error"]

    @property
    def not_read(self) -> pd.DataFrame:
        """Paths given that gave no file to read: not found, or a folder without a notice file (part of
        :attr:`errors`)."""
        return self.issues[(self.issues["level"] == "error") & self.issues["reason"].isin([NOT_FOUND, NO_NOTICE_FILES])]

    @property
    def skipped(self) -> pd.DataFrame:
        """Files in a folder that are not notice files (by extension)."""
        return self.issues[self.issues["level"] == "skipped"]

    @property
    def duplicates_merged(self) -> int:
        """Complaint rows dropped because another file held the same complaint."""
        return self.rows_before_merge - len(self.notices)


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str, str]]]:
    """The files to read (folders recursively, in name order) and the issues found on the way."""
    files: list[Path] = []
    issues: list[tuple[str, str, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = len(files)
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in NOTICE_SUFFIXES:
                    files.append(child)
                else:
                    issues.append((str(child), "skipped", f"not a notice file type ({child.suffix or 'no extension'})"))
            if len(files) == found:
                issues.append((str(path), "error", NO_NOTICE_FILES))
        elif path.is_file():
            files.append(path)
        else:
            issues.append((str(path), "error", NOT_FOUND))
    return files, issues


def parse_notice_file(path: str | Path) -> tuple[list[dict[str, str]], list[tuple[str, str, str]]]:
    """The complaint rows in one saved notice, and its issues (``(file, level, reason)``). Never raises for
    a bad file: an unreadable, empty, binary or ASIN-less file (or a message whose MIME parts nest too deeply
    to read) gives no rows and an ``error`` issue."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [(name, "error", f"cannot read: {exc.strerror or exc}")]
    if not raw.strip():
        return [], [(name, "error", "empty file")]
    if is_binary(raw):
        return [], [(name, "error", "binary file, not a saved notice (.txt, .eml or .html)")]
    notes: list[str] = []
    try:
        extraction = _extract(path, raw, notes)
    except UnreadableEmail as exc:
        return [], [(name, "error", f"unreadable message: {exc}")]
    issues = [(name, "note", note) for note in dict.fromkeys(notes + extraction.notes)]
    if not extraction.records:
        issues.insert(0, (name, "error", "no ASIN found: not an Amazon IP complaint notice"))
    return extraction.records, issues


def _extract(path: Path, raw: bytes, notes: list[str]) -> Extraction:
    suffix = path.suffix.lower()
    source = str(path)
    if suffix in (".html", ".htm"):
        return _from_html(raw, source, notes)
    text, _enc, note = decode_bytes(raw)
    if looks_like_email(text, lenient=suffix == ".eml"):
        return _from_email(raw, source, notes)
    if note:
        notes.append(note)
    if looks_like_html(text):
        return _from_html(raw, source, notes)
    return extract_notices(text, source_file=source)


def _from_email(raw: bytes, source: str, notes: list[str]) -> Extraction:
    """Each message of the file (the outer one and every attached one) is read as a notice of its own, with
    its own date and subject: its plain part first, its HTML part when the plain one gives no complaint.
    A covering message whose only ASINs are unlabelled mentions ("about our ASIN B0...") gives no row when
    a message attached to it gives labelled complaints; a note says so."""
    content = parse_email(raw)
    notes.extend(content.notes)
    read = [_from_message(message, source) for message in content.messages]
    result = Extraction()
    for k, extraction in enumerate(read):
        if extraction.loose_asins and any(read[j].records and not read[j].loose_asins
                                          for j in _attached_to(content.messages, k)):
            result.notes.append(
                f"the covering message mentions ASIN(s) {', '.join(extraction.loose_asins)} without an 'ASIN:' "
                "label: not imported as a complaint (the attached notice gives the complaints)")
            continue
        result.notes.extend(extraction.notes)
        result.records.extend(extraction.records)
    if not any(m.plain or m.html for m in content.messages):
        notes.append("the message has no text or HTML part")
    return result


def _attached_to(messages: list[MessageText], k: int) -> range:
    """The indices of the messages attached to ``messages[k]`` (directly or in forwards of forwards): the
    deeper ones that follow it, as :func:`parse_email` lists them depth first."""
    end = k + 1
    while end < len(messages) and messages[end].depth > messages[k].depth:
        end += 1
    return range(k + 1, end)


def _from_message(message: MessageText, source: str) -> Extraction:
    result = Extraction()
    for texts in (message.plain, message.html):  # the plain part first; the HTML one if it gave nothing
        if texts:
            result = extract_notices("\n\n".join(texts), subject=message.subject, header_date=message.date,
                                     source_file=source)
            if result.records:
                return result
    return result


def _from_html(raw: bytes, source: str, notes: list[str]) -> Extraction:
    html, _enc, note = decode_bytes(raw, declared_charset(raw))
    if note:
        notes.append(note)
    return extract_notices(html_to_text(html), subject=html_title(html), source_file=source)


def import_notices(paths: Iterable[str | Path], *, progress: Progress | None = None) -> ImportResult:
    """Read saved Amazon IP complaint notices (files or folders) into one table, duplicates merged.

    >>> result = import_notices(["notices/"])          # doctest: +SKIP
    >>> result.notices[["asin", "trademark", "complaint_id"]]  # doctest: +SKIP
    """
    progress = _progress(progress)
    files, issues = discover(paths)
    rows: list[dict[str, str]] = []
    with_rows = 0
    with progress.task("reading notices", total=len(files), unit="file") as bar:
        for path in files:
            recs, file_issues = parse_notice_file(path)
            rows.extend(recs)
            issues.extend(file_issues)
            with_rows += bool(recs)
            bar.update()
    table = pd.DataFrame(rows, columns=list(NOTICE_COLUMNS)).astype(str) if rows else empty_notices()
    issue_df = pd.DataFrame(issues, columns=list(ISSUE_COLUMNS)) if issues else empty_issues()
    return ImportResult(
        notices=merge_duplicates(table),
        issues=issue_df,
        files_read=len(files),
        files_with_notices=with_rows,
        rows_before_merge=len(table),
    )
