"""WIPO Madrid international registrations (ST.66, ``RegistrationOfficeCode`` ``WO``).

An international registration (IR) is one record whose protection runs country by country:

* ``designations`` = the ``DesignatedCountryDetails/DesignatedCountry/DesignatedCountryCode`` of the IR,
  plus subsequent designations, minus the countries where a recorded event ended the protection (total
  refusal, invalidation, cancellation, ceasing of effect, renunciation, non-renewal), replayed in date
  order; a final decision reversing a refusal restores the country;
* ``status``: Romarin IR records carry no current status, so (as WIPO's own Global Brand Database does)
  the IR is ``live`` while its ``ExpiryDate`` is today or later and ``dead`` after it; a ``TerminationDate``
  in the past, or no designation left, makes it ``dead``; an ST.66 ``MarkCurrentStatusCode`` when present
  is used for an IR whose expiry date is unknown.

The event kinds are ST.66's ``BasicRecordKind`` enumeration; :data:`EVENT_EFFECT` says what each does to
the designations of the countries it names (``RecordInterestedOfficeCode`` or
``RecordDesignatedCountryDetails/RecordDesignatedCountryCode``; none named = every designation).
"""

from __future__ import annotations

from typing import Any

from . import uspto_codes as codes
from . import xml_records as xr
from .office_status import map_status

#: ST.66 BasicRecordKind -> "remove" (protection ended there), "restore" (protection (re)confirmed),
#: "add" (a new designation) or "" (no effect on where the IR is in force).
EVENT_EFFECT: dict[str, str] = {
    "Second Part Fee Paid": "",
    "Second Part Fee Not Paid": "",
    "Protection Granted": "restore",
    "Judicial Action": "",
    "Effect Continuation": "restore",
    "Renunciation": "remove",
    "Transfer Refusal": "",
    "Representative Appointed": "",
    "Appeal Expired": "",
    "Appeal Lapsed": "",
    "Appeal Withdrawn": "",
    "Total Refusal": "remove",
    "Total Invalidation": "remove",
    "Total Cancellation": "remove",
    "Total Ceasing Effect": "remove",
    "Final Confirmation Refusal": "remove",
    "Final Reversing Refusal": "restore",
    "Final Total Refusal": "remove",
    "Renewal Under Rule 40.3": "restore",
    "Non Renewal": "remove",
    "Non Renewal Certain Parties": "remove",
    "Non Renewal Under Rule 40.3": "remove",
    "Registration": "",
    "Subsequent Designation": "add",
    "Limitation": "",
    "No Effect Limitation": "",
    "Partial Refusal": "",
    "Partial Ceasing Effect": "",
    "Partial Invalidation": "",
    "Partial Cancellation": "",
    "Renewal": "",
    "Complementary Renewal": "",
    "Final Other Decision": "",
}
_EFFECT = {" ".join(k.split()).casefold(): v for k, v in EVENT_EFFECT.items()}


def event_effect(kind: str) -> str | None:
    """The effect of a BasicRecordKind ("remove", "restore", "add", ""), None when the kind is unknown."""
    return _EFFECT.get(" ".join(kind.split()).casefold())


def designated_countries(trademark: Any) -> list[str]:
    out = []
    for item in xr.children(xr.child(trademark, "DesignatedCountryDetails"), "DesignatedCountry"):
        code = xr.text(item, "DesignatedCountryCode").upper()
        if code and code not in out:
            out.append(code)
    return out


def _events(trademark: Any) -> list[tuple[str, int, str, list[str]]]:
    """(date, position, kind, countries) of each BasicRecord, in date order (undated keep their place)."""
    out = []
    for pos, record in enumerate(xr.children(xr.child(trademark, "MarkRecordDetails"), "MarkRecord")):
        basic = xr.child(record, "BasicRecord")
        if basic is None:
            continue
        kind = xr.text(basic, "BasicRecordKind")
        date = ""
        for tag in ("RecordEffectiveDate", "RecordNotificationDate", "RecordFilingDate"):
            date = codes.clean_date(xr.text(basic, tag))
            if date:
                break
        countries = [xr.text(c).upper() for c in
                     xr.children(xr.child(basic, "RecordDesignatedCountryDetails"), "RecordDesignatedCountryCode")]
        office = xr.text(basic, "RecordInterestedOfficeCode").upper()
        if office and office not in countries:
            countries.append(office)
        out.append((date, pos, kind, [c for c in countries if c]))
    out.sort(key=lambda e: (e[0] or "99999999", e[1]))
    return out


def apply(record: dict[str, str], trademark: Any, *, today: str) -> None:
    """Fill ``designations`` and ``status`` of a Madrid record from its designations, events and dates."""
    designated = designated_countries(trademark)
    live = list(designated)
    unknown_events = 0
    for _date, _pos, kind, countries in _events(trademark):
        effect = event_effect(kind)
        if effect is None:
            unknown_events += 1
            continue
        targets = countries or list(designated)
        for country in targets:
            if effect == "remove" and country in live:
                live.remove(country)
            elif effect in ("restore", "add") and country not in live and (
                    effect == "add" or country in designated):
                live.append(country)
                if country not in designated:
                    designated.append(country)
    record["designations"] = ";".join(live)
    expiry = record.get("expiry_date", "")
    termination = codes.clean_date(xr.text(trademark, "TerminationDate"))
    if termination and termination <= today:
        status = "dead"
    elif expiry:
        status = "live" if expiry >= today else "dead"
    else:
        status = map_status(record.get("status_code", ""), "")
    if status == "live" and designated and not live:
        status = "dead"
    record["status"] = status
    record["_unknown_events"] = str(unknown_events) if unknown_events else ""
