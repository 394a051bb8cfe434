"""False alarms on everyday Japanese and Korean words, and katakana marks still found in compounds.

    python benchmarks/bench_local_words.py                 # ja and ko, words of Zipf >= 2
    python benchmarks/bench_local_words.py --langs ja --min-zipf 3

Japanese writes loanwords in katakana without spaces, and every kana or Hangul character is a word of its own
to the matcher, so a mark's katakana name (a corpus alias, or a Latin mark read by sound) can be found inside
any longer word (``イリー`` of ``スマイリー``). This benchmark puts every word of wordfreq's list for the
language that is written only in katakana (ja) or Hangul (ko), Zipf >= ``--min-zipf``, into an ordinary
title (``<word> 収納ボックス 大容量``, a large storage box) and scans them with the real ``scanner scan``
command against the starter corpus (``--no-history``): printed are the titles scored medium and high, and
the marks named most often. Brands are words of those lists too (``ポケモン``), so not every flag is false:
the figure is a ceiling on the false alarms, to compare between versions.

Recall: each katakana alias of the starter corpus in three compounds (``<alias>スニーカー``,
``メンズ<alias>``, ``<alias> セット``, suffixes and prefixes taken in turn), matched in-process; printed is
how many of them find their mark. ``docs/matching.md`` ("Marks in other scripts") has the figures.
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SCRIPTS = {"ja": re.compile(r"[\u30a1-\u30fe]+"), "ko": re.compile(r"[\uac00-\ud7af]+")}
TITLES = {"ja": "{} 収納ボックス 大容量", "ko": "{} 수납박스 대용량"}
SUFFIXES = ["スニーカー", "ケース", "ブロック", "セット", "カバー", "フィギュア", "グッズ", "バッグ"]
PREFIXES = ["メンズ", "キッズ", "公式", "新品"]


def local_words(lang: str, min_zipf: float) -> list[str]:
    """wordfreq's words of ``lang`` written only in its script, of at least 3 characters and ``min_zipf``."""
    from wordfreq import get_frequency_dict

    script = SCRIPTS[lang]
    return [w for w, f in get_frequency_dict(lang, "best").items()
            if f > 0 and math.log10(f) + 9 >= min_zipf and len(w) >= 3 and script.fullmatch(w)]


def scan_levels(lang: str, words: list[str], folder: Path) -> pd.DataFrame:
    listings = folder / f"words-{lang}.csv"
    pd.DataFrame({"sku": [f"{lang}{i}" for i in range(len(words))], "title": [TITLES[lang].format(w) for w in words],
                  "brand": ["ノーブランド" if lang == "ja" else "노브랜드"] * len(words)}).to_csv(listings, index=False)
    out = folder / f"words-{lang}-results.csv"
    subprocess.run([sys.executable, "-m", "scanner", "scan", str(listings), "--out", str(folder / f"{lang}.xlsx"),
                    "--csv", str(out), "--no-history", "-q"], check=True)
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def alias_recall() -> tuple[int, int]:
    from scanner.corpus import load_corpus
    from scanner.match import find_matches

    corpus = load_corpus(None)
    kata = SCRIPTS["ja"]
    aliases = list(dict.fromkeys((a, m) for m, cell in zip(corpus.marks["mark"], corpus.marks["aliases"], strict=True)
                                 for a in cell.split(";") if len(a) >= 2 and kata.fullmatch(a)))
    titles, wanted = [], []
    for i, (alias, mark) in enumerate(aliases):
        for title in (alias + SUFFIXES[i % len(SUFFIXES)], PREFIXES[i % len(PREFIXES)] + alias,
                      f"{alias} {SUFFIXES[(i + 3) % len(SUFFIXES)]}"):
            titles.append(title)
            wanted.append(mark)
    m = find_matches(pd.DataFrame({"title": titles}), corpus)
    found = set(zip(m["listing"].tolist(), m["mark"].tolist(), strict=True))
    return sum((i, mark) in found for i, mark in enumerate(wanted)), len(titles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--langs", nargs="+", default=["ja", "ko"], choices=sorted(SCRIPTS))
    parser.add_argument("--min-zipf", type=float, default=2.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-local-words-") as tmp:
        for lang in args.langs:
            words = local_words(lang, args.min_zipf)
            results = scan_levels(lang, words, Path(tmp))
            levels = results["risk_level"].value_counts()
            flagged = results[results["risk_level"] != "low"]
            print(f"{lang}: {len(words):,} words of Zipf >= {args.min_zipf} in '{TITLES[lang]}': "
                  f"high {levels.get('high', 0):,}, medium {levels.get('medium', 0):,}, low {levels.get('low', 0):,}"
                  f" ({len(flagged) / max(len(words), 1):.1%} flagged)")
            top = Counter(flagged["marks"]).most_common(12)
            print("   marks flagged most: " + ", ".join(f"{m or '(none)'} {n}" for m, n in top))
    hit, total = alias_recall()
    print(f"katakana aliases of the starter corpus in compounds: {hit:,} of {total:,} titles find their mark")


if __name__ == "__main__":
    main()
