"""Rebuild the shipped default model (``models/default``) reproducibly.

    python -m training.build_default --force            # from the repository root
    python -m training.build_default --titles DIR --out models/NAME --seed 0

Training data (never the devset):

(a) the written cases in ``training/cases/`` -- titles authored for this project and labelled by the
    rubric, with their own seller profiles and corpus;
(b) weak labels generated at training time from the real product titles in ``../shared/data/titles``
    (:mod:`training.weak`); without that folder the model is trained on (a) alone, and says so in
    its metadata. Titles that also occur in the listing files given with ``--exclude`` (by default the
    devset's ``listings_*.tsv``, which share most titles with the title sources) are dropped first, so
    that no evaluation row was seen in training; only their titles are read, never their labels.

The written cases weigh :data:`WRITTEN_WEIGHT` times a weak-labelled row in training. The level thresholds
are chosen on the held-out (out-of-fold) scores of the written cases only: weak labels are easier than
real judgements, so thresholds chosen on them are too strict for real catalogues.

Everything is seeded; the same inputs and library versions give the same bundle (apart from its date).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from scanner.corpus import load_corpus
from scanner.errors import ScannerError
from scanner.model.bundle import save_bundle
from scanner.model.cases import CASES, written_sets
from scanner.model.training import LabelledSet, fit, labelled_from_frame
from scanner.progress import Progress

REPO = Path(__file__).resolve().parents[1]
TITLES = REPO.parent / "shared" / "data" / "titles"
#: Listing files whose titles must not be trained on: the devset is evaluated on, and its titles also occur
#: in the title sources. Only their titles are read (to drop them), never their labels.
EXCLUDE = tuple(sorted((REPO.parent / "shared" / "data" / "devset").glob("listings_*.tsv")))

#: The estimator parameters of the shipped model.
DEFAULT_PARAMS: dict[str, Any] = {
    "classifier": "hgb",
    "max_iter": 200,
    "learning_rate": 0.06,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "calibration": "sigmoid",
    "cv": 5,
    "high_precision": 0.85,
}
#: Training weight of each hand-labelled written case (weak-labelled rows weigh 1): the written cases carry
#: the rubric's fine points, and 413 of them against ~17,000 weak rows would otherwise hardly count.
WRITTEN_WEIGHT = 6.0


def excluded_titles(files: Sequence[Path]) -> tuple[set[str], list[dict[str, str]]]:
    """The normalised titles of the listing files in ``files`` (missing files are skipped)."""
    from scanner.listings import read_listings

    titles: set[str] = set()
    info = []
    for path in files:
        path = Path(path)
        if not path.exists():
            continue
        for title in read_listings([path]).listings["title"]:
            titles.add(normalise_title(title))
        info.append({"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    return titles, info


def normalise_title(title: str) -> str:
    return " ".join(str(title).lower().split())


def weak_labelled_sets(titles: Path, cases: Path = CASES, *, seed: int = 0, wdc_sample: int = 6000,
                       exclude: Sequence[Path] = (), progress: Progress | None = None,
                       ) -> tuple[list[LabelledSet], dict[str, Any]]:
    """Weak-labelled sets from the title sources in ``titles`` (see :mod:`training.weak`), without
    the titles of the listing files in ``exclude``."""
    from .weak import brand_goods, build_lexicon, mention_goods, read_titles, weak_corpus, weak_sets

    written = load_corpus(cases / "corpus.csv")
    records = read_titles(titles, wdc_sample=None, seed=seed)
    drop, drop_info = excluded_titles(exclude)
    keep = ~records["title"].map(normalise_title).isin(drop)
    removed = int((~keep).sum())
    records = records[keep]
    wdc = records["source"] == "wdc"
    if wdc_sample is not None and wdc.sum() > wdc_sample:
        records = pd.concat([records[~wdc], records[wdc].sample(wdc_sample, random_state=seed)])
    records = records.reset_index(drop=True)
    lexicon = build_lexicon(records, written)
    corpus = weak_corpus(lexicon, written, seed=seed, brand_classes=brand_goods(records),
                         word_classes=mention_goods(records, lexicon))
    files = sorted(p for p in titles.glob("*.csv"))
    info = {
        "titles_files": [{"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in files],
        "records": int(len(records)),
        "lexicon_marks": len(lexicon.marks),
        "word_marks": len(lexicon.words),
        "corpus_hash": corpus.content_hash,
        "seed": seed,
        "excluded_titles": {"files": drop_info, "removed": removed},
    }
    out = []
    for ws in weak_sets(records, lexicon, seed=seed):
        out.append(labelled_from_frame(ws.listings, ws.y, corpus=corpus, profile=ws.profile, name=ws.name,
                                       groups=ws.groups, info={"weak": True}, progress=progress))
    return out, info


def build(out: Path, *, titles: Path | None = TITLES, seed: int = 0, force: bool = False,
          params: dict[str, Any] | None = None, cases: Path = CASES, exclude: Sequence[Path] = EXCLUDE,
          progress: Progress | None = None) -> Path:
    """Train the default model from the written cases (+ weak labels when ``titles`` exists) into ``out``.

    ``params`` overrides :data:`DEFAULT_PARAMS` (tests use a few boosting rounds).
    """
    from scanner.errors import OverwriteError
    from scanner.model.bundle import METADATA_FILE

    if not force and (Path(out) / METADATA_FILE).exists():
        raise OverwriteError("a model bundle is already there; use --force to replace it", path=out)
    progress = progress or Progress()
    t0 = time.perf_counter()
    sets = written_sets(cases, progress=progress)
    recipe: dict[str, Any] = {"written_cases": "training/cases", "devset_used": False, "seed": seed}
    if titles is not None and Path(titles).is_dir():
        weak, info = weak_labelled_sets(Path(titles), cases, seed=seed, exclude=exclude, progress=progress)
        progress.info(f"weak labels: {info['records']} title records, {info['excluded_titles']['removed']} "
                      "excluded (titles of the --exclude listing files)")
        sets += weak
        recipe["weak_labels"] = info
    else:
        recipe["weak_labels"] = None
        progress.info(f"no title sources at {titles}: training on the written cases only")
    progress.info(f"features ready in {time.perf_counter() - t0:.0f}s")
    params = {**DEFAULT_PARAMS, "random_state": seed, **(params or {})}
    # thresholds on the held-out scores of the hand-labelled written cases: weak labels are easier than
    # real judgements, and thresholds chosen on them come out too strict for real catalogues
    written_names = [s.name for s in sets if s.name.startswith("written_")]
    for s in sets:
        if s.name in written_names:
            s.weight = WRITTEN_WEIGHT
    model = fit(sets, params=params, name="default",
                description="shipped default: calibrated gradient boosting on written cases + weak labels",
                threshold_sets=written_names, progress=progress)
    path = save_bundle(model, out, force=force, extra={"training_recipe": recipe,
                                                        "build_command": "python -m training.build_default"})
    held = model.info["metrics_held_out"]["all"]
    progress.info(
        f"wrote {path} in {time.perf_counter() - t0:.0f}s; held-out AP any {held['average_precision']['any']:.3f}, "
        f"high {held['average_precision']['high']:.3f}; thresholds {model.thresholds}"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "models" / "default", help="bundle folder to write")
    parser.add_argument("--titles", type=Path, default=TITLES, help="folder of the title sources (weak labels)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (folds, sellers, sampling)")
    parser.add_argument("--force", action="store_true", help="replace an existing bundle")
    parser.add_argument("--exclude", type=Path, nargs="*", default=list(EXCLUDE),
                        help="listing files whose titles are left out of the weak labels (default: the devset's)")
    args = parser.parse_args(argv)
    try:
        build(args.out, titles=args.titles, seed=args.seed, force=args.force, exclude=args.exclude)
    except ScannerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
