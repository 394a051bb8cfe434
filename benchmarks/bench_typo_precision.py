"""Precision of typo / phonetic / translit matches on real titles, before and after the doubtful filter.

    python benchmarks/bench_typo_precision.py                 # before/after table + false positives kept
    python benchmarks/bench_typo_precision.py --sample 400 --out /tmp/to_label.csv   # draw a new sample

The real titles are the product-matching benchmarks in ``../shared/data/titles/`` (Walmart-Amazon,
Amazon-Google, Abt-Buy, WDC; see SOURCE.txt there); each record is one listing with its title and, where
the source has one, its brand (brand / manufacturer field). The corpus is the shipped starter corpus.

"Before" is :func:`scanner.match.find_matches` with ``drop_doubtful=False`` (every fuzzy match the engine
finds), "after" is the default (``scanner.match.doubtful`` drops the typo / phonetic matches that are the
listing's declared brand, a known mark or a dictionary word). Both runs are joined with the hand labels in
``benchmarks/labels/typo_phonetic_matches.csv`` (1 = the listing word really is a misspelling / variant of
that mark, 0 = it is another word or brand; the labelling guide is at the top of that file). Printed per
method and overall: matches kept, labelled, precision, and the recall of true typos (label-1 matches the
filter keeps, out of those found before), then the false positives still kept after.

Labelled matches that the engine no longer finds at all (the engine changed) are counted as "gone" and
left out of both sides; matches the engine finds that have no label are counted as "unlabelled".
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SHARED_TITLES = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data")) / "titles"
LABELS = REPO / "benchmarks" / "labels" / "typo_phonetic_matches.csv"

#: Methods measured here (a typo match includes letter shuffles, see scanner.match.rules).
FUZZY_METHODS = ("typo", "phonetic", "translit")
#: The columns that identify a match without copying the title.
KEY_COLUMNS = ("file", "source", "record_id", "field", "matched_text", "mark")
LABEL_COLUMNS = (*KEY_COLUMNS, "mark_id", "method", "similarity", "label", "pattern", "note")

#: Per file: (title column, brand column or None); the record's source is the ``source`` column when the
#: file has one, else the file's short name.
SPECS = {
    "Walmart-Amazon_records.csv": ("title", "brand", "record_id"),
    "Amazon-Google_records.csv": ("title", "manufacturer", "record_id"),
    "Abt-Buy_records.csv": ("name", None, "record_id"),
    "wdc_titles.csv": ("raw_title", None, "title_id"),
}


def clean_title(title: str) -> str:
    """A WDC raw title without its ``"...@en`` quoting; other titles unchanged apart from spacing."""
    title = re.sub(r'"?@[a-z]{2}(-[A-Za-z]{2})?\b', " ", title)
    title = title.replace('"', " ")
    return " ".join(title.split())


def load_titles(folder: Path = SHARED_TITLES) -> pd.DataFrame:
    """One row per record: ``file, source, record_id, title, brand`` (files that are absent are skipped)."""
    frames = []
    for name, (tcol, bcol, idcol) in SPECS.items():
        path = folder / name
        if not path.is_file():
            continue
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(pd.DataFrame({
            "file": name,
            "source": raw["source"] if "source" in raw.columns else name.split("_")[0],
            "record_id": raw[idcol].astype(str),
            "title": raw[tcol].map(clean_title),
            "brand": raw[bcol].map(lambda s: " ".join(s.split())) if bcol else "",
        }))
    if not frames:
        return pd.DataFrame(columns=["file", "source", "record_id", "title", "brand"])
    return pd.concat(frames, ignore_index=True)


def fuzzy_matches(records: pd.DataFrame, corpus, *, drop_doubtful: bool, index=None) -> pd.DataFrame:
    """The typo / phonetic / translit matches of ``records`` (title and brand fields), with their keys."""
    from scanner.match import find_matches

    listings = records[["title", "brand"]].reset_index(drop=True)
    out = find_matches(listings, corpus, fields=("title", "brand"), index=index, drop_doubtful=drop_doubtful)
    out = out[out["method"].isin(FUZZY_METHODS)]
    ids = records.reset_index(drop=True)[["file", "source", "record_id"]]
    out = out.join(ids, on="listing").astype({k: str for k in KEY_COLUMNS})
    # a token written twice in one title is one match here (it gets one label)
    out = out.drop_duplicates(list(KEY_COLUMNS))
    return out[[*KEY_COLUMNS, "mark_id", "method", "similarity", "listing"]].reset_index(drop=True)


