"""Report the owner's registration that counts where the listing is sold.

A key can be held by several records of one owner: the Chinese registration ``三星`` (CN) and the US mark
SAMSUNG whose aliases list ``三星``. The index keeps one representative per key and a mark's own key wins
over an alias (:mod:`scanner.match.index`), so a US seller's "三星 平板电脑" first reads as the CN record:
"registered only where you do not sell", a weaker claim, with the wrong classes and register link. The
rights owner would complain under the US mark. :func:`prefer_where_sold` swaps such a match to the same
owner's record that covers where the seller sells (its mark, or one of its aliases, has the matched key);
the match then reads as an alias of that mark (``'三星' read as Samsung``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..jurisdictions import covers_where_sold, sold_in
from ..text import analyze

_STATUS_RANK = {"live": 0, "pending": 1, "": 2, "dead": 3}


def _key(text: str) -> str:
    """The index key of a written form (its normalised tokens, joined)."""
    return "".join(tok.text for tok in analyze(text).tokens)


def _covers(marks: pd.DataFrame, rows: pd.Index, markets: tuple[str, ...]) -> pd.Series:
    """Nullable boolean per corpus row label in ``rows``: whether the record counts where sold."""
    def col(name: str) -> pd.Series:
        values = marks[name] if name in marks.columns else pd.Series("", index=marks.index)
        return values.reindex(rows).fillna("").astype(str).reset_index(drop=True)

    reg, filed = col("registration_date"), col("filing_date")
    out = covers_where_sold(col("jurisdiction"), col("designations"), reg.where(reg != "", filed), markets)
    out.index = rows
    return out


def _candidates(marks: pd.DataFrame, owners: np.ndarray, markets: tuple[str, ...]) -> dict[tuple[str, str], tuple]:
    """``(owner, key) -> (row label, written form)`` of the owners' records that count where sold, by each
    of their keys (the mark's and every alias's); the live record first when several share one."""
    if "owner" not in marks.columns:
        return {}
    pool = marks.index[marks["owner"].astype(str).isin(set(owners.tolist())).to_numpy()]
    if not len(pool):
        return {}
    covered = _covers(marks, pool, markets)
    pool = pool[(covered == True).fillna(False).to_numpy(dtype=bool)]  # noqa: E712 (nullable boolean)
    status = (marks["status"].reindex(pool).fillna("").astype(str).str.lower()
              if "status" in marks.columns else pd.Series("", index=pool))
    aliases = (marks["aliases"].reindex(pool).fillna("").astype(str)
               if "aliases" in marks.columns else pd.Series("", index=pool))
    order = sorted(pool, key=lambda r: (_STATUS_RANK.get(status[r], 2), str(r)))
    out: dict[tuple[str, str], tuple] = {}
    for row in order:
        owner, mark = str(marks.at[row, "owner"]), str(marks.at[row, "mark"])
        for form in [mark] + [a.strip() for a in aliases[row].split(";") if a.strip()]:
            out.setdefault((owner, _key(form)), (row, form))
    return out


def prefer_where_sold(matches: pd.DataFrame, corpus: Corpus, profile) -> pd.DataFrame:
    """``matches`` (the matcher's frame) with each match whose record counts only where the seller does not
    sell moved to the same owner's record that counts where they do and holds the matched key (see the
    module). Unchanged when the profile names no market of known country or no such record exists."""
    markets = sold_in(profile)
    if matches.empty or not markets:
        return matches
    marks = corpus.marks
    covered = _covers(marks, pd.Index(matches["mark_id"].to_numpy()), markets)
    elsewhere = np.flatnonzero((covered == False).fillna(False).to_numpy(dtype=bool))  # noqa: E712
    if not len(elsewhere):
        return matches
    found = _candidates(marks, matches["owner"].astype(str).to_numpy()[elsewhere], markets)
    if not found:
        return matches
    out = matches.copy()
    for i in elsewhere:
        hit = found.get((str(out.at[i, "owner"]), str(out.at[i, "mark_key"])))
        if hit is None:
            continue
        row, form = hit
        mark = str(marks.at[row, "mark"])
        out.at[i, "mark_id"] = row
        out.at[i, "mark"] = mark
        out.at[i, "mark_key"] = _key(mark)
        for column, source in (("mark_kind", "kind"), ("mark_status", "status")):
            if column in out.columns and source in marks.columns:
                out.at[i, column] = marks.at[row, source]
        if "alias" in out.columns:
            out.at[i, "alias"] = "" if _key(mark) == _key(form) else form
    return out
