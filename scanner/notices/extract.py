"""Find the complaints in the plain text of one notice.

A notice has notice-level facts (who complained, the mark asserted in prose, the date) and one or more
item blocks (``ASIN:``, ``Title:``, ``Infringement type:``, ``Trademark number:``, ``Complaint ID:``).
Label lines are grouped into *runs* (consecutive label lines); a run is cut into blocks where a field
repeats, so blocks may list the title before or after the ASIN. Runs without an ASIN give notice-level
defaults. Tables whose first row names the columns (``ASIN | Title | Complaint ID``) give one block per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import ambiguous_date, find_date, parse_date
from .fields import (
    ASIN_RE,
    CONTACT_FIELDS,
    asins_in,
    classify_generic,
    classify_label,
    clean_value,
    infringement_type,
    is_label_line,
    owner_email,
    split_label,
)
from .parse_text import header_blocks, normalise_text, strip_bullet
from .prose import prose_contact, prose_mark, prose_type
from .schema import NOTICE_COLUMNS

_OWNER_MENTION = re.compile(r"rights?[ -]?(?:owner|holder)|complainant", re.IGNORECASE)
_PRODUCT_URL = re.compile(r"/(?:dp|gp/product)/([A-Z0-9]{10})\b")
_ONLY_ASINS = re.compile(r"(?:(?:B0[A-Z0-9]{8}|\d{9}[0-9X])[\s,;]*)+")
#: The item labels Amazon puts in a block; a line holding two or more of them is split at each.
_INLINE_LABEL = re.compile(
    r"(?:(?<=\s)|^)(?:ASINs?|Title|Infringement type|Trademark number|Trademark|Complaint ID|Patent number|"
    r"Registration number|SKU)\s*:",
    re.IGNORECASE,
)
#: The older layout's "-- Trademark number 0000001" (no colon).
_BARE_NUMBER = re.compile(
    r"^(?:trademark|registration|patent)\s+(?:registration\s+)?(?:number|no\.?)\s*#?\s*(?P<value>\S*\d.*)$",
    re.IGNORECASE,
)
_ASIN_WORD = re.compile(r"\bASINs?\b", re.IGNORECASE)


@dataclass
class Extraction:
    """The complaints found in one text (rows in :data:`NOTICE_COLUMNS` order) and notes about it."""

    records: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the ASINs taken from the text when no ``ASIN:`` label (nor a table) named any
    loose_asins: list[str] = field(default_factory=list)


@dataclass
class _Event:
    field: str
    value: str


def extract_notices(text: str, *, subject: str = "", header_date: str = "", source_file: str = "") -> Extraction:
    """The complaint rows in the plain ``text`` of one notice (one row per ASIN and complaint).

    ``subject`` and ``header_date`` come from the message headers when there are any; a forwarded
    original's own ``Date:`` and ``Subject:`` inside the text take precedence over them.
    """
    out = Extraction()
    lines = _split_inline_labels(normalise_text(text).split("\n"))
    text = "\n".join(lines)
    hblocks = header_blocks(text)
    header_lines = {i for b in hblocks for i in range(b.line, b.end)}
    # the innermost forwarded original that states them (an outer forward may carry the only Sent: line)
    subject = next((b.subject for b in reversed(hblocks) if b.subject), subject)
    # the innermost forwarded original that is dated; an ambiguous date there is not replaced by another one
    forwarded = next((b.date for b in reversed(hblocks) if b.date and (parse_date(b.date) or ambiguous_date(b.date))),
                     "")
    forwarded_date = parse_date(forwarded) if forwarded else ""
    if forwarded and not forwarded_date:
        out.notes.append(f"date {forwarded!r} is ambiguous (day and month could be either way round): left empty")

    runs, table_blocks, contact, item_lines = _scan(lines, header_lines)
    defaults: dict[str, str] = {}
    blocks: list[dict[str, str]] = []
    for run in runs:
        for block in _split_run(run):
            if "asin" in block:
                blocks.append(block)
            else:
                for key, value in block.items():
                    defaults.setdefault(key, value)
    blocks.extend(table_blocks)
    if not blocks:
        fallback = _loose_asins(lines, header_lines)
        if fallback:
            out.loose_asins = fallback
            blocks.append({"asin": " ".join(fallback)})
            out.notes.append("no 'ASIN:' label; ASINs taken from the text")

    body = "\n".join(line for i, line in enumerate(lines) if i not in header_lines)
    mark_in_prose = prose_mark(lines, header_lines)
    contact_in_prose = prose_contact(lines)
    for key in CONTACT_FIELDS:
        if not contact.get(key) and contact_in_prose.get(key):
            contact[key] = contact_in_prose[key]
    type_in_prose = prose_type(body, subject, has_owner=bool(contact.get("rights_owner") or contact.get("rights_owner_email")))
    # the first date in the text, but not one of the item blocks' own dates: that is another complaint's date
    prose = "\n".join(line for i, line in enumerate(lines) if i not in header_lines and i not in item_lines)
    text_date = "" if forwarded else (header_date or find_date(prose))

    for block in blocks:
        merged = {**defaults, **block}
        kind = infringement_type(merged.get("infringement_type", ""))
        if merged.get("infringement_type") and not kind:
            out.notes.append(f"infringement type {merged['infringement_type']!r} not recognised")
        mark = merged.get("trademark", "") or mark_in_prose
        if not kind:
            kind = type_in_prose or ("trademark" if mark or merged.get("registration_number") else "")
        date = forwarded_date or text_date
        if merged.get("notice_date"):
            written = merged["notice_date"]
            if parse_date(written):
                date = parse_date(written)
            elif ambiguous_date(written):  # not guessed, and not replaced by another date either
                date = ""
                out.notes.append(f"date {written!r} is ambiguous (day and month could be either way round): "
                                 f"left empty for ASIN {merged['asin']}")
            else:
                out.notes.append(f"could not read the date {written!r}")
        for asin in asins_in(merged["asin"]):
            row = {c: "" for c in NOTICE_COLUMNS}
            row.update(
                asin=asin,
                title=merged.get("title", ""),
                infringement_type=kind,
                trademark=mark,
                registration_number=merged.get("registration_number", ""),
                complaint_id=merged.get("complaint_id", ""),
                rights_owner=block.get("rights_owner") or contact.get("rights_owner", ""),
                rights_owner_email=block.get("rights_owner_email") or contact.get("rights_owner_email", ""),
                notice_date=date,
                source_file=source_file,
                sku=merged.get("sku", ""),
            )
            out.records.append(row)
        if not asins_in(merged["asin"]):
            out.notes.append(f"ASIN value {merged['asin']!r} is not a 10-character ASIN")
    return out


def _scan(lines: list[str], skip: set[int]):
    """Label lines -> runs of events; header-row tables -> blocks; contact fields -> one dict; and the lines
    that hold a date of an item (a ``Date:`` label line, a table row)."""
    runs: list[list[_Event]] = []
    table_blocks: list[dict[str, str]] = []
    contact: dict[str, str] = {}
    item_lines: set[int] = set()
    run: list[_Event] = []
    owner_seen_at = -100
    i = 0

    def close() -> None:
        nonlocal run
        if run:
            runs.append(run)
        run = []

    while i < len(lines):
        line = lines[i]
        if i in skip or not line.strip():
            close()
            i += 1
            continue
        columns = _table_header(line)
        if columns:
            close()
            start = i + 1
            i = _read_table(lines, start, columns, table_blocks)
            item_lines.update(range(start, i))
            continue
        if _OWNER_MENTION.search(line):
            owner_seen_at = i
        parsed = split_label(strip_bullet(line))
        bare = None if parsed else _BARE_NUMBER.match(strip_bullet(line).strip())
        if bare:
            parsed = ("Trademark number", bare.group("value").strip())
        name = None
        if parsed:
            name = classify_label(parsed[0])
            if name is None and i - owner_seen_at <= 6:
                name = classify_generic(parsed[0])
        if name is None:
            close()
            i += 1
            continue
        value, first = parsed[1], i
        if not value:  # the value on the next line: "ASIN:" / "B0TEST0001"
            j = i + 1
            if j < len(lines) and lines[j].strip() and not is_label_line(lines[j]):
                value, i = strip_bullet(lines[j]).strip(), j
        elif name == "title" and _is_continuation(lines, i):  # a title wrapped onto a second line
            value, i = f"{value} {lines[i + 1].strip()}", i + 1
        if name == "asin":  # an ASIN list continued one per line ("ASINs:" / B0.. / B0..)
            while i + 1 < len(lines) and _ONLY_ASINS.fullmatch(lines[i + 1].strip().upper()):
                value, i = f"{value}, {lines[i + 1].strip()}", i + 1
        if name == "rights_owner" and owner_email(value):  # "Rights owner: Fabrikam Inc., ip@..."
            contact.setdefault("rights_owner_email", owner_email(value))
        value = clean_value(name, value)
        if value:
            if name in CONTACT_FIELDS:
                contact.setdefault(name, value)
            else:
                run.append(_Event(name, value))
                if name == "notice_date":  # the label line, and the next one when the value stands there
                    item_lines.update(range(first, i + 1))
        i += 1
    close()
    return runs, table_blocks, contact, item_lines


def _split_inline_labels(lines: list[str]) -> list[str]:
    """``"ASIN: B0.. Title: .. Infringement type: .."`` on one line -> one line per label."""
    out: list[str] = []
    for line in lines:
        stripped = strip_bullet(line).strip()
        starts = [m.start() for m in _INLINE_LABEL.finditer(stripped)]
        if len(starts) < 2 or starts[0] != 0:
            out.append(line)
            continue
        out.extend(stripped[a:b].strip() for a, b in zip(starts, [*starts[1:], len(stripped)], strict=True))
    return out


def _is_continuation(lines: list[str], i: int) -> bool:
    nxt = i + 1
    return (
        nxt + 1 < len(lines)
        and bool(lines[nxt].strip())
        and not is_label_line(lines[nxt])
        and is_label_line(lines[nxt + 1])
    )


def _split_run(run: list[_Event]) -> list[dict[str, str]]:
    """Cut a run of label lines into blocks where a field repeats. ASIN lines that follow each other
    (``Parent ASIN:`` then ``Child ASIN:``) are one list of the same block, not two blocks."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    previous = ""
    for event in run:
        if event.field == "asin" and previous == "asin":
            current["asin"] = f"{current['asin']}, {event.value}"
            continue
        previous = event.field
        if event.field in current:
            blocks.append(current)
            current = {}
        current[event.field] = event.value
    if current:
        blocks.append(current)
    return blocks


