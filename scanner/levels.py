"""The risk levels: their names, their order and what each means. One home for every stage, the report, the
history and the command line (``risk_level`` in results.csv is one of :data:`LEVELS`).

* ``high``: the listing uses a third-party mark as a trademark (in the brand field, leading the title, as
  the product's name) or carries a counterfeit cue (``replica``, ``inspired by``...): pull it or fix it;
* ``medium``: a compatibility reference (``case for iPad``): review it;
* ``low``: no trademark use found.
"""

from __future__ import annotations

LOW, MEDIUM, HIGH = "low", "medium", "high"
#: Ascending: a level's index is the model's class (0 low, 1 medium, 2 high) and a label's value.
LEVELS: tuple[str, ...] = (LOW, MEDIUM, HIGH)
#: Most urgent first: the order of the report's sheets and summaries and of the results rows.
BY_URGENCY: tuple[str, ...] = (HIGH, MEDIUM, LOW)
#: Level -> rank (low 0, medium 1, high 2): "riskier than" is ``LEVEL_RANK[a] > LEVEL_RANK[b]``.
LEVEL_RANK: dict[str, int] = {level: i for i, level in enumerate(LEVELS)}
#: Level -> sort key of the results, most urgent first (high 0, medium 1, low 2; anything else after).
URGENCY_RANK: dict[str, int] = {level: i for i, level in enumerate(BY_URGENCY)}
#: The levels a seller has to act on (the report's High risk and Review sheets).
RISKY: tuple[str, ...] = (HIGH, MEDIUM)
#: What each level means, in the words the report shows beside the score.
LEVEL_MEANING: dict[str, str] = {HIGH: "trademark use or counterfeit cue", MEDIUM: "compatibility reference: review",
                                 LOW: "no trademark use found"}
