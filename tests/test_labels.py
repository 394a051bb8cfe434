"""Labels files (fixed contract): parsing, one-line errors with file/row/column, joining to listings."""

from __future__ import annotations

import pandas as pd
import pytest

from scanner.errors import InputError
from scanner.labels import join_labels, parse_label, read_labels


def _write(tmp_path, text: str, name: str = "labels.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _listings(skus):
    return pd.DataFrame({"sku": list(skus), "title": [f"title {s}" for s in skus]})


@pytest.mark.parametrize("raw,expected", [
    ("0", 0), ("1", 1), ("2", 2), ("low", 0), ("Medium", 1), ("HIGH", 2), (" high ", 2), ("\tLow", 0),
])
def test_parse_label_accepts_numbers_and_names_any_case(raw, expected):
    assert parse_label(raw) == expected


@pytest.mark.parametrize("raw", ["3", "-1", "hi", "", "1.0", "none", "mediums"])
def test_parse_label_rejects_anything_else(raw):
    assert parse_label(raw) is None


def test_read_labels_mixed_values_extra_columns_and_bom(tmp_path):
    path = _write(tmp_path, "\ufeffSKU,usage,Label,note\nA1,identity,2,x\nA2,,low,\n\nA3,nominative,Medium,\"a, b\"\n")
    labels = read_labels(path)
    assert labels.frame["sku"].tolist() == ["A1", "A2", "A3"]
    assert labels.frame["label"].tolist() == [2, 0, 1]
    assert labels.frame["source_row"].tolist() == [2, 3, 5]
    assert labels.counts == {"low": 1, "medium": 1, "high": 1}
    assert len(labels.sha256) == 64


def test_missing_column_is_one_line_error_naming_the_file(tmp_path):
    path = _write(tmp_path, "sku,level\nA1,2\n")
    with pytest.raises(InputError) as err:
        read_labels(path)
    msg = str(err.value)
    assert "\n" not in msg and "labels.csv" in msg and "'label'" in msg and "level" in msg


def test_bad_label_value_names_file_row_and_column(tmp_path):
    path = _write(tmp_path, "sku,label\nA1,2\nA2,3\n")
    with pytest.raises(InputError) as err:
        read_labels(path)
    assert err.value.row == 3 and err.value.column == "label"
    assert "labels.csv" in str(err.value) and "'3'" in str(err.value) and "\n" not in str(err.value)


def test_duplicate_sku_same_label_is_kept_once(tmp_path):
    labels = read_labels(_write(tmp_path, "sku,label\nA1,2\nA2,0\nA1,high\n"))
    assert labels.frame["sku"].tolist() == ["A1", "A2"]
    assert labels.duplicates == 1


def test_duplicate_sku_conflicting_labels_is_an_error(tmp_path):
    path = _write(tmp_path, "sku,label\nA1,2\nA2,0\nA1,medium\n")
    with pytest.raises(InputError) as err:
        read_labels(path)
    assert err.value.row == 4
    assert "A1" in str(err.value) and "row 2" in str(err.value)


def test_empty_sku_is_an_error(tmp_path):
    with pytest.raises(InputError) as err:
        read_labels(_write(tmp_path, "sku,label\n,2\n"))
    assert err.value.row == 2 and err.value.column == "sku"


@pytest.mark.parametrize("text,needle", [
    ("", "empty"),
    ("sku,label\n", "no labels"),
])
def test_empty_files(tmp_path, text, needle):
    with pytest.raises(InputError, match=needle):
        read_labels(_write(tmp_path, text))


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes(b"sku,label\nA1,2\nA\xff2,0\n")
    with pytest.raises(InputError) as err:
        read_labels(path)
    assert err.value.row == 3


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_labels(tmp_path / "nope.csv")


def test_join_counts_what_did_not_join(tmp_path):
    labels = read_labels(_write(tmp_path, "sku,label\nA1,2\nA2,0\nZZ,1\n"))
    listings = _listings(["A1", " A2 ", "B1", "B2", "A1"])
    join = join_labels(listings, labels)
    assert join.y.to_dict() == {0: 2, 1: 0, 4: 2}  # duplicate listing SKUs both get the label
    assert join.labels_without_listing == ["ZZ"]
    assert join.listings_without_label == ["B1", "B2"]
    assert join.n_joined == 3 and join.n_labels == 3 and join.n_listings == 5
    text = join.summary()
    assert "1 labelled SKU(s) not in the listings" in text and "2 listing(s) without a label" in text
    assert join.labels_on_several_listings == ["A1"]
    assert "1 labelled SKU(s) on more than one listing row, each row counted (e.g. A1" in text
    assert join_labels(_listings(["A1", "A2"]), labels).labels_on_several_listings == []


def test_join_with_nothing_in_common_is_an_error(tmp_path):
    labels = read_labels(_write(tmp_path, "sku,label\nA1,2\n"))
    with pytest.raises(InputError) as err:
        join_labels(_listings(["B1", "B2"]), labels)
    assert "no SKU" in str(err.value) and "labels.csv" in str(err.value)
