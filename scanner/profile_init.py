"""Draft a seller profile from the brands a listing export declares (``scanner profile init``).

Counts the brand field of every listing read (placeholders such as "Generic" left out, spellings that
:func:`scanner.text.brand_key` treats as the same brand merged under their most common form) and writes a
``seller.toml`` in the fixed ``[seller]`` format proposing them as ``own_brands``, most listed first, each
with its listing count as a comment, for the seller to prune.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import SHOP_PLATFORMS, SellerProfile
from .errors import ConfigError, OverwriteError
from .jurisdictions import ALIASES, listing_country
from .links import shop_platform
from .listings import read_listings
from .placeholders import is_placeholder_brand
from .preflight import check_outputs
from .progress import Progress
from .progress import get as _progress
from .replace_file import replace_text
from .text import brand_key
from .toml_text import comment_text, toml_string

#: Listing reports that never carry a brand column.
_NO_BRAND_COLUMN = frozenset({"amazon-all-listings", "amazon-active-listings", "amazon-fba-inventory"})


@dataclass
class BrandDraft:
    """What the export declares: ``brands`` = (brand, listing count), most listed first."""

    brands: list[tuple[str, int]]
    listings: int  # listings read (rejected rows not included)
    rejected: int
    placeholder: int  # listings whose brand is a placeholder ("Generic" ...)
    blank: int  # listings with an empty brand field
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    marketplace: str = ""  # most common marketplace of the listings, if they say
    #: every marketplace code the listings are sold on (:func:`scanner.jurisdictions.listing_country`),
    #: most listings first
    marketplaces: list[str] = field(default_factory=list)
    #: platforms read whose product-page links need the seller's shop (``shopify``, ``rakuten`` ...)
    shop_platforms: list[str] = field(default_factory=list)

    @property
    def branded(self) -> int:
        return sum(n for _, n in self.brands)


def count_brands(listings: pd.DataFrame) -> tuple[list[tuple[str, int]], int, int]:
    """``(brands, placeholder listings, blank listings)`` of a canonical listing table."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    placeholder = blank = 0
    for raw in listings["brand"].astype(str):
        name = " ".join(raw.split())
        if not name:
            blank += 1
            continue
        if is_placeholder_brand(name):
            placeholder += 1
            continue
        key = brand_key(name)
        counts[key] += 1
        spellings.setdefault(key, Counter())[name] += 1
    brands = []
    for key, n in counts.items():
        forms = spellings[key]
        best = max(forms.values())
        name = next(form for form, c in forms.items() if c == best)  # the most common, first seen on ties
        brands.append((name, n))
    brands.sort(key=lambda item: (-item[1], item[0].casefold()))
    return brands, placeholder, blank


def draft_brands(paths: Sequence[str | Path], *, encoding: str | None = None,
                 column_map: dict[str, str] | None = None, progress: Progress | None = None) -> BrandDraft:
    """Read the listing files and count their declared brands."""
    progress = _progress(progress)
    read = read_listings(list(paths), encoding=encoding, column_map=column_map, progress=progress)
    listings = read.listings
    brands, placeholder, blank = count_brands(listings)
    notes = []
    for stats in read.files:
        rows = listings[listings["source_file"] == stats.path] if "source_file" in listings else listings
        if stats.rows_ok and not rows["brand"].astype(str).str.strip().any():
            name = Path(stats.path).name
            if stats.format in _NO_BRAND_COLUMN:
                notes.append(f"{name}: this Amazon report has no brand column; use an inventory flat file "
                             "(brand_name) or a CSV export with --map brand=COLUMN")
            else:
                notes.append(f"{name}: no row names a brand (no brand column found, or all empty); map one "
                             "with --map brand=COLUMN")
    values = Counter(listings.get("marketplace", pd.Series([], dtype=str)).astype(str).str.strip())
    markets: Counter[str] = Counter()
    for value, n in values.items():
        code = listing_country(value)
        if code:
            markets[code] += n
    ranked = [code for code, _ in sorted(markets.items(), key=lambda item: (-item[1], item[0]))]
    platforms = sorted({shop_platform(v) for v in values} & set(SHOP_PLATFORMS))
    return BrandDraft(brands=brands, listings=len(listings), rejected=read.rows_rejected,
                      placeholder=placeholder, blank=blank, files=[Path(f.path).name for f in read.files],
                      notes=notes, marketplace=ranked[0] if ranked else "", marketplaces=ranked,
                      shop_platforms=platforms)


