"""Importer for KIPO trademark data in the KIPRIS Plus XML form (``response/body/items/TradeMarkInfo``).

Fields: mark ``Title`` (Hangul, Latin or both); owner ``RegistrationRightholderName`` (registered marks:
"김현호 kimHyunHo", Hangul + romanisation in one string), else ``ApplicantName``; Nice classes
``GoodClassificationCode`` (one or more, any separator); numbers ``ApplicationNumber`` (13 digits, prefix 40)
and ``RegistrationNumber`` (a different number); dates ``ApplicationDate``, ``RegistrationDate``,
``PublicDate`` (YYYYMMDD); status ``ApplicationStatus`` (Korean, see :data:`.office_status.KIPO_STATUS`).
Jurisdiction ``KR``. Blank-space fields (``<AppReferenceNumber> </AppReferenceNumber>``) count as empty.

An API error response (``header/resultCode`` set, e.g. 30 = invalid key) is a broken file: a one-line
:class:`CorpusError`. The designated-goods responses (``trademarkDesignationGoodstInfo``) carry no
application number, so they cannot be joined to a mark and are reported, not imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import CorpusError
from . import uspto_codes as codes
from . import xml_records as xr
from .office_status import map_status
from .stats import ImportStats

_RESULT_CODE = re.compile(rb"<resultCode>\s*([^<\s]+)\s*</resultCode>")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")


def api_error(head: bytes) -> str:
    """The ``resultCode`` of a KIPRIS error response ("" for a normal response)."""
    m = _RESULT_CODE.search(head)
    return m.group(1).decode("ascii", "replace") if m and m.group(1) not in (b"00", b"0") else ""


def parse_item(item: Any, source: str) -> dict[str, str]:
    get = {xr.local(k.tag): xr.text(k) for k in item}
    title = codes.clean_text(get.get("Title", ""))
    owner = get.get("RegistrationRightholderName", "") or get.get("ApplicantName", "")
    classes = [c for c in (codes.nice_class(x) for x in re.split(r"\D+", get.get("GoodClassificationCode", "")))
               if c is not None]
    label = get.get("ApplicationStatus", "")
    languages = []
    if _HANGUL.search(title):
        languages.append("ko")
    if _LATIN.search(title):
        languages.append("en")
    dates = [codes.clean_date(get.get(t, "")) for t in
             ("ApplicationDate", "PublicDate", "RegistrationPublicDate", "RegistrationDate")]
    return {
        "mark": title,
        "owner": owner,
        "nice_classes": codes.join_classes(classes),
        "status": map_status(label, "KR"),
        "jurisdiction": "KR",
        "serial_number": get.get("ApplicationNumber", ""),
        "registration_number": get.get("RegistrationNumber", ""),
        "kind": "",
        "source": source,
        "aliases": "",
        "goods_services": "",
        "drawing_code": "",
        "status_code": label,
        "filing_date": codes.clean_date(get.get("ApplicationDate", "")),
        "registration_date": codes.clean_date(get.get("RegistrationDate", "")),
        # no snapshot date in an API response: the newest date the record carries orders updates
        "transaction_date": max((d for d in dates if d), default=""),
        "languages": ";".join(languages or ["ko"]),
        "goods_services_by_lang": "",
        "designations": "",
        "owner_ids": "",
        "mark_feature": "",
        "expiry_date": "",
        "_created": "",
    }


def iter_kipris(path: str | Path, *, stats: ImportStats | None = None, bar: Any = None
                ) -> Iterator[dict[str, str]]:
    """Stream the ``TradeMarkInfo`` items of KIPRIS XML response file(s) (``.xml`` or ``.zip``)."""
    path = Path(path)
    stats = stats if stats is not None else ImportStats()
    xml_parser = xr.parser()
    for member, stream in xr.iter_members(path, "KIPRIS XML"):
        splitter = xr.RecordSplitter(stream, "TradeMarkInfo")
        last = 0
        read_before = stats.read
        try:
            for ordinal, chunk, complete in splitter:
                if ordinal == 1:
                    code = api_error(splitter.prolog)
                    if code:
                        raise CorpusError(f"KIPRIS error response (resultCode {code}), not trademark data",
                                          path=path)
                stats.read += 1
                if bar is not None and splitter.bytes_read != last:
                    bar.update(splitter.bytes_read - last)
                    last = splitter.bytes_read
                if not complete:
                    stats.skip("malformed_record", path=member, detail=f"TradeMarkInfo #{ordinal}: no end tag")
                    continue
                try:
                    record = parse_item(xr.parse_chunk(splitter, chunk, xml_parser), path.name)
                except (etree.XMLSyntaxError, ValueError) as exc:
                    stats.skip("malformed_record", path=member, detail=f"TradeMarkInfo #{ordinal}: {exc}")
                    continue
                if not record["serial_number"]:
                    stats.skip("malformed_record", path=member, detail=f"TradeMarkInfo #{ordinal}: no ApplicationNumber")
                    continue
                if record["status_code"] and not record["status"]:
                    stats.flags["status_unknown"] += 1
                stats.yielded += 1
                yield record
        except xr.READ_ERRORS as exc:
            raise xr.read_error(member, path, exc) from None
        if stats.read == read_before:  # this file held no item: an error page among the pages of a zip too
            code = api_error(splitter.prolog)
            if code:
                where = path if member == path.name else path.parent / member  # member: "archive.zip:page.xml"
                raise CorpusError(f"KIPRIS error response (resultCode {code}), not trademark data", path=where)
        stats.bytes_read += splitter.bytes_read
