"""The rubric's rules on top of the trained model (scanner.model.policy)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scanner.model.policy import cap_references, fitment_references, flag_unknown_brands


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


def test_a_brand_no_corpus_holds_is_medium_from_the_floor_unless_the_model_is_sure_it_is_low():
    features = pd.DataFrame({"brand_unknown": [1, 0, 0, 1, 0], "lead_unknown": [0, 1, 1, 0, 0]},
                            index=[1, 2, 3, 4, 5])
    predicted = pd.DataFrame({"risk_score": [0.24, 0.21, 0.01, 0.9, 0.25],
                              "risk_level": ["low", "low", "low", "high", "low"],
                              "p_any": [0.47, 0.42, 0.02, 1.0, 0.5], "p_high": [0.01, 0.0, 0.0, 0.8, 0.0]},
                             index=[1, 2, 3, 4, 5])
    out = flag_unknown_brands(predicted, features, medium_threshold=0.31)
    # declared (1) and leading (2) unknown brands the model gives even odds: review; "Herrenuhr" at 0.01 (3)
    # stays low; a high listing (4) and a listing with no unknown brand (5) are left as they were
    assert out["risk_level"].tolist() == ["medium", "medium", "low", "high", "low"]
    assert out.loc[1, "risk_score"] == 0.31 and out.loc[2, "risk_score"] == 0.31  # the level is still a threshold
    assert out.loc[3, "risk_score"] == 0.01 and out.loc[5, "risk_score"] == 0.25
    assert out["p_any"].tolist() == predicted["p_any"].tolist()
    assert predicted.loc[1, "risk_level"] == "low"  # the input is not changed
    # a model whose medium threshold is the floor itself: nothing to raise
    floor = predicted.assign(risk_level=["medium", "medium", "low", "high", "medium"])
    assert flag_unknown_brands(floor, features, medium_threshold=0.2).equals(floor)
    assert flag_unknown_brands(predicted, pd.DataFrame({"x": [0] * 5}, index=predicted.index), 0.31).equals(predicted)
