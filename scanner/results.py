"""Listings + matches + scores -> the results table (one row per listing read), with plain-word reasons."""

from __future__ import annotations

import pandas as pd

from .actions import choose_actions
from .levels import URGENCY_RANK
from .links import listing_url, mark_url

#: Columns of results.csv / results.jsonl (fixed contract: extend, never remove or rename).
RESULT_COLUMNS: tuple[str, ...] = (
    "sku",
    "asin",
    "title",
    "brand",
    "risk_level",  # high | medium | low
    "risk_score",  # 0..1, higher = riskier
    "marks",  # ";"-separated third-party marks found
    "owners",  # ";"-separated, same order as marks
    "fields",  # ";"-separated fields where they were found
    "reasons",  # short human text
    "marketplace",
    "source_file",
    "source_row",
    "is_new",  # the listing reached this risk level for the first time
    "decision",  # the seller's decision carried over from an earlier report (pull|edit|keep|authorized)
    "watchlist",  # owners of its third-party marks who complained before (from the seller's watch list)
    "action",  # pull now | check authorization | fix title | review | "" (low): scanner.actions
    "listing_id",  # the platform's own product id (Mercado Libre item, Ozon SKU, Shopify handle ...), else ""
    "product_url",  # the listing's product page (Amazon /dp/ASIN or the platform's), "" when it cannot be built
    "register_url",  # ";"-separated, same order as marks: each mark's register page, "" where none is known
)



def third_party(matches: pd.DataFrame) -> pd.DataFrame:
    """The matches that can be a risk: not the seller's own or authorized marks."""
    return matches[~(matches["own"].astype(bool) | matches["authorized"].astype(bool))]


def describe_match(m: pd.Series) -> str:
    where = "the brand field" if m["field"] == "brand" else f"the {m['field']}"
    if m["counterfeit_cue"]:
        return f"'{m['matched_text']}' with the counterfeit cue '{m['counterfeit_cue']}' in {where}"
    if m["nominative_cue"]:
        return f"'{m['matched_text']}' referenced as '{m['nominative_cue']} {m['matched_text']}' in {where}"
    return f"'{m['matched_text']}' ({m['mark']}, {m['owner'] or 'owner unknown'}) used in {where}"


def _register_urls(marks: pd.DataFrame | None, mark_ids: list[object]):
    """``mark_id -> register page`` over the corpus marks table for the ids ``mark_ids`` ("" for another id
    or without a table): made at once, the register columns of their rows taken together (one cell at a
    time cost ~15 us each at a million marks)."""
    if marks is None or marks.empty:
        return lambda mark_id: ""
    cache: dict[int, str] = {}

    def number(mark_id: object) -> int | None:
        try:
            return int(mark_id)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None

    rows = sorted({i for i in map(number, set(mark_ids)) if i is not None and 0 <= i < len(marks)})
    columns = [marks[c].iloc[rows].tolist() if c in marks.columns else [None] * len(rows)
               for c in ("jurisdiction", "serial_number", "registration_number")]
    for i, values in zip(rows, zip(*columns, strict=True), strict=True):
        cache[i] = mark_url(*(str(v) if isinstance(v, str) else "" for v in values))

    def url(mark_id: object) -> str:
        return cache.get(number(mark_id), "")  # type: ignore[arg-type]

    return url


