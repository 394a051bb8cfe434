"""The marks and owners named in complaints -> a per-seller watch list in the trademark CSV format.

An owner who complained once enforces; the scan can show it and a model can use it. Columns: the fixed
trademark CSV columns (``source`` = ``notice``; ``registration_number`` only when a notice states it;
class, status, jurisdiction and kind are left empty because notices do not state them) plus
``complaints`` (distinct complaints), ``first_notice``, ``last_notice`` and ``asins``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from ..corpus.schema import STATUSES, TRADEMARK_CSV_COLUMNS
from ..errors import InputError
from ..numbers import ascii_digits
from ..text import brand_key
from .csvio import read_csv_strings

WATCHLIST_EXTRA_COLUMNS: tuple[str, ...] = ("complaints", "first_notice", "last_notice", "asins")
WATCHLIST_COLUMNS: tuple[str, ...] = TRADEMARK_CSV_COLUMNS + WATCHLIST_EXTRA_COLUMNS
#: Complaint types whose registration number is a trademark registration.
_TRADEMARK_TYPES = ("trademark", "counterfeit")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _most_common(values: list[str]) -> str:
    """The most frequent written form (the first seen on a tie)."""
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


#: Company forms stripped from an owner's name to get the brand a counterfeit complaint is about.
_COMPANY_FORM = re.compile(
    r"[\s,]+(?:inc|incorporated|ltd|limited|llc|l\.l\.c|co|corp|corporation|company|plc|lp|llp|gmbh|ag|kg|"
    r"s\.?a|s\.?a\.?s|s\.?r\.?l|s\.?p\.?a|b\.?v|n\.?v|k\.?k|pty|pte|holdings?|group|& co)\.?$",
    re.IGNORECASE,
)


def owner_brand(owner: str) -> str:
    """``"Nike, Inc."`` -> ``"Nike"``, ``"Tailspin Toys Holdings LLC"`` -> ``"Tailspin Toys"``: the owner's name
    without its company forms (the mark a counterfeit complaint that names none is about)."""
    name = " ".join(str(owner).split())
    while True:
        shorter = _COMPANY_FORM.sub("", name).strip(" ,")
        if shorter == name or not shorter:
            return name
        name = shorter


def build_watchlist(notices_df: pd.DataFrame) -> pd.DataFrame:
    """One row per mark and owner named in the complaints (per stated registration number when a mark's
    notices state different ones), most complained-about first.

    A counterfeit complaint that names no mark still puts its rights owner on the list: counted on that
    owner's row when another complaint names the owner's mark, otherwise on a row whose mark is the owner's
    name without company forms (:func:`owner_brand`; ``source`` says so). Other complaints that name no
    mark are left out (count them with :func:`complaints_without_mark`)."""
    named = notices_df["trademark"].astype(str).str.strip() != ""
    df = notices_df[named]
    groups: dict[tuple[str, str], list[dict]] = {}
    for rec in df.to_dict(orient="records"):
        key = (brand_key(rec["trademark"]), brand_key(rec.get("rights_owner", "")))
        groups.setdefault(key, []).append(rec)
    owner_only: set[tuple[str, str]] = set()
    markless = notices_df[~named & (notices_df["infringement_type"] == "counterfeit")]
    for rec in markless.to_dict(orient="records"):
        owner = brand_key(rec.get("rights_owner", ""))
        if not owner:
            continue
        key = next((k for k in groups if k[1] == owner), None)
        if key is None:
            key = (brand_key(owner_brand(rec["rights_owner"])), owner)
            owner_only.add(key)
        groups.setdefault(key, []).append(rec)
    for key in owner_only:
        for rec in groups[key]:
            rec["trademark"] = owner_brand(rec["rights_owner"])
    rows = []
    for key, recs in groups.items():
        numbers = list(dict.fromkeys(
            r["registration_number"].strip() for r in recs
            if r.get("registration_number", "").strip() and r.get("infringement_type") in _TRADEMARK_TYPES
        ))
        by_number: dict[str, list[dict]] = {}
        for r in recs:
            number = r.get("registration_number", "").strip() if r.get("infringement_type") in _TRADEMARK_TYPES else ""
            if not number and len(numbers) == 1:
                number = numbers[0]
            by_number.setdefault(number, []).append(r)
        for number, part in by_number.items():
            row = _row(part, number)
            if key in owner_only:
                row["source"] = "notice (counterfeit complaint naming no mark: the owner's name)"
            rows.append(row)
    table = pd.DataFrame(rows, columns=list(WATCHLIST_COLUMNS))
    if table.empty:
        return table.astype({c: str for c in WATCHLIST_COLUMNS} | {"complaints": "int64"})
    table["complaints"] = table["complaints"].astype("int64")
    table = table.sort_values(["complaints", "mark"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def _row(recs: list[dict], number: str) -> dict[str, object]:
    complaints = {r["complaint_id"] if r.get("complaint_id") else ("", r.get("notice_date", "")) for r in recs}
    dates = sorted(d for r in recs if (d := r.get("notice_date", "")))
    owners = [r["rights_owner"] for r in recs if r.get("rights_owner")]
    row = {c: "" for c in TRADEMARK_CSV_COLUMNS}
    row.update(
        mark=_most_common([" ".join(r["trademark"].split()) for r in recs]),
        owner=_most_common(owners) if owners else "",
        registration_number=number,
        source="notice",
        complaints=len(complaints),
        first_notice=dates[0] if dates else "",
        last_notice=dates[-1] if dates else "",
        asins=";".join(sorted({r["asin"] for r in recs if r.get("asin")})),
    )
    return row


def complaints_without_mark(notices_df: pd.DataFrame) -> int:
    """How many complaint rows name no mark (suspected-IP notices, most copyright and patent ones)."""
    return int((notices_df["trademark"].astype(str).str.strip() == "").sum())


def load_watchlist(path: str | Path) -> pd.DataFrame:
    """Read and check a watch list CSV (``mark`` required; any trademark CSV is a valid watch list).

    Returns :data:`WATCHLIST_COLUMNS` (missing columns filled: "" or 0 complaints), ``complaints`` as
    int64. A bad value raises :class:`~scanner.errors.InputError` naming the file, row and column.
    """
    df = read_csv_strings(path, required=("mark",), what="watch list CSV (from `scanner notices watchlist`)")
    for col in WATCHLIST_COLUMNS:
        if col not in df.columns:
            df[col] = "0" if col == "complaints" else ""
    for rec in df.to_dict(orient="records"):
        row = int(rec["_row"])

        def bad(column: str, message: str, row: int = row) -> InputError:
            return InputError(message, path=path, row=row, column=column)

        if not rec["mark"]:
            raise bad("mark", "empty mark")
        if rec["complaints"] and not ascii_digits(rec["complaints"]):
            raise bad("complaints", f"{rec['complaints']!r} is not a whole number of complaints")
        for col in ("first_notice", "last_notice"):
            if rec[col] and not _ISO_DATE.fullmatch(rec[col]):
                raise bad(col, f"{rec[col]!r} is not a YYYY-MM-DD date")
        if rec["status"] and rec["status"].lower() not in STATUSES:
            raise bad("status", f"{rec['status']!r} is not one of {', '.join(STATUSES)}")
        for cls in filter(None, (c.strip() for c in rec["nice_classes"].split(";"))):
            if not ascii_digits(cls) or not 1 <= int(cls) <= 45:
                raise bad("nice_classes", f"{cls!r} is not a Nice class (1..45)")
    out = df[list(WATCHLIST_COLUMNS)].copy()
    out["complaints"] = out["complaints"].replace("", "0").astype("int64")
    return out.reset_index(drop=True)
