"""Measure goods-class inference on real titles labelled by hand (training/goods/title_labels.csv).

    python training/goods/evaluate.py [--shared ../shared/data] [--split dev|final|all] [--errors]

``title_labels.csv`` holds only references into ``../shared/data/titles/`` (file, source, the row's id
column) and the classes we labelled; the titles are joined back here (the shared files are never copied
into the repository). Printed per split: top-1 accuracy (the most confident class is a labelled one),
any-overlap accuracy (some inferred class is a labelled one), both over all titles (a title with nothing
inferred counts as wrong), and coverage (share of titles with any class inferred); also for the titles
not labelled class 9 (three quarters of this sample are electronics), beside the score of always
answering class 9.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from scanner.goods import head_noun, infer_classes  # noqa: E402

LABELS = Path(__file__).resolve().parent / "title_labels.csv"
SHARED_DATA = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data"))

#: file -> (id column, title column, category column or None)
FILES = {
    "Walmart-Amazon_records.csv": ("record_id", "title", "category"),
    "Amazon-Google_records.csv": ("record_id", "title", None),
    "Abt-Buy_records.csv": ("record_id", "name", None),
    "wdc_titles.csv": ("title_id", "raw_title", "category"),
}


def load_labelled(shared: Path) -> pd.DataFrame:
    """The labels joined with their titles and categories (columns: file, source, id, classes, split,
    title, category, labels as a frozenset)."""
    labels = pd.read_csv(LABELS, dtype=str, keep_default_na=False)
    parts = []
    for name, (id_col, title_col, cat_col) in FILES.items():
        mine = labels[labels["file"] == name]
        if mine.empty:
            continue
        data = pd.read_csv(shared / "titles" / name, dtype=str, keep_default_na=False)
        data = data.assign(
            source=data.get("source", ""),
            id=data[id_col],
            title=data[title_col],
            category=data[cat_col] if cat_col else "",
        )[["source", "id", "title", "category"]]
        joined = mine.merge(data, on=["source", "id"], how="left", validate="one_to_one")
        missing = joined["title"].isna()
        if missing.any():
            raise SystemExit(f"{name}: {int(missing.sum())} labelled rows not found (first id {joined['id'][missing].iloc[0]})")
        parts.append(joined)
    out = pd.concat(parts, ignore_index=True)
    # the wdc 'all' bucket is not a category
    out.loc[out["category"] == "all", "category"] = ""
    out["labels"] = out["classes"].map(lambda s: frozenset(int(c) for c in s.split(";")))
    return out


def score(frame: pd.DataFrame) -> dict[str, float]:
    """top-1, any-overlap and coverage of ``infer_classes`` on the labelled frame."""
    inferred = infer_classes(frame["title"].tolist(), frame["category"].tolist())
    top1 = overlap = covered = 0
    for pred, gold in zip(inferred, frame["labels"], strict=True):
        if not pred:
            continue
        covered += 1
        top1 += max(pred, key=pred.get) in gold
        overlap += bool(set(pred) & gold)
    n = len(frame)
    return {"n": n, "top1": top1 / n, "any_overlap": overlap / n, "coverage": covered / n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED_DATA)
    ap.add_argument("--split", choices=["dev", "final", "all"], default=None, help="default: each split and all")
    ap.add_argument("--errors", action="store_true", help="list the titles whose top class is wrong")
    args = ap.parse_args(argv)
    frame = load_labelled(args.shared)
    splits = [args.split] if args.split else ["dev", "final", "all"]
    not9 = ~frame["labels"].map(lambda labels: 9 in labels)
    for split in splits:
        part = frame if split == "all" else frame[frame["split"] == split]
        for label, sub in ((split, part), (f"{split}, not class 9", part[not9[part.index]])):
            s = score(sub)
            always9 = sub["labels"].map(lambda labels: 9 in labels).mean()
            print(f"{label:18s} n={s['n']:3d}  top-1 {s['top1']:.3f}  any-overlap {s['any_overlap']:.3f}  "
                  f"coverage {s['coverage']:.3f}  (always class 9: {always9:.3f})")
    if args.errors:
        part = frame if args.split in (None, "all") else frame[frame["split"] == args.split]
        for row, pred in zip(part.itertuples(), infer_classes(part["title"].tolist(), part["category"].tolist()),
                             strict=True):
            if not pred or max(pred, key=pred.get) not in row.labels:
                print(f"{row.split:5s} {sorted(row.labels)} {pred} [{head_noun(row.title)}] {row.title[:90]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