def assemble_results(
    listings: pd.DataFrame,
    matches: pd.DataFrame,
    scores: pd.DataFrame,
    reasons: pd.Series | None = None,
    watchlist: pd.Series | None = None,
    side: set | None = None,
    *,
    profile=None,
    marks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per listing, most urgent first; ``scores`` has ``risk_score`` and ``risk_level``.

    ``reasons`` are the model's texts (:func:`scanner.model.reasons.explain`, what ``scan()`` passes);
    without them a plain description of up to three matches per listing stands in (:func:`describe_match`),
    for callers that have matches but no match table (synthetic report data, notebooks).
    ``side`` are labels of ``matches`` rows that are noise beside the evidence
    (:func:`scanner.features.side_matches`): left out of ``marks``/``owners`` of medium and high listings.
    ``profile`` (the seller profile) gives the Amazon store and the ``shop`` of the ``product_url`` column;
    ``marks`` (the corpus marks table, indexed by ``mark_id``) gives the ``register_url`` column.
    """
    res = pd.DataFrame(index=listings.index)
    for col in ("sku", "asin", "title", "brand", "marketplace", "source_file", "source_row"):
        res[col] = listings[col]
    res["listing_id"] = listings["listing_id"].fillna("").astype(str) if "listing_id" in listings.columns else ""
    res["product_url"] = [listing_url(a, m, i, profile=profile) for a, m, i in
                          zip(res["asin"].astype(str).tolist(), res["marketplace"].astype(str).tolist(),
                              res["listing_id"].tolist(), strict=True)]
    res["risk_score"] = scores["risk_score"].astype(float).round(4)
    res["risk_level"] = scores["risk_level"].astype(str)
    tp = third_party(matches)
    if side:
        risky = res["risk_level"].reindex(tp["listing"]).to_numpy() != "low"
        tp = tp[~(tp.index.isin(list(side)) & risky)]
    # one pass in plain Python (per-listing pandas groups cost milliseconds each: minutes for a catalogue)
    per: dict[object, tuple[dict[str, tuple[str, str, str]], dict[str, None], list]] = {}
    cols = ("listing", "mark_key", "mark", "owner", "field")
    mark_ids = tp["mark_id"] if "mark_id" in tp.columns else pd.Series(-1, index=tp.index)
    urls = _register_urls(marks, mark_ids.tolist())
    for rec in zip(*(tp[c].tolist() for c in cols), mark_ids.tolist(), range(len(tp)), strict=True):
        label, key, mark, owner, fld, mark_id, pos = rec
        firsts, flds, rows = per.setdefault(label, ({}, {}, []))
        if key not in firsts:
            firsts[key] = (str(mark), str(owner), urls(mark_id))
            if reasons is None and len(rows) < 3:
                rows.append(pos)
        flds.setdefault(str(fld), None)
    marks_col = {label: ";".join(m for m, _, _ in firsts.values()) for label, (firsts, _, _) in per.items()}
    owners = {label: ";".join(o for _, o, _ in firsts.values()) for label, (firsts, _, _) in per.items()}
    register = {label: ";".join(u for _, _, u in firsts.values()) if any(u for _, _, u in firsts.values()) else ""
                for label, (firsts, _, _) in per.items()}
    fields = {label: ";".join(flds) for label, (_, flds, _) in per.items()}
    auto_reasons = {label: "; ".join(describe_match(tp.iloc[i]) for i in rows)
                    for label, (_, _, rows) in per.items() if rows}
    res["marks"] = pd.Series(marks_col, dtype=object).reindex(listings.index).fillna("")
    res["owners"] = pd.Series(owners, dtype=object).reindex(listings.index).fillna("")
    res["fields"] = pd.Series(fields, dtype=object).reindex(listings.index).fillna("")
    res["reasons"] = reasons if reasons is not None else \
        pd.Series(auto_reasons, dtype=object).reindex(listings.index).fillna("")
    res.loc[res["reasons"] == "", "reasons"] = "no third-party mark found"
    res["is_new"] = False
    res["decision"] = ""
    res["watchlist"] = "" if watchlist is None else watchlist.reindex(listings.index).fillna("").astype(str)
    res["action"] = choose_actions(res, matches, listings)
    res["register_url"] = pd.Series(register, dtype=object).reindex(listings.index).fillna("")
    order = res["risk_level"].map(URGENCY_RANK).fillna(3)
    res = res.assign(_o=order).sort_values(["_o", "risk_score"], ascending=[True, False], kind="stable")
    return res.drop(columns="_o")[list(RESULT_COLUMNS)]
