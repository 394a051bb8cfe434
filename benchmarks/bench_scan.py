"""Benchmark: a whole weekly scan (read -> match -> features -> model -> results -> writers) of an All
Listings Report, stage by stage (time and peak memory of each), and the keyword-list check sellers use today.

The listings file is the one ``bench_read_listings.py`` generates (real titles from ../shared/data/titles
when present, synthetic otherwise). The corpus is the shipped starter corpus, or with ``--marks N`` a
generated corpus of N marks of the kind ``bench_match.py`` uses, each with a goods and services statement of
a real register's length, written as a trademark CSV and compiled by the real ``scanner corpus build``
(timed end to end in a child process, with its peak RSS).

The listings are scored in batches of ``--batch-rows`` (default: the scan's own, ``--partition-rows``), as
``scanner scan`` does (``scanner.scoring.score_in_batches``). Per stage: wall time summed over the batches,
and the highest RSS seen while it ran (sampled every 20 ms) and the RSS after its last run.
The stages run in this one process; the command does not (``scanner.scoring.score_in_batches`` with ``--jobs``: the batches are scored
by one forked process per core). ``--end-to-end`` therefore also runs the real ``scanner scan --out --csv
--json --history`` command in a child process, as users run it (the default ``--jobs``) and with ``--jobs 1``
(wall time, CPU time of the whole process tree and the peak RSS of its largest process, from ``os.wait4``;
the summed RSS of the tree sampled with psutil), and with ``--workers N`` the same command on a local Dask
cluster of N worker processes.

The naive baseline, run in the same process, is the keyword list: for every listing, every mark of the
corpus is looked for as a lower-case substring of the title (timed on the first ``--baseline-listings``
listings and extrapolated). It is also a quality baseline: no word boundaries, cues or ordinary words.

    python benchmarks/bench_scan.py                                  # 100,000 listings, starter corpus
    python benchmarks/bench_scan.py --marks 1000000 --end-to-end     # against 1M generated marks
    python benchmarks/bench_scan.py --listings 2000                  # quick
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_read_listings import generate  # noqa: E402
from fresh import popen, read_usage  # noqa: E402

from scanner.config import SellerProfile  # noqa: E402
from scanner.corpus import GOODS_TEXT_COLUMNS, load_corpus  # noqa: E402
from scanner.corpus.known_kinds import with_known_kinds  # noqa: E402
from scanner.features import build_features, match_table, side_mask, with_chosen_owners, with_side_matches  # noqa: E402
from scanner.gcpause import paused_gc  # noqa: E402
from scanner.listings import read_listings  # noqa: E402
from scanner.match import find_matches, prepare_index  # noqa: E402
from scanner.model import load_model  # noqa: E402
from scanner.model.reasons import explain  # noqa: E402
from scanner.report import MATCH_COLUMNS_READ  # noqa: E402
from scanner.results import assemble_results  # noqa: E402
from scanner.scan_result import ScanResult  # noqa: E402
from scanner.scoring import batch_rows, evidence_rows, keep_columns, merge_results  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Stages:
    """Times each stage and samples this process's RSS while it runs (peak per stage)."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, float]] = {}
        self._peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._peak = max(self._peak, rss_mb())

    @contextmanager
    def stage(self, name: str):
        """Time one stage; a stage run again (once per batch) adds its time and keeps the highest peak."""
        self._peak = rss_mb()
        start = time.perf_counter()
        yield
        secs = time.perf_counter() - start
        after = rss_mb()
        row = self.rows.setdefault(name, {"s": 0.0, "peak_mb": 0.0, "after_mb": 0.0})
        row["s"] = round(row["s"] + secs, 2)
        row["peak_mb"] = round(max(row["peak_mb"], self._peak, after), 1)
        row["after_mb"] = round(after, 1)

    def close(self) -> None:
        self._stop.set()


