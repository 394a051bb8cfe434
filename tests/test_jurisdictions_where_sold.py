"""Where the seller sells (sold_in) and, vectorised over a marks table, whether each registration counts there
(covers_where_sold): the rules of mark_covers, True when any market is covered."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pandas as pd
import pytest

from scanner.jurisdictions import covers_where_sold, mark_covers, sold_in

#: Hand-built marks: (jurisdiction, designations, date, expected on the UK store, on amazon.de, on US + KR).
ROWS = [
    ("US", "", "20200101", False, False, True),
    ("EU", "", "20191231", True, True, False),  # before 2021: its UK comparable twin exists
    ("EU", "", "2020-12-31", True, True, False),
    ("EU", "", "20210101", False, True, False),  # registered after Brexit: no twin
    ("EU", "", "", pd.NA, True, False),  # no date: cannot tell on the UK store
    ("EM", "", "20150101", True, True, False),  # the EUIPO's office code
    ("GB", "", "", True, False, False),
    ("UK", "", "", True, False, False),
    ("DE", "", "", False, True, False),
    ("FR", "", "", False, False, False),  # a French national mark does not reach amazon.de
    ("WO", "EM;JP", "20150101", True, True, False),  # Madrid designating the EU before 2021: UK twin
    ("WO", "EM", "20220101", False, True, False),
    ("WO", "EM", "", pd.NA, True, False),
    ("WO", "GB;KR", "20220101", True, False, True),
    ("WO", "UK", "", True, False, False),
    ("WO", "KR, BR", "", False, False, True),
    ("WO", "DE US", "", False, True, True),
    ("WO", "", "20150101", pd.NA, pd.NA, pd.NA),  # designations unknown
    ("IB", "KR", "", False, False, True),
    ("", "", "20150101", pd.NA, pd.NA, pd.NA),  # no jurisdiction
    ("KR", "", "", False, False, True),
    ("BR", "", "", False, False, False),
]


def _frame():
    j, d, t, uk, de, us_kr = zip(*ROWS, strict=True)
    return (pd.Series(j), pd.Series(d), pd.Series(t)), {"uk": list(uk), "de": list(de), "us_kr": list(us_kr)}


def _same(got: pd.Series, expected: list) -> bool:
    return [None if pd.isna(v) else bool(v) for v in got] == [None if v is pd.NA else v for v in expected]


def test_hand_built_rows_uk_store():
    cols, expected = _frame()
    got = covers_where_sold(*cols, ("GB",))
    assert str(got.dtype) == "boolean" and _same(got, expected["uk"])
    assert _same(covers_where_sold(*cols, ("amazon.co.uk",)), expected["uk"])  # a store domain works too


def test_hand_built_rows_amazon_de():
    cols, expected = _frame()
    assert _same(covers_where_sold(*cols, ("EU", "DE")), expected["de"])  # what sold_in gives for DE
    assert _same(covers_where_sold(*cols, ("DE",)), expected["de"])  # the marketplace code DE: EU + DE


def test_any_market_covered_is_true():
    cols, expected = _frame()
    assert _same(covers_where_sold(*cols, ("US", "KR")), expected["us_kr"])
    both = [None if pd.isna(v) else bool(v) for v in covers_where_sold(*cols, ("GB", "EU", "DE"))]
    for got, uk, de in zip(both, expected["uk"], expected["de"], strict=True):
        if uk is True or de is True:
            assert got is True
        elif uk is False and de is False:
            assert got is False
        else:
            assert got is None
    # an EU mark without a date: unknown on the UK store, but it counts on amazon.de -> True
    assert both[4] is True


def test_unknown_markets_give_na_and_index_is_kept():
    j = pd.Series(["US", "EU"], index=[10, 20])
    got = covers_where_sold(j, pd.Series(["", ""], index=[10, 20]), pd.Series(["", ""], index=[10, 20]), ())
    assert list(got.index) == [10, 20] and got.isna().all()
    got = covers_where_sold(j, pd.Series([None, None], index=[10, 20]), pd.Series([None, None], index=[10, 20]),
                            ("shein",))  # plain shein: country unknown
    assert got.isna().all()


def test_list_designations_and_missing_values():
    got = covers_where_sold(pd.Series(["WO", "WO", None]), pd.Series([["BR", "EM"], None, None]),
                            pd.Series([None, "20150101", None]), ("BR",))
    assert [None if pd.isna(v) else bool(v) for v in got] == [True, None, None]


MARKETS = ("US", "UK", "DE", "amazon.fr", "JP", "mercadolibre.com.br", "coupang.com", "ozon.ru")


@pytest.mark.parametrize("market", MARKETS)
def test_agrees_with_mark_covers_on_every_single_market(market):
    jurisdictions = ["US", "EU", "EM", "GB", "UK", "DE", "FR", "BR", "KR", "RU", "JP", "WO", "IB", "", "CN"]
    designations = ["", "EM", "EM;JP", "GB", "KR;BR", "DE,US", "RU", "UK"]
    dates = ["", "20191231", "20210101", "2020-06-30"]
    grid = list(itertools.product(jurisdictions, designations, dates))
    j, d, t = (pd.Series(c) for c in zip(*grid, strict=True))
    got = covers_where_sold(j, d, t, (market,))
    for (jj, dd, tt), value in zip(grid, got, strict=True):
        expected = mark_covers(jj, dd, tt, market)
        assert (None if pd.isna(value) else bool(value)) is expected, (jj, dd, tt, market)


def test_sold_in_union_in_order():
    assert sold_in(SimpleNamespace(marketplace="US", marketplaces=("DE", "mercadolibre.com.br", "US"))) == \
        ("US", "EU", "DE", "BR")
    assert sold_in(SimpleNamespace(marketplace="UK", marketplaces=())) == ("GB",)
    assert sold_in(SimpleNamespace(marketplace="US", marketplaces=("shein", "shein:MX"))) == ("US", "MX")
    assert sold_in(SimpleNamespace(marketplace="")) == ()
