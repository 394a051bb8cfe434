"""``scanner profile init``: draft a seller profile from the brands a listing export declares."""

from __future__ import annotations

from pathlib import Path

import click

from .common import make_progress, quiet_option


@click.group()
def profile() -> None:
    """Create the seller profile (seller.toml) that says which brands are yours."""


@profile.command("init")
@click.argument("listings", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The profile to write, e.g. seller.toml (refused if it exists, unless --force).")
@click.option("--marketplace", help="The marketplace code (US, UK, DE, JP ...); default: the one the listing "
                                    "files name, else US.")
@click.option("--name", help="Your seller or company name, written as [seller] name.")
@click.option("--force", is_flag=True, help="Replace the profile if it exists.")
@click.option("--encoding", help="Read the listing files with this encoding instead of detecting it.")
@click.option("--map", "mappings", multiple=True, metavar="FIELD=COLUMN",
              help="Read FIELD from the column headed COLUMN (repeatable), e.g. --map brand=Vendor.")
@quiet_option
def init(listings, out, marketplace, name, force, encoding, mappings, quiet):
    """Write a seller profile proposing the brands of LISTINGS... as your own brands.

    Reads the listing exports (those with a brand column: inventory flat files, or any CSV with
    --map brand=COLUMN; an All Listings Report has none), counts the listings of each declared brand
    and writes them to own_brands, most listed first, each with its count as a comment. Placeholders
    (Generic, No brand, Sin marca ...) are left out. Then edit the file: delete the brands that are
    not yours and move the ones you are authorized to sell to authorized_brands.
    """
    from ..profile_init import init_profile
    from .scan import parse_map

    progress = make_progress(quiet)
    draft = init_profile(listings, out, name=name, marketplace=marketplace, force=force, encoding=encoding,
                         column_map=parse_map(mappings), progress=progress)
    for note in draft.notes:
        progress.info(f"note: {note}")
    top = ", ".join(f"{b} ({n})" for b, n in draft.brands[:5])
    progress.info(
        f"listings {draft.listings:,}: {draft.branded:,} name {len(draft.brands):,} brand(s)"
        + (f" (most listed: {top})" if top else "")
        + f", {draft.placeholder:,} a placeholder, {draft.blank:,} no brand"
        + (f"; {draft.rejected:,} rows rejected" if draft.rejected else "")
    )
    progress.info(f"wrote {out}: delete the brands that are not yours, move licensed ones to authorized_brands")
