"""Benchmark the matching engine: a catalogue of listings against a large generated trademark corpus.

    python benchmarks/bench_match.py                      # 100,000 listings x 1,000,000 marks
    python benchmarks/bench_match.py --listings 500 --marks 5000 --naive-titles 2   # smoke run

Listings are real titles from ../shared/data/titles/ (synthetic ones when that folder is absent), repeated
with variations (case, typos, joined/split words, digit look-alikes, extra words). The corpus has the real
brand names seen in those files plus generated marks (mostly 1-3 words of 3-20 letters, some ordinary
English words registered as word marks), several records per key for some keys, realistic statuses and
kinds. Prints the index build time, the scan time, peak memory (RSS) and the speed-up over the naive
approach (rapidfuzz ``process.extract`` of each title over all marks), timed on a few titles in the same
run and extrapolated.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scanner.corpus import Corpus  # noqa: E402
from scanner.corpus.schema import MARK_COLUMNS  # noqa: E402
from scanner.match import find_matches  # noqa: E402
from scanner.match.index import build_index  # noqa: E402

SHARED_TITLES = REPO.parent / "shared" / "data" / "titles"
CONSONANTS = list("bcdfghjklmnprstvwxz") + ["br", "ch", "cl", "cr", "dr", "fl", "gr", "kr", "ph", "pl", "sh", "st", "tr", "th"]
VOWELS = list("aeiouy") + ["ai", "ea", "io", "oo", "ou"]
FILLER = ["new", "2024", "for home", "pack of 2", "with case", "black", "premium", "original", "value bundle", "xl"]


def rss_mb() -> float:
    """Current resident set size (MB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mb() -> float:
    """Peak resident set size of this process (MB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def _clean(title: str) -> str:
    title = re.sub(r'"?@[a-z]{2}(-[A-Za-z]{2})?', " ", title)
    title = title.replace('"', " ")
    return " ".join(title.split())


def real_titles(folder: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """``(title, brand)`` pairs and brand names from the shared titles (empty when absent)."""
    pairs: list[tuple[str, str]] = []
    brands: set[str] = set()
    specs = {
        "Walmart-Amazon_records.csv": ("title", "brand"),
        "Amazon-Google_records.csv": ("title", "manufacturer"),
        "Abt-Buy_records.csv": ("name", None),
        "wdc_titles.csv": ("raw_title", None),
    }
    for name, (tcol, bcol) in specs.items():
        path = folder / name
        if not path.is_file():
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                title = _clean(row.get(tcol) or "")
                brand = " ".join((row.get(bcol) or "").split()) if bcol else ""
                if title:
                    pairs.append((title, brand))
                if brand and len(brand) <= 30 and not any(c.isdigit() for c in brand):
                    brands.add(brand)
    return pairs, sorted(brands)


def synthetic_titles(rng: random.Random, n: int) -> tuple[list[tuple[str, str]], list[str]]:
    brands = [name(rng).title() for _ in range(300)]
    nouns = ["usb cable", "phone case", "camera bag", "wireless mouse", "toner cartridge", "running shoes",
             "watch band", "laptop sleeve", "ink cartridge", "screen protector", "bluetooth speaker"]
    pairs = []
    for _ in range(n):
        b = rng.choice(brands)
        title = f"{b} {rng.choice(nouns)} {rng.randint(10, 9999)}"
        if rng.random() < 0.3:
            title += f" for {rng.choice(brands)}"
        pairs.append((title, b))
    return pairs, brands


def name(rng: random.Random) -> str:
    return "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(rng.randint(1, 4)))[: rng.randint(3, 10)]


def vary(rng: random.Random, title: str) -> str:
    """One realistic variation of a title."""
    words = title.split()
    op = rng.random()
    if op < 0.25 or not words:
        return title
    if op < 0.40:
        return rng.choice([title.upper(), title.lower(), title.title()])
    i = rng.randrange(len(words))
    w = words[i]
    if op < 0.60 and len(w) >= 5:  # typo
        j = rng.randrange(1, len(w) - 1)
        kind = rng.randrange(3)
        w = w[:j] + w[j + 1 :] if kind == 0 else (w[:j] + w[j + 1] + w[j] + w[j + 2 :] if kind == 1 else w[:j] + rng.choice("aeiou") + w[j + 1 :])
        words[i] = w
    elif op < 0.70 and i + 1 < len(words):  # joined
        words[i : i + 2] = [words[i] + words[i + 1]]
    elif op < 0.78 and len(w) >= 6:  # split
        j = rng.randrange(2, len(w) - 2)
        words[i : i + 1] = [w[:j], w[j:]]
    elif op < 0.83:  # digit look-alike
        words[i] = w.replace("o", "0", 1).replace("e", "3", 1)
    else:
        words.insert(rng.randrange(len(words) + 1), rng.choice(FILLER))
    return " ".join(words)


def make_listings(n: int, seed: int, folder: Path) -> tuple[pd.DataFrame, list[str], str]:
    rng = random.Random(seed)
    pairs, brands = real_titles(folder)
    source = f"real titles from {folder}"
    if not pairs:
        pairs, brands = synthetic_titles(rng, 20000)
        source = "synthetic titles (../shared absent)"
    rows = []
    for i in range(n):
        title, brand = pairs[i % len(pairs)] if i < len(pairs) else rng.choice(pairs)
        rows.append((f"SKU{i:07d}", vary(rng, title) if i >= len(pairs) else title, brand))
    df = pd.DataFrame(rows, columns=["sku", "title", "brand"])
    return df, brands, source


def make_corpus(n: int, brands: list[str], seed: int) -> Corpus:
    """``n`` marks: the real brands, some ordinary words, generated names; several records for some keys."""
    import wordfreq

    rng = random.Random(seed)
    marks: list[str] = []
    kinds: list[str] = []
    for b in brands[: n // 2]:
        marks.append(b.upper())
        kinds.append("brand")
    words = [w for w in wordfreq.top_n_list("en", 20000) if w.isalpha() and len(w) >= 3]
    n_words = min(len(words), max(0, n // 20))
    for w in words[:n_words]:
        marks.append(w.upper())
        kinds.append("word")
    while len(marks) < n:
        r = rng.random()
        if r < 0.55:
            m = name(rng)
        elif r < 0.85:
            m = f"{name(rng)} {name(rng)}"
        elif r < 0.95:
            m = f"{name(rng)} {rng.choice(words)}"
        else:
            m = f"{name(rng)} {name(rng)} {name(rng)}"
        if rng.random() < 0.05 and marks:  # another owner's record of an existing key
            m = marks[rng.randrange(len(marks))]
        marks.append(m[:20].strip().upper())
        kinds.append(rng.choice(["brand", "brand", "product_line", "word", "franchise", ""]))
    marks = marks[:n]
    kinds = kinds[:n]
    nprng = np.random.default_rng(seed)
    owners = np.array([f"{name(rng).title()} {rng.choice(['Inc', 'LLC', 'GmbH', 'Ltd', 'Co'])}" for _ in range(max(1, n // 5))])
    df = pd.DataFrame({
        "mark": marks,
        "owner": owners[nprng.integers(0, len(owners), n)],
        "nice_classes": nprng.integers(1, 46, n).astype(str),
        "status": nprng.choice(["live", "live", "live", "dead", "pending"], n),
        "jurisdiction": "US",
        "kind": kinds,
        "filing_date": (nprng.integers(1950, 2025, n) * 10000 + 101).astype(str),
    })
    for c in MARK_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    return Corpus(marks=df[list(MARK_COLUMNS)].astype(str), info={"name": "bench"})


def naive_seconds_per_title(titles: list[str], marks: list[str]) -> float:
    from rapidfuzz import process

    started = time.perf_counter()
    for t in titles:
        process.extract(t, marks, limit=5)
    return (time.perf_counter() - started) / max(1, len(titles))


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=100_000)
    ap.add_argument("--marks", type=int, default=1_000_000)
    ap.add_argument("--naive-titles", type=int, default=3, help="titles timed with the naive approach")
    ap.add_argument("--titles", type=Path, default=SHARED_TITLES, help="folder with the shared titles")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-cache", action="store_true", help="skip the cache save/load timing")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    listings, brands, source = make_listings(args.listings, args.seed, args.titles)
    corpus = make_corpus(args.marks, brands, args.seed)
    gen_s = time.perf_counter() - t0
    print(f"data: {len(listings):,} listings ({source}); {len(corpus):,} marks ({len(brands):,} real brand names); "
          f"generated in {gen_s:.1f} s; RSS {rss_mb():.0f} MB", flush=True)

    t0 = time.perf_counter()
    index = build_index(corpus)
    build_s = time.perf_counter() - t0
    print(f"index build: {build_s:.1f} s ({index.n_keys:,} keys, {index.meta['fuzzy_entries']:,} fuzzy signatures); "
          f"RSS {rss_mb():.0f} MB", flush=True)

    figures: dict = {"listings": len(listings), "marks": len(corpus), "keys": index.n_keys, "build_s": round(build_s, 2)}
    if not args.no_cache:
        tmp = Path(tempfile.mkdtemp(prefix="bench-match-"))
        try:
            cached = Corpus(marks=corpus.marks, info=dict(corpus.info), path=tmp)
            from scanner.match import cache as match_cache
            from scanner.progress import Progress

            t0 = time.perf_counter()
            match_cache.save(index, cached, Progress(quiet=True))
            save_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            loaded = match_cache.load(cached, Progress(quiet=True))
            load_s = time.perf_counter() - t0
            size = sum(p.stat().st_size for p in (tmp / "index").iterdir()) / 2**20
            assert loaded is not None
            del loaded
            figures.update(cache_save_s=round(save_s, 2), cache_load_s=round(load_s, 2), cache_mb=round(size, 1))
            print(f"index cache: saved in {save_s:.1f} s, loaded in {load_s:.1f} s, {size:.0f} MB on disk", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    t0 = time.perf_counter()
    matches = find_matches(listings, corpus, fields=("title", "brand"), index=index)
    scan_s = time.perf_counter() - t0
    methods = matches["method"].value_counts().to_dict()
    per_listing = matches.groupby("listing").size()
    print(f"scan: {scan_s:.1f} s for {len(listings):,} listings ({len(listings) / scan_s:,.0f} listings/s); "
          f"{len(matches):,} matches in {per_listing.size:,} listings; methods {methods}", flush=True)

    k = max(1, args.naive_titles)
    sample = listings["title"].sample(k, random_state=args.seed).tolist()
    mark_list = corpus.marks["mark"].tolist()
    naive_per = naive_seconds_per_title(sample, mark_list)
    naive_total = naive_per * len(listings)
    speedup = naive_total / scan_s
    peak = peak_rss_mb()
    print(f"naive: rapidfuzz process.extract over {len(mark_list):,} marks: {naive_per:.2f} s per title "
          f"(timed on {k}) -> {naive_total / 3600:.1f} h for {len(listings):,} listings", flush=True)
    print(f"speed-up over naive: {speedup:,.0f}x; peak RSS {peak:,.0f} MB", flush=True)
    figures.update(
        scan_s=round(scan_s, 2), matches=len(matches), methods=methods, naive_s_per_title=round(naive_per, 3),
        naive_total_s=round(naive_total, 1), speedup=round(speedup, 1), peak_rss_mb=round(peak, 1),
        source=source,
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
