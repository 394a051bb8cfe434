"""Which trademark registrations matter on which marketplace, and where each register shows a mark.

A complaint is filed under a mark registered where the listing is sold. :data:`MARKETPLACES` is the one
table from a marketplace (the profile's ``marketplace`` code such as ``US``, ``DE``, ``UK``, or a store's
domain such as ``amazon.de``, ``mercadolibre.com.br``, ``ozon.ru``) to the jurisdictions whose marks apply:

=========================================== ============== ====================================================
marketplace                                 country        registrations that count
=========================================== ============== ====================================================
amazon.com (``US``)                         US             US
amazon.ca (``CA``)                          CA             CA
amazon.com.mx, mercadolibre.com.mx (``MX``) MX             MX
amazon.com.br, mercadolibre.com.br (``BR``) BR             BR
mercadolibre.com.ar (``AR``)                AR             AR
amazon.co.uk (``UK`` / ``GB``)              GB             GB; EU marks registered before 2021 (their UK
                                                           "comparable" twins exist since 2021-01-01)
amazon.de/.fr/.it/.es/.nl/.se/.pl/.com.be,  DE, FR, ...    EU + that country
amazon.ie
amazon.co.jp (``JP``)                       JP             JP
ozon.ru, wildberries.ru (``RU``)            RU             RU
gmarket.co.kr, coupang.com (``KR``)         KR             KR
amazon.com.tr/.ae/.sa/.eg/.in/.com.au/.sg,  that country   that country
amazon.cn
shein (``shein:DE``, ``shein.com.mx`` ...)  sold-to        as the country sold to; plain ``shein`` = unknown
=========================================== ============== ====================================================

Everywhere, a WIPO Madrid international registration (jurisdiction ``WO``) counts where its
``designations`` include one of those jurisdictions (the EU is designated as ``EM``).

Each record also holds Amazon's product-page host there (``Marketplace.amazon``: the report's Amazon links).
:func:`sold_in` gives the jurisdictions of a seller profile (its ``marketplace`` and ``marketplaces``),
:func:`mark_covers` whether one registration counts on one marketplace, :func:`covers_where_sold` the same
for a whole marks table against every jurisdiction where the seller sells, and :func:`register_link` the
register page of a mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: Code of the EU in Madrid designations (the EUIPO's office code).
MADRID_EU = "EM"
#: EU marks registered before this date were cloned into UK "comparable" marks on 2021-01-01.
BREXIT_CLONE_BEFORE = "20210101"

_EU_MEMBERS = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
                         "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})


@dataclass(frozen=True)
class Marketplace:
    """A marketplace's country and the jurisdictions whose registrations count there."""

    code: str
    country: str
    jurisdictions: tuple[str, ...]
    domains: tuple[str, ...] = ()
    #: Amazon's product-page host there (``www.amazon.de``); "" where Amazon has no store of its own
    amazon: str = ""

    @property
    def eu_twins(self) -> bool:
        """Whether pre-2021 EU registrations count (the UK's comparable marks)."""
        return self.country == "GB"


def _national(country: str, *domains: str) -> Marketplace:
    amazon = next((f"www.{d}" for d in domains if d.startswith("amazon.")), "")
    if country in _EU_MEMBERS:
        return Marketplace(country, country, ("EU", country), domains, amazon)
    return Marketplace(country, country, (country,), domains, amazon)


#: The table (marketplace code -> Marketplace). Keys are the profile's ``marketplace`` codes.
MARKETPLACES: dict[str, Marketplace] = {
    "US": _national("US", "amazon.com"),
    "CA": _national("CA", "amazon.ca"),
    "MX": _national("MX", "amazon.com.mx", "mercadolibre.com.mx"),
    "BR": _national("BR", "amazon.com.br", "mercadolibre.com.br"),
    "AR": _national("AR", "mercadolibre.com.ar"),
    "GB": Marketplace("GB", "GB", ("GB",), ("amazon.co.uk",), "www.amazon.co.uk"),
    "DE": _national("DE", "amazon.de"),
    "FR": _national("FR", "amazon.fr"),
    "IT": _national("IT", "amazon.it"),
    "ES": _national("ES", "amazon.es"),
    "NL": _national("NL", "amazon.nl"),
    "SE": _national("SE", "amazon.se"),
    "PL": _national("PL", "amazon.pl"),
    "BE": _national("BE", "amazon.com.be"),
    "IE": _national("IE", "amazon.ie"),
    "JP": _national("JP", "amazon.co.jp"),
    "RU": _national("RU", "ozon.ru", "wildberries.ru"),
    "KR": _national("KR", "gmarket.co.kr", "coupang.com"),
    "TR": _national("TR", "amazon.com.tr"),
    "AE": _national("AE", "amazon.ae"),
    "SA": _national("SA", "amazon.sa"),
    "EG": _national("EG", "amazon.eg"),
    "IN": _national("IN", "amazon.in"),
    "AU": _national("AU", "amazon.com.au"),
    "SG": _national("SG", "amazon.sg"),
    "CN": _national("CN", "amazon.cn"),
}
#: Other spellings of the codes.
ALIASES = {"UK": "GB", "EL": "GR"}

