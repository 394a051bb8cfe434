"""USPTO trademark code tables and field clean-up shared by the XML and the Case Files importers.

Facts come from the USPTO "Trademark Applications Daily XML" documentation (v2.3) and its Table 1
"Trademark Status Codes"; see docs/corpus.md for the rules and their limits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..numbers import ascii_digits

# --- status codes -----------------------------------------------------------------------------------
# USPTO Table 1 gives each three-digit case-file status code a Live/Dead/Indifferent indicator. We map
# Live/Registered and Live -> "live", Live/Pending -> "pending", Dead/* -> "dead". Indifferent codes (000
# unknown, 622 misassigned serial, 715 cancelled - restored to pendency, 970 record created for an
# assignment) and codes missing from the table map to "" (unknown): we do not guess.
# Each run below lists only codes present in the table (numerically consecutive codes).
_STATUS_RUNS: dict[str, str] = {
    "live": "624-625 700-708 717 739 778 780 790 800",
    "pending": (
        "410 413 616 620 630-631 638 640-661 663-668 672 680-682 686 688-690 692-694 718-722 724-725 "
        "730-734 740 744-746 748 752-753 756-757 760 762-766 771-775 777 779 794 801-804 806-825 969 973"
    ),
    "dead": "400-406 411-412 414-417 600-610 612 614 618 626 632 709-714 781-783 900-901 968",
}


def _expand(runs: str) -> Iterable[int]:
    for part in runs.split():
        lo, _, hi = part.partition("-")
        yield from range(int(lo), int(hi or lo) + 1)


STATUS_BY_CODE: dict[str, str] = {
    f"{code:03d}": status for status, runs in _STATUS_RUNS.items() for code in _expand(runs)
}


def status_from_code(code: str) -> str:
    """``"800"`` -> ``"live"``; ``"630"`` -> ``"pending"``; ``"602"`` -> ``"dead"``; unknown -> ``""``."""
    code = code.strip()
    if code.isdigit():
        code = code.zfill(3)
    return STATUS_BY_CODE.get(code, "")


# --- international classes --------------------------------------------------------------------------
#: International-code values that are US-only, not Nice classes: "A"/"B" certification marks (goods /
#: services) and "200" collective membership marks. They are left out of ``nice_classes``.
US_ONLY_CLASS_CODES = frozenset({"A", "B", "200"})


def nice_class(code: str) -> int | None:
    """``"009"`` -> 9; ``"A"``, ``"B"``, ``"200"``, ``"²"`` or anything outside 1..45 -> ``None``."""
    code = code.strip()
    if not ascii_digits(code):
        return None
    value = int(code)
    return value if 1 <= value <= 45 else None


def join_classes(classes: Iterable[int]) -> str:
    """Sorted, de-duplicated, ``;``-separated: ``[12, 9, 9]`` -> ``"9;12"``."""
    return ";".join(str(c) for c in sorted(set(classes)))


# --- goods and services -----------------------------------------------------------------------------
_DELETED = re.compile(r"\[[^\[\]]*\]")  # [..] deleted goods (innermost first)
_LESS_GOODS = re.compile(r"\(\([^()]*(?:\([^()]*\)[^()]*)*\)\)")  # ((..)) "less goods", may hold (..)
_ADDED = re.compile(r"\*([^*]*)\*")  # *..* added wording: keep the words
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;.:)])")
_REPEATED_PUNCT = re.compile(r"([,;])(?:\s*[,;])+")


def is_goods_services(type_code: str) -> bool:
    """A case-file statement that holds goods/services text still in force.

    The type code is ``GS`` + prime class (positions 3-5) + position 6: ``1`` goods/services text, ``2``
    only "less goods" (deleted) text, ``3`` text with embedded ((less goods)). Position 6 = ``2`` is skipped.
    """
    type_code = type_code.strip().upper()
    return type_code.startswith("GS") and not (len(type_code) >= 6 and type_code[5] == "2")


def clean_goods_text(text: str) -> str:
    """Drop deleted goods ([..] and ((..))), keep added wording (*..*) without the asterisks."""
    marked = False
    if "[" in text:
        marked = True
        previous = None
        while previous != text:  # nested brackets: remove innermost first
            previous, text = text, _DELETED.sub(" ", text)
    if "((" in text:
        marked = True
        text = _LESS_GOODS.sub(" ", text)
    if "*" in text:
        marked = True
        text = _ADDED.sub(r" \1 ", text)
    text = " ".join(text.split())
    if marked:  # tidy what the removals left: "A , B" -> "A, B"; "A;; B" -> "A; B"
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
        text = _REPEATED_PUNCT.sub(r"\1", text)
        text = text.strip(" ,;")
    return text


def goods_services(statements: Iterable[tuple[str, str]]) -> str:
    """``[(type_code, text), ...]`` -> the goods/services still in force, statements joined by ``" | "`` in
    type-code (prime class) order, whatever the order of the input."""
    parts = []
    for type_code, text in sorted(statements, key=lambda s: s[0].strip().upper()):
        if is_goods_services(type_code):
            cleaned = clean_goods_text(text)
            if cleaned:
                parts.append(cleaned)
    return " | ".join(parts)


# --- owners -----------------------------------------------------------------------------------------
#: Party type 70 was used for the correspondent in legacy records: never an owner.
CORRESPONDENT_PARTY_TYPE = 70


def current_owner(owners: Iterable[tuple[str, str, str]]) -> str:
    """``[(party_type, entry_number, name), ...]`` -> the current owner.

    The owner entries with the highest party type below 70 (10 applicant, 20 at publication, 30 original
    registrant, 11-19/21-29/31-69 later owners); joint owners (several entries with that party type) are
    joined with ``"; "`` in entry-number order.
    """
    best = -1
    names: list[tuple[int, str]] = []
    for party_type, entry, name in owners:
        name = " ".join(name.split())
        ptype = _int(party_type)
        if not name or ptype is None or ptype >= CORRESPONDENT_PARTY_TYPE:
            continue
        if ptype > best:
            best, names = ptype, []
        if ptype == best:
            names.append((_int(entry) or 0, name))
    seen: set[str] = set()
    out = []
    for _, name in sorted(names, key=lambda t: t[0]):
        if name not in seen:
            seen.add(name)
            out.append(name)
    return "; ".join(out)


# --- small fields -----------------------------------------------------------------------------------
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_DMY = re.compile(r"^(\d{1,2})([a-z]{3})(\d{4})$", re.ASCII)


def clean_date(value: str) -> str:
    """A date as ``YYYYMMDD`` or ``""``: accepts ``20170123``, ``2017-01-23``, ``20170123.0``, ``23jan2017``;
    all-zero dates (the XML's "no date") -> ``""``."""
    value = value.strip()
    if not value:
        return ""
    if value.endswith(".0"):
        value = value[:-2]
    if len(value) == 10 and value[4] in "-/" and value[7] in "-/":
        value = value[:4] + value[5:7] + value[8:10]
    elif not ascii_digits(value):
        m = _DMY.match(value.lower())
        if not m or m.group(2) not in _MONTHS:
            return ""
        value = f"{m.group(3)}{_MONTHS[m.group(2)]:02d}{int(m.group(1)):02d}"
    if len(value) != 8 or not ascii_digits(value) or int(value) == 0:
        return ""
    return value


def clean_registration_number(value: str) -> str:
    """``"0124134"`` stays; ``"0000000"`` (no registration) or empty -> ``""``."""
    value = value.strip()
    if value.endswith(".0"):
        value = value[:-2]
    if not value or (ascii_digits(value) and int(value) == 0):
        return ""
    return value


def clean_serial(value: str) -> str:
    """Eight-digit serial number (zero-padded when numeric)."""
    value = value.strip()
    if value.endswith(".0"):
        value = value[:-2]
    return value.zfill(8) if value.isdigit() else value


def drawing_code(value: str) -> str:
    """First digit of the mark drawing code (older files carry 4 digits: ``"4000"`` -> ``"4"``)."""
    value = value.strip()
    return value[0] if value[:1].isdigit() else ""


def clean_text(value: str) -> str:
    """Whitespace collapsed to single spaces."""
    return " ".join(value.split())


def _int(value: str) -> int | None:
    value = value.strip()
    if value.endswith(".0"):
        value = value[:-2]
    return int(value) if ascii_digits(value) else None