def pss_mb(pid: int) -> float | None:
    """The proportional set size of process ``pid`` in MB (``/proc/PID/smaps_rollup``, Linux 4.14+: each
    shared page counted as a fraction per sharer), or None where the system does not tell it."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def run_measured(cmd: list[str], *, tree: bool = False) -> dict:
    """Run ``cmd``: wall time, its own peak RSS and CPU time (``os.wait4``, through :mod:`fresh`'s launcher so
    that this process's own peak is not charged to it), and with ``tree`` the peak RSS of its largest child
    (Dask workers, forked scoring processes) and of the whole tree, sampled with psutil every 0.1 s.
    The tree's RSS counts the pages a forked process shares with its parent once per process; its PSS (Linux,
    :func:`pss_mb`, sampled every 0.5 s) counts them once: what the machine must hold."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.perf_counter()
    proc, usage = popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    child_peak = tree_peak = 0.0
    tree_pss_peak: float | None = None
    ticks = 0
    if tree:
        import psutil

        launcher = psutil.Process(proc.pid)
        while True:
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            try:
                procs = launcher.children(recursive=True)  # the command first, then its processes
                sizes = [p.memory_info().rss / 2**20 for p in procs]
                if procs:
                    child_peak = max([child_peak, *sizes[1:]])
                    tree_peak = max(tree_peak, sum(sizes))
                ticks += 1
                if procs and ticks % 5 == 1:
                    pss = [pss_mb(p.pid) for p in procs]
                    if all(x is not None for x in pss):
                        tree_pss_peak = max(tree_pss_peak or 0.0, sum(pss))
            except psutil.Error:
                pass
            time.sleep(0.1)
    else:
        _, status, _ = os.wait4(proc.pid, 0)
    output = proc.stdout.read().decode(errors="replace")
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        usage.unlink(missing_ok=True)
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{output[-3000:]}")
    peak_mb, cpu_s = read_usage(usage)
    out = {"wall_s": round(wall, 1), "peak_rss_mb": round(peak_mb, 1), "cpu_s": round(cpu_s, 1)}
    if tree:
        out.update(largest_worker_peak_mb=round(child_peak, 1), tree_peak_mb=round(tree_peak, 1),
                   tree_pss_peak_mb=None if tree_pss_peak is None else round(tree_pss_peak, 1))
    return out


def keyword_list(titles: list[str], marks: list[str]) -> int:
    """The naive check: any mark as a lower-case substring of the title. Returns listings flagged."""
    lowered = [m.lower() for m in marks if m]
    flagged = 0
    for title in titles:
        t = title.lower()
        if any(m in t for m in lowered):
            flagged += 1
    return flagged


#: How the services statements of the generated marks begin (classes 35-45: the lexicon names goods only).
SERVICE_LEADS = ("retail store services featuring", "online retail store services featuring",
                 "providing information in the field of", "repair and maintenance of", "rental of",
                 "custom design of", "educational services, namely, conducting classes in the field of")


def goods_statements(classes: list[str], seed: int) -> list[str]:
    """A goods and services statement for each mark of Nice class ``classes[i]``, worded as the USPTO
    register words them ("Backpacks, handbags and wallets; umbrellas"): goods terms of that class from
    the shipped goods lexicon, as many as make a lognormal length (median ~300 characters, mean ~450, as the
    real daily file's statements run), so that the corpus holds the bytes a real register holds."""
    import random

    import numpy as np

    from scanner.goods.lexicon import default_table

    by_class: dict[str, list[str]] = {}
    for term, entry in default_table().items():
        for c in entry.classes:
            by_class.setdefault(str(c), []).append(term)
    every_term = sorted({t for terms in by_class.values() for t in terms})
    rng = random.Random(seed)
    lengths = np.random.default_rng(seed).lognormal(np.log(300), 0.9, len(classes)).astype(int).clip(20, 6000)
    out = []
    for cls, length in zip(classes, lengths.tolist(), strict=True):
        terms = by_class.get(cls)  # None: a service class (35-45), whose statements name goods they concern
        groups, size = [], 0
        while size < length:
            group = [rng.choice(terms or every_term) for _ in range(rng.randint(1, 4))]
            text = ", ".join(group[:-1]) + (" and " if len(group) > 1 else "") + group[-1]
            if not terms:
                text = f"{rng.choice(SERVICE_LEADS)} {text}"
            groups.append(text)
            size += len(text) + 2
        statement = "; ".join(groups)
        out.append(statement[:1].upper() + statement[1:])
    return out


def generated_corpus(n: int, folder: Path) -> tuple[Path, Path, dict]:
    """A trademark CSV of ``n`` generated marks (bench_match.make_corpus, with :func:`goods_statements`)
    compiled by the real ``scanner corpus build`` in a child process: (csv, corpus folder, build figures)."""
    from bench_match import SHARED_TITLES, make_corpus, real_titles

    _, brands = real_titles(SHARED_TITLES)
    csv_path = folder / f"marks-{n}.csv"
    marks = make_corpus(n, brands, seed=7).marks
    marks["goods_services"] = goods_statements(marks["nice_classes"].tolist(), seed=7)
    marks.to_csv(csv_path, index=False)
    out = folder / f"corpus-{n}"
    build = run_measured([sys.executable, "-m", "scanner", "corpus", "build", str(csv_path), "--out", str(out),
                          "--force", "-q"])
    return csv_path, out, build


