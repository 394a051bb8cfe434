"""Recognise a trademark XML file's format by its content (first 64 KB), not by its name.

Kinds:

* ``uspto_xml`` - USPTO Trademark Full Text XML (``<trademark-applications-daily>``); also the fallback
  for XML nothing else recognises (that importer then names the file in a one-line error);
* ``st66`` - ``<TradeMark>`` records: EUIPO open data (both namespaces), TMview / UKIPO TM-Search,
  WIPO ST.66 (Madrid international registrations);
* ``st66_applicants`` - EUIPO / TMview applicant files (``<Applicant>`` with ``ApplicantIdentifier``,
  no ``<TradeMark>``): joined to the trademark files of the same build;
* ``st66_other`` - TMview representative documents: read, nothing imported (a note says so);
* ``inpi_rpi`` - INPI Brazil RPI trademark section (``<revista>`` of ``<processo>``);
* ``kipris`` - KIPRIS XML responses with ``TradeMarkInfo`` items (or an error / empty response);
* ``kipris_goods`` - KIPRIS designated-goods responses: no application number to join on; noted only.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import xml_records as xr

_TRADEMARK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?TradeMark[\s>]")
_APPLICANT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?ApplicantIdentifier[\s>]")
_REPRESENTATIVE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?RepresentativeIdentifier[\s>]")
_ST66_NS = (b"tmview.europa.eu/trademark", b"euipo.europa.eu/", b"wipo.int/standards/XMLSchema/trademarks")

OFFICE_KINDS = ("st66", "st66_applicants", "st66_other", "inpi_rpi", "kipris", "kipris_goods")


def sniff_kind(path: Path) -> str:
    """The importer kind of an ``.xml`` / ``.zip`` file, from its first bytes (``uspto_xml`` fallback)."""
    head = xr.head_bytes(path)
    if not head or b"<trademark-applications-daily" in head:
        return "uspto_xml"
    if _TRADEMARK.search(head):
        return "st66"
    if any(ns in head for ns in _ST66_NS) or b"<Transaction" in head:
        if _APPLICANT.search(head):
            return "st66_applicants"
        if _REPRESENTATIVE.search(head):
            return "st66_other"
    if re.search(rb"<revista\b", head) and (b"<processo" in head or b"</revista>" in head):
        return "inpi_rpi"
    if b"<response" in head:
        if b"trademarkDesignationGoodstInfo" in head:
            return "kipris_goods"
        if b"TradeMarkInfo" in head or b"<resultCode" in head:
            return "kipris"
    return "uspto_xml"
