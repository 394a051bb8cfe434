"""What makes `scanner corpus build` lighter (issue 13): the CLI prepares the match index (not the corpus
package), the index is loaded memory-mapped (no copies), the index build reads no goods/services texts, and
the ordinary-word list is computed one language at a time with the same result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from scanner.cli import cli
from scanner.config import SellerProfile
from scanner.corpus import load_corpus
from scanner.corpus.store import load_compiled
from scanner.match import cache as match_cache
from scanner.match import find_matches
from scanner.match.index import ARRAY_FIELDS, build_index
from scanner.progress import Progress

FIXTURES = Path(__file__).parent / "fixtures" / "uspto"
DAY1 = FIXTURES / "apc250101.zip"


def _build(tmp_path: Path) -> Path:
    out = tmp_path / "corpus"
    result = CliRunner().invoke(cli, ["corpus", "build", str(DAY1), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_cli_build_writes_the_index_and_scans_load_it_memory_mapped(tmp_path):
    out = _build(tmp_path)
    assert (out / "index" / "manifest.json").is_file()
    corpus = load_corpus(out)
    loaded = match_cache.load(corpus, Progress(quiet=True))
    assert loaded is not None
    for name in ARRAY_FIELDS:
        arr = getattr(loaded, name)
        assert isinstance(arr, np.memmap), name
        assert not arr.flags.writeable, name
    fresh = build_index(corpus)
    for name in ARRAY_FIELDS:
        np.testing.assert_array_equal(np.asarray(getattr(loaded, name)), getattr(fresh, name))
    listings = pd.DataFrame({"sku": ["a", "b"], "title": [corpus.marks["mark"].iloc[0] + " mug", "plain mug"],
                             "brand": ["", ""]})
    mapped = find_matches(listings, corpus, SellerProfile(), fields=("title", "brand"), index=loaded)
    in_memory = find_matches(listings, corpus, SellerProfile(), fields=("title", "brand"), index=fresh)
    assert len(mapped) >= 1
    pd.testing.assert_frame_equal(mapped, in_memory)


def test_load_compiled_skip_keeps_hash_and_leaves_the_column_empty(tmp_path):
    out = _build(tmp_path)
    full = load_compiled(out)
    light = load_compiled(out, skip=("goods_services",))
    assert (full.marks["goods_services"] != "").any()
    assert (light.marks["goods_services"] == "").all()
    assert list(light.marks.columns) == list(full.marks.columns)
    assert light.content_hash == full.content_hash
    pd.testing.assert_frame_equal(light.marks.drop(columns="goods_services"), full.marks.drop(columns="goods_services"))
    # the index of the light table is the index of the full one (it never reads goods/services)
    a, b = build_index(light), build_index(full)
    for name in ARRAY_FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def _chunks(series: pd.Series) -> int:
    arrow = getattr(series.array, "_pa_array", None)
    return arrow.num_chunks if arrow is not None else 1


def test_compiled_columns_are_loaded_in_one_chunk_up_to_a_size(tmp_path, monkeypatch):
    # marks.parquet read in pieces (one per row group): each column is made one piece (a take from it is
    # what a scan does hundreds of times a batch), unless it is larger than ONE_CHUNK_MAX_BYTES or holds the
    # goods and services texts
    import pyarrow.parquet as pq

    from scanner.corpus import store

    out = _build(tmp_path)
    table = pq.read_table(out / store.MARKS_FILE)
    pq.write_table(table, out / store.MARKS_FILE, row_group_size=2)  # the fixture's 4 marks in 2 row groups
    assert pq.ParquetFile(out / store.MARKS_FILE).num_row_groups > 1
    corpus = load_compiled(out)
    assert _chunks(corpus.marks["mark"]) == _chunks(corpus.marks["owner"]) == 1
    assert _chunks(corpus.marks["goods_services"]) > 1  # no scan takes rows from the goods texts: left as read
    monkeypatch.setattr(store, "ONE_CHUNK_MAX_BYTES", 0)
    pieces = load_compiled(out)
    assert _chunks(pieces.marks["mark"]) > 1
    pd.testing.assert_frame_equal(pieces.marks, corpus.marks)
    assert pieces.content_hash == corpus.content_hash


def test_ordinary_words_one_language_at_a_time_is_the_same_set():
    import wordfreq

    from scanner.frequency import COMMON_WORD_LANGUAGES, zipf_of
    from scanner.match import words as W

    en = wordfreq.get_frequency_dict("en", "best")
    others = [wordfreq.get_frequency_dict(lang) for lang in COMMON_WORD_LANGUAGES]
    expected = set()
    for w in W.english_common_words():
        z = zipf_of(en[w])
        if z >= W.VERY_COMMON_ZIPF or z - max(zipf_of(d.get(w, 0.0)) for d in others) >= W.ORDINARY_MARGIN:
            expected.add(w)
    assert len(expected) > 5000
    assert W.ordinary_words() == expected
