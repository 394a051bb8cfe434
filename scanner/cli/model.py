"""``scanner train`` and ``scanner evaluate`` — land with the risk-model issue."""

from __future__ import annotations

import click


@click.command(hidden=True)
def train() -> None:
    """Train a model bundle (not available yet)."""


@click.command(hidden=True)
def evaluate() -> None:
    """Evaluate a model on labelled listings (not available yet)."""
