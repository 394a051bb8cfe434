"""Per-listing evidence for the report: which words to highlight, where else the marks were found, and
what the corpus says about each mark (status, classes, numbers, jurisdiction, register page).

Works from the documented columns of the matches table (``scanner.match.MATCH_COLUMNS``) and the marks
table (``scanner.corpus.schema.MARK_COLUMNS``); a column that is absent just leaves its part empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from ..frames import records
from ..links import mark_url

#: :func:`scanner.links.mark_url`, cached (the report asks for each mark of each listing, often more than once).
_mark_url = lru_cache(maxsize=65_536)(mark_url)

FIELD_LABELS = {
    "title": "title",
    "brand": "brand",
    "bullets": "bullet points",
    "description": "description",
    "keywords": "search terms",
}


@dataclass
class MarkInfo:
    """One third-party mark found in a listing, with what the corpus knows about it."""

    mark: str
    owner: str = ""
    status: str = ""
    classes: str = ""
    serial_number: str = ""
    jurisdiction: str = ""
    registration_number: str = ""

    @property
    def register_url(self) -> str:
        """The mark's page in its office's register (:func:`scanner.jurisdictions.register_link`), or ""."""
        return _mark_url(self.jurisdiction, self.serial_number, self.registration_number)

    @property
    def register_label(self) -> str:
        """How the report names that page: "US 97123456", "EU 018222197", "WO 1429066"."""
        jur = (self.jurisdiction or "US").strip().upper()
        number = self.registration_number if jur in ("WO", "IB") and self.registration_number else \
            (self.serial_number or self.registration_number)
        return f"{jur} {number}".strip()

    @property
    def tsdr_url(self) -> str:
        """The register page when it is a USPTO TSDR page (older name, kept for callers)."""
        url = self.register_url
        return url if url.startswith("https://tsdr.uspto.gov/") else ""


@dataclass
class Evidence:
    """What the report shows for one listing."""

    title_spans: list[tuple[int, int]] = field(default_factory=list)  # merged [start, end) in the title
    other_hits: str = ""  # "brand: 'Nike'; search terms: 'lego' (2x)"
    marks: list[MarkInfo] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)  # third-party match records
    mark_keys: list[str] = field(default_factory=list, repr=False)  # normalised keys of ``marks``


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if value is not None and not pd.isna(value) else False


def _int(value: Any, default: int = -1) -> int:
    if type(value) is int:
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _str(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def locate_span(text: str, start: Any, end: Any, matched: str) -> tuple[int, int] | None:
    """The span of a match in ``text``: the given one when it holds ``matched``; else the first
    case-insensitive occurrence of ``matched``; else ``None`` (nothing to highlight)."""
    s, e = _int(start), _int(end)
    if 0 <= s < e <= len(text) and (not matched or text[s:e].casefold() == matched.casefold()):
        return s, e
    if matched:
        pos = text.casefold().find(matched.casefold())
        if pos >= 0 and len(text.casefold()) == len(text):
            return pos, pos + len(matched)
    if 0 <= s < e <= len(text) and not matched:
        return s, e
    return None


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans (overlapping or touching spans are joined)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _mark_table(corpus: Any) -> pd.DataFrame | None:
    marks = getattr(corpus, "marks", None)
    return marks if isinstance(marks, pd.DataFrame) else None


#: The match fields the evidence and the suggested fix read (``Evidence.matches`` holds only these: at a
#: million marks a risky listing has about 20 matches, and a dict of every match column for each of them
#: took gigabytes). ``tests/test_report_evidence_fields.py`` checks that the readers ask for no other field.
EVIDENCE_FIELDS: tuple[str, ...] = (
    "listing", "field", "start", "end", "matched_text", "mark_id", "mark", "mark_key", "owner", "mark_kind",
    "nominative_cue", "counterfeit_cue", "fitment",
)

#: Every column of the scan's matches the report reads (the evidence, and the flags that leave a seller's own and
#: authorized matches out): ``scanner scan`` keeps only these (:func:`scanner.scoring.keep_columns`).
MATCH_COLUMNS_READ: tuple[str, ...] = (*EVIDENCE_FIELDS, "own", "authorized", "side_match")

_MARK_FIELDS = ("mark", "owner", "status", "nice_classes", "serial_number", "jurisdiction", "registration_number")


def _mark_records(marks_table: pd.DataFrame | None, mark_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """``{mark_id: {field: text}}`` of the corpus records ``mark_ids`` name (ids outside the table: absent)."""
    if marks_table is None:
        return {}
    size = len(marks_table)
    ids = sorted({i for i in mark_ids if 0 <= i < size})
    sub = marks_table.iloc[ids]
    cols = {k: (sub[k].tolist() if k in sub.columns else [""] * len(ids)) for k in _MARK_FIELDS}
    return {i: {k: _str(cols[k][j]) for k in _MARK_FIELDS} for j, i in enumerate(ids)}


def collect_evidence(
    listing_ids: Iterable[Any], listings: pd.DataFrame, matches: pd.DataFrame, corpus: Any = None
) -> dict[Any, Evidence]:
    """Evidence for each listing id in ``listing_ids``, medium and high listings (the risk sheets): their
    third-party matches, without the side matches (``side_match``, :func:`scanner.features.side_mask`: an
    ordinary word beside the listing's evidence) that the results' marks and owners and the reasons of such a
    listing leave out. A table without that column (synthetic report data) keeps every third-party match."""
    wanted = set(listing_ids)
    out: dict[Any, Evidence] = {lid: Evidence() for lid in wanted}
    if matches is None or matches.empty or "listing" not in matches.columns or not wanted:
        return out
    keep = matches["listing"].isin(wanted).to_numpy().copy()
    for col in ("own", "authorized", "side_match"):
        if col in matches.columns:
            flag = matches[col]
            keep &= ~(flag.to_numpy() if flag.dtype == bool else flag.map(_bool).to_numpy(dtype=bool))
    # only the rows and the columns read (the table has about thirty), taken at once
    rows = records(matches.loc[keep, [c for c in EVIDENCE_FIELDS if c in matches.columns]])
    mark_info = _mark_records(_mark_table(corpus), [_int(rec.get("mark_id")) for rec in rows])
    titles = listings["title"] if "title" in listings.columns else pd.Series("", index=listings.index)
    for rec in rows:
        ev = out[rec["listing"]]
        ev.matches.append(rec)
        info = mark_info.get(_int(rec.get("mark_id")), {})
        name = _str(rec.get("mark")) or info.get("mark", "") or _str(rec.get("matched_text"))
        key = _str(rec.get("mark_key")) or name.casefold()
        if key not in ev.mark_keys:
            ev.mark_keys.append(key)
            ev.marks.append(MarkInfo(
                mark=name,
                owner=_str(rec.get("owner")) or info.get("owner", ""),
                status=info.get("status", ""),
                classes=info.get("nice_classes", "").replace(";", ", "),
                serial_number=info.get("serial_number", ""),
                jurisdiction=info.get("jurisdiction", ""),
                registration_number=info.get("registration_number", ""),
            ))
    found = [lid for lid, ev in out.items() if ev.matches]
    title_of = dict(zip(found, titles.reindex(found).tolist(), strict=True))
    for lid in found:
        ev = out[lid]
        title = _str(title_of[lid])
        spans, others = [], {}
        for rec in ev.matches:
            fld = _str(rec.get("field")) or "title"
            matched = _str(rec.get("matched_text"))
            if fld == "title":
                span = locate_span(title, rec.get("start"), rec.get("end"), matched)
                if span:
                    spans.append(span)
            else:
                label = FIELD_LABELS.get(fld, fld)
                words = others.setdefault(label, {})
                words[matched or _str(rec.get("mark"))] = words.get(matched or _str(rec.get("mark")), 0) + 1
        ev.title_spans = merge_spans(spans)
        ev.other_hits = "; ".join(
            f"{label}: " + ", ".join(f"'{w}'" + (f" ({n}x)" if n > 1 else "") for w, n in words.items())
            for label, words in others.items()
        )
    return out
