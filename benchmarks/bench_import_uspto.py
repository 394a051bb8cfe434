"""Benchmark: import of USPTO Trademark Full Text XML files.

Builds a daily-file zip of ``--records`` structurally real case-files (the real apc180218 excerpt's 11
case-files, with its prolog and DTD, repeated with varied serial numbers, marks and owners), then in the
same run:

* imports it with scanner's streaming importer (``scanner.corpus.iter_uspto_xml``);
* imports it with a straightforward baseline: each case-file parsed with defusedxml's ElementTree and the
  same fields read with ``findtext`` (the way simple ingest scripts do it);
* prints records/s of both and the ratio (target >= 3x);
* measures the peak RSS of the import in a child process (target < 300 MB), and of a whole
  ``scanner corpus build``;
* runs the whole ``scanner corpus build`` command and chktm's ingest (``pip install 'scanner[bench]'``) of
  the same zip, each in a child process, and prints the ratio (target >= 5x, <= 300 MB);
* builds a corpus from two zips with ``--jobs 1`` and ``--jobs 2`` and estimates the full annual backfile
  (~12 million case-files in ~80 zips) on this machine.

Usage: ``python benchmarks/bench_import_uspto.py [--records 20000] [--out benchmarks/out/uspto]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import defusedxml.ElementTree as DET  # noqa: E402  (imported before any timing)
from fresh import launched, popen, read_usage  # noqa: E402

from scanner.corpus import iter_uspto_xml  # noqa: E402

SHARED_EXCERPT = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data")) / "uspto" / \
    "apc180218_excerpt_seed.xml"
FALLBACK_ZIP = REPO / "tests" / "fixtures" / "uspto" / "apc250101.zip"
BACKFILE_RECORDS = 12_000_000
BACKFILE_ZIPS = 80

WORDS = ("NOVA", "ZEPHYR", "ORBIT", "LUMEN", "KESTREL", "VORTEX", "SABLE", "QUILL", "TUNDRA", "EMBER",
         "HALCYON", "MOSAIC", "PRISM", "RIVET", "SOLACE", "TALON")


def _template() -> tuple[bytes, list[bytes], bytes, str]:
    """(prolog up to the first case-file, case-files, epilog, where they came from)."""
    if SHARED_EXCERPT.is_file():
        data, origin = SHARED_EXCERPT.read_bytes(), f"the real excerpt {SHARED_EXCERPT.name}"
    else:
        with zipfile.ZipFile(FALLBACK_ZIP) as archive:
            data = archive.read(archive.namelist()[0])
        origin = f"the test fixture {FALLBACK_ZIP.name} (../shared absent)"
    first = data.index(b"<case-file>")
    last = data.rindex(b"</case-file>") + len(b"</case-file>")
    records = re.findall(rb"<case-file>.*?</case-file>", data[first:last], re.S)
    head = data[:first]
    head = head[: head.rindex(b"<action-keys>")] if b"<action-keys>" in head else head
    tail = data[last:]
    tail = tail[tail.index(b"</action-keys>") + len(b"</action-keys>"):] if b"</action-keys>" in tail else tail
    return head, records, tail, origin


def make_daily_zip(path: Path, n: int, first_serial: int = 90_000_000) -> tuple[int, str]:
    """Write a daily-file zip of ``n`` case-files; return (uncompressed bytes, template origin)."""
    head, records, tail, origin = _template()
    member = path.stem + ".xml"
    size = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open(member, "w", force_zip64=True) as out:
        def write(b: bytes) -> None:
            nonlocal size
            out.write(b)
            size += len(b)

        write(head + b"<action-keys>\n        <action-key>NA</action-key>\n")
        for i in range(n):
            rec = records[i % len(records)]
            word = WORDS[(i // len(records)) % len(WORDS)].encode()
            rec = re.sub(rb"<serial-number>\d+</serial-number>",
                         b"<serial-number>%d</serial-number>" % (first_serial + i), rec, count=1)
            rec = re.sub(rb"<mark-identification>([^<]*)</mark-identification>",
                         lambda m, w=word, i=i: b"<mark-identification>" + m.group(1) + b" " + w + b"%d" % i
                         + b"</mark-identification>", rec, count=1)
            rec = re.sub(rb"<party-name>([^<]*)</party-name>",
                         lambda m, w=word: b"<party-name>" + m.group(1) + b" " + w + b"</party-name>", rec)
            write(b"        " + rec + b"\n")
        write(b"      </action-keys>" + tail)
    return size, origin


def import_scanner(path: Path) -> int:
    return sum(1 for _ in iter_uspto_xml(path))


def _baseline_record(el) -> dict:
    header = el.find("case-file-header")
    hget = (lambda tag: header.findtext(tag) or "") if header is not None else (lambda tag: "")
    owners = [(o.findtext("party-type") or "", o.findtext("party-name") or "")
              for o in el.iterfind("case-file-owners/case-file-owner")]
    top = max((int(p) for p, _ in owners if p.isdigit() and int(p) < 70), default=None)
    return {
        "serial_number": el.findtext("serial-number") or "",
        "registration_number": el.findtext("registration-number") or "",
        "transaction_date": el.findtext("transaction-date") or "",
        "mark": hget("mark-identification"),
        "status_code": hget("status-code"),
        "drawing_code": hget("mark-drawing-code")[:1],
        "filing_date": hget("filing-date"),
        "registration_date": hget("registration-date"),
        "nice_classes": ";".join(c.text or "" for c in el.iter("international-code")),
        "owner": "; ".join(n for p, n in owners if p.isdigit() and int(p) == top),
        "goods_services": " | ".join(
            " ".join(t.text or "" for t in s.iterfind("text"))
            for s in el.iterfind("case-file-statements/case-file-statement")
            if (s.findtext("type-code") or "").startswith("GS")),
    }


def import_baseline(path: Path) -> int:
    """Straightforward ingest: cut out each case-file, parse it with defusedxml, read the fields."""
    count = 0
    with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as stream:
        buf = b""
        for block in iter(lambda: stream.read(1 << 20), b""):
            buf += block
            while True:
                i = buf.find(b"<case-file>")
                j = buf.find(b"</case-file>", i)
                if i < 0 or j < 0:
                    break
                _baseline_record(DET.fromstring(buf[i:j + len(b"</case-file>")]))
                count += 1
                buf = buf[j + len(b"</case-file>"):]
    return count


def import_baseline_iterparse(path: Path) -> int:
    """Another common baseline: defusedxml iterparse over the whole stream, clearing each case-file."""
    count = 0
    with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as stream:
        for _event, el in DET.iterparse(stream, events=("end",)):
            if el.tag == "case-file":
                _baseline_record(el)
                count += 1
                el.clear()
    return count


def timed(fn, *args) -> tuple[int, float]:
    """(result, wall time)."""
    start = time.perf_counter()
    n = fn(*args)
    return n, time.perf_counter() - start


def make_casefiles(folder: Path, n: int, *, shuffled: bool = False) -> None:
    """A Case Files Dataset folder of ``n`` case files (2 owners, 1 class, 2 statements each), in the real
    column names; sorted by serial_no like the published tables unless ``shuffled``."""
    import csv
    import random

    folder.mkdir(parents=True, exist_ok=True)
    serials = [str(70_000_000 + i) for i in range(n)]
    order = list(range(n))
    if shuffled:
        random.Random(1).shuffle(order)
    tables = {
        "case_file": (["serial_no", "filing_dt", "mark_draw_cd", "mark_id_char", "registration_dt", "cfh_status_cd",
                       "registration_no"],
                      lambda i, s: [[s, "2001-02-03", "4000", f"{WORDS[i % 16]} MARK {i}", "2002-03-04", "800",
                                     f"{2_000_000 + i:07d}"]]),
        "owner": (["own_seq", "own_name", "own_type_cd", "own_id", "serial_no"],
                  lambda i, s: [[1, f"OWNER {i} INC.", 10, 2 * i, s], [1, f"NEW OWNER {i} LLC", 30, 2 * i + 1, s]]),
        "intl_class": (["intl_class_cd", "class_id", "serial_no"], lambda i, s: [[f"{i % 45 + 1:03d}", i, s]]),
        "statement": (["statement_type_cd", "statement_text", "serial_no"],
                      lambda i, s: [["GS0091", "Computer software; [deleted goods] *added* goods, namely " * 3, s],
                                    ["PM0001", f"PSEUDO {i}", s]]),
    }
    for name, (columns, rows) in tables.items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for i in order:
                writer.writerows(rows(i, serials[i]))


CHILD = """
import resource, sys, time
sys.path.insert(0, {repo!r})
import scanner.corpus
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, elapsed, n)
"""


CHKTM = """
import sys, time, zipfile
from pathlib import Path
from chktm.ingest import ingest_xml
from chktm.schema import init_db
conn = init_db(Path({db!r}))
with zipfile.ZipFile({zip!r}) as archive, archive.open(archive.namelist()[0]) as stream:
    n = ingest_xml(stream, conn)