_DOMAINS = {d: m for m in MARKETPLACES.values() for d in m.domains}
# Shein sells country by country from one brand: "shein.com.mx" / "shein:DE" / "de.shein.com"
_SHEIN_TLD = {"com.mx": "MX", "com.br": "BR", "co.uk": "GB", "de": "DE", "fr": "FR", "it": "IT", "es": "ES",
              "nl": "NL", "se": "SE", "pl": "PL", "com": "US", "ca": "CA", "com.au": "AU", "co.jp": "JP",
              "jp": "JP", "kr": "KR", "ru": "RU", "ae": "AE", "sa": "SA", "in": "IN", "sg": "SG"}


def marketplace(value: str) -> Marketplace | None:
    """The marketplace of a profile code (``"DE"``, ``"uk"``), a store domain (``"www.amazon.de"``,
    ``"mercadolibre.com.br"``) or ``"shein:XX"``; None when unknown (plain ``shein``: country unknown)."""
    raw = (value or "").strip().lower()
    if not raw:
        return None
    raw = re.sub(r"^https?://", "", raw).split("/")[0]
    raw = raw[4:] if raw.startswith("www.") else raw
    code = raw.upper()
    code = ALIASES.get(code, code)
    if code in MARKETPLACES:
        return MARKETPLACES[code]
    if raw in _DOMAINS:
        return _DOMAINS[raw]
    m = re.fullmatch(r"shein[:\-_ ]([a-z]{2})", raw)
    if m:
        country = ALIASES.get(m.group(1).upper(), m.group(1).upper())
        return MARKETPLACES.get(country) or _national(country)
    m = re.fullmatch(r"(?:([a-z]{2})\.)?shein\.(.+)", raw)
    if m:
        country = (m.group(1) or "").upper() or _SHEIN_TLD.get(m.group(2), "")
        country = ALIASES.get(country, country)
        if country:
            return MARKETPLACES.get(country) or _national(country)
    return None


def profile_code(value: str) -> str:
    """The table code of a profile ``marketplace`` value (``"uk"`` -> ``"UK"``, ``" de "`` -> ``"DE"``), or
    "" when it is not a code of :data:`MARKETPLACES` (or one of its :data:`ALIASES`). The code keeps the
    spelling given (``UK`` stays ``UK``: the scan history keys sellers by it)."""
    code = (value or "").strip().upper()
    return code if ALIASES.get(code, code) in MARKETPLACES else ""


#: The country of the listings of a platform reader whose marketplace code names none (``ozon`` is sold
#: in Russia); Mercado Libre's and eBay's codes carry their site (``mercadolibre-BR``, ``ebay-UK``).
PLATFORM_COUNTRY = {"ozon": "RU", "ozon-template": "RU", "wildberries": "RU", "gmarket": "KR", "auction": "KR",
                    "esm": "KR", "coupang": "KR", "rakuten": "JP", "yahoo-jp": "JP", "walmart": "US"}


def listing_country(value: str) -> str:
    """The profile marketplace code of a listing's ``marketplace`` value: an Amazon code or store domain
    (``UK``, ``amazon.de`` -> ``DE``), a platform code with its site (``mercadolibre-BR`` -> ``BR``,
    ``ebay-UK`` -> ``UK``) or a platform sold in one country (``ozon`` -> ``RU``, ``coupang`` -> ``KR``);
    "" when the value names no country (``shopify``, ``etsy``, plain ``shein``)."""
    raw = (value or "").strip()
    if not raw:
        return ""
    code = profile_code(raw)
    if code:
        return code
    lower = raw.lower()
    if lower in PLATFORM_COUNTRY:
        return PLATFORM_COUNTRY[lower]
    platform, _, site = lower.partition("-")
    if platform in ("mercadolibre", "ebay") and site:
        return profile_code(site)
    market = marketplace(raw)
    return market.code if market else ""


def amazon_host(value: str) -> str:
    """Amazon's product-page host on a marketplace (``"UK"`` -> ``www.amazon.co.uk``), "" when unknown or
    when Amazon has no store there."""
    market = marketplace(value)
    return market.amazon if market else ""


