"""A superscript or other non-ASCII digit ("²", "٣") is a digit to ``str.isdigit`` but not to ``int``: every
place that reads a number from user text takes ASCII digits only, so such a value is refused or ignored with a
message, never a ValueError."""

from __future__ import annotations

import pandas as pd
import pytest

from scanner.corpus.breakdown import breakdown
from scanner.corpus.odp import _retry_after
from scanner.corpus.schema import parse_classes
from scanner.errors import HistoryError, InputError
from scanner.history.store import HistoryStore
from scanner.notices.watchlist import load_watchlist


def test_parse_classes_ignores_superscripts():
    assert parse_classes("9;²;25") == frozenset({9, 25})


def test_breakdown_counts_ascii_classes_only():
    counts = breakdown([pd.DataFrame({"nice_classes": ["9;²", "25"]})])["nice_classes"]
    assert (counts["9"], counts["25"], counts["2"], sum(counts.values())) == (1, 1, 0, 2)


def test_retry_after_of_a_superscript_is_the_default():
    assert _retry_after("²", 7.0) == 7.0


@pytest.mark.parametrize("column,value", [("complaints", "²"), ("nice_classes", "9;²")])
def test_watchlist_value_with_a_superscript_is_one_line_error(tmp_path, column, value):
    path = tmp_path / "watchlist.csv"
    path.write_text(f"mark,{column}\nACME,{value}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_watchlist(path)
    assert column in str(err.value) and "\n" not in str(err.value)


def test_history_scan_id_with_a_superscript_is_one_line_error(tmp_path):
    with pytest.raises(HistoryError, match="is not a scan id"):
        HistoryStore(tmp_path).resolve("²")
