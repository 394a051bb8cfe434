"""Row rules shared by every reader, notes, progress, and the benchmark smoke run."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from scanner.listings import REJECTED_COLUMNS, read_listings
from scanner.listings.headers import HEADER_ALIASES, JAPANESE_HEADERS, field_of, normalize
from scanner.progress import Progress
from tests.fixtures.listings.builders import (
    ALL_LISTINGS,
    FBA_MYI,
    JP_ALL_LISTINGS,
    LOCALIZED,
    all_listings_row,
    tsv_bytes,
    write_tsv,
)

REPO = Path(__file__).resolve().parents[1]


def test_trailing_tab_rows_are_good_and_counted_in_notes(tmp_path):
    rows = [ALL_LISTINGS, all_listings_row(item_name="A", seller_sku="1")]
    data = tsv_bytes(rows, "cp1252").replace(b"Active\r\n", b"Active\t\t\r\n")
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    result = read_listings([path])
    assert result.listings["title"].tolist() == ["A"]
    assert any("1 row(s) had extra empty fields" in n for n in result.files[0].notes)


def test_header_with_trailing_tab(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"seller-sku\titem-name\t\r\nS1\tLamp\t\r\nS2\tMug\r\n")
    result = read_listings([path])
    assert result.listings["title"].tolist() == ["Lamp", "Mug"]
    assert result.files[0].rows_rejected == 0


def test_values_are_stripped_but_inner_text_kept(tmp_path):
    path = write_tsv(tmp_path / "s.txt", [["seller-sku", "item-name"], ["  007 ", " Two  spaces\u00a0inside "]])
    df = read_listings([path]).listings
    assert df["sku"].tolist() == ["007"]
    assert df["title"].tolist() == ["Two  spaces\u00a0inside"]


def test_na_like_values_stay_strings_and_dtypes_are_str(tmp_path):
    values = ["NA", "NULL", "None", "n/a", "#N/A", "nan", "NaN", "null", "-", "0"]
    path = write_tsv(tmp_path / "na.txt", [["seller-sku", "item-name", "item-description"]]
                     + [[v, f"Title {v}", v] for v in values])
    df = read_listings([path]).listings
    assert df["sku"].tolist() == values
    assert df["description"].tolist() == values
    assert not df.isna().any().any()
    assert all(pd.api.types.is_string_dtype(df[c]) for c in df.columns if c != "source_row")
    assert df["source_row"].dtype == "int64"


def test_rejected_table_columns_and_types(fixtures):
    result = read_listings([fixtures / "listings" / "all_listings_us_cp1252.txt"])
    assert list(result.rejected.columns) == list(REJECTED_COLUMNS)
    assert result.rejected["source_row"].dtype == "int64"


def test_empty_rejected_table_when_all_rows_are_good(fixtures):
    result = read_listings([fixtures / "listings" / "custom_selection_utf8_bom.txt"])
    assert list(result.rejected.columns) == list(REJECTED_COLUMNS) and len(result.rejected) == 0


class RecordingProgress(Progress):
    def __init__(self):
        super().__init__(quiet=True)
        self.tasks, self.updates = [], []

    @contextmanager
    def task(self, desc, total=None, unit="it", unit_scale=False):
        self.tasks.append((desc, total, unit))
        outer = self

        class Bar:
            def update(self, n=1):
                outer.updates.append(n)

            def set_postfix_str(self, s):
                pass

        yield Bar()


def test_text_read_reports_bytes_progress(fixtures, tmp_path, monkeypatch):
    from scanner.listings import textfile

    monkeypatch.setattr(textfile, "BLOCK_SIZE", 256)
    rows = [ALL_LISTINGS] + [all_listings_row(item_name=f"Lamp {i}", seller_sku=str(i)) for i in range(100)]
    path = write_tsv(tmp_path / "big.txt", rows)
    progress = RecordingProgress()
    read_listings([path], progress=progress)
    size = path.stat().st_size
    assert progress.tasks == [(f"reading {path.name}", size, "B")]
    assert sum(progress.updates) == size and len(progress.updates) > 10


def test_header_alias_table_covers_the_known_headers():
    for header in ("item-name", "item_name", "product-name", "商品名", "Artikelbezeichnung", "Nome dell'articolo",
                   "nom-produit", "Título del producto", "商品名称"):
        assert field_of(header) == "title", header
    for header in ("seller-sku", "item_sku", "sku", "出品者SKU", "Händler-SKU", "SKU venditore", "sku-vendeur",
                   "SKU del vendedor", "卖家 SKU"):
        assert field_of(header) == "sku", header
    assert field_of("ASIN 1") == field_of("asin1") == field_of("asin") == "asin"
    assert field_of("brand_name") == "brand" and field_of("generic_keywords3") == "keywords"
    assert field_of("bullet_point5") == "bullets" and field_of("item_type") == "category"
    assert field_of("Business Price") is None and field_of("ステータス") is None
    assert {"商品名", "出品者SKU", "ステータス", "商品ID"} <= JAPANESE_HEADERS
    assert all(k == normalize(k) for k in HEADER_ALIASES)


def test_every_fixture_title_header_is_in_the_alias_table():
    for header_row in [ALL_LISTINGS, FBA_MYI, JP_ALL_LISTINGS, *LOCALIZED.values()]:
        assert sum(field_of(h) == "title" for h in header_row) == 1, header_row


def test_benchmark_smoke_run():
    out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_read_listings.py"), "--rows", "300",
                          "--baseline-rows", "100"], capture_output=True, text=True, timeout=120, check=True)
    assert "read_listings :" in out.stdout and "for 300 rows" in out.stdout
    assert "naive baseline:" in out.stdout and "ratio (naive / read_listings):" in out.stdout


def test_constant_strings_builds_the_same_array_as_a_list():
    import pyarrow as pa

    from scanner.listings.validate import constant_strings

    for text, n in [("", 0), ("", 3), ("a/b.txt", 4), ("日本.txt", 2)]:
        assert constant_strings(text, n).equals(pa.array([text] * n, type=pa.large_string()))


def test_committed_fixtures_are_what_make_fixtures_writes(fixtures):
    from tests.fixtures.listings import make_fixtures

    for name, make in make_fixtures.FIXTURES.items():
        assert (fixtures / "listings" / name).read_bytes() == make(), name


def test_fixture_bytes_are_in_the_stated_encodings(fixtures):
    d = fixtures / "listings"
    assert b"\x85" in (d / "all_listings_us_cp1252.txt").read_bytes()  # "…" in cp1252
    assert b"\r\n" in (d / "all_listings_us_cp1252.txt").read_bytes()
    assert b"\r\n" not in (d / "active_listings_27_cp1252_lf.txt").read_bytes()
    assert (d / "custom_selection_utf8_bom.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (d / "cn_listings_utf16le_bom.txt").read_bytes().startswith(b"\xff\xfe")
    assert "商品名".encode("cp932") in (d / "jp_all_listings_cp932.txt").read_bytes()