def score_stages(st: Stages, listings, corpus, model, profile):
    """``scanner.scoring.score_listings`` of one batch, stage by stage (the same calls in the same order)."""
    with st.stage("match"):
        matches = find_matches(listings, corpus, profile)
    with st.stage("match_table"):
        table = match_table(listings, matches, corpus, profile)
        matches = with_chosen_owners(matches, table)
    with st.stage("features"):
        features = build_features(listings, matches, corpus, profile, table=table)
        side = side_mask(table)
    with st.stage("model"):
        scores = model.predict(features)
    with st.stage("reasons"):
        reasons = explain(listings, table, scores, matches, profile, features=features, side=side)
    with st.stage("results"):
        matches, side_rows = with_side_matches(matches, table, side)
        results = assemble_results(listings, matches, scores, reasons=reasons, side=side_rows,
                                   profile=profile, marks=corpus.marks)
    return matches, results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000, help="listings to scan (default 100,000)")
    parser.add_argument("--marks", type=int, default=0,
                        help="scan against this many generated marks (compiled by `scanner corpus build`); "
                             "0 = the shipped starter corpus")
    parser.add_argument("--corpus", type=Path,
                        help="scan against this compiled corpus folder instead (no build; e.g. one --marks made)")
    parser.add_argument("--baseline-listings", type=int, default=5_000,
                        help="listings the keyword-list baseline is timed on (extrapolated)")
    parser.add_argument("--end-to-end", action="store_true",
                        help="also time the real `scanner scan` command in a child process")
    parser.add_argument("--workers", type=int, default=0,
                        help="with --end-to-end: also run it with --workers N (a local Dask cluster)")
    parser.add_argument("--partition-rows", type=int, default=0,
                        help="with --workers: listings per Dask task (default: 4 tasks per worker)")
    parser.add_argument("--batch-rows", type=int, default=0,
                        help="listings scored at a time, as `scanner scan --partition-rows` (default: the scan's "
                             "default for the corpus's size, scanner.scoring.batch_rows)")
    parser.add_argument("--no-excel", action="store_true", help="skip the Excel writer stage")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    figures: dict = {}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "All+Listings+Report.txt"
        source = generate(path, args.listings)
        corpus_dir = args.corpus
        if args.marks and corpus_dir is None:
            _, corpus_dir, build = generated_corpus(args.marks, tmp)
            figures["corpus_build"] = build
            print(f"`scanner corpus build` of a {args.marks:,}-mark CSV (child process): {build['wall_s']:.1f} s, "
                  f"{build['cpu_s']:.1f} s CPU, peak RSS {build['peak_rss_mb']:,.0f} MB", flush=True)
        st = Stages()
        t0 = time.perf_counter()
        gc_pause = paused_gc()  # as `scanner scan` does (scanner.gcpause)
        gc_pause.__enter__()
        with st.stage("read"):
            read = read_listings([path])
        with st.stage("corpus load"):
            corpus = load_corpus(corpus_dir, skip=GOODS_TEXT_COLUMNS)  # as `scanner scan` loads it
        with st.stage("index load"):
            prepare_index(corpus)
        with st.stage("known kinds"):
            corpus = with_known_kinds(corpus)  # as `scanner scan` prepares it (marks without a kind)
        with st.stage("model load"):
            model = load_model()
        listings = read.listings
        profile = SellerProfile(name="bench")
        rows = args.batch_rows or batch_rows(len(corpus))
        parts = []
        for start in range(0, len(listings), rows):  # as scanner.scoring.score_in_batches
            matches, results = score_stages(st, listings.iloc[start:start + rows], corpus, model, profile)
            # as `scanner scan` keeps them: the report's columns and rows
            parts.append((keep_columns(evidence_rows(matches, results), MATCH_COLUMNS_READ), results))
        with st.stage("merge batches"):
            matches, results = merge_results(parts)
        del parts
        result = ScanResult(results=results, listings=listings, matches=matches, rejected=read.rejected,
                            files=read.files, corpus_info=dict(corpus.info), model_info=dict(model.info),
                            thresholds=dict(model.thresholds), profile=profile, started="", corpus=corpus)
        from scanner.report import write_csv, write_excel, write_jsonl

        with st.stage("write csv"):
            write_csv(result, tmp / "results.csv")
        with st.stage("write jsonl"):
            write_jsonl(result, tmp / "results.jsonl")
        if not args.no_excel:
            with st.stage("write xlsx"):
                write_excel(result, tmp / "report.xlsx")
        total = time.perf_counter() - t0
        gc_pause.__exit__(None, None, None)
        st.close()
        peak = peak_rss_mb()

        print(f"in-process stages ({len(listings):,} listings, {len(corpus):,} marks, {len(matches):,} matches; "
              f"{total:.1f} s in all, peak RSS {peak:,.0f} MB):", flush=True)
        for name, row in st.rows.items():
            print(f"  {name:<14} {row['s']:7.2f} s {row['peak_mb']:8,.0f} MB peak {row['after_mb']:8,.0f} MB after",
                  flush=True)
        n_base = min(args.baseline_listings, len(listings))
        titles = listings["title"].tolist()
        t = time.perf_counter()
        flagged_base = keyword_list(titles[:n_base], corpus.marks["mark"].tolist())
        base_s = time.perf_counter() - t
        base_total = base_s * len(listings) / max(n_base, 1)

        if args.end_to_end:
            cmd = [sys.executable, "-m", "scanner", "scan", str(path), "--out", str(tmp / "e2e.xlsx"),
                   "--csv", str(tmp / "e2e.csv"), "--json", str(tmp / "e2e.jsonl"), "--history", str(tmp / "history"),
                   "--partition-rows", str(rows), "-q"]
            if corpus_dir is not None:
                cmd += ["--corpus", str(corpus_dir)]
            # the command as users run it (the default --jobs: one process per core, scanner.forked), and in
            # one process (--jobs 1), for the ratio
            from scanner.forked import jobs_for

            jobs = jobs_for(-(-len(listings) // rows), None)
            figures["end_to_end"] = {f"default: --jobs {jobs}": run_measured(cmd, tree=True)}
            if jobs > 1:
                figures["end_to_end"]["--jobs 1"] = run_measured([*cmd, "--jobs", "1"], tree=True)
            if args.workers:
                figures["end_to_end"][f"dask {args.workers} workers"] = run_measured(
                    [*cmd, "--workers", str(args.workers), "--partition-rows",
                     str(args.partition_rows or max(1, -(-len(listings) // (4 * args.workers))))], tree=True)

    levels = results["risk_level"].value_counts()
    figures.update({
        "listings": len(listings), "titles": source, "marks": len(corpus), "matches": len(matches),
        "stages": st.rows, "stages_s": {k: v["s"] for k, v in st.rows.items()}, "total_s": round(total, 2),
        "peak_rss_mb": round(peak, 1), "load_avg_1min_at_start": round(load, 1), "cpus": os.cpu_count(),
        "levels": {lvl: int(levels.get(lvl, 0)) for lvl in ("high", "medium", "low")},
        "keyword_list_s": round(base_total, 2), "keyword_list_timed_on": n_base,
        "keyword_list_flag_share": round(flagged_base / max(n_base, 1), 3),
        "scanner_flag_share": round(float((results["risk_level"] != "low").mean()), 3),
    })
    print(f"scan of {figures['listings']:,} listings ({source}) against {figures['marks']:,} marks: "
          f"{total:.1f} s in all, peak RSS {peak:,.0f} MB, {len(matches):,} matches "
          f"(load average {load:.1f} on {os.cpu_count()} CPUs at the start)")
    print(f"  {'stage':<14} {'time':>9} {'peak RSS':>11} {'RSS after':>11}")
    for name, row in st.rows.items():
        print(f"  {name:<14} {row['s']:7.2f} s {row['peak_mb']:8,.0f} MB {row['after_mb']:8,.0f} MB")
    for label, e2e in figures.get("end_to_end", {}).items():
        pss = e2e.get("tree_pss_peak_mb")
        extra = (f", largest child {e2e['largest_worker_peak_mb']:,.0f} MB, whole tree {e2e['tree_peak_mb']:,.0f} MB "
                 "RSS summed" + (f" ({pss:,.0f} MB PSS: shared pages once; the <= 3 GB target)" if pss else "")
                 if "--jobs 1" not in label else "")
        print(f"end to end, `scanner scan --out --csv --json --history` ({label}): {e2e['wall_s']:.1f} s wall, "
              f"{e2e['cpu_s']:.1f} s CPU, peak RSS "
              f"{e2e['peak_rss_mb']:,.0f} MB{extra}")
    print(f"levels: {figures['levels']}")
    print(f"naive keyword list (substring of every mark in every title): {base_s:.2f} s for {n_base:,} listings, "
          f"extrapolated {base_total:.1f} s for {len(listings):,}; flags {figures['keyword_list_flag_share']:.0%} "
          f"of listings vs the scanner's {figures['scanner_flag_share']:.0%} medium/high")
    print(f"ratio (keyword list / scanner, whole scan incl. reading and writing): {base_total / total:.2f}x time")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
