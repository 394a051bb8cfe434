"""Which match speaks for a listing: a fixed (not learned) strength order of its third-party matches, the
strongest first, and the matches that are only noise beside it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..frames import map_distinct
from ..frequency import is_function_word
from ..text import brand_key
from .text_context import TOKEN


def strength_order(table: pd.DataFrame) -> np.ndarray:
    """A fixed (not learned) prior of how strongly each match suggests trademark use; higher = stronger.

    Lexicographic: counterfeit or comparison cue, declared brand, looks like a specific mark (a kind other
    than "word", several words, or -- kind unknown -- a word rarer than zipf 4.5), no compatibility cue (nor a
    cued mention of the same owner, nor glued to a model number), among the first 3 words of the title, then
    rarer words and earlier positions. A dictionary-word mark on goods it is not registered for is not
    "specific". It only picks which match the ``s_*`` features describe.
    """
    if table.empty:
        return np.array([], dtype=float)
    specific = ((
        (table["m_kind_brand"] + table["m_kind_line"] + table["m_kind_merch"] > 0)
        | (table["m_mark_tokens"] > 1)
        | ((table["m_kind_unknown"] > 0) & (table["m_mark_zipf"] < 4.5))
    ) & (table["m_word_off_goods"] == 0)).astype(float)
    cue = (table["m_nominative_cue"] + table["m_cue_before"] + table["m_cue_after"] + table["m_in_parens"]
           + table["m_cue_in_clause"] + table["m_owner_cued"] + table["m_in_model_number"]) > 0
    return (
        np.maximum(table["m_counterfeit"].to_numpy(), table["m_comparison"].to_numpy()) * 1e6
        + table["m_is_declared_brand"].to_numpy() * 1e5
        + specific.to_numpy() * 1e4
        + (~cue).to_numpy().astype(float) * 1e3
        + table["m_first3"].to_numpy() * 1e2
        + (8.0 - table["m_mark_zipf"].clip(0, 8)).to_numpy() * 10
        + (30.0 - table["m_position"]).to_numpy() * 0.01
    )


def with_chosen_owners(matches: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``matches`` with the record chosen for its goods (:func:`choose_owners`) where several owners hold
    the word, so that results and reports name the same owner as the reasons."""
    if table.empty or "m_owner_chosen" not in table.columns:
        return matches
    chosen = table[table["m_owner_chosen"] > 0]
    if chosen.empty:
        return matches
    out = matches.copy()
    rows = chosen["match_row"].to_numpy()
    out.loc[rows, "owner"] = chosen["owner"].to_numpy()
    out.loc[rows, "mark"] = chosen["mark"].to_numpy()
    out.loc[rows, "mark_id"] = chosen["mark_id"].to_numpy()
    return out


def side_matches(table: pd.DataFrame, side: np.ndarray | None = None) -> set:
    """``match_row`` labels of matches that are noise beside a listing's evidence (:func:`side_mask`, or
    ``side`` when it is already computed). Reports and "Top owners" leave them out of a risky listing's marks."""
    if table.empty or "match_row" not in table.columns:
        return set()
    return set(table.loc[side_mask(table) if side is None else side, "match_row"])


def with_side_matches(matches: pd.DataFrame, table: pd.DataFrame,
                      side: np.ndarray | None = None) -> tuple[pd.DataFrame, set]:
    """``matches`` with the boolean column ``side_match`` (the rows :func:`side_matches` names: what a risky
    listing's marks, reasons and report evidence leave out), and those rows' labels."""
    rows = side_matches(table, side)
    return matches.assign(side_match=matches.index.isin(list(rows))), rows


def fitment_mask(matches: pd.DataFrame, table: pd.DataFrame) -> np.ndarray:
    """Boolean mask over ``matches``: the match names what the product fits without a cue (``m_fitment``:
    "Floor Mats Toyota Camry 2018"), which the report's suggested fix keeps, with "for" before it, instead of
    removing it (the matches' ``fitment`` column)."""
    if table.empty or "m_fitment" not in table.columns:
        return np.zeros(len(matches), dtype=bool)
    return matches.index.isin(table.loc[table["m_fitment"].to_numpy() > 0, "match_row"].to_numpy())


def side_mask(table: pd.DataFrame) -> np.ndarray:
    """Boolean mask over ``table``: the matches that are noise beside a listing's evidence: not the
    strongest match, not of the strongest match's owner, and an ordinary word here (kind ``word``, or a
    common English word -- zipf >= 3.5 -- not registered for the product's class, with no counterfeit or
    comparison cue). "Surface" beside "Hello Kitty", "Crest" beside "Harry Potter". A mark of function words
    only (:func:`scanner.frequency.is_function_word`: "THE", "FOR", "WITH", "DE") is an ordinary word here even
    where it is registered for the product's class: "for" beside "Nike" in "Nike T-Shirt for Men". A listing
    whose only matches are ordinary words keeps its strongest one."""
    if table.empty:
        return np.zeros(0, dtype=bool)
    first = table[["listing", "owner"]].iloc[strongest_first(table)]
    top_owner = table["listing"].map(map_distinct(first.set_index("listing")["owner"], brand_key))
    is_first = table.index.isin(first.index)
    function = map_distinct(table["mark"], function_words_only).to_numpy(dtype=bool)
    ordinary = (table["m_kind_word"] > 0) | ((((table["m_mark_zipf"] >= 3.5) & (table["m_goods_same"] <= 0))
                                             | function)
                                            & (table["m_counterfeit"] + table["m_comparison"] == 0))
    same_owner = map_distinct(table["owner"], brand_key) == top_owner
    return (~is_first & ~same_owner & ordinary).to_numpy(dtype=bool)


def function_words_only(mark: str) -> bool:
    """Every word of ``mark`` is a function word (:func:`scanner.frequency.is_function_word`): "THE", "FOR",
    "WITH THE"; not "THE NORTH FACE"."""
    words = TOKEN.findall(str(mark).lower())
    return bool(words) and all(map(is_function_word, words))


def strongest_matches(table: pd.DataFrame) -> pd.DataFrame:
    """The third-party matches of each listing, strongest first (one group per listing)."""
    return table.iloc[strongest_positions(table)]


def strongest_positions(table: pd.DataFrame) -> np.ndarray:
    """The row positions of :func:`strongest_matches`: by listing, then strength from the highest, ties in
    table order (``sort_values(["listing", "strength"], ascending=[True, False], kind="stable")``, without
    reordering every column of the table)."""
    return _strongest_order(table)[0]


def strongest_first(table: pd.DataFrame) -> np.ndarray:
    """The row position of each listing's strongest match (the first of its group in
    :func:`strongest_matches`), by listing."""
    positions, listing = _strongest_order(table)
    return positions[np.r_[True, listing[1:] != listing[:-1]]] if len(positions) else positions


def _strongest_order(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(:func:`strongest_positions`, the listing's number, in listing order, of each of those rows)."""
    listing = pd.factorize(table["listing"], sort=True)[0]
    positions = np.lexsort((-table["strength"].to_numpy(dtype=float), listing))
    return positions, listing[positions]
