"""The reader on the real development listings (../shared/data/devset), checked against a plain split."""

from __future__ import annotations

import pytest

from scanner.listings import read_listings


@pytest.mark.shared
@pytest.mark.parametrize("name", ["listings_catalog.tsv", "listings_shop.tsv"])
def test_devset_listings_read_like_a_plain_split(shared_data, name):
    path = shared_data / "devset" / name
    lines = path.read_bytes().decode("utf-8").split("\n")
    header = lines[0].rstrip("\r").split("\t")
    expected = []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            cells = dict(zip(header, line.rstrip("\r").split("\t"), strict=True))
            expected.append((cells["item_sku"], cells["brand_name"].strip(), cells["item_name"].strip(), number))
    result = read_listings([path])
    stats = result.files[0]
    assert stats.format == "flat-file"
    assert (stats.rows_read, stats.rows_ok, stats.rows_rejected) == (len(expected), len(expected), 0)
    got = list(zip(result.listings["sku"], result.listings["brand"], result.listings["title"],
                   result.listings["source_row"], strict=True))
    assert got == expected