conn.close()
print(n)
"""


def run_child(cmd: list[str]) -> tuple[float, float, float, str]:
    """Run ``cmd`` to the end: (wall s, CPU s, peak RSS MB of that process, output). Started through
    ``fresh``'s launcher, so that this process's own peak is not charged to it."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.perf_counter()
    proc, usage = popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode(errors="replace")
    status = proc.wait()
    wall = time.perf_counter() - start
    if status != 0:
        usage.unlink(missing_ok=True)
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{output[-2000:]}")
    peak_mb, cpu_s = read_usage(usage)
    return wall, cpu_s, peak_mb, output


def versus_chktm(daily: Path, work: Path, n: int) -> dict | None:
    """The whole ``scanner corpus build`` command vs chktm's ingest of the same zip, each in its own child
    process (interpreter start-up included for both), in the same run. None when chktm is not installed."""
    try:
        import chktm  # noqa: F401
    except ImportError:
        print("chktm is not installed (pip install 'scanner[bench]'): no comparison with chktm's ingest")
        return None
    db = work / "chktm.db"
    for p in work.glob("chktm.db*"):
        p.unlink()
    c_wall, c_cpu, c_rss, c_out = run_child([sys.executable, "-c", CHKTM.format(db=str(db), zip=str(daily))])
    s_wall, s_cpu, s_rss, _ = run_child([sys.executable, "-m", "scanner", "corpus", "build", str(daily), "--out",
                                         str(work / "corpus-cli"), "--force", "-q"])
    got = int(c_out.split()[-1])
    print(f"chktm {metadata_version('chktm')} ingest of the same zip (SQLite): {c_wall:.1f} s wall, {c_cpu:.1f} s CPU, "
          f"peak RSS {c_rss:,.0f} MB, {got:,} records")
    print(f"`scanner corpus build` (stage, de-duplicate, write, match index): {s_wall:.1f} s wall, {s_cpu:.1f} s CPU, "
          f"peak RSS {s_rss:,.0f} MB (target <= 300 MB)")
    print(f"ratio chktm / scanner: {c_wall / s_wall:.2f}x wall, {c_cpu / s_cpu:.2f}x CPU (target >= 5x); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return {"chktm_wall_s": c_wall, "chktm_cpu_s": c_cpu, "chktm_peak_rss_mb": c_rss, "build_wall_s": s_wall,
            "build_cpu_s": s_cpu, "build_peak_rss_mb": s_rss, "ratio_wall": c_wall / s_wall,
            "ratio_cpu": c_cpu / s_cpu, "records": got}