def _table_header(line: str) -> list[str | None] | None:
    """The fields of a table header row (tab-separated column names: an ASIN column and at least one other
    known one), or ``None``. Columns of unknown names (``Impact``, ``Status``) are ignored."""
    cells = line.split("\t")
    if len(cells) < 2:
        return None
    names = [classify_label(c.strip().rstrip(":")) for c in cells]
    if "asin" not in names or not any(n and n != "asin" for n in names):
        return None
    return names


def _read_table(lines: list[str], i: int, columns: list[str | None], out: list[dict[str, str]]) -> int:
    """Read the rows under a header row until a line that is not a row of the table; return the next line."""
    while i < len(lines) and "\t" in lines[i]:
        cells = lines[i].split("\t")
        block = {}
        for name, cell in zip(columns, cells, strict=False):
            if name and cell.strip():
                value = clean_value(name, cell.strip())
                if value:
                    block[name] = value
        if "asin" in block:
            out.append(block)
        i += 1
    return i


def _loose_asins(lines: list[str], skip: set[int]) -> list[str]:
    """ASINs written without a label: on a line that says "ASIN", or in a product link."""
    found: dict[str, None] = {}
    for i, line in enumerate(lines):
        if i in skip:
            continue
        hits = [(m.start(), m.group(1)) for m in _PRODUCT_URL.finditer(line)]
        if _ASIN_WORD.search(line):
            hits += [(m.start(), m.group(1)) for m in ASIN_RE.finditer(line.upper())]
        for _pos, asin in sorted(hits):
            found.setdefault(asin)
    return list(found)
