"""Marketplace -> jurisdictions, whether a registration covers a marketplace, and register links."""

from __future__ import annotations

import pytest

from scanner.config import MARKETPLACES as PROFILE_MARKETPLACES
from scanner.jurisdictions import jurisdictions_for, mark_covers, marketplace, register_link


@pytest.mark.parametrize(("market", "expected"), [
    ("US", ("US",)), ("amazon.com", ("US",)), ("https://www.amazon.com/dp/B000", ("US",)),
    ("DE", ("EU", "DE")), ("www.amazon.de", ("EU", "DE")), ("FR", ("EU", "FR")), ("amazon.it", ("EU", "IT")),
    ("amazon.es", ("EU", "ES")), ("UK", ("GB",)), ("gb", ("GB",)), ("amazon.co.uk", ("GB",)),
    ("JP", ("JP",)), ("amazon.co.jp", ("JP",)), ("mercadolibre.com.br", ("BR",)), ("mercadolibre.com.mx", ("MX",)),
    ("mercadolibre.com.ar", ("AR",)), ("ozon.ru", ("RU",)), ("gmarket.co.kr", ("KR",)), ("coupang.com", ("KR",)),
    ("shein:DE", ("EU", "DE")), ("shein.com.mx", ("MX",)), ("de.shein.com", ("EU", "DE")), ("shein", ()),
    ("", ()), ("ebay.com", ())])
def test_marketplace_table(market, expected):
    assert jurisdictions_for(market) == expected


def test_every_profile_marketplace_code_is_known():
    for code in PROFILE_MARKETPLACES:
        assert marketplace(code) is not None, code


@pytest.mark.parametrize(("jurisdiction", "designations", "date", "market", "expected"), [
    ("US", "", "20200101", "US", True),
    ("US", "", "20200101", "DE", False),
    ("EU", "", "20200101", "DE", True),
    ("EU", "", "20200101", "amazon.fr", True),
    ("DE", "", "", "DE", True),
    ("FR", "", "", "DE", False),  # a French national mark does not reach amazon.de
    ("EU", "", "20200101", "US", False),
    ("EU", "", "20191231", "UK", True),  # registered before 2021: a UK comparable mark exists
    ("EU", "", "2020-12-31", "amazon.co.uk", True),
    ("EU", "", "20210101", "UK", False),
    ("EU", "", "", "UK", None),  # no date: cannot tell
    ("GB", "", "", "UK", True),
    ("GB", "", "", "DE", False),
    ("WO", "EM;JP", "20150101", "DE", True),  # Madrid designating the EU
    ("WO", "EM;JP", "20150101", "JP", True),
    ("WO", "EM;JP", "20150101", "US", False),
    ("WO", "EM", "20150101", "UK", True),  # EU designation before 2021: UK twin
    ("WO", "EM", "20220101", "UK", False),
    ("WO", "KR;BR", "", "coupang.com", True),
    ("WO", ["BR"], "", "mercadolibre.com.br", True),
    ("WO", "", "20150101", "DE", None),  # designations unknown
    ("", "", "20150101", "US", None),
    ("US", "", "", "shein", None),  # country sold to unknown
    ("KR", "", "", "gmarket.co.kr", True),
    ("BR", "", "", "mercadolibre.com.ar", False),
])
def test_mark_covers(jurisdiction, designations, date, market, expected):
    assert mark_covers(jurisdiction, designations, date, market) is expected


@pytest.mark.parametrize(("jurisdiction", "number", "url"), [
    ("US", "97123456", "https://tsdr.uspto.gov/#caseNumber=97123456&caseType=SERIAL_NO&searchType=statusSearch"),
    ("US", "1234", ""),
    ("EU", "018222197", "https://euipo.europa.eu/eSearch/#details/trademarks/018222197"),
    ("EU", "18222197", "https://euipo.europa.eu/eSearch/#details/trademarks/018222197"),
    ("WO", "779460A", "https://www3.wipo.int/madrid/monitor/en/showData.jsp?ID=ROM.779460A"),
    ("WO", "1429066", "https://www3.wipo.int/madrid/monitor/en/showData.jsp?ID=ROM.1429066"),
    ("GB", "UK00003289573", "https://trademarks.ipo.gov.uk/ipo-tmcase/page/Results/1/UK00003289573"),
    ("UK", "3289573", "https://trademarks.ipo.gov.uk/ipo-tmcase/page/Results/1/UK00003289573"),
    ("BR", "905687116", ""),  # no stable INPI link we are sure of
    ("KR", "4020190000011", ""),  # no stable KIPRIS link we are sure of
    ("EU", "", ""),
    ("RO", "119857", ""),
])
def test_register_link(jurisdiction, number, url):
    assert register_link(jurisdiction, number) == url
