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
from ..corpus.schema import KNOWN_KIND, marks_where_sold
from ..jurisdictions import sold_in
from ..text import compact_key
from .index import STATUS_RANK, MatchIndex


def _candidates(marks: pd.DataFrame, index: MatchIndex, owners: set[str], keys: set[str],
                markets: tuple[str, ...]) -> dict[tuple[str, str], tuple]:
    """``(owner, key) -> (row label, written form)`` of the ``owners``' records that count where sold, for
    each of ``keys`` their mark (its index key) or one of their aliases has; the live record first when
    several qualify. Only records with aliases are analysed here (a key's own records come from the index)."""
    if "owner" not in marks.columns:
        return {}
    positions = np.flatnonzero(marks["owner"].astype(str).isin(owners).to_numpy())
    if not len(positions):
        return {}
    covered = marks_where_sold(marks, marks.index[positions], markets)
    positions = positions[(covered == True).fillna(False).to_numpy(dtype=bool)]  # noqa: E712 (nullable boolean)

    def column(name: str) -> np.ndarray:
        if name not in marks.columns:
            return np.full(len(positions), "", dtype=object)
        return marks[name].iloc[positions].fillna("").astype(str).to_numpy()

    status, aliases, owner, mark = column("status"), column("aliases"), column("owner"), column("mark")
    rank = [STATUS_RANK.get(s.strip().lower(), 2) for s in status]
    out: dict[tuple[str, str], tuple] = {}
    for i in sorted(range(len(positions)), key=lambda j: (rank[j], positions[j])):
        key_id = int(index.record_key[positions[i]])
        forms = [(index.keys[key_id], mark[i])] if key_id >= 0 else []
        forms += [(compact_key(a), a.strip()) for a in aliases[i].split(";") if a.strip()]
        for key, form in forms:
            if key in keys:
                out.setdefault((owner[i], key), (marks.index[positions[i]], form))
    return out


def prefer_where_sold(matches: pd.DataFrame, corpus: Corpus, profile, index: MatchIndex) -> pd.DataFrame:
    """``matches`` (the matcher's frame) with each match whose record counts only where the seller does not
    sell moved to the same owner's record that counts where they do and holds the matched key (see the
    module). Unchanged when the profile names no market of known country or no such record exists."""
    markets = sold_in(profile)
    if matches.empty or not markets:
        return matches
    marks = corpus.marks
    covered = marks_where_sold(marks, matches["mark_id"].to_numpy(), markets)
    elsewhere = np.flatnonzero((covered == False).fillna(False).to_numpy(dtype=bool))  # noqa: E712
    if not len(elsewhere):
        return matches
    found = _candidates(marks, index, set(matches["owner"].astype(str).to_numpy()[elsewhere].tolist()),
                        set(matches["mark_key"].astype(str).to_numpy()[elsewhere].tolist()), markets)
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
        out.at[i, "mark_key"] = compact_key(mark)
        for column, source in (("mark_kind", "kind"), ("mark_status", "status")):
            if column in out.columns and source in marks.columns:
                out.at[i, column] = marks.at[row, source]
        if "mark_kind" in out.columns and KNOWN_KIND in marks.columns and not out.at[i, "mark_kind"]:
            out.at[i, "mark_kind"] = marks.at[row, KNOWN_KIND]
        if "alias" in out.columns:
            out.at[i, "alias"] = "" if compact_key(mark) == compact_key(form) else form
    return out