def read_labels(path: Path = LABELS) -> pd.DataFrame:
    """The labels CSV (``#`` lines at the top are the labelling guide)."""
    text = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith("#"))
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def join_labels(matches: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """``matches`` with a ``label`` column (int 0/1, or -1 when the match has no label) and ``note``."""
    keys = list(KEY_COLUMNS)
    lab = labels[[*keys, "label", "pattern", "note"]].drop_duplicates(keys)
    out = matches.astype({k: str for k in keys}).merge(lab, on=keys, how="left")
    return _finish(out)


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    out["label"] = pd.to_numeric(out["label"], errors="coerce").fillna(-1).astype(int)
    out["pattern"] = out["pattern"].fillna("")
    out["note"] = out["note"].fillna("")
    return out


def pair_of(frame: pd.DataFrame) -> pd.Series:
    """The written token -> mark pair of each row (case-folded token)."""
    return frame["matched_text"].astype(str).str.casefold() + " -> " + frame["mark"].astype(str)


def join_pair_labels(matches: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Like :func:`join_labels`, but by the token -> mark pair alone (for every title, not only the
    labelled records): a pair labelled the same way everywhere passes its label on; a pair labelled both
    ways, or never, gets -1."""
    lab = labels.assign(_pair=pair_of(labels), label=pd.to_numeric(labels["label"]))
    agg = lab.groupby("_pair").agg(label=("label", "mean"), pattern=("pattern", "first"), note=("note", "first"))
    agg.loc[~agg["label"].isin([0, 1]), "label"] = -1
    out = matches.assign(_pair=pair_of(matches)).merge(agg, left_on="_pair", right_index=True, how="left")
    return _finish(out.drop(columns="_pair"))


def compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per method and overall (both already joined with labels): labelled matches kept, true ones,
    precision, and recall of the label-1 matches (kept after / found before). Unlabelled rows (-1) are
    left out."""
    rows = []
    for method in [*sorted(before["method"].unique()), "all"]:
        b = before if method == "all" else before[before["method"] == method]
        a = after if method == "all" else after[after["method"] == method]
        b, a = b[b["label"] >= 0], a[a["label"] >= 0]
        tp_b, tp_a = int((b["label"] == 1).sum()), int((a["label"] == 1).sum())
        rows.append({
            "method": method,
            "kept_before": len(b), "kept_after": len(a),
            "true_before": tp_b, "true_after": tp_a,
            "precision_before": tp_b / len(b) if len(b) else float("nan"),
            "precision_after": tp_a / len(a) if len(a) else float("nan"),
            "recall_after": tp_a / tp_b if tp_b else float("nan"),
        })
    return pd.DataFrame(rows)


def by_pattern(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """False positives (label 0) per pattern: found before, still kept after, share the filter drops."""
    b = before[before["label"] == 0]["pattern"].value_counts()
    a = after[after["label"] == 0]["pattern"].value_counts()
    out = pd.DataFrame({"before": b, "after": a}).fillna(0).astype(int)
    out["dropped"] = 1 - out["after"] / out["before"]
    return out.sort_values(["after", "before"], ascending=False)


def measure_labelled(records: pd.DataFrame, labels: pd.DataFrame, corpus, index=None
                     ) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Run the matcher without and with the doubtful filter on the labelled records only: ``(before,
    after, gone)``, both joined with ``labels``; ``gone`` = labelled matches the engine no longer finds."""
    keys = list(KEY_COLUMNS)
    wanted = labels[["file", "source", "record_id"]].drop_duplicates()
    records = records.merge(wanted, on=["file", "source", "record_id"], how="inner")
    before = join_labels(fuzzy_matches(records, corpus, drop_doubtful=False, index=index), labels)
    after = join_labels(fuzzy_matches(records, corpus, drop_doubtful=True, index=index), labels)
    found = set(map(tuple, before[keys].to_numpy()))
    gone = sum(tuple(r) not in found for r in labels[keys].to_numpy())
    return before, after, gone


def dropped_true(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The label-1 matches found before that the filter drops."""
    keys = list(KEY_COLUMNS)
    kept = set(map(tuple, after[keys].to_numpy()))
    dropped = pd.Series([tuple(r) not in kept for r in before[keys].to_numpy()], index=before.index, dtype=bool)
    return before[(before["label"] == 1) & dropped]


def _print_tables(before: pd.DataFrame, after: pd.DataFrame) -> None:
    with pd.option_context("display.float_format", "{:.3f}".format, "display.width", 160):
        print(compare(before, after).to_string(index=False))
        print("\nfalse positives by pattern (label 0):")
        print(by_pattern(before, after).to_string())


def sample_for_labelling(before: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """Up to ``n`` matches to label, stratified over file x method: one random occurrence of each distinct
    written token -> mark pair per file and method (a title set repeats the same product line dozens of
    times), equal shares per stratum, smaller strata taken whole and the rest spread over the larger."""
    pool = before.assign(_pair=before["matched_text"].str.lower() + "\x00" + before["mark"])
    pool = pool.sample(frac=1.0, random_state=seed).drop_duplicates(["file", "method", "_pair"])
    strata = {k: g for k, g in pool.groupby(["file", "method"])}
    take = dict.fromkeys(strata, 0)
    left = n
    while left > 0:
        open_ = [k for k in strata if take[k] < len(strata[k])]
        if not open_:
            break
        share = max(1, left // len(open_))
        for k in open_:
            add = min(share, len(strata[k]) - take[k], left)
            take[k] += add
            left -= add
            if left == 0:
                break
    parts = [strata[k].head(take[k]) for k in strata if take[k]]
    out = pd.concat(parts).drop(columns="_pair")
    return out.sort_values(["file", "method", "mark", "source", "record_id"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--titles", type=Path, default=SHARED_TITLES, help="folder of the real titles")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--sample", type=int, default=0, help="draw this many matches to label instead")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--all-titles", action="store_true",
                    help="measure on every title, passing labels on by token -> mark pair")
    ap.add_argument("--out", type=Path, help="where --sample writes (with titles: keep it out of the repo)")
    args = ap.parse_args(argv)
    if not args.titles.is_dir():
        print(f"skipped: the real titles are not at {args.titles} "
              "(../shared/data beside the checkout, or set SCANNER_SHARED_DATA)")
        return 0

    from scanner.corpus import load_corpus
    from scanner.match import prepare_index

    corpus = load_corpus(None)
    index = prepare_index(corpus)
    records = load_titles(args.titles)
    if args.sample:
        before = fuzzy_matches(records, corpus, drop_doubtful=False, index=index)
        after = fuzzy_matches(records, corpus, drop_doubtful=True, index=index)
        kept = set(map(tuple, after[list(KEY_COLUMNS)].astype(str).to_numpy()))
        sample = sample_for_labelling(before, args.sample, args.seed)
        sample["kept_after"] = [tuple(r) in kept for r in sample[list(KEY_COLUMNS)].astype(str).to_numpy()]
        sample["title"] = records.loc[sample["listing"], "title"].to_numpy()
        sample["brand"] = records.loc[sample["listing"], "brand"].to_numpy()
        print(f"{len(before)} fuzzy matches before the filter, {len(after)} after; sampled {len(sample)}")
        print(before.groupby(["file", "method"]).size().to_string())
        if args.out:
            sample.drop(columns="listing").to_csv(args.out, index=False, quoting=csv.QUOTE_MINIMAL)
            print(f"wrote {args.out}")
        return 0

    if not args.labels.is_file():
        print(f"no labels at {args.labels}")
        return 1
    labels = read_labels(args.labels)
    if args.all_titles:
        before = join_pair_labels(fuzzy_matches(records, corpus, drop_doubtful=False, index=index), labels)
        after = join_pair_labels(fuzzy_matches(records, corpus, drop_doubtful=True, index=index), labels)
        print(f"all {len(records)} titles, labels passed on by token -> mark pair: {len(before)} matches before "
              f"the filter, {int((before['label'] < 0).sum())} of them with no (or a conflicting) pair label")
        _print_tables(before, after)
        return 0
    before, after, gone = measure_labelled(records, labels, corpus, index)
    n_records = before["listing"].nunique()
    print(f"{len(labels)} labelled matches on {n_records} records; {gone} no longer found by the engine; "
          f"{int((before['label'] < 0).sum())} other matches in those records are unlabelled (left out)")
    _print_tables(before, after)
    fp = after[after["label"] == 0]
    print(f"\nfalse positives still kept after the filter: {len(fp)}")
    for pattern, group in fp.groupby("pattern"):
        print(f"  {pattern} ({len(group)}):")
        for r in group.sort_values(["method", "mark"]).itertuples():
            note = f"  ({r.note})" if r.note else ""
            print(f"    {r.method:9} {r.matched_text!r} -> {r.mark}  [{r.file.split('_')[0]} {r.record_id}]{note}")
    lost = dropped_true(before, after)
    print(f"\ntrue typos dropped by the filter: {len(lost)}")
    for r in lost.itertuples():
        print(f"    {r.method:9} {r.matched_text!r} -> {r.mark}  [{r.file.split('_')[0]} {r.record_id}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
