"""CLI commands (not yet registered)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register this module's commands (none yet)."""
