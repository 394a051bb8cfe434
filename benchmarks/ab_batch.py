"""Benchmark: one scoring batch of real listings, this checkout against another, both at the same time.

On a shared machine the speed changes by a fifth from one minute to the next, so two versions of the code
timed one after the other differ by more than most changes do. This scores the same batch in both checkouts
at once, one process each (one core each on a 2-core machine), so that a change of the machine's speed hits
both, and prints each stage's time (``bench_scan.py``'s stages: match, match_table, features, model,
reasons, results) and the ratio. Each process reads the listing file, loads the corpus and the model, scores
a warm-up batch (the first ``--rows`` listings: caches and word lists, as in a long scan) and then times the
next ``--rows``.

Usage: ``python benchmarks/ab_batch.py LISTINGS --other ../old-checkout [--corpus DIR] [--rows 10000]
[--rounds 3]`` (the other checkout's ``scanner`` package is imported through ``PYTHONPATH``; it needs the
functions ``bench_scan.py`` calls). Figures of this round: ``docs/scale.md``, "Per-match work at register
scale, again".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def child(listings: Path, corpus: Path | None, rows: int, checkout: Path) -> None:
    """Time one batch with the ``scanner`` package of ``checkout`` and print the stage times as one JSON
    line (with the package's folder, which the parent checks)."""
    sys.path.insert(0, str(checkout))
    import scanner  # first, from the checkout: bench_scan puts this checkout first on sys.path for its own imports

    sys.path.insert(1, str(REPO / "benchmarks"))
    from bench_scan import Stages, score_stages

    from scanner.config import SellerProfile
    from scanner.corpus import load_corpus
    from scanner.gcpause import paused_gc
    from scanner.listings import read_listings
    from scanner.match import prepare_index
    from scanner.model import load_model
    from scanner.resources import starter_corpus_path

    frame = read_listings([listings]).listings
    if len(frame) < 2 * rows:
        raise SystemExit(f"{listings} has {len(frame):,} listings: --rows {rows:,} needs {2 * rows:,}")
    corpus = load_corpus(corpus or starter_corpus_path())
    prepare_index(corpus)
    model, profile = load_model(), SellerProfile(name="bench")
    with paused_gc():
        warm = Stages()
        score_stages(warm, frame.iloc[:rows], corpus, model, profile)
        warm.close()
        st = Stages()
        start = time.perf_counter()
        matches, _ = score_stages(st, frame.iloc[rows : 2 * rows], corpus, model, profile)
        total = time.perf_counter() - start
        st.close()
    print(json.dumps({"total": total, "matches": len(matches), "package": str(Path(scanner.__file__).parent),
                      **{k: v["s"] for k, v in st.rows.items()}}))


def _start(checkout: Path, args: argparse.Namespace) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(checkout) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cmd = [sys.executable, __file__, str(args.listings), "--child", str(checkout), "--rows", str(args.rows)]
    if args.corpus:
        cmd += ["--corpus", str(args.corpus)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _result(proc: subprocess.Popen, name: str, checkout: Path) -> dict:
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"the {name} checkout's batch failed:\n{err[-2000:]}")
    got = json.loads(out.strip().splitlines()[-1])
    if Path(got["package"]).resolve() != (checkout / "scanner").resolve():
        raise SystemExit(f"the {name} batch ran {got['package']}, not {checkout / 'scanner'}")
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("listings", type=Path, help="a listing file scanner reads (e.g. real titles)")
    ap.add_argument("--other", type=Path, help="the checkout to compare with (e.g. a git worktree of an older commit)")
    ap.add_argument("--corpus", type=Path, help="a compiled corpus folder or trademark CSV (default: the starter)")
    ap.add_argument("--rows", type=int, default=10_000, help="listings per batch (default 10,000)")
    ap.add_argument("--rounds", type=int, default=3, help="times both run together (default 3)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # the checkout a child process runs
    args = ap.parse_args()
    if args.child:
        child(args.listings, args.corpus, args.rows, args.child)
        return
    if args.other is None or not (args.other / "scanner").is_dir():
        ap.error("--other must be a checkout of scanner (a folder holding scanner/)")
    print(f"one batch of {args.rows:,} listings of {args.listings.name} after a warm-up batch, against "
          f"{args.corpus or 'the starter corpus'}; this checkout ({REPO}) and {args.other} at the same time")
    ratios = []
    for r in range(1, args.rounds + 1):
        checkouts = {"other": args.other.resolve(), "this": REPO}
        procs = {name: _start(path, args) for name, path in checkouts.items()}
        try:
            got = {name: _result(proc, name, checkouts[name]) for name, proc in procs.items()}
        finally:  # one that failed stops the other
            for proc in procs.values():
                if proc.poll() is None:
                    proc.kill()
        if got["this"]["matches"] != got["other"]["matches"]:
            print(f"  note: {got['this']['matches']:,} matches here, {got['other']['matches']:,} there")
        stages = [k for k in got["this"] if k not in ("total", "matches", "package")]
        for name in ("other", "this"):
            g = got[name]
            print(f"round {r} {name:>5}: {g['total']:6.2f} s  " + "  ".join(f"{k} {g.get(k, 0):.2f}" for k in stages))
        ratios.append(got["this"]["total"] / got["other"]["total"])
        print(f"round {r} this / other: {ratios[-1]:.3f}")
    print(f"this / other, {len(ratios)} rounds: " + ", ".join(f"{x:.3f}" for x in ratios))


if __name__ == "__main__":
    main()
