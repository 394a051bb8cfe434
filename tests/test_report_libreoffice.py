"""A real spreadsheet program opens the report: LibreOffice converts it to PDF (skipped without soffice)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from scanner.history.apply import base_followup
from scanner.report import write_excel
from scanner.report.synthetic import synthetic_scan_result

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; install libreoffice-calc to "
                                            "check that a real spreadsheet program opens the report")
def test_libreoffice_opens_the_report(tmp_path):
    result = synthetic_scan_result(150, seed=11)
    result.results.loc[result.results.index[0], "title"] = "=HYPERLINK(\"http://example.invalid\",\"click\")"
    fu = base_followup(result)
    fu.loc[result.results.index[1], ["kept", "decided", "decided_at"]] = [True, "keep", "2026-01-01"]
    result.followup = fu
    xlsx = tmp_path / "report.xlsx"
    write_excel(result, xlsx)
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(xlsx)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert proc.returncode == 0 and pdf.exists(), proc.stdout + proc.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 5
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        assert "Trademark risk report" in text
        assert "=HYPERLINK(" in text  # shown as text, never evaluated
        assert "Suggested fix" in text
        # the printed pages say what to do: the Summary sentence, the Action and Meaning columns
        assert "What to do" in text and "listings to pull now" in text
        assert "Action" in text and "pull now" in text and "Meaning" in text
        assert "content hash" not in text  # internals stay on the hidden sheet
