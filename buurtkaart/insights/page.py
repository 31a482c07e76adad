"""Entry point used by ``buurtkaart.ui.external`` for the Inzichten page."""

from __future__ import annotations

from typing import Any


def render(ctx: Any) -> None:
    """Render the insights page for a :class:`buurtkaart.ui.external.PageContext`."""
    from buurtkaart.insights.ui import render_insights_page

    render_insights_page(ctx.store, ctx.map, ctx.lang, ctx.user)