def sold_in(profile: Any) -> tuple[str, ...]:
    """The jurisdictions where the seller sells: the union, in order, of those of the profile's
    ``marketplace`` and of each of its ``marketplaces`` (a profile is anything with those attributes; a
    marketplace whose country is unknown, such as plain ``shein``, adds nothing)."""
    values = [getattr(profile, "marketplace", "") or ""] + list(getattr(profile, "marketplaces", ()) or ())
    out: dict[str, None] = {}
    for value in values:
        for jur in jurisdictions_for(value):
            out.setdefault(jur, None)
    return tuple(out)


def _wanted(markets: Iterable[str]) -> set[str]:
    """Jurisdiction codes of ``markets``: each a jurisdiction (``EU``, ``GB``: what :func:`sold_in` gives)
    or a marketplace code / store domain standing for its jurisdictions."""
    wanted: set[str] = set()
    for item in markets:
        raw = (item or "").strip()
        if not raw:
            continue
        code = ALIASES.get(raw.upper(), raw.upper())
        if code == MADRID_EU:
            code = "EU"
        if re.fullmatch(r"[A-Z]{2}", code):
            wanted.add(code)
            if code in _EU_MEMBERS:  # a store in an EU country also counts EU marks
                wanted.add("EU")
        else:
            wanted.update(jurisdictions_for(raw))
    return wanted


def covers_where_sold(jurisdiction: pd.Series, designations: pd.Series, date: pd.Series,
                      markets: tuple[str, ...]) -> pd.Series:
    """Per mark, whether it counts where the seller sells: the rules of :func:`mark_covers`, vectorised,
    True when any of ``markets`` is covered (``markets``: what :func:`sold_in` gives; marketplace codes and
    store domains work too). A nullable boolean Series on ``jurisdiction``'s index: True, False, or
    ``pd.NA`` when it cannot be told (no jurisdiction, no market of known country, a Madrid record without
    designations, an EU mark on the UK store without a date).

    * a national or regional mark counts where its jurisdiction is one of the markets (``EM`` = ``EU``);
    * a Madrid registration (``WO``) counts where its ``designations`` name one of them (``EM`` = EU);
    * with the UK among the markets, an EU mark (or an IR designating the EU) dated before 2021-01-01 counts
      too (its UK comparable twin); ``date`` is the registration date when known, else the filing date.
    """
    index = jurisdiction.index
    wanted = _wanted(markets)
    if not wanted:
        return pd.Series(pd.NA, index=index, dtype="boolean")

    # each column has few distinct values (offices, Madrid designation lists, days): decide them once each
    jur_codes, jur_values = pd.factorize(jurisdiction.reindex(index), use_na_sentinel=True)
    jur_list = [_norm_jurisdiction(v) for v in jur_values] + [""]
    in_wanted = np.array([j in wanted for j in jur_list], dtype=bool)[jur_codes]
    is_eu = np.array([j == "EU" for j in jur_list], dtype=bool)[jur_codes]
    is_empty = np.array([j == "" for j in jur_list], dtype=bool)[jur_codes]
    madrid = np.array([j == "WO" for j in jur_list], dtype=bool)[jur_codes]
    day_codes, day_values = pd.factorize(date.reindex(index), use_na_sentinel=True)
    # per distinct date: 1 before 2021-01-01, 0 on or after, -1 no full date
    day_before = np.array([_before_brexit(v) for v in day_values] + [-1], dtype=np.int8)[day_codes]
    # per Madrid record: 1 designates a wanted jurisdiction, 0 not, -1 no designations; and whether it
    # designates the EU (for the UK twins)
    hit = np.zeros(len(index), dtype=np.int8)
    eu = np.zeros(len(index), dtype=bool)
    if madrid.any():
        des = designations.reindex(index)[madrid]
        if des.dtype == object:
            des = des.map(lambda v: ";".join(map(str, v)) if isinstance(v, list | tuple) else v)
        des_codes, des_values = pd.factorize(des, use_na_sentinel=True)
        sets = [_designation_codes(v if isinstance(v, str) else "") for v in des_values] + [set()]
        sets = [{"EU" if c == MADRID_EU else c for c in codes} for codes in sets]
        hit[madrid] = np.array([(1 if codes & wanted else 0) if codes else -1 for codes in sets],
                               dtype=np.int8)[des_codes]
        eu[madrid] = np.array(["EU" in codes for codes in sets], dtype=bool)[des_codes]
    # 1 True, 0 False, -1 unknown
    out = np.where(madrid, hit, in_wanted.astype(np.int8)).astype(np.int8)
    if "GB" in wanted:  # EU marks (and IRs designating the EU) before 2021 have UK twins
        eu_like = np.where(madrid, eu & (hit == 0), is_eu) & (out == 0)
        out = np.where(eu_like, day_before, out)
    out = np.where(is_empty, -1, out)
    result = pd.Series(out == 1, index=index, dtype="boolean")
    result[out == -1] = pd.NA
    return result


