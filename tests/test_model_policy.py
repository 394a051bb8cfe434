"""The rubric's rules on top of the trained model (scanner.model.policy)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scanner.model.policy import cap_references, fitment_references


def _features(**cols) -> pd.DataFrame:
    base = {"s_fitment": [1, 1, 1, 0, 1], "any_counterfeit": [0, 1, 0, 0, 0], "any_comparison": [0, 0, 0, 0, 0],
            "any_declared_brand": [0, 0, 1, 0, 0]}
    base.update(cols)
    return pd.DataFrame(base, index=[10, 11, 12, 13, 14])


def test_only_a_plain_fitment_reference_counts():
    assert fitment_references(_features()).tolist() == [True, False, False, False, True]
    assert not fitment_references(pd.DataFrame({"x": [1]})).any()  # features without s_fitment: no rule


def test_a_fitment_reference_is_at_most_medium_and_its_score_stays_below_high():
    predicted = pd.DataFrame({"risk_score": [0.9, 0.9, 0.9, 0.9, 0.4],
                              "risk_level": ["high", "high", "high", "high", "medium"],
                              "p_any": [1.0] * 5, "p_high": [0.8, 0.8, 0.8, 0.8, 0.0]}, index=[10, 11, 12, 13, 14])
    out = cap_references(predicted, _features(), high_threshold=0.55)
    assert out["risk_level"].tolist() == ["medium", "high", "high", "high", "medium"]
    assert out.loc[10, "risk_score"] < 0.55 and np.isclose(out.loc[10, "risk_score"], 0.55)
    assert out.loc[14, "risk_score"] == 0.4  # already medium: untouched
    assert out["p_high"].tolist() == predicted["p_high"].tolist()
    assert predicted.loc[10, "risk_level"] == "high"  # the input is not changed
