"""``scanner notices`` — lands with the complaint-notices issue."""

from __future__ import annotations

import click


@click.group(hidden=True)
def notices() -> None:
    """Turn Amazon IP complaint notices into labels and a watch list (not available yet)."""