def render_profile(draft: BrandDraft, *, name: str = "", marketplace: str = "US") -> str:
    """The ``seller.toml`` text: a header comment for the seller, then the ``[seller]`` table."""
    files = ", ".join(comment_text(f) for f in draft.files)  # one valid comment line, whatever the names
    lines = [
        f"# Seller profile drafted by `scanner profile init` from {files}:",
        f"# {draft.listings:,} listings: {draft.branded:,} name a brand ({len(draft.brands):,} brands below), "
        f"{draft.placeholder:,} a placeholder (Generic, No brand ...: left out), {draft.blank:,} no brand.",
        "#",
        "# own_brands lists EVERY brand your listings declare, most listed first (the comment is its listing",
        "# count). DELETE the brands that are not yours. MOVE the brands you are licensed or authorized to sell",
        "# (genuine goods you resell with permission) to authorized_brands. A brand listed here is never",
        "# reported as a risk, so keep only what is really yours. See README, 'Seller profile'.",
        "",
        "[seller]",
        f"name = {toml_string(name)}",
        f"marketplace = {toml_string(marketplace)}",
    ]
    own = ALIASES.get(marketplace.upper(), marketplace.upper())
    others = [m for m in draft.marketplaces if ALIASES.get(m, m) != own]
    if others:
        lines.append("# the other marketplaces your listings are sold on: their registrations count too")
        lines.append(f"marketplaces = [{', '.join(toml_string(m) for m in others)}]")
    if draft.shop_platforms:
        lines.append(f"# product-page links on {', '.join(draft.shop_platforms)} need your shop: fill in and uncomment")
        lines.append("# shop = { " + ", ".join(f'{toml_string(p)[1:-1]} = "your-shop"' for p in draft.shop_platforms)
                     + " }")
    if draft.brands:
        lines.append("own_brands = [")
        width = max(len(toml_string(b)) for b, _ in draft.brands) + 1
        for brand, n in draft.brands:
            item = f"{toml_string(brand)},"
            lines.append(f"    {item:<{width}}  # {n:,} listing{'' if n == 1 else 's'}")
        lines.append("]")
    else:
        lines.append("own_brands = []  # no listing declares a brand (see the notes printed by profile init)")
    lines.append("authorized_brands = []")
    return "\n".join(lines) + "\n"


def init_profile(paths: Iterable[str | Path], out: str | Path, *, name: str | None = None,
                 marketplace: str | None = None, force: bool = False, encoding: str | None = None,
                 column_map: dict[str, str] | None = None, progress: Progress | None = None) -> BrandDraft:
    """Write the draft profile of ``paths`` to ``out`` (refused if it exists, unless ``force``)."""
    out = Path(out)
    paths = list(paths)
    check_outputs({"--out": out}, paths, suffixes={})  # the profile must not replace a listing file
    if out.exists() and not force:
        raise OverwriteError("the profile exists; use --force to replace it", path=out)
    if out.exists() and not out.is_file():
        what = "a folder" if out.is_dir() else "a device or a pipe"
        raise OverwriteError(f"the output is {what}, not a file", path=out)
    if not paths:
        raise ConfigError("no listing files given")
    if marketplace:  # a wrong --marketplace is told before the listings are read, naming the option
        try:
            SellerProfile(marketplace=marketplace.strip().upper())
        except ConfigError as exc:
            raise ConfigError(f"--marketplace: {exc.message}") from None
    draft = draft_brands(paths, encoding=encoding, column_map=column_map, progress=progress)
    market = (marketplace or draft.marketplace or "US").strip().upper()
    SellerProfile(name=name or "", marketplace=market)  # an unknown marketplace: one ConfigError line
    try:
        text = render_profile(draft, name=name or "", marketplace=market)
    except ValueError as exc:  # --name given with bytes that are not UTF-8 (see toml_string)
        raise ConfigError(str(exc), path=out) from None
    _write_profile(out, text)
    return draft


def _write_profile(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` through a temporary file renamed over it: a failed write (full disk)
    leaves no half profile; an OSError is one ConfigError line."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        replace_text(out, lambda fh: fh.write(text))
    except OSError as exc:
        raise ConfigError(f"cannot write the seller profile: {exc.strerror or exc}", path=out) from None
