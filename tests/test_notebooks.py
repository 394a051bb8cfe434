"""The notebooks run top to bottom on the small data shipped in the repo (jupytext -> nbclient)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.py"))


def _outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for v in out.get("data", {}).values())
    return "\n".join(parts)


def test_there_are_notebooks_and_they_carry_no_outputs():
    assert [p.name for p in NOTEBOOKS] == ["01_explore_matches_and_features.py", "02_retrain_and_compare.py"]
    for path in NOTEBOOKS:
        nb = jupytext.read(path)
        assert all(not cell.get("outputs") for cell in nb.cells)
        assert any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in nb.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, tmp_path, monkeypatch):
    monkeypatch.setenv("SCANNER_NOTEBOOK_FAST", "1")
    monkeypatch.setenv("SCANNER_NOTEBOOK_SAVE", str(tmp_path / "bundle"))
    monkeypatch.delenv("SCANNER_NOTEBOOK_DATA", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    nb = jupytext.read(path)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(REPO)}})
    client.execute()
    text = _outputs_text(nb)
    if path.stem.startswith("01"):
        assert "features" in text and "third-party" in text
    else:
        assert "held-out" in text and "keyword baseline" in text
        assert (tmp_path / "bundle" / "metadata.json").exists()
    assert os.environ["SCANNER_NOTEBOOK_FAST"] == "1"