def _norm_jurisdiction(value: object) -> str:
    code = str(value).strip().upper() if isinstance(value, str) else ""
    code = ALIASES.get(code, code)
    return {MADRID_EU: "EU", "IB": "WO"}.get(code, code)


def _before_brexit(value: object) -> int:
    day = re.sub(r"\D", "", value)[:8] if isinstance(value, str) else ""
    return (1 if day < BREXIT_CLONE_BEFORE else 0) if len(day) == 8 else -1


def jurisdictions_for(value: str) -> tuple[str, ...]:
    """The jurisdictions whose registrations count on a marketplace (() when unknown)."""
    market = marketplace(value)
    return market.jurisdictions if market else ()


def _designation_codes(designations: str | list[str] | tuple[str, ...]) -> set[str]:
    if isinstance(designations, str):
        items = re.split(r"[;,\s]+", designations)
    else:
        items = list(designations)
    return {ALIASES.get(d.strip().upper(), d.strip().upper()) for d in items if d and d.strip()}


def mark_covers(jurisdiction: str, designations: str | list[str] | tuple[str, ...],
                filing_or_registration_date: str, marketplace_code: str) -> bool | None:
    """Whether a mark registered in ``jurisdiction`` counts on ``marketplace_code``; None when unknown.

    * None: empty jurisdiction, unknown marketplace, a Madrid (``WO``) record without designations, or an
      EU mark on the UK store without a date;
    * a Madrid record covers the marketplace when it designates one of its jurisdictions (``EM`` = EU);
      on the UK store an IR designating the EU before 2021 counts too (its UK twin);
    * on the UK store an EU mark counts when ``filing_or_registration_date`` (YYYYMMDD or YYYY-MM-DD; pass
      the registration date when known) is before 2021-01-01: the UK cloned every registered EU mark.
    """
    jur = (jurisdiction or "").strip().upper()
    jur = ALIASES.get(jur, jur)
    market = marketplace(marketplace_code)
    if not jur or market is None:
        return None
    wanted = set(market.jurisdictions)
    date = re.sub(r"\D", "", filing_or_registration_date or "")[:8]
    if jur in ("WO", "IB"):
        codes = _designation_codes(designations)
        if not codes:
            return None
        codes = {"EU" if c == MADRID_EU else c for c in codes}
        if codes & wanted:
            return True
        if market.eu_twins and "EU" in codes:
            return (date < BREXIT_CLONE_BEFORE) if len(date) == 8 else None
        return False
    if jur == MADRID_EU:
        jur = "EU"
    if jur in wanted:
        return True
    if market.eu_twins and jur == "EU":
        return (date < BREXIT_CLONE_BEFORE) if len(date) == 8 else None
    return False


_UK_NUMBER = re.compile(r"^(?:UK)?0*(\d{1,11})$")


def register_link(jurisdiction: str, number: str) -> str:
    """The public register page of a mark, or "" when the office has no stable link for a number.

    * US: USPTO TSDR (serial number, 8 digits);
    * EU: EUIPO eSearch (application number, 9 digits, zero-padded);
    * WO: WIPO Madrid Monitor (international registration number, suffix letters kept);
    * GB: UKIPO trade mark case details of a national mark (``UK000…`` number; a bare number is padded to
      ``UK`` + 11 digits); comparable marks cloned from EU marks (``UK009…``) show in another view of the
      register: "";
    * BR (INPI) and KR (KIPRIS): "": their search pages have no stable per-number address we are sure of;
      everything else: "".
    """
    jur = (jurisdiction or "").strip().upper()
    jur = ALIASES.get(jur, jur)
    raw = (number or "").strip()
    compact = re.sub(r"[\s,./-]", "", raw)
    if not compact:
        return ""
    if jur == "US":
        if re.fullmatch(r"\d{8}", compact):
            return f"https://tsdr.uspto.gov/#caseNumber={compact}&caseType=SERIAL_NO&searchType=statusSearch"
        return ""
    if jur in ("EU", MADRID_EU):
        if re.fullmatch(r"\d{1,9}", compact):
            return f"https://euipo.europa.eu/eSearch/#details/trademarks/{int(compact):09d}"
        return ""
    if jur in ("WO", "IB"):
        if re.fullmatch(r"\d{1,8}[A-Z]{0,2}", compact.upper()):
            return f"https://www3.wipo.int/madrid/monitor/en/showData.jsp?ID=ROM.{compact.upper()}"
        return ""
    if jur == "GB":
        m = _UK_NUMBER.match(compact.upper())
        if m and not compact.upper().startswith("UK009"):  # UK009…: comparable marks, another register view
            return f"https://trademarks.ipo.gov.uk/ipo-tmcase/page/Results/1/UK{int(m.group(1)):011d}"
        return ""
    return ""
