"""The Excel report, opened again with openpyxl: sheets, order, highlights, links, dropdowns, panes,
filters, formula-like text, limits, rejected rows and the Kept sheet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from scanner.actions import ACTION_RANK
from scanner.history.apply import base_followup
from scanner.report import write_excel
from scanner.report.cells import MAX_CELL_CHARS, TRUNCATION_MARKER
from scanner.report.synthetic import synthetic_scan_result

REPO = Path(__file__).resolve().parents[1]


def _header(ws):
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def _col(ws, name):
    return _header(ws).index(name) + 1


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    result = synthetic_scan_result(120, seed=3)
    path = tmp_path_factory.mktemp("rep") / "report.xlsx"
    write_excel(result, path)
    return result, load_workbook(path, rich_text=True)


def test_sheets_and_rows(report):
    result, wb = report
    assert wb.sheetnames == ["Summary", "High risk", "Review", "Kept", "All listings", "Rejected rows", "_scanner"]
    assert wb["_scanner"].sheet_state == "hidden"
    counts = result.results["risk_level"].value_counts()
    assert wb["High risk"].max_row - 1 == counts["high"]
    assert wb["Review"].max_row - 1 == counts["medium"]
    assert wb["All listings"].max_row - 1 == len(result.results)
    assert wb["Kept"].max_row == 1  # nothing decided yet


def test_risk_sheets_most_urgent_first(report):
    _, wb = report
    for name in ("High risk", "Review"):
        ws = wb[name]
        scores = [ws.cell(r, _col(ws, "Score")).value for r in range(2, ws.max_row + 1)]
        actions = [ws.cell(r, _col(ws, "Action")).value or "" for r in range(2, ws.max_row + 1)]
        keys = [(ACTION_RANK[a], -s) for a, s in zip(actions, scores, strict=True)]
        assert keys == sorted(keys) and scores
        assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == list(range(1, ws.max_row))
        assert ws.cell(2, _col(ws, "Score")).number_format == "0.000"
    assert {wb["High risk"].cell(r, _col(wb["High risk"], "Action")).value
            for r in range(2, wb["High risk"].max_row + 1)} >= {"pull now", "fix title"}


def test_title_highlights_are_the_matched_spans(report):
    result, wb = report
    ws = wb["High risk"]
    title_col, sku_col = _col(ws, "Title"), _col(ws, "SKU")
    m = result.matches
    checked = 0
    for r in range(2, ws.max_row + 1):
        sku = ws.cell(r, sku_col).value
        lid = result.listings.index[result.listings["sku"] == sku][0]
        title = result.listings.at[lid, "title"]
        value = ws.cell(r, title_col).value
        spans = sorted((int(x.start), int(x.end)) for x in m[(m["listing"] == lid) & (m["field"] == "title")].itertuples())
        if not spans:
            continue
        assert isinstance(value, CellRichText)
        assert str(value) == title
        pos, bold = 0, []
        for part in value:
            text = part.text if isinstance(part, TextBlock) else part
            if isinstance(part, TextBlock) and part.font.b:
                assert part.font.color.rgb.endswith("C00000")
                bold.append((pos, pos + len(text)))
            pos += len(text)
        assert bold == spans
        checked += 1
    assert checked > 3


def test_links(report):
    result, wb = report
    ws = wb["High risk"]
    links = {}
    for r in range(2, ws.max_row + 1):
        asin = ws.cell(r, _col(ws, "ASIN")).value
        link = ws.cell(r, _col(ws, "Product page")).hyperlink
        assert link is not None and link.target == f"https://www.amazon.com/dp/{asin}"
        record = ws.cell(r, _col(ws, "Register record"))
        links[ws.cell(r, _col(ws, "Marks")).value] = record.hyperlink.target if record.hyperlink else None
        if record.hyperlink:
            assert record.value.startswith("US ")
    assert links.get("CUTEX") == ("https://tsdr.uspto.gov/#caseNumber=71112081&caseType=SERIAL_NO"
                                  "&searchType=statusSearch")
    assert links.get("NIKE", "absent") in (None, "absent")  # no serial number known: no link


def test_dropdowns_panes_filters_print(report):
    _, wb = report
    for name in ("High risk", "Review", "Kept", "All listings"):
        ws = wb[name]
        n = ws.max_row
        dvs = ws.data_validations.dataValidation
        assert len(dvs) == 1
        dv = dvs[0]
        assert dv.type == "list" and dv.formula1 == '"pull,edit,keep,authorized"'
        letter = ws.cell(1, _col(ws, "Decision")).column_letter
        assert str(dv.sqref) in (f"{letter}2:{letter}{max(n, 2)}", f"{letter}2" if n <= 2 else "-")
        assert ws.freeze_panes in ("B2", "E2")
        assert ws.auto_filter.ref.startswith("A1:") and ws.auto_filter.ref.endswith(str(max(n, 2)))
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["High risk"].freeze_panes == "E2"
    assert wb["High risk"].column_dimensions[wb["High risk"].cell(1, _col(wb["High risk"], "Text hash")).column_letter].hidden


def test_summary(report):
    result, wb = report
    ws = wb["Summary"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r and r[0]}
    counts = result.results["risk_level"].value_counts()
    assert rows["high"][0] == counts["high"] and rows["medium"][0] == counts["medium"] and rows["low"][0] == counts["low"]
    assert rows["rows rejected"][0] == 1
    assert "Acme Trading" in rows["Seller"][0] and "US" in rows["Seller"][0]
    assert rows["All+Listings+Report.txt"][:5] == ("amazon-all-listings", "cp1252", 121, 120, 1)
    assert len(ws._charts) == 1
    top = [r[0] for r in ws.iter_rows(values_only=True)]
    assert "Top marks involved" in top and "Top owners involved" in top
    # internals are on the hidden sheet, not on the Summary
    assert "content hash" not in rows and "threshold: high" not in rows
    meta = {r[0]: r[1] for r in wb["_scanner"].iter_rows(values_only=True)}
    assert meta["corpus.content hash"] == result.corpus_info["content_hash"]
    assert meta["threshold.high"] == "0.7"


def test_summary_opens_with_what_to_do(report):
    result, wb = report
    values = [r for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]]
    acts = result.results["action"].value_counts()
    first_section = [r[0] for r in values[:6]]
    assert "What to do" in first_section
    sentence = values[first_section.index("What to do") + 1][0]
    assert sentence == (f"{acts.get('pull now', 0)} listings to pull now, {acts.get('fix title', 0)} titles to fix, "
                        f"{acts.get('check authorization', 0)} to check authorization, {acts.get('review', 0)} to review.")
    table = {r[0]: r[2] for r in values if r[0] in ("pull now", "check authorization", "fix title", "review")}
    assert table == {a: int(acts.get(a, 0)) for a in table} and len(table) == 4
    labels = [r[0] for r in values]
    assert labels.index("Top owners involved") < labels.index("Listings by risk level") < labels.index("Input files")
    assert str(labels[-1]).startswith("Checked against synthetic")  # the compact footnote closes the page


def test_summary_duplicate_skus(tmp_path):
    result = synthetic_scan_result(30, seed=4)
    result.extra["duplicate_skus"] = [{"sku": "SKU-000003", "count": 2, "rows": [4, 19]},
                                      {"sku": "007", "count": 3, "rows": [5, 6, 7]},
                                      {"sku": "DUPX", "count": 3, "rows": [2, 2, 9],
                                       "row_files": ["a.txt", "b.txt", "a.txt"]}]
    write_excel(result, tmp_path / "r.xlsx")
    rows = {r[0]: r[1:] for r in load_workbook(tmp_path / "r.xlsx")["Summary"].iter_rows(values_only=True)
            if r and r[0]}
    assert "Duplicate SKUs" in rows
    assert rows["SKU-000003"][:2] == ("4, 19", 2) and rows["007"][:2] == ("5, 6, 7", 3)
    assert rows["DUPX"][:2] == ("a.txt 2, 9; b.txt 2", 3)  # rows of several files say which file
    write_excel(synthetic_scan_result(30, seed=4), tmp_path / "s.xlsx")
    rows = {r[0] for r in load_workbook(tmp_path / "s.xlsx")["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert "Duplicate SKUs" not in rows


def test_rejected_rows_sheet(report):
    _, wb = report
    ws = wb["Rejected rows"]
    assert _header(ws) == ["File", "Line", "Column", "Reason", "Raw text"]
    assert [c.value for c in ws[2]][:4] == ["All+Listings+Report.txt", 122, "item-name", "empty title"]


def _tiny_result(titles: list[str], **extra):
    result = synthetic_scan_result(len(titles), seed=1)
    result.listings["title"] = titles
    result.results["title"] = result.listings.loc[result.results.index, "title"]
    result.results["risk_level"] = "high"
    result.matches = result.matches.iloc[0:0]
    for k, v in extra.items():
        setattr(result, k, v)
    return result


def test_formula_like_text_stays_text(tmp_path):
    titles = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=2", "plain"]
    result = _tiny_result(titles)
    result.rejected = pd.DataFrame([{"source_file": "=f.txt", "source_row": 3, "column": "c", "reason": "r",
                                     "raw": "=cmd|' /C calc'!A0"}])
    path = tmp_path / "r.xlsx"
    write_excel(result, path)
    wb = load_workbook(path)
    for sheet in ("High risk", "All listings"):
        ws = wb[sheet]
        col = _col(ws, "Title")
        got = {ws.cell(r, col).value: ws.cell(r, col) for r in range(2, ws.max_row + 1)}
        for t in titles:
            assert t in got, (sheet, t)
            assert got[t].data_type == "s"
            if t != "plain":
                assert got[t].quotePrefix
    assert wb["Rejected rows"]["E2"].data_type == "s" and wb["Rejected rows"]["A2"].value == "=f.txt"


def test_control_characters_and_cell_limit(tmp_path):
    long_title = "x" * (MAX_CELL_CHARS + 500)
    result = _tiny_result(["bad\x00\x07char\x1f here", long_title, "emoji " + "😀" * 20000])
    path = tmp_path / "r.xlsx"
    write_excel(result, path)
    ws = load_workbook(path)["All listings"]
    values = [ws.cell(r, 3).value for r in range(2, 5)]
    assert "badchar here" in values
    cut = next(v for v in values if v.startswith("xxx"))
    assert cut.endswith(TRUNCATION_MARKER) and len(cut) == MAX_CELL_CHARS
    emoji = next(v for v in values if v.startswith("emoji"))
    assert len(emoji.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS and emoji.endswith(TRUNCATION_MARKER)


def test_kept_sheet_and_notes_from_followup(tmp_path):
    result = synthetic_scan_result(80, seed=5)
    res = result.results
    fu = base_followup(result)
    high = res.index[res["risk_level"] == "high"]
    kept_id, stale_id = high[0], high[1]
    fu.loc[kept_id, ["kept", "decided", "decided_at"]] = [True, "keep", "2026-01-01T10:00:00+00:00"]
    fu.loc[stale_id, "note"] = "text changed since you decided 'keep' on 2026-01-01"
    result.followup = fu
    path = tmp_path / "r.xlsx"
    write_excel(result, path)
    wb = load_workbook(path)
    kept = wb["Kept"]
    assert kept.max_row == 2
    assert kept.cell(2, _col(kept, "SKU")).value == res.at[kept_id, "sku"]
    assert kept.cell(2, _col(kept, "Decision")).value == "keep"
    assert kept.cell(2, _col(kept, "Decided on")).value == "2026-01-01"
    high_ws = wb["High risk"]
    skus = [high_ws.cell(r, _col(high_ws, "SKU")).value for r in range(2, high_ws.max_row + 1)]
    assert res.at[kept_id, "sku"] not in skus and res.at[stale_id, "sku"] in skus
    row = skus.index(res.at[stale_id, "sku"]) + 2
    assert high_ws.cell(row, _col(high_ws, "Since last scan")).value.startswith("text changed since")
    assert len(skus) == (res["risk_level"] == "high").sum() - 1


def test_suggested_fix_column(report):
    _, wb = report
    ws = wb["High risk"]
    fixes = [ws.cell(r, _col(ws, "Suggested fix")).value for r in range(2, ws.max_row + 1)]
    assert any(f.startswith("Pull this listing") for f in fixes)
    assert any(f.startswith("Title: remove") for f in fixes)
    review = wb["Review"]
    fixes = [review.cell(r, _col(review, "Suggested fix")).value for r in range(2, review.max_row + 1)]
    assert any("compatible with" in f.lower() and "logos" in f for f in fixes)
    assert any(f.startswith("Search terms: remove") for f in fixes)


def test_marketplace_domain_links(tmp_path):
    result = synthetic_scan_result(40, seed=2, marketplace="JP")
    write_excel(result, tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")["High risk"]
    target = ws.cell(2, _col(ws, "Product page")).hyperlink.target
    assert target.startswith("https://www.amazon.co.jp/dp/B0")


def test_unwritable_report_is_one_line_error(tmp_path):
    from scanner.errors import ScannerError

    result = synthetic_scan_result(5)
    with pytest.raises(ScannerError, match="cannot write the report"):
        write_excel(result, tmp_path / "missing-dir" / "r.xlsx")


def test_benchmark_smoke():
    out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_report.py"), "--listings", "300",
                          "--baseline-listings", "100"], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert "ratio naive / scanner" in out.stdout and "All listings rows = 300" in out.stdout


def test_evidence_in_chunks_gives_the_same_workbook(tmp_path, monkeypatch):
    """The risk sheets collect their evidence a chunk of rows at a time (memory at register scale), the
    chunks shared among forked processes (--jobs): any chunk size and number of jobs write the same sheets."""
    import zipfile

    from scanner import forked
    from scanner.report import excel

    result = synthetic_scan_result(300, seed=5)
    assert (result.results["risk_level"] != "low").sum() > 20  # several chunks of 7 risky rows
    parts = []
    runs = [(excel.EVIDENCE_CHUNK, 1), (7, 1)] + ([(7, 2)] if forked.can_fork() else [])
    for size, jobs in runs:
        monkeypatch.setattr(excel, "EVIDENCE_CHUNK", size)
        path = tmp_path / f"r{size}-{jobs}.xlsx"
        write_excel(result, path, jobs=jobs)
        with zipfile.ZipFile(path) as z:
            parts.append({n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")})
    assert len(parts[0]) >= 4 and all(p == parts[0] for p in parts[1:])


def test_xlsm_report_is_typed_macro_enabled_and_xlsx_is_not(tmp_path):
    # Excel refuses an .xlsm file whose workbook part is typed as a plain .xlsx one
    import zipfile

    result = synthetic_scan_result(12, seed=5)
    types = {}
    for suffix in (".xlsm", ".xlsx"):
        path = tmp_path / f"report{suffix}"
        write_excel(result, path)
        text = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
        types[suffix] = text.split('PartName="/xl/workbook.xml" ContentType="', 1)[1].split('"', 1)[0]
        assert load_workbook(path).sheetnames[0] == "Summary"
    assert types == {".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                     ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"}


def test_what_to_do_says_one_listing_but_eleven_listings():
    from scanner.report.summary import what_to_do

    text = what_to_do({"pull now": (11, 0), "fix title": (1, 0), "check authorization": (21, 0), "review": (0, 0)})
    assert text == "11 listings to pull now, 1 title to fix, 21 to check authorization, 0 to review"
    assert what_to_do({"pull now": (1, 0), "fix title": (2191, 0)}).startswith("1 listing to pull now, 2191 titles")


def test_footnote_thresholds_round_up_to_the_scores_three_decimals():
    from scanner.report.summary import _up3

    assert [_up3(0.55449), _up3(0.55), _up3("0.2"), _up3(0.5500001)] == ["0.555", "0.550", "0.200", "0.551"]
