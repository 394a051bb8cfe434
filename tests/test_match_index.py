"""The compiled match index: unique keys, representative records, and the cache in a corpus folder."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pandas as pd
import pytest

from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS
from scanner.match import cache as match_cache
from scanner.match import find_matches, prepare_index
from scanner.match.index import ARRAY_FIELDS, FLAG_DISTINCTIVE, FLAG_ORDINARY, build_index
from scanner.progress import Progress


def corpus_of(rows: list[dict[str, str]], path=None) -> Corpus:
    df = pd.DataFrame([{c: r.get(c, "") for c in MARK_COLUMNS} for r in rows], columns=list(MARK_COLUMNS))
    return Corpus(marks=df.astype(str), info={"name": "test"}, path=path)


ROWS = [
    {"mark": "APPLE", "owner": "Apple Farms", "status": "dead", "kind": "brand", "filing_date": "20200101"},
    {"mark": "Apple", "owner": "Orchard Co", "status": "live", "kind": "word", "filing_date": "20190101"},
    {"mark": "APPLE", "owner": "Apple Inc", "status": "live", "kind": "brand", "filing_date": "19800101"},
    {"mark": "APPLE", "owner": "Apple Inc", "status": "live", "kind": "brand", "registration_date": "19900101"},
    {"mark": "AIRPODS", "owner": "Apple Inc", "status": "live", "kind": "product_line"},
    {"mark": "Air Pods", "owner": "Apple Inc", "status": "pending", "kind": "product_line"},
    {"mark": "®", "owner": "Nobody"},
    {"mark": "Universe", "owner": "Toys LLC", "kind": "word"},
    {"mark": "Samsung", "owner": ""},
]


def test_one_entry_per_key_with_a_deterministic_representative() -> None:
    idx = build_index(corpus_of(ROWS))
    assert sorted(idx.keys) == ["airpods", "apple", "samsung", "universe"]
    apple = idx.key_id("apple")
    # live before dead, brand before word, then the most recent date: row 3 (1990) beats row 2 (1980)
    assert idx.key_mark[apple] == 3
    assert idx.key_records[apple] == 4
    assert idx.key_owners[apple] == 3
    assert list(idx.record_key[[0, 1, 2, 3]]) == [apple] * 4
    assert idx.record_key[6] == -1  # a mark that normalises to nothing has no key
    airpods = idx.key_id("airpods")
    assert idx.key_mark[airpods] == 4  # live before pending
    assert idx.token_counts(airpods) == {1, 2}
    assert idx.key_owners[idx.key_id("samsung")] == 0
    assert idx.key_id("nope") == -1


def test_key_flags() -> None:
    idx = build_index(corpus_of(ROWS))
    assert idx.key_flags[idx.key_id("samsung")] & FLAG_DISTINCTIVE
    assert not idx.key_flags[idx.key_id("samsung")] & FLAG_ORDINARY
    assert idx.key_flags[idx.key_id("universe")] & FLAG_ORDINARY
    assert not idx.key_flags[idx.key_id("universe")] & FLAG_DISTINCTIVE


def test_every_record_stays_reachable() -> None:
    c = corpus_of(ROWS)
    m = find_matches(pd.DataFrame({"title": ["Apple charger"]}), c)
    assert len(m) == 1
    row = m.iloc[0]
    assert row["mark_id"] == 3 and row["owner"] == "Apple Inc"
    assert row["n_records"] == 4 and row["n_owners"] == 3
    idx = prepare_index(c)
    records = np.flatnonzero(idx.record_key == idx.key_id(row["mark_key"]))
    assert set(c.marks.loc[records, "owner"]) == {"Apple Farms", "Orchard Co", "Apple Inc"}


def arrays_equal(a, b) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ARRAY_FIELDS) and a.keys == b.keys


def test_index_is_cached_in_the_corpus_folder(tmp_path) -> None:
    c = corpus_of(ROWS, path=tmp_path)
    built = build_index(c)
    assert match_cache.save(built, c, Progress(quiet=True))
    folder = tmp_path / "index"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["content_hash"] == c.content_hash
    for name in ARRAY_FIELDS:
        np.load(folder / f"{name}.npy", allow_pickle=False)  # plain arrays, no pickled objects
    loaded = match_cache.load(c, Progress(quiet=True))
    assert loaded is not None and arrays_equal(built, loaded)
    listings = pd.DataFrame({"title": ["Air Pods case for Apple", "Samsnug charger"]})
    from scanner.match import find_candidates

    a = find_candidates(listings, built)[2]
    b = find_candidates(listings, loaded)[2]
    pd.testing.assert_frame_equal(a, b)


def test_stale_cache_is_rebuilt(tmp_path) -> None:
    c = corpus_of(ROWS, path=tmp_path)
    match_cache.save(build_index(c), c, Progress(quiet=True))
    changed = corpus_of(ROWS + [{"mark": "Nintendo"}], path=tmp_path)
    out = io.StringIO()
    assert match_cache.load(changed, Progress(stream=out)) is None
    assert "out of date" in out.getvalue()
    idx = prepare_index(changed, progress=Progress(stream=out))
    assert idx.key_id("nintendo") >= 0
    assert match_cache.load(changed, Progress(quiet=True)) is not None  # rewritten


def test_corrupt_cache_is_rebuilt(tmp_path) -> None:
    c = corpus_of(ROWS + [{"mark": "Logitech"}], path=tmp_path)
    match_cache.save(build_index(c), c, Progress(quiet=True))
    (tmp_path / "index" / "key_mark.npy").write_bytes(b"not a numpy file")
    out = io.StringIO()
    assert match_cache.load(c, Progress(stream=out)) is None
    assert "unreadable" in out.getvalue()
    idx = prepare_index(c, progress=Progress(quiet=True))
    assert idx.key_id("logitech") >= 0
    assert match_cache.load(c, Progress(quiet=True)) is not None


def test_truncated_array_is_detected(tmp_path) -> None:
    c = corpus_of(ROWS + [{"mark": "Canon"}], path=tmp_path)
    match_cache.save(build_index(c), c, Progress(quiet=True))
    np.save(tmp_path / "index" / "record_key.npy", np.zeros(2, dtype=np.int32))
    assert match_cache.load(c, Progress(quiet=True)) is None


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_gets_an_in_memory_index(tmp_path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    c = corpus_of(ROWS + [{"mark": "Philips"}], path=folder)
    folder.chmod(0o500)
    try:
        out = io.StringIO()
        idx = prepare_index(c, progress=Progress(stream=out))
        assert idx.key_id("philips") >= 0
        assert "in-memory index" in out.getvalue()
        assert not (folder / "index").exists()
    finally:
        folder.chmod(0o700)


def test_a_corpus_without_folder_is_cached_in_the_user_cache(tmp_path, monkeypatch) -> None:
    """The starter corpus, a trademark CSV or a corpus with a watch list has no folder: its index goes to
    the user cache, one folder per content, and only the most recently used few are kept."""
    monkeypatch.setenv("SCANNER_CACHE_DIR", str(tmp_path / "cache"))
    csv = tmp_path / "marks.csv"
    csv.write_text("mark\nAcme\n")
    c = corpus_of([{"mark": "Acme"}], path=csv)
    assert match_cache.cache_dir(c) is None
    where = match_cache.user_cache_dir(c)
    assert where is not None and where.parent == tmp_path / "cache" / "indexes"
    built = build_index(c)
    assert match_cache.save(built, c, Progress(quiet=True))
    loaded = match_cache.load(c, Progress(quiet=True))
    assert loaded is not None and arrays_equal(built, loaded)
    others = [corpus_of([{"mark": f"Brand{i}"}]) for i in range(match_cache.KEEP_USER_INDEXES)]
    for other in others:
        os.utime(where / "manifest.json", (1, 1))  # c was used long ago
        assert match_cache.save(build_index(other), other, Progress(quiet=True))
    kept = sorted(p.name for p in where.parent.iterdir())
    assert len(kept) == match_cache.KEEP_USER_INDEXES and where.name not in kept
    assert match_cache.load(c, Progress(quiet=True)) is None  # pruned: rebuilt on the next scan
    assert all(match_cache.load(o, Progress(quiet=True)) is not None for o in others)


def test_an_unwritable_user_cache_is_silent(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SCANNER_CACHE_DIR", str(blocker / "cache"))
    c = corpus_of([{"mark": "Acme"}])
    out = io.StringIO()
    assert not match_cache.save(build_index(c), c, Progress(stream=out))
    assert match_cache.load(c, Progress(stream=out)) is None
    assert out.getvalue() == ""


def test_unwritable_folder_gets_an_in_memory_index(tmp_path, monkeypatch) -> None:
    """Same as above without relying on permissions (root ignores them): writing fails with EACCES."""
    import errno
    from pathlib import Path

    folder = tmp_path / "corpus"
    folder.mkdir()
    c = corpus_of(ROWS + [{"mark": "Gucci"}], path=folder)
    real_mkdir = Path.mkdir

    def refuse(self, *args, **kwargs):
        if self.parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    out = io.StringIO()
    idx = prepare_index(c, progress=Progress(stream=out))
    assert idx.key_id("gucci") >= 0
    assert "cannot write the match index cache" in out.getvalue()
    assert "in-memory index" in out.getvalue()
    assert list(folder.iterdir()) == []


def test_deletion_hashes_are_every_variant_once_per_string_in_owner_then_hash_order() -> None:
    import itertools
    import random

    from scanner.match import hashing as H

    rng = random.Random(7)
    strings = ["".join(rng.choice("abcé東zz") for _ in range(rng.randint(0, 9))) for _ in range(300)]
    budgets = [rng.choice([0, 1, 2]) for _ in strings]
    owner, hashes = H.deletion_hashes(strings, budgets)
    expected = []
    for i, (s, k) in enumerate(zip(strings, budgets, strict=True)):
        if not s:
            continue
        variants = {s}
        for d in range(1, min(k, len(s) - 1) + 1):
            variants |= {"".join(c for j, c in enumerate(s) if j not in drop)
                         for drop in itertools.combinations(range(len(s)), d)}
        expected.extend((i, int(h)) for h in H.lookup_hashes(sorted(variants)))
    expected.sort()
    assert owner.dtype == np.int64 and hashes.dtype == np.uint64
    assert list(zip(owner.tolist(), hashes.tolist(), strict=True)) == expected


def test_folder_index_from_the_index_columns_only_equals_the_index_of_the_whole_corpus(tmp_path) -> None:
    from scanner.corpus import compile_corpus
    from scanner.corpus.store import load_compiled
    from scanner.match.prepare import prepare_folder_index
    from scanner.resources import starter_corpus_path

    compile_corpus([starter_corpus_path()], tmp_path / "c", progress=Progress(quiet=True))
    prepare_folder_index(tmp_path / "c", Progress(quiet=True))
    full = load_compiled(tmp_path / "c")
    cached = match_cache.load(full, Progress(quiet=True))
    assert cached is not None
    fresh = build_index(full)
    for name in ARRAY_FIELDS:
        assert np.array_equal(getattr(cached, name), getattr(fresh, name)), name
    assert cached.keys == fresh.keys and cached.key_tokens == fresh.key_tokens and cached.owner_keys == fresh.owner_keys
    only = load_compiled(tmp_path / "c", only=("mark",))
    assert set(only.marks["owner"]) == {""} and only.marks["mark"].tolist() == full.marks["mark"].tolist()