def metadata_version(name: str) -> str:
    from importlib import metadata

    return metadata.version(name)


def child_peak(body: str) -> tuple[float, float, int]:
    """Run ``body`` (which sets ``n``) in a fresh interpreter: (peak RSS MB, seconds, n)."""
    code = CHILD.format(repo=str(REPO), body=body)
    out = subprocess.run(launched([sys.executable, "-c", code]), capture_output=True, text=True, check=True).stdout
    rss_kb, elapsed, n = out.split()[-3:]
    return int(rss_kb) / 1024, float(elapsed), int(n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000, help="case-files in the generated daily file")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "uspto",
                        help="working folder (generated zips and corpora; replaced)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="time each import this many times (interleaved), keep the best")
    parser.add_argument("--skip-build", action="store_true", help="skip the corpus build / --jobs part")
    parser.add_argument("--casefiles", type=int, default=100_000,
                        help="case files in the generated Case Files Dataset tables (0 = skip that part)")
    args = parser.parse_args(argv)
    n = max(args.records, 2)
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)

    daily = args.out / "apc250301.zip"
    xml_bytes, origin = make_daily_zip(daily, n)
    print(f"generated {daily.name}: {n:,} case-files from {origin}; "
          f"{xml_bytes / 1e6:,.1f} MB XML, {daily.stat().st_size / 1e6:,.1f} MB zip")

    # interleaved runs, best of each: the machine is shared, so load changes between runs
    best = {"ours": float("inf"), "base": float("inf"), "iter": float("inf")}
    for _ in range(max(1, args.repeat)):
        for key, fn in (("ours", import_scanner), ("base", import_baseline), ("iter", import_baseline_iterparse)):
            got, secs = timed(fn, daily)
            assert got == n, (key, got, n)
            best[key] = min(best[key], secs)
    t_ours, t_base, t_base2 = best["ours"], best["base"], best["iter"]
    ours, slow, slow2 = n / t_ours, n / t_base, n / t_base2
    print(f"(best of {args.repeat} run(s) each, same process, machine shared with other work)")
    print(f"scanner importer (lxml, per case-file)          {ours:10,.0f} records/s  ({t_ours:.2f} s)")
    print(f"baseline: defusedxml parse of each case-file    {slow:10,.0f} records/s  ({t_base:.2f} s)")
    print(f"ratio: {ours / slow:.1f}x (target >= 3x)")
    print(f"(for information) defusedxml iterparse stream   {slow2:10,.0f} records/s  ({t_base2:.2f} s); "
          f"ratio {ours / slow2:.1f}x")

    rss, secs, got = child_peak(f"from scanner.corpus import iter_uspto_xml\n"
                                f"n = sum(1 for _ in iter_uspto_xml({str(daily)!r}))")
    print(f"peak RSS of the import in a child process: {rss:,.0f} MB (target < 300 MB); "
          f"{got / secs:,.0f} records/s there")
    chktm = versus_chktm(daily, args.out, n)
    if args.skip_build:
        return 0

    out1 = args.out / "corpus-build"
    rss_b, secs_b, got_b = child_peak(
        f"from scanner.corpus import compile_corpus\n"
        f"meta = compile_corpus([{str(daily)!r}], {str(out1)!r})\nn = meta['counts']['records_read']")
    print(f"peak RSS of `scanner corpus build` (stage, de-duplicate, write) in a child: {rss_b:,.0f} MB; "
          f"{got_b / secs_b:,.0f} records/s end to end")

    half = n // 2
    zips = [args.out / "apc250302.zip", args.out / "apc250303.zip"]
    make_daily_zip(zips[0], half, first_serial=91_000_000)
    make_daily_zip(zips[1], half, first_serial=92_000_000)
    tiny = [args.out / "apc250304.zip", args.out / "apc250305.zip"]
    make_daily_zip(tiny[0], 10, first_serial=93_000_000)
    make_daily_zip(tiny[1], 10, first_serial=94_000_000)
    rates = {}
    for jobs in (1, 2):
        def build(paths, target, jobs=jobs):
            return child_peak(f"from scanner.corpus import compile_corpus\n"
                              f"meta = compile_corpus({[str(z) for z in paths]!r}, {str(target)!r}, jobs={jobs})\n"
                              f"n = meta['counts']['records_read']")
        _, fixed, _ = build(tiny, args.out / f"corpus-tiny-jobs{jobs}")  # start-up and fixed costs
        _, secs_j, got_j = build(zips, args.out / f"corpus-jobs{jobs}")
        net = secs_j - fixed
        if net > secs_j / 4:
            rates[jobs] = got_j / net
            how = (f"{rates[jobs]:,.0f} records/s net of {fixed:.1f} s fixed cost (worker start-up, de-duplication "
                   "set-up; measured on 2 tiny zips)")
        else:  # one slow start-up of the tiny build says nothing of the rate: keep the end-to-end one
            rates[jobs] = got_j / secs_j
            how = (f"the fixed cost measured on 2 tiny zips ({fixed:.1f} s) is most of this run, so the estimate "
                   "below uses the end-to-end rate")
        print(f"corpus build of 2 zips with --jobs {jobs}: {got_j / secs_j:,.0f} records/s end to end; {how}")
    best = max(rates, key=rates.get)
    hours = BACKFILE_RECORDS / rates[best] / 3600
    print(f"estimate: full annual backfile (~{BACKFILE_RECORDS:,} case-files in ~{BACKFILE_ZIPS} zips) with "
          f"--jobs {best} on {os.cpu_count()} cores: ~{hours:.1f} h ({BACKFILE_RECORDS / rates[best] / 60:,.0f} min), "
          f"from the rate above (the machine is shared: a busy second core gives --jobs 2 little)")
    casefiles = {}
    if args.casefiles:
        for shuffled in (False, True):
            folder = args.out / ("casefiles-unsorted" if shuffled else "casefiles")
            make_casefiles(folder, args.casefiles, shuffled=shuffled)
            rss_c, secs_c, got_c = child_peak(
                f"from scanner.corpus import iter_casefiles\n"
                f"n = sum(1 for _ in iter_casefiles({str(folder)!r}, workdir={str(args.out)!r}))")
            label = "unsorted (SQLite join)" if shuffled else "sorted (merge-join)"
            casefiles[label] = {"records_per_s": got_c / secs_c, "peak_rss_mb": rss_c}
            print(f"Case Files Dataset import, {got_c:,} case files, tables {label}: {got_c / secs_c:,.0f} "
                  f"records/s, peak RSS {rss_c:,.0f} MB")
    summary = {"records": n, "ours_rps": ours, "baseline_rps": slow, "ratio": ours / slow,
               "iterparse_rps": slow2, "import_peak_rss_mb": rss, "build_peak_rss_mb": rss_b,
               "build_rps": {str(k): v for k, v in rates.items()}, "backfile_hours": hours,
               "casefiles": casefiles, "chktm": chktm}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
