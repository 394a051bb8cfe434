"""Benchmark: import of an EUIPO open-data file against the USPTO importer, same record count, same run.

Builds, at run time (nothing is committed):

* an EUIPO-shaped zip of ``--records`` ``<TradeMark>`` records: the real EUIPO samples of
  ``../shared/data/offices/euipo`` (legacy namespace, up to 23 languages of goods and services, an opposition
  block) when present, else this repository's fixtures (``tests/fixtures/offices``), repeated with varied
  application numbers and marks;
* a USPTO daily zip of the same number of case-files (``bench_import_uspto.make_daily_zip``);

then imports each in a child process and prints records/s (by CPU time: the machine may be shared; wall
time is shown too) and peak RSS of both, and the per-record ratio.
Targets: EUIPO at least as fast per record as USPTO, within 300 MB.

Usage: ``python benchmarks/bench_import_offices.py [--records 100000] [--out benchmarks/out/offices]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_import_uspto import make_daily_zip  # noqa: E402
from fresh import launched  # noqa: E402

SHARED_EUIPO = Path(os.environ.get("SCANNER_SHARED_DATA", REPO.parent / "shared" / "data")) / "offices" / "euipo"
FIXTURE_EUIPO = REPO / "tests" / "fixtures" / "offices" / "EUTMS_20240105_0001.xml"
_RECORD = re.compile(rb"<TradeMark[\s>].*?</TradeMark>", re.S)
WORDS = (b"NOVA", b"ZEPHYR", b"ORBIT", b"LUMEN", b"KESTREL", b"VORTEX", b"SABLE", b"QUILL")


def _template() -> tuple[bytes, list[bytes], bytes, str]:
    """(document head up to TradeMarkDetails, TradeMark records, tail, where they came from)."""
    if SHARED_EUIPO.is_dir() and any(SHARED_EUIPO.glob("*.xml")):
        files = sorted(SHARED_EUIPO.glob("0*.xml"))
        origin = f"the {len(files)} real EUIPO samples in {SHARED_EUIPO}"
    else:
        files = [FIXTURE_EUIPO]
        origin = f"the fixture {FIXTURE_EUIPO.name} (../shared absent)"
    records: list[bytes] = []
    head = tail = b""
    for path in files:
        data = path.read_bytes()
        found = [r for r in _RECORD.findall(data) if b"<ApplicationNumber>" in r]
        # keep only well-formed records (the fixture has a deliberately broken one)
        from lxml import etree

        for rec in found:
            try:
                etree.fromstring(b'<w xmlns="x">' + rec + b"</w>")
                records.append(rec)
            except etree.XMLSyntaxError:
                pass
        if not head:
            start = data.index(b"<TradeMarkDetails>") + len(b"<TradeMarkDetails>")
            end = data.rindex(b"</TradeMarkDetails>")
            head, tail = data[:start], data[end:]
    return head, records, tail, origin


def make_euipo_zip(path: Path, n: int) -> tuple[int, str]:
    head, records, tail, origin = _template()
    size = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open(path.stem + ".xml", "w", force_zip64=True) as out:
        out.write(head + b"\n")
        size += len(head) + 1
        for i in range(n):
            rec = records[i % len(records)]
            number = b"%09d" % (800_000_000 + i)
            word = WORDS[(i // len(records)) % len(WORDS)]
            rec = re.sub(rb"<ApplicationNumber>[^<]*</ApplicationNumber>",
                         b"<ApplicationNumber>" + number + b"</ApplicationNumber>", rec, count=1)
            rec = re.sub(rb"(<WordMarkSpecification>\s*<MarkVerbalElementText>)([^<]*)",
                         lambda m, w=word, i=i: m.group(1) + m.group(2) + b" " + w + b"%d" % i, rec, count=1)
            out.write(rec + b"\n")
            size += len(rec) + 1
        out.write(tail)
        size += len(tail)
    return size, origin


CHILD = """
import resource, sys, time
sys.path.insert(0, {repo!r})
from scanner.corpus.st66 import iter_st66
from scanner.corpus.uspto_xml import iter_uspto_xml
start, cpu = time.perf_counter(), time.process_time()
n = sum(1 for _ in {fn}({path!r}))
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, elapsed, cpu, n)
"""


def run_child(fn: str, path: Path) -> tuple[float, float, float, int]:
    """(peak RSS MB, wall seconds, CPU seconds, records) of importing ``path`` in a fresh interpreter."""
    out = subprocess.run(launched([sys.executable, "-c", CHILD.format(repo=str(REPO), fn=fn, path=str(path))]),
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]) / 1024, float(out[1]), float(out[2]), int(out[3])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "offices")
    ap.add_argument("--rounds", type=int, default=1, help="import each file this many times (best CPU time)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    eu_zip, us_zip = args.out / "EUTMS_bench.zip", args.out / "apc_bench.zip"
    eu_bytes, origin = make_euipo_zip(eu_zip, args.records)
    us_bytes, us_origin = make_daily_zip(us_zip, args.records)
    print(f"EUIPO file: {args.records:,} records from {origin}, {eu_bytes / 1e6:,.0f} MB of XML "
          f"({eu_zip.stat().st_size / 1e6:,.1f} MB zipped)")
    print(f"USPTO file: {args.records:,} case-files from {us_origin}, {us_bytes / 1e6:,.0f} MB of XML "
          f"({us_zip.stat().st_size / 1e6:,.1f} MB zipped)")
    # CPU time is the measure on a shared machine (wall time is printed too); the two imports alternate
    # over --rounds rounds and the best round of each counts
    eu_runs, us_runs = [], []
    for _ in range(args.rounds):
        eu_runs.append(run_child("iter_st66", eu_zip))
        us_runs.append(run_child("iter_uspto_xml", us_zip))
    eu_mem, eu_s, eu_cpu, eu_n = min(eu_runs, key=lambda r: r[2])
    us_mem, us_s, us_cpu, us_n = min(us_runs, key=lambda r: r[2])
    eu_mem, us_mem = max(r[0] for r in eu_runs), max(r[0] for r in us_runs)
    print(f"EUIPO importer: {eu_n:,} records in {eu_cpu:,.1f} s CPU ({eu_s:,.1f} s wall) = "
          f"{eu_n / eu_cpu:,.0f} records/s, {eu_bytes / 1e6 / eu_cpu:,.1f} MB/s, peak RSS {eu_mem:,.0f} MB")
    print(f"USPTO importer: {us_n:,} records in {us_cpu:,.1f} s CPU ({us_s:,.1f} s wall) = "
          f"{us_n / us_cpu:,.0f} records/s, {us_bytes / 1e6 / us_cpu:,.1f} MB/s, peak RSS {us_mem:,.0f} MB")
    ratio = (eu_n / eu_cpu) / (us_n / us_cpu)
    print(f"per record: EUIPO is {ratio:.2f}x the USPTO importer's rate (target >= 1.0); "
          f"peak {max(eu_mem, us_mem):,.0f} MB (target < 300 MB)")
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)
    return 0 if ratio >= 1.0 and eu_mem < 300 else 1


if __name__ == "__main__":
    raise SystemExit(main())
