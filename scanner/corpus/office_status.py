"""Status vocabularies of the offices other than the USPTO, mapped to ``live`` / ``dead`` / ``pending``.

Each table lists every label the format notes (``../shared/data/offices/REPORT.md``) give for that office;
lookups ignore case and spacing. A label not in the table maps to ``""`` (unknown) and is flagged by the
importer, never guessed.
"""

from __future__ import annotations

#: WIPO ST.66 ``MarkCurrentStatusCode`` enumeration (st66.xsd), used by TMview offices and Madrid records.
ST66_STATUS: dict[str, str] = {
    "Application Filed": "pending",
    "Filing date accorded": "pending",
    "Classification checked": "pending",
    "Application accepted": "pending",
    "Application published": "pending",
    "Opposition pending": "pending",
    "Registration published": "live",
    "Application refused": "dead",
    "Application withdrawn": "dead",
    "Appeal pending": "pending",
    "Interruption of proceeding": "dead",
    "Registration cancelled": "dead",
    "Conversion requested": "dead",
    "Registration surrendered": "dead",
    # a registration under attack is still in force until the decision
    "Revocation proceeding pending": "live",
    "Invalidity proceeding pending": "live",
    "Action before Court of Justice pending": "pending",
}

#: EUIPO open-data ``MarkCurrentStatusCode`` labels (both XML generations).
EUIPO_STATUS: dict[str, str] = {
    "Application filed": "pending",
    "Application published": "pending",
    "Application under examination": "pending",
    "Application opposed": "pending",
    "Registration pending": "pending",
    "Appeal pending": "pending",
    # WIPO GBD files this under "pending"; the registration stays in force (and enforceable) until a
    # cancellation decision, so for complaint risk it is live.
    "Registration cancellation pending": "live",
    "Application refused": "dead",
    "Application withdrawn": "dead",
    "Registration cancelled": "dead",
    "Registration surrendered": "dead",
    "Registered": "live",
    "Registration expired": "dead",
}

#: UKIPO labels (TM-Search and licensee feed), on top of the ST.66 labels.
UKIPO_STATUS: dict[str, str] = {
    "Registered": "live",
    "Registration renewed": "live",
    "Expired": "dead",
    "Registration cancelled": "dead",
    "Registration surrendered": "dead",
    "Cancelled": "dead",
    "Merged": "dead",
    "Removed": "dead",
    "Withdrawn": "dead",
    "Refused": "dead",
    "Surrendered": "dead",
    "Dead": "dead",
    "Application Published": "pending",
    "Pre-Publication": "pending",
    "Examination": "pending",
    "Application Received": "pending",
    "Opposed": "pending",
    "Opposition pending": "pending",
    "Appeal pending": "pending",
}

#: Labels that mean "remove this record" rather than a status.
DELETE_LABELS = frozenset({"do-not-display"})

#: KIPRIS ``ApplicationStatus`` (Korean) and the KR feed's ``KRMarkCurrentStatusCode`` (English).
KIPO_STATUS: dict[str, str] = {
    "등록": "live",  # registered
    "출원": "pending",  # filed
    "거절": "dead",  # refused
    "실효": "dead",  # lapsed
    "Registered": "live",
    "Application published": "pending",
    "Application filed": "pending",
    "Ended": "dead",
}


def _key(label: str) -> str:
    return " ".join(label.split()).casefold()


def _folded(table: dict[str, str]) -> dict[str, str]:
    return {_key(k): v for k, v in table.items()}


_TABLES = {
    "EU": _folded({**ST66_STATUS, **EUIPO_STATUS}),
    "GB": _folded({**ST66_STATUS, **UKIPO_STATUS}),
    "KR": _folded(KIPO_STATUS),
    "": _folded({**ST66_STATUS, "Registered": "live", "Expired": "dead"}),
}


def map_status(label: str, office: str = "") -> str:
    """``live`` / ``dead`` / ``pending`` for an office's status label, ``""`` when unknown."""
    table = _TABLES.get(office, _TABLES[""])
    return table.get(_key(label), "")


def is_delete_label(label: str) -> bool:
    return _key(label) in DELETE_LABELS
