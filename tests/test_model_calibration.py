"""Calibration figures of `scanner evaluate`: Brier score and the reliability table."""

from __future__ import annotations

import numpy as np

from scanner.model.metrics import calibration, format_metrics, risk_metrics


def test_perfect_and_wrong_probabilities_have_the_brier_scores_they_should():
    y = np.array([True, False, True, False])
    assert calibration(y, y.astype(float))["brier"] == 0.0
    assert calibration(y, (~y).astype(float))["brier"] == 1.0
    assert calibration(y, np.full(4, 0.5))["brier"] == 0.25


def test_bands_count_every_listing_and_report_predicted_against_observed():
    p = np.array([0.05, 0.15, 0.2, 0.55, 0.95, 1.0])
    y = np.array([False, False, True, True, True, True])
    bands = calibration(y, p)["bands"]
    assert sum(b["n"] for b in bands) == len(p)
    top = bands[-1]
    assert top["band"] == "0.9-1.0" and top["n"] == 2 and top["observed"] == 1.0 and abs(top["predicted"] - 0.975) < 1e-9
    low = bands[1]
    assert low["n"] == 2 and low["observed"] == 0.5
    assert bands[2]["n"] == 0 and bands[2]["predicted"] is None


def test_evaluate_text_shows_the_calibration_block():
    y = np.array([0, 1, 2, 2])
    m = risk_metrics(y, y, [0.1, 0.6, 0.9, 0.8], [0.0, 0.2, 0.9, 0.7])
    assert m["calibration"]["high"]["brier"] < 0.1
    assert "calibration (Brier" in format_metrics(m)
